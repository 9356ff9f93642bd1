package grams

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/xinwen/xinwen/internal/textnorm"
)

// Name is the name of the tokenizer and of the analyzer in Bleve's registry.
const Name = "xinwen_grams"

// Tokenizer emits bigrams and Latin runs (see the package comment).
//
// With Offsets false (what the index uses) tokens carry positions only:
// phrase matching needs nothing more, Xinwen computes highlights from the
// text itself, and leaving byte offsets out of the term vectors makes the
// index about a tenth smaller and faster to build.
type Tokenizer struct{ Offsets bool }

// Tokenize implements analysis.Tokenizer.
func (tz Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	return Tokens(textnorm.New(string(input)), tz.Offsets)
}

// Tokens returns the Bleve tokens of normalized text t, with byte offsets
// into the original text if offsets is true: the grams of tokens.Grams,
// built without its intermediate strings. The terms share one buffer and the
// tokens one array, so a text costs four allocations, not two per gram (the
// index analyzes every title and body this way; this was a tenth of all
// allocation while indexing).
func Tokens(t *textnorm.Text, offsets bool) analysis.TokenStream {
	rs := t.Runes
	if len(rs) == 0 {
		return nil
	}
	// Every Chinese character is in at most two grams, every other rune in
	// one: twice the UTF-8 length of the text bounds the terms' bytes, so
	// buf never grows and the terms can slice it.
	size := 0
	for _, r := range rs {
		size += utf8.RuneLen(r)
	}
	buf := make([]byte, 0, 2*size)
	toks := make([]analysis.Token, 0, len(rs))
	unit := -1
	prev := textnorm.Sep
	for i := 0; i < len(rs); {
		c := textnorm.Class(rs[i])
		// Units as in textnorm.Text.Units: a Chinese character, a run of
		// Latin letters and digits, a separator (a space) each count one.
		if c != textnorm.Alnum || prev != textnorm.Alnum {
			unit++
		}
		prev = c
		from, to := i, i+1
		typ := analysis.Ideographic
		switch c {
		case textnorm.Han:
			if i+1 < len(rs) && textnorm.Class(rs[i+1]) == textnorm.Han {
				to = i + 2
			}
			i++
		case textnorm.Alnum:
			for to < len(rs) && textnorm.Class(rs[to]) == textnorm.Alnum {
				to++
			}
			typ = analysis.AlphaNumeric
			i = to
		default:
			i++
			continue
		}
		start := len(buf)
		for _, r := range rs[from:to] {
			buf = utf8.AppendRune(buf, r)
		}
		tok := analysis.Token{Term: buf[start:len(buf):len(buf)], Position: unit + 1, Type: typ}
		if offsets {
			tok.Start, tok.End = t.Start[from], t.End[to-1]
		}
		toks = append(toks, tok)
	}
	out := make(analysis.TokenStream, len(toks))
	for k := range toks {
		out[k] = &toks[k]
	}
	return out
}

// Analyzer is the analyzer of the grams tokenizer, without offsets.
func Analyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{Tokenizer: Tokenizer{}}
}

func init() {
	registry.RegisterTokenizer(Name, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return Tokenizer{}, nil
	})
	registry.RegisterAnalyzer(Name, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return Analyzer(), nil
	})
}
