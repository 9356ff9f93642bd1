package tokens

import (
	"slices"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Kind is what a term is made of.
type Kind uint8

// The kinds of term.
const (
	Ideographic  Kind = iota // Chinese characters
	AlphaNumeric             // Latin letters, perhaps with digits
	Numeric                  // digits only
)

// Token is a term of a text: its bytes, its byte offsets in the original
// (not normalized) text and its unit position, from 1.
type Token struct {
	Term       []byte
	Start, End int
	Position   int
	Kind       Kind
}

// Words returns the word tokens of normalized text t, sorted by offsets:
// jieba's search-mode words of every run of Chinese characters (with seg;
// none if seg is nil) and every run of Latin letters and digits whole. The
// tokens share one array and their terms one buffer: a text costs a few
// allocations, not one or two per word.
func Words(seg *segment.Segmenter, t *textnorm.Text) []Token {
	return AppendWords(nil, seg, t)
}

// AppendWords appends the tokens of Words to dst and returns the extended
// slice: a caller that copies the tokens out can reuse one slice from text
// to text. The terms are never in dst's memory, so they outlive its reuse.
func AppendWords(dst []Token, seg *segment.Segmenter, t *textnorm.Text) []Token {
	if len(t.Runes) == 0 {
		return dst
	}
	units := t.Units()
	s := string(t.Runes)
	// runeAt maps a byte offset in s to the index of the rune starting there.
	runeAt := make([]int32, len(s)+1)
	b := 0
	for i, r := range t.Runes {
		runeAt[b] = int32(i)
		b += utf8.RuneLen(r)
	}
	runeAt[len(s)] = int32(len(t.Runes))

	var ws []segment.Word
	if seg != nil {
		ws = seg.CutForSearch(s)
	}
	size := len(s) // Latin runs: at most the whole text
	for _, w := range ws {
		size += len(w.Text)
	}
	buf := make([]byte, 0, size)
	toks, base := slices.Grow(dst, len(ws)+8), len(dst)
	term := func(start int) []byte { return buf[start:len(buf):len(buf)] }
	for _, w := range ws {
		i, j := int(runeAt[w.Start]), int(runeAt[w.End])
		if !allHan(t.Runes[i:j]) {
			continue // Latin and digits are taken whole below
		}
		start := len(buf)
		buf = append(buf, w.Text...)
		toks = append(toks, Token{
			Term:     term(start),
			Start:    t.Start[i],
			End:      t.End[j-1],
			Position: int(units[i]) + 1,
			Kind:     Ideographic,
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
		toks = append(toks, Token{
			Term:     term(start),
			Start:    t.Start[i],
			End:      t.End[j-1],
			Position: int(units[i]) + 1,
			Kind:     alnumKind(t.Runes[i:j]),
		})
		i = j
	}
	slices.SortStableFunc(toks[base:], func(a, b Token) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	return toks
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if textnorm.Class(r) != textnorm.Han {
			return false
		}
	}
	return len(rs) > 0
}

func alnumKind(rs []rune) Kind {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return AlphaNumeric
		}
	}
	return Numeric
}
