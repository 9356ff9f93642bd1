package eval_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/eval"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
	"github.com/xinwen/xinwen/internal/textnorm"
)

func TestTraditional(t *testing.T) {
	for in, want := range map[string]string{
		"清水县在2019年底宣布了什么？": "清水縣在2019年底宣布了什麼？",
		"国务院常务会议":          "國務院常務會議",
		"头发":               "頭發", // one character for one: 發, the common one, not 髮
		"发表":               "發表", // 表 stays: 錶 is a watch
		"以后的干部":            "以後的幹部",
		"ABC 5G，":          "ABC 5G，",
	} {
		if got := eval.Traditional(in); got != want {
			t.Errorf("Traditional(%q) = %q, want %q", in, got, want)
		}
	}
	// textnorm folds every converted text back: over the whole corpus of
	// test headlines and a run of common characters.
	var b strings.Builder
	for _, a := range tiny {
		b.WriteString(a.Title + a.Body)
	}
	for r := rune(0x4E00); r < 0x9FA5; r += 7 {
		b.WriteRune(r)
	}
	s := b.String()
	if got, want := textnorm.String(eval.Traditional(s)), textnorm.String(s); got != want {
		t.Errorf("folding the traditional text does not give the simplified one back")
	}
}

// stories makes n stories with unique headlines; every fifth shares its
// headline with the one before (never sampled) and one has an empty body.
func stories(n int) []news.Article {
	places := []string{"甘肃", "四川", "广东", "江苏", "浙江", "湖南", "云南", "河北"}
	topics := []string{"春耕生产", "乡村振兴", "新能源汽车", "冰雪运动", "防汛抗旱", "文化旅游", "科技创新", "生态保护"}
	var out []news.Article
	for i := range n {
		p, tp := places[i%len(places)], topics[(i/len(places))%len(topics)]
		title := fmt.Sprintf("%s第%d届%s大会推动%s发展", p, i, tp, tp)
		if i%5 == 4 {
			title = out[i-1].Title
		}
		body := fmt.Sprintf("央视网消息（新闻联播）：%s省今天举行%s大会，代表们围绕%s展开讨论，会议为期三天。会议指出，要持续推进%s。", p, tp, tp, tp)
		if i == 7 {
			body = ""
		}
		out = append(out, news.Article{
			ID: fmt.Sprintf("s%03d", i), Title: title, Body: body,
			PublishedAt: time.Date(2024, time.Month(1+i%12), 1+i%28, 19, 0, 0, 0, news.CST),
		})
	}
	return out
}

func TestSample(t *testing.T) {
	arts := stories(60)
	a := eval.Sample(arts, 20, 7)
	if !reflect.DeepEqual(a, eval.Sample(arts, 20, 7)) {
		t.Error("the same seed gave another sample")
	}
	if reflect.DeepEqual(a, eval.Sample(arts, 20, 8)) {
		t.Error("another seed gave the same sample")
	}
	if len(a) != 20 || !slices.IsSorted(a) {
		t.Errorf("sample %v: want 20 indexes in corpus order", a)
	}
	for _, i := range a {
		if i%5 == 3 || i%5 == 4 || i == 7 {
			t.Errorf("story %d sampled: its headline is not unique or its body is empty", i)
		}
	}
	if got := len(eval.Sample(arts, 1000, 1)); got != 60-2*12-1 {
		t.Errorf("sampling more than there are: %d stories, want every eligible one (%d)", got, 60-2*12-1)
	}
}

func TestMake(t *testing.T) {
	arts := stories(60)
	picks := eval.Sample(arts, 10, 3)
	// A follow-up story whose headline contains the first sampled one's:
	// that story's queries do not single it out. Its empty body keeps it
	// out of the sample.
	arts = append(arts, news.Article{ID: "follow-up", Title: arts[picks[0]].Title + "（续）"})
	if !reflect.DeepEqual(eval.Sample(arts, 10, 3), picks) {
		t.Fatal("a story with an empty body changed the sample")
	}
	known, questions := eval.Make(arts, testseg.Segmenter(t), eval.MakeConfig{Sample: 10, Seed: 3})
	// others counts the headlines other than story id's that contain every word.
	others := func(id string, words []string) int {
		n := 0
	next:
		for _, a := range arts {
			if a.ID == id {
				continue
			}
			for _, w := range words {
				if !strings.Contains(textnorm.String(a.Title), w) {
					continue next
				}
			}
			n++
		}
		return n
	}
	byID := map[string]news.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	groups := map[string]int{}
	for _, q := range known.Queries {
		groups[eval.Group(q.ID)]++
		rel := known.Qrels[q.ID]
		if len(rel) != 1 {
			t.Fatalf("%s: %d relevant stories, want 1", q.ID, len(rel))
		}
		for id := range rel {
			a := byID[id]
			g := eval.Group(q.ID)
			words := strings.Fields(q.Text)
			if strings.HasPrefix(g, "title") {
				words = []string{textnorm.String(q.Text)}
			}
			if n := others(id, words); (n > 0) != strings.HasSuffix(g, "-shared") {
				t.Errorf("%s (%q): %d other headlines have its words, group %q", q.ID, q.Text, n, g)
			}
			if id == arts[picks[0]].ID && !strings.HasSuffix(g, "-shared") {
				t.Errorf("%s (%q): the follow-up's headline has it, group %q", q.ID, q.Text, g)
			}
			switch strings.TrimSuffix(g, "-shared") {
			case "title":
				if q.Text != a.Title {
					t.Errorf("%s: %q is not the headline %q", q.ID, q.Text, a.Title)
				}
			case "short":
				// The three rarest words: the province and the ordinal
				// are rarer than the topic, which every eighth story shares.
				ws := strings.Fields(q.Text)
				if len(ws) != 3 {
					t.Errorf("%s: %q, want three words", q.ID, q.Text)
				}
				for _, w := range ws {
					if !strings.Contains(a.Title, w) {
						t.Errorf("%s: %q is not in the headline %q", q.ID, w, a.Title)
					}
				}
			default:
				t.Errorf("unknown group of %s", q.ID)
			}
		}
	}
	if groups["title"]+groups["title-shared"] != 10 || groups["short"]+groups["short-shared"] != 10 || groups["title-shared"] == 0 || groups["short"] == 0 {
		t.Errorf("known-item groups %v, want 10 titles and 10 short headlines, some shared", groups)
	}
	if len(questions.Queries) != 20 {
		t.Fatalf("%d questions, want 10 and their 10 twins", len(questions.Queries))
	}
	for i := 0; i < len(questions.Queries); i += 2 {
		q, tw := questions.Queries[i], questions.Queries[i+1]
		if eval.Group(q.ID) != "question" || eval.Group(tw.ID) != "question-trad" || tw.Text != eval.Traditional(q.Text) || tw.Text == q.Text {
			t.Errorf("question %+v and its twin %+v", q, tw)
		}
		if !strings.HasSuffix(q.Text, "？") {
			t.Errorf("%s: %q is not a question", q.ID, q.Text)
		}
		a := arts[picks[i/2]]
		if !reflect.DeepEqual(questions.Qrels[q.ID], map[string]int{a.ID: 1}) || !reflect.DeepEqual(questions.Qrels[tw.ID], questions.Qrels[q.ID]) {
			t.Errorf("%s judges %v, want %s", q.ID, questions.Qrels[q.ID], a.ID)
		}
		if ym := fmt.Sprintf("%d年%d月", a.PublishedAt.Year(), a.PublishedAt.Month()); !strings.Contains(q.Text, ym) && !strings.HasPrefix(q.Text, "为什么") {
			t.Errorf("%s: %q names neither the month (%s) nor asks why", q.ID, q.Text, ym)
		}
	}

	// Written and read back, the collections are what Load returns.
	dir := t.TempDir()
	if err := eval.WriteCollections(dir, arts, known, questions); err != nil {
		t.Fatal(err)
	}
	c, err := eval.Load(context.Background(), filepath.Join(dir, "corpus.jsonl"), filepath.Join(dir, "questions.queries.tsv"), filepath.Join(dir, "questions.qrels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "questions" || !reflect.DeepEqual(c.Queries, questions.Queries) || !reflect.DeepEqual(c.Qrels, questions.Qrels) {
		t.Errorf("read back %s: %d queries", c.Name, len(c.Queries))
	}
	// The story with an empty body is kept: a title is enough.
	if len(c.Docs) != len(arts) || c.Skipped != 0 {
		t.Errorf("read back %d documents (%d skipped), want %d", len(c.Docs), c.Skipped, len(arts))
	}
	if _, err := os.Stat(filepath.Join(dir, "known-item.qrels.tsv")); err != nil {
		t.Error(err)
	}
}
