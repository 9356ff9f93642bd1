package grams_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/xinwen/xinwen/index/analysis/grams"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/testcorpus"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// cctvTexts returns the titles and bodies of the first n CCTV stories.
func cctvTexts(tb testing.TB, n int) [][]byte {
	tb.Helper()
	var out [][]byte
	path := testcorpus.Corpus(tb, "cctv-xwlb-2022-2026.jsonl.xz")
	errEnough := context.Canceled
	err := extract.Walk(context.Background(), []string{path}, func(r extract.Record) error {
		out = append(out, []byte(r.Article.Title), []byte(r.Article.Body))
		if len(out) >= 2*n {
			return errEnough
		}
		return nil
	})
	if err != nil && err != errEnough {
		tb.Fatal(err)
	}
	return out
}

// cpuTime is the process's user and system CPU time: on a shared machine it
// measures the work where wall-clock ns/op measures the neighbours too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// fromGrams builds the index's tokens the way Tokens did before it was
// rewritten: through Grams, a string per gram and a token per allocation.
func fromGrams(t *textnorm.Text) analysis.TokenStream {
	gs := grams.Grams(t)
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
	texts := cctvTexts(b, 1000)
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
			c0 := cpuTime()
			for range b.N {
				for _, t := range texts {
					impl.fn(textnorm.New(string(t)))
				}
			}
			b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}
