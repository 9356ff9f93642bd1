package eval

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// MakeConfig configures the generation of collections from a corpus.
type MakeConfig struct {
	Sample int    // stories sampled (default 1000)
	Seed   uint64 // of the sample (default 1)
}

// Generated is a generated set of queries with their judgements.
type Generated struct {
	Name    string
	Queries []Query
	Qrels   Qrels
}

// Make generates two collections over arts, for the stories of one seeded
// sample (see Sample):
//
// known-item: each story's headline as typed (group "title"), and a shortened
// headline (group "short"): its two or three most distinctive jieba words,
// those in the fewest stories of the corpus, in headline order, separated by
// spaces. The story is the one relevant document. A query whose words all
// stand in another story's headline too (确诊 病例 万例 is in 203 CCTV
// headlines) is in group "title-shared" or "short-shared" instead: the query
// does not tell its story from the others, so no ranking can be sure to put
// it first, and scores on these groups measure luck as much as ranking.
//
// questions: one question a story (group "question") by template from its
// headline or first sentence; the templates are questionTemplates. Each has a
// traditional-script twin (group "question-trad", see Traditional). Words
// such as 什么 and 是怎么回事 occur in no story, so a strict AND of all words
// finds nothing: the set measures partial matching.
//
// Headlines are normalized with textnorm before words are cut; the queries
// keep their original characters.
func Make(arts []news.Article, seg *segment.Segmenter, cfg MakeConfig) (knownItem, questions Generated) {
	if cfg.Sample <= 0 {
		cfg.Sample = 1000
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	picks := Sample(arts, cfg.Sample, cfg.Seed)
	// Words whose document frequency matters: those of sampled headlines
	// and first sentences.
	want := map[string]int{}
	cut := map[int][]string{}
	for _, i := range picks {
		a := &arts[i]
		ws := contentWords(seg, textnorm.String(a.Title))
		cut[i] = ws
		for _, w := range ws {
			want[w] = 0
		}
		for _, w := range contentWords(seg, textnorm.String(firstSentence(a.Body))) {
			want[w] = 0
		}
	}
	df := docFreq(arts, seg, want)

	titles := make([]string, len(arts))
	for i := range arts {
		titles[i] = textnorm.String(arts[i].Title)
	}
	// shared reports whether a headline other than story i's has every word.
	shared := func(i int, words []string) bool {
	next:
		for j, t := range titles {
			if j == i {
				continue
			}
			for _, w := range words {
				if !strings.Contains(t, w) {
					continue next
				}
			}
			return true
		}
		return false
	}

	knownItem = Generated{Name: "known-item", Qrels: Qrels{}}
	questions = Generated{Name: "questions", Qrels: Qrels{}}
	for n, i := range picks {
		a := &arts[i]
		id := fmt.Sprintf("%04d", n+1)
		rel := map[string]int{a.ID: 1}
		add := func(g *Generated, group, text string) {
			q := Query{ID: group + "-" + id, Text: text}
			g.Queries = append(g.Queries, q)
			g.Qrels[q.ID] = rel
		}
		group := func(g string, words []string) string {
			if shared(i, words) {
				return g + "-shared"
			}
			return g
		}
		add(&knownItem, group("title", []string{titles[i]}), strings.TrimSpace(a.Title))
		if short := shortHeadline(cut[i], df); short != "" {
			add(&knownItem, group("short", strings.Fields(short)), short)
		}
		q := question(n, a, seg, df)
		add(&questions, "question", q)
		add(&questions, "question-trad", Traditional(q))
	}
	return knownItem, questions
}

// Sample picks up to n stories of arts at random with a fixed seed, among
// those whose normalized headline no other story has (a known item must be
// one story), whose headline has at least 6 characters and whose body at
// least 30. The indexes come back in corpus order.
func Sample(arts []news.Article, n int, seed uint64) []int {
	count := map[string]int{}
	for i := range arts {
		count[textnorm.String(arts[i].Title)]++
	}
	var ok []int
	for i := range arts {
		a := &arts[i]
		if count[textnorm.String(a.Title)] == 1 && utf8.RuneCountInString(a.Title) >= 6 && utf8.RuneCountInString(a.Body) >= 30 {
			ok = append(ok, i)
		}
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	r.Shuffle(len(ok), func(i, j int) { ok[i], ok[j] = ok[j], ok[i] })
	ok = ok[:min(n, len(ok))]
	slices.Sort(ok)
	return ok
}

// contentWords cuts normalized text into distinct words of two or more
// characters that are not stop words or numbers, in order.
func contentWords(seg *segment.Segmenter, text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range seg.Cut(text) {
		if !isContent(seg, w.Text) || seen[w.Text] {
			continue
		}
		seen[w.Text] = true
		out = append(out, w.Text)
	}
	return out
}

func isContent(seg *segment.Segmenter, w string) bool {
	if utf8.RuneCountInString(w) < 2 || seg.IsStop(w) {
		return false
	}
	han := false
	for _, r := range w {
		switch textnorm.Class(r) {
		case textnorm.Sep:
			return false
		case textnorm.Han:
			han = true
		}
	}
	return han || !isNumber(w)
}

func isNumber(w string) bool {
	return strings.Trim(w, "0123456789.") == ""
}

// docFreq counts, for the words of want, in how many stories (headline and
// body, cut by jieba) each occurs.
func docFreq(arts []news.Article, seg *segment.Segmenter, want map[string]int) map[string]int {
	for i := range arts {
		a := &arts[i]
		seen := map[string]bool{}
		for _, w := range seg.Cut(textnorm.String(a.Title + "\n" + a.Body)) {
			if _, ok := want[w.Text]; ok && !seen[w.Text] {
				seen[w.Text] = true
				want[w.Text]++
			}
		}
	}
	return want
}

// distinctive returns the k words of ws in the fewest stories (ties: the
// earlier word), in the order of ws.
func distinctive(ws []string, df map[string]int, k int) []string {
	idx := make([]int, len(ws))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return df[ws[a]] - df[ws[b]] })
	idx = idx[:min(k, len(idx))]
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = ws[j]
	}
	return out
}

// shortHeadline keeps the three most distinctive of a headline's content
// words (two if it has fewer than five), or returns "" for a headline of
// fewer than three content words, which a shortened query would not shorten.
func shortHeadline(ws []string, df map[string]int) string {
	if len(ws) < 3 {
		return ""
	}
	k := 3
	if len(ws) < 5 {
		k = 2
	}
	return strings.Join(distinctive(ws, df, k), " ")
}

// firstSentence returns a body's first sentence without the dateline CCTV
// puts before it (央视网消息（新闻联播）：).
func firstSentence(body string) string {
	s, _, _ := strings.Cut(body, "\n")
	if i := strings.Index(s, "："); i >= 0 && utf8.RuneCountInString(s[:i]) <= 20 && strings.Contains(s[:i], "消息") {
		s = s[i+len("："):]
	}
	if i := strings.IndexAny(s, "。！？"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// headlineCore returns the longest separator-free run of a normalized
// headline without a leading column tag such as 【新思想引领新征程】.
func headlineCore(title string) string {
	best := ""
	for _, part := range strings.Fields(textnorm.String(stripColumn(title))) {
		if utf8.RuneCountInString(part) > utf8.RuneCountInString(best) {
			best = part
		}
	}
	return best
}

// stripColumn removes a leading column tag such as 【新思想引领新征程】.
func stripColumn(title string) string {
	if strings.HasPrefix(title, "【") {
		if _, rest, ok := strings.Cut(title, "】"); ok && rest != "" {
			return rest
		}
	}
	return title
}

// questionTemplates are the kinds of question Make writes, in turn; a story
// that does not fit its turn's template gets the next that fits.
//
//	subject-verb   {subject}在{Y}年{M}月{predicate}了什么？  (see subjectVerb)
//	keywords       {Y}年{M}月{w1}{w2}是怎么回事？  (the headline's two most
//	               distinctive words)
//	first-clause   为什么{the first clause of the first sentence}？  (8 to 30
//	               characters)
var questionTemplates = []string{"subject-verb", "keywords", "first-clause"}

func question(n int, a *news.Article, seg *segment.Segmenter, df map[string]int) string {
	ym := ""
	if !a.PublishedAt.IsZero() {
		t := a.PublishedAt.In(news.CST)
		ym = fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
	}
	for k := range questionTemplates {
		switch questionTemplates[(n+k)%len(questionTemplates)] {
		case "subject-verb":
			if subj, verb := subjectVerb(seg, textnorm.String(stripColumn(a.Title))); subj != "" && ym != "" {
				return subj + "在" + ym + verb + "了什么？"
			}
		case "keywords":
			if ws := distinctive(contentWords(seg, textnorm.String(a.Title)), df, 2); len(ws) == 2 {
				return ym + ws[0] + ws[1] + "是怎么回事？"
			}
		case "first-clause":
			s := firstSentence(a.Body)
			if i := strings.IndexAny(s, "，；："); i >= 0 {
				s = s[:i]
			}
			if n := utf8.RuneCountInString(s); n >= 8 && n <= 30 {
				return "为什么" + s + "？"
			}
		}
	}
	return headlineCore(a.Title) + "是怎么回事？"
}

// subjectVerb splits a headline into a subject, the nouns it starts with
// (names, places and organisations included; at most 12 characters), and a
// predicate, the words after them up to and including the first verb (at
// most 14 characters).
func subjectVerb(seg *segment.Segmenter, title string) (subject, predicate string) {
	ws := seg.Tag(title)
	i := 0
	for i < len(ws) && (strings.HasPrefix(ws[i].Tag, "n") || ws[i].Tag == "j") {
		subject += ws[i].Word
		i++
	}
	if i == 0 || utf8.RuneCountInString(subject) > 12 {
		return "", ""
	}
	for ; i < len(ws); i++ {
		predicate += ws[i].Word
		if utf8.RuneCountInString(predicate) > 14 {
			return "", ""
		}
		if ws[i].Tag == "v" && utf8.RuneCountInString(ws[i].Word) >= 2 {
			return subject, predicate
		}
	}
	return "", ""
}

// convertAnyway are simplified characters that Big5 also lists among its
// common characters but that traditional text nearly always writes
// otherwise (什么 → 什麼, 以后 → 以後, 干部 → 幹部, 云南 → 雲南).
const convertAnyway = "么后干云里丰划余准并几愿吁筑松采儿"

var traditional = sync.OnceValue(func() map[rune]rune {
	enc := traditionalchinese.Big5.NewEncoder()
	// big5 returns a character's Big5 code, 0 if it has none outside the
	// Hong Kong extensions. Big5 lists the 5,401 common characters first
	// (0xA440 to 0xC67E, by strokes), then 7,652 less common ones.
	big5 := func(r rune) int {
		b, err := enc.String(string(r))
		if err != nil || len(b) != 2 || b[0] < 0xA1 {
			return 0
		}
		return int(b[0])<<8 | int(b[1])
	}
	common := func(r rune) bool { c := big5(r); return c >= 0xA440 && c <= 0xC67E }
	m := map[rune]rune{}
	best := map[rune]int{}
	for _, rg := range [][2]rune{{0x3400, 0x9FFF}, {0xF900, 0xFAFF}, {0x20000, 0x323AF}} {
		for r := rg[0]; r <= rg[1]; r++ {
			s := textnorm.Fold(r)
			if s == r || textnorm.Class(s) != textnorm.Han {
				continue
			}
			// A character that is itself a common traditional one stays
			// (布, 出, 家, 周: not 佈, 齣, 傢, 週).
			if common(s) && !strings.ContainsRune(convertAnyway, s) {
				continue
			}
			code := big5(r)
			if code == 0 {
				code = 0x10000 + int(r) // not in Big5: only if nothing else is
			}
			if b, ok := best[s]; !ok || code < b {
				best[s], m[s] = code, r
			}
		}
	}
	return m
})

// Traditional converts simplified characters to traditional ones by
// inverting textnorm's traditional-to-simplified folding, one character for
// one. A character that Big5 lists among its common characters stays as it
// is unless it is one of convertAnyway; otherwise, of the traditional
// characters that fold to it, the one Big5 lists first is used (发 → 發, not
// 髮). The conversion does not know words (皇后 becomes 皇後 like 以后), but
// textnorm folds its output back to s exactly.
func Traditional(s string) string {
	m := traditional()
	return strings.Map(func(r rune) rune {
		if t, ok := m[r]; ok {
			return t
		}
		return r
	}, s)
}

// WriteCollections writes the corpus and the generated sets into dir (made
// if needed): corpus.jsonl (see WriteCorpus) and, for each set,
// NAME.queries.tsv and NAME.qrels.tsv. Load reads them back with the
// set's name as the collection's.
func WriteCollections(dir string, arts []news.Article, sets ...Generated) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "corpus.jsonl"), func(w io.Writer) error { return WriteCorpus(w, arts) }); err != nil {
		return err
	}
	for _, g := range sets {
		if err := writeFile(filepath.Join(dir, g.Name+".queries.tsv"), func(w io.Writer) error { return WriteQueries(w, g.Queries) }); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, g.Name+".qrels.tsv"), func(w io.Writer) error { return WriteQrels(w, g.Queries, g.Qrels) }); err != nil {
			return err
		}
	}
	return nil
}
