package index_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/index/analysis/grams"
	"github.com/xinwen/xinwen/index/analysis/words"
	"github.com/xinwen/xinwen/internal/testseg"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Fuzz targets for both tokenizers (the query parser's is in
// internal/query): no panic, no hang,
// offsets always inside the text and on rune boundaries, positions rising
// with offsets, terms never empty or made of separators.

func addTextSeeds(f *testing.F) {
	for _, s := range []string{
		"长江大桥通车", "王毅，会见 。丁薛祥", "iPhone与5G网络2025年", "清水縣", "\x00\x01\xff\xfe",
		strings.Repeat("啊", 5000), strings.Repeat("a", 5000), "中文English日本語한국어123", "", " ", "\u3000\u00a0",
	} {
		f.Add(s)
	}
}

func checkTokens(t *testing.T, in string, offsets bool, toks []struct {
	term       string
	start, end int
	pos        int
}) {
	t.Helper()
	for _, x := range toks {
		if x.term == "" || strings.TrimSpace(x.term) != x.term || !utf8.ValidString(x.term) {
			t.Fatalf("%q: bad term %q", in, x.term)
		}
		if x.pos < 1 {
			t.Fatalf("%q: position %d", in, x.pos)
		}
		if !offsets {
			continue
		}
		if x.start < 0 || x.end > len(in) || x.start >= x.end {
			t.Fatalf("%q: offsets %d..%d of term %q", in, x.start, x.end, x.term)
		}
		if got := textnorm.String(in[x.start:x.end]); got != x.term {
			t.Fatalf("%q: offsets %d..%d hold %q, which normalizes to %q, not the term %q", in, x.start, x.end, in[x.start:x.end], got, x.term)
		}
	}
}

type tokView = struct {
	term       string
	start, end int
	pos        int
}

func FuzzWordsTokenizer(f *testing.F) {
	analysis.Use(testseg.Current(f)) // as index.Open installs an index's
	addTextSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		var toks []tokView
		for _, x := range (words.Tokenizer{}).Tokenize([]byte(s)) {
			toks = append(toks, tokView{string(x.Term), x.Start, x.End, x.Position})
		}
		checkTokens(t, s, true, toks)
	})
}

func FuzzGramsTokenizer(f *testing.F) {
	addTextSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		var toks []tokView
		prev := 0
		for _, x := range (grams.Tokenizer{Offsets: true}).Tokenize([]byte(s)) {
			toks = append(toks, tokView{string(x.Term), x.Start, x.End, x.Position})
			if x.Position <= prev {
				t.Fatalf("%q: positions not rising: %d after %d", s, x.Position, prev)
			}
			prev = x.Position
		}
		checkTokens(t, s, true, toks)
	})
}
