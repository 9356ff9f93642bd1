package words_test

import (
	"sort"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	xa "github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/index/analysis/words"
	"github.com/xinwen/xinwen/internal/testcorpus"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// reference is the tokenizer as it was before its tokens and terms shared
// allocations: a token and a term allocated per word, sorted by reflection.
// It is the oracle of TestTokensAgreeWithReference and the baseline of
// BenchmarkTokenize.
func reference(t *textnorm.Text) analysis.TokenStream {
	if len(t.Runes) == 0 {
		return nil
	}
	units := t.Units()
	s := string(t.Runes)
	runeAt := make([]int32, len(s)+1)
	b := 0
	for i, r := range t.Runes {
		runeAt[b] = int32(i)
		b += len(string(r))
	}
	runeAt[len(s)] = int32(len(t.Runes))
	class := func(rs []rune, want int) bool {
		for _, r := range rs {
			if textnorm.Class(r) != want {
				return false
			}
		}
		return len(rs) > 0
	}
	out := make(analysis.TokenStream, 0, len(t.Runes)/2)
	for _, w := range xa.Segmenter().CutForSearch(s) {
		i, j := int(runeAt[w.Start]), int(runeAt[w.End])
		if !class(t.Runes[i:j], textnorm.Han) {
			continue
		}
		out = append(out, &analysis.Token{Term: []byte(w.Text), Start: t.Start[i], End: t.End[j-1], Position: int(units[i]) + 1, Type: analysis.Ideographic})
	}
	for i := 0; i < len(t.Runes); {
		if textnorm.Class(t.Runes[i]) != textnorm.Alnum {
			i++
			continue
		}
		j := i
		for j < len(t.Runes) && textnorm.Class(t.Runes[j]) == textnorm.Alnum {
			j++
		}
		typ := analysis.Numeric
		for _, r := range t.Runes[i:j] {
			if r < '0' || r > '9' {
				typ = analysis.AlphaNumeric
			}
		}
		out = append(out, &analysis.Token{Term: []byte(string(t.Runes[i:j])), Start: t.Start[i], End: t.End[j-1], Position: int(units[i]) + 1, Type: typ})
		i = j
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Start != out[b].Start {
			return out[a].Start < out[b].Start
		}
		return out[a].End < out[b].End
	})
	return out
}

// BenchmarkTokenize normalizes and cuts the titles and bodies of 1,000 CCTV
// stories into words as the index does, side by side with reference; most
// of the time is jieba's. cpu-ms/op is the process's CPU time.
//
//	go test ./index/analysis/words -run '^$' -bench Tokenize -benchmem -count 5
func BenchmarkTokenize(b *testing.B) {
	useSegmenter(b)
	texts := testcorpus.CCTVTexts(b, 1000)
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	for _, impl := range []struct {
		name string
		fn   func(string) analysis.TokenStream
	}{
		{"reference", func(s string) analysis.TokenStream { return reference(textnorm.New(s)) }},
		{"tokens", func(s string) analysis.TokenStream { return words.Tokenizer{}.Tokenize([]byte(s)) }},
	} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(n))
			c0 := testcorpus.CPUTime()
			for range b.N {
				for _, t := range texts {
					impl.fn(string(t))
				}
			}
			b.ReportMetric(float64(testcorpus.CPUTime()-c0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// TestTokensAgreeWithReference compares the tokenizer with reference on the
// first 300 CCTV stories.
func TestTokensAgreeWithReference(t *testing.T) {
	useSegmenter(t)
	for _, text := range testcorpus.CCTVTexts(t, 300) {
		got, want := words.Tokenizer{}.Tokenize(text), reference(textnorm.New(string(text)))
		if len(got) != len(want) {
			t.Fatalf("%.60q…: %d tokens, reference %d", text, len(got), len(want))
		}
		for i := range got {
			g, w := got[i], want[i]
			if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
				t.Fatalf("%.60q…: token %d is %+v, reference %+v", text, i, g, w)
			}
		}
	}
}
