// Package grams is the Bleve tokenizer and analyzer that index every Chinese
// character with the one after it (a bigram; the last character of a run
// stands alone) and every run of Latin letters or digits as one lower-cased
// term, at unit positions. Any Chinese string of two or more characters is a
// phrase of consecutive bigrams and a single character is a prefix of a term,
// so matching on this field finds every occurrence of a string, whatever the
// dictionary: it is what makes recall independent of segmentation.
package grams

import (
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
// into the original text if offsets is true.
func Tokens(t *textnorm.Text, offsets bool) analysis.TokenStream {
	gs := Grams(t)
	out := make(analysis.TokenStream, len(gs))
	toks := make([]analysis.Token, len(gs))
	for k, g := range gs {
		typ := analysis.Ideographic
		if textnorm.Class(t.Runes[g.From]) == textnorm.Alnum {
			typ = analysis.AlphaNumeric
		}
		toks[k] = analysis.Token{
			Term:     []byte(g.Term),
			Position: g.Unit + 1,
			Type:     typ,
		}
		if offsets {
			toks[k].Start, toks[k].End = t.Start[g.From], t.End[g.To-1]
		}
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
