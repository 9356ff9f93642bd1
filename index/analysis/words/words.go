// Package words is the Bleve tokenizer and analyzer that cut text into jieba
// words (search mode: long words and the dictionary words inside them) for
// word-level ranking. Latin words and numbers are kept whole and lower-cased;
// traditional characters are folded to simplified ones first; punctuation and
// spaces never become terms.
package words

import (
	"slices"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	xa "github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Name is the name of the tokenizer and of the analyzer in Bleve's registry.
const Name = "xinwen_words"

// Tokenizer cuts text with the current jieba segmenter.
type Tokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	return Tokens(textnorm.New(string(input)))
}

// Tokens returns the word tokens of normalized text t, sorted by offsets.
func Tokens(t *textnorm.Text) analysis.TokenStream {
	if len(t.Runes) == 0 {
		return nil
	}
	units := t.Units()
	s := string(t.Runes)
	// runeAt maps a byte offset in s to the index of the rune starting there.
	runeAt := make([]int32, len(s)+1)
	b := 0
	for i, r := range t.Runes {
		runeAt[b] = int32(i)
		b += runeLen(r)
	}
	runeAt[len(s)] = int32(len(t.Runes))

	// The tokens share one array and their terms one buffer: a text costs
	// a few allocations, not one or two per word.
	var ws []segment.Word
	if seg := xa.Segmenter(); seg != nil {
		ws = seg.CutForSearch(s)
	}
	size := len(s) // Latin runs: at most the whole text
	for _, w := range ws {
		size += len(w.Text)
	}
	buf := make([]byte, 0, size)
	toks := make([]analysis.Token, 0, len(ws)+8)
	term := func(start int) []byte { return buf[start:len(buf):len(buf)] }
	for _, w := range ws {
		i, j := int(runeAt[w.Start]), int(runeAt[w.End])
		if !allHan(t.Runes[i:j]) {
			continue // Latin and digits are taken whole below
		}
		start := len(buf)
		buf = append(buf, w.Text...)
		toks = append(toks, analysis.Token{
			Term:     term(start),
			Start:    t.Start[i],
			End:      t.End[j-1],
			Position: int(units[i]) + 1,
			Type:     analysis.Ideographic,
		})
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
		start := len(buf)
		for _, r := range t.Runes[i:j] {
			buf = utf8.AppendRune(buf, r)
		}
		toks = append(toks, analysis.Token{
			Term:     term(start),
			Start:    t.Start[i],
			End:      t.End[j-1],
			Position: int(units[i]) + 1,
			Type:     alnumType(t.Runes[i:j]),
		})
		i = j
	}
	out := make(analysis.TokenStream, len(toks))
	for k := range toks {
		out[k] = &toks[k]
	}
	slices.SortStableFunc(out, func(a, b *analysis.Token) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	return out
}

func runeLen(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case r < 0x800:
		return 2
	case r < 0x10000:
		return 3
	}
	return 4
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if textnorm.Class(r) != textnorm.Han {
			return false
		}
	}
	return len(rs) > 0
}

func alnumType(rs []rune) analysis.TokenType {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return analysis.AlphaNumeric
		}
	}
	return analysis.Numeric
}

// Analyzer is the analyzer of the words tokenizer; it needs no filters
// because the tokenizer normalizes and drops punctuation itself.
func Analyzer() analysis.Analyzer {
	return &analysis.DefaultAnalyzer{Tokenizer: Tokenizer{}}
}

func init() {
	registry.RegisterTokenizer(Name, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		if xa.Segmenter() == nil {
			return nil, xa.ErrNoSegmenter
		}
		return Tokenizer{}, nil
	})
	registry.RegisterAnalyzer(Name, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		if xa.Segmenter() == nil {
			return nil, xa.ErrNoSegmenter
		}
		return Analyzer(), nil
	})
}
