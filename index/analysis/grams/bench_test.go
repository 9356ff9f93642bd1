package grams_test

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/xinwen/xinwen/index/analysis/grams"
	"github.com/xinwen/xinwen/internal/testcorpus"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// fromGrams builds the index's tokens the way Tokens did before it was
// rewritten: through Grams, a string per gram and a token per allocation.
func fromGrams(t *textnorm.Text) analysis.TokenStream {
	gs := tokens.Grams(t)
	units := t.Units()
	out := make(analysis.TokenStream, len(gs))
	for k, g := range gs {
		typ := analysis.Ideographic
		if textnorm.Class(t.Runes[g.From]) == textnorm.Alnum {
			typ = analysis.AlphaNumeric
		}
		out[k] = &analysis.Token{Term: []byte(g.Term), Position: int(units[g.From]) + 1, Type: typ}
	}
	return out
}

// BenchmarkTokenize normalizes and tokenizes the titles and bodies of 1,000
// CCTV stories as the index does (no offsets), side by side with the way
// it was done through Grams. cpu-ms/op is the process's CPU time.
//
//	go test ./index/analysis/grams -run '^$' -bench Tokenize -benchmem -count 5
func BenchmarkTokenize(b *testing.B) {
	texts := testcorpus.CCTVTexts(b, 1000)
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	for _, impl := range []struct {
		name string
		fn   func(*textnorm.Text) analysis.TokenStream
	}{
		{"through-grams", fromGrams},
		{"tokens", func(t *textnorm.Text) analysis.TokenStream { return grams.Tokens(t, false) }},
	} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(n))
			c0 := testcorpus.CPUTime()
			for range b.N {
				for _, t := range texts {
					impl.fn(textnorm.New(string(t)))
				}
			}
			b.ReportMetric(float64(testcorpus.CPUTime()-c0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}
