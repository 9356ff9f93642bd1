// Package grams is the Bleve tokenizer and analyzer that index every Chinese
// character with the one after it (a bigram; the last character of a run
// stands alone) and every run of Latin letters or digits as one lower-cased
// term, at unit positions. Any Chinese string of two or more characters is a
// phrase of consecutive bigrams and a single character is a prefix of a term,
// so matching on this field finds every occurrence of a string, whatever the
// dictionary: it is what makes recall independent of segmentation.
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

// Token is one gram of a normalized text, before it becomes a Bleve token.
type Token struct {
	Term     string
	Unit     int  // unit position, from 0
	Single   bool // a lone Chinese character ending its run
	From, To int  // rune range in the normalized text
}

// Grams returns the grams of normalized text t in order.
func Grams(t *textnorm.Text) []Token {
	units := t.Units()
	rs := t.Runes
	out := make([]Token, 0, len(rs))
	for i := 0; i < len(rs); {
		switch textnorm.Class(rs[i]) {
		case textnorm.Han:
			if i+1 < len(rs) && textnorm.Class(rs[i+1]) == textnorm.Han {
				out = append(out, Token{Term: string(rs[i : i+2]), Unit: int(units[i]), From: i, To: i + 2})
			} else {
				out = append(out, Token{Term: string(rs[i : i+1]), Unit: int(units[i]), Single: true, From: i, To: i + 1})
			}
			i++
		case textnorm.Alnum:
			j := i
			for j < len(rs) && textnorm.Class(rs[j]) == textnorm.Alnum {
				j++
			}
			out = append(out, Token{Term: string(rs[i:j]), Unit: int(units[i]), From: i, To: j})
			i = j
		default:
			i++
		}
	}
	return out
}

// Tokens returns the Bleve tokens of normalized text t, with byte offsets
// into the original text if offsets is true: the grams of Grams, built
// without its intermediate strings. The terms share one buffer and the
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
