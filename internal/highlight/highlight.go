package highlight

import (
	"context"
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// SnippetRunes is about how many characters of body a snippet shows.
const SnippetRunes = 120

// Hits sets the highlighted title and the snippet of each hit for the
// literals lits (a query's, see query.Query.Literals), reading the bodies
// through texts; a hit whose body texts does not have (or a nil texts) gets
// an empty snippet. Titles are escaped HTML either way. Errors of texts are
// returned as they are.
func Hits(ctx context.Context, texts news.Texts, lits []string, hits []news.Hit) error {
	bodies := map[string]string{}
	if texts != nil && len(hits) > 0 {
		ids := make([]string, len(hits))
		for i, h := range hits {
			ids[i] = h.ID
		}
		arts, err := texts.GetMany(ctx, ids)
		if err != nil {
			return err
		}
		for id, a := range arts {
			bodies[id] = a.Body
		}
	}
	for i := range hits {
		hits[i].Title = Highlight(hits[i].Title, lits)
		hits[i].Snippet = Snippet(bodies[hits[i].ID], lits, SnippetRunes)
	}
	return nil
}

// span is a byte range of the original text.
type span struct{ start, end int }

// matches returns the merged byte ranges of text where any literal occurs,
// comparing normalized forms, so 清水縣 in the text matches the literal 清水县.
// A literal that starts or ends with a Latin letter or digit must not continue
// a longer Latin word (5g does not match inside 15g).
func matches(t *textnorm.Text, lits []string) []span {
	var out []span
	for _, lit := range lits {
		l := []rune(lit)
		if len(l) == 0 {
			continue
		}
		for i := 0; i+len(l) <= len(t.Runes); i++ {
			if t.Runes[i] != l[0] || !equalRunes(t.Runes[i:i+len(l)], l) {
				continue
			}
			if textnorm.Class(l[0]) == textnorm.Alnum && i > 0 && textnorm.Class(t.Runes[i-1]) == textnorm.Alnum {
				continue
			}
			j := i + len(l)
			if textnorm.Class(l[len(l)-1]) == textnorm.Alnum && j < len(t.Runes) && textnorm.Class(t.Runes[j]) == textnorm.Alnum {
				continue
			}
			out = append(out, span{t.Start[i], t.End[j-1]})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Highlight returns text as escaped HTML with every occurrence of a literal
// wrapped in <mark>…</mark>. Overlapping and touching occurrences become one
// mark, so a highlight never stops inside a word.
func Highlight(text string, lits []string) string {
	text = textnorm.Clean(text)
	return mark(text, matches(textnorm.New(text), lits), 0, len(text))
}

func mark(text string, spans []span, from, to int) string {
	var b strings.Builder
	pos := from
	for _, s := range spans {
		if s.end <= from || s.start >= to {
			continue
		}
		st, en := max(s.start, from), min(s.end, to)
		b.WriteString(html.EscapeString(text[pos:st]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[st:en]))
		b.WriteString("</mark>")
		pos = en
	}
	b.WriteString(html.EscapeString(text[pos:to]))
	return b.String()
}

// Snippet returns about n characters of body around its best cluster of
// matches, as escaped HTML with <mark>; without matches, the opening.
// Paragraph breaks become spaces; cuts are marked with "…".
func Snippet(body string, lits []string, n int) string {
	body = collapseSpace(textnorm.Clean(body))
	if body == "" {
		return ""
	}
	spans := matches(textnorm.New(body), lits)
	// Character (rune) positions of the spans, counted in one pass: spans
	// are sorted and do not overlap.
	first := make([]int, len(spans)) // rune index of each span's start
	last := make([]int, len(spans))  // rune index after each span's end
	at, r := 0, 0
	for i, s := range spans {
		r += utf8.RuneCountInString(body[at:s.start])
		first[i] = r
		r += utf8.RuneCountInString(body[s.start:s.end])
		last[i] = r
		at = s.end
	}
	total := r + utf8.RuneCountInString(body[at:])
	startRune := 0
	if len(spans) > 0 {
		// The window starting at a match that holds the most whole matches
		// (the first such), shown from a little before it.
		best, bestCount := 0, -1
		j := 0
		for i := range spans {
			j = max(j, i)
			for j < len(spans) && last[j] <= first[i]+n {
				j++
			}
			if j-i > bestCount {
				best, bestCount = first[i], j-i
			}
		}
		startRune = max(0, best-n/6)
	}
	endRune := min(total, startRune+n)
	if endRune-startRune < n {
		startRune = max(0, endRune-n)
	}
	from, to := runeOffsets(body, startRune, endRune)
	out := mark(body, spans, from, to)
	if startRune > 0 {
		out = "…" + out
	}
	if endRune < total {
		out += "…"
	}
	return out
}

// collapseSpace trims s and turns each run of white space into one space,
// copying only when it has to.
func collapseSpace(s string) string {
	prevSpace := true // a space first would be leading
	for _, r := range s {
		switch {
		case r == ' ' && !prevSpace:
			prevSpace = true
		case unicode.IsSpace(r):
			return strings.Join(strings.Fields(s), " ")
		default:
			prevSpace = false
		}
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// runeOffsets returns the byte offsets in s of the runes at positions a <= b
// (len(s) for a position at the end).
func runeOffsets(s string, a, b int) (int, int) {
	from, to := len(s), len(s)
	r := 0
	for i := range s {
		if r == a {
			from = i
		}
		if r == b {
			to = i
			break
		}
		r++
	}
	return from, to
}
