package words

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	xa "github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// Name is the name of the tokenizer and of the analyzer in Bleve's registry.
const Name = "xinwen_words"

// Tokenizer cuts text with the segmenter analysis.Use installed.
type Tokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	buf := scratch.Get().(*[]tokens.Token)
	defer scratch.Put(buf)
	ts := tokens.AppendWords((*buf)[:0], xa.Segmenter(), textnorm.New(string(input)))
	*buf = ts
	if len(ts) == 0 {
		return nil
	}
	toks := make([]analysis.Token, len(ts))
	out := make(analysis.TokenStream, len(ts))
	for i, t := range ts {
		toks[i] = analysis.Token{Term: t.Term, Start: t.Start, End: t.End, Position: t.Position, Type: tokenType[t.Kind]}
		out[i] = &toks[i]
	}
	return out
}

// scratch holds the tokens.Token slices Tokenize copies out of: indexing
// cuts every title and body, and a slice per text would be a sixth of the
// bytes it allocates.
var scratch = sync.Pool{New: func() any { return new([]tokens.Token) }}

// tokenType is Bleve's type of each kind of term.
var tokenType = [...]analysis.TokenType{
	tokens.Ideographic:  analysis.Ideographic,
	tokens.AlphaNumeric: analysis.AlphaNumeric,
	tokens.Numeric:      analysis.Numeric,
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
