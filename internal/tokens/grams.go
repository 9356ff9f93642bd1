package tokens

import "github.com/xinwen/xinwen/internal/textnorm"

// Gram is one term of the bigram fields: a Chinese character with the one
// after it (a bigram), a lone Chinese character ending its run, or a run of
// Latin letters and digits.
type Gram struct {
	Term     string
	Unit     int  // unit position, from 0
	Single   bool // a lone Chinese character ending its run
	From, To int  // rune range in the normalized text
}

// Grams returns the grams of normalized text t in order. Any Chinese string
// of two or more characters is a phrase of consecutive bigrams and a single
// character is a prefix of a gram, so matching grams finds every occurrence
// of a string, whatever the dictionary.
func Grams(t *textnorm.Text) []Gram {
	units := t.Units()
	rs := t.Runes
	out := make([]Gram, 0, len(rs))
	for i := 0; i < len(rs); {
		switch textnorm.Class(rs[i]) {
		case textnorm.Han:
			if i+1 < len(rs) && textnorm.Class(rs[i+1]) == textnorm.Han {
				out = append(out, Gram{Term: string(rs[i : i+2]), Unit: int(units[i]), From: i, To: i + 2})
			} else {
				out = append(out, Gram{Term: string(rs[i : i+1]), Unit: int(units[i]), Single: true, From: i, To: i + 1})
			}
			i++
		case textnorm.Alnum:
			j := i
			for j < len(rs) && textnorm.Class(rs[j]) == textnorm.Alnum {
				j++
			}
			out = append(out, Gram{Term: string(rs[i:j]), Unit: int(units[i]), From: i, To: j})
			i = j
		default:
			i++
		}
	}
	return out
}

// LiteralGrams returns the grams that find the literal lit: its grams
// without the lone characters that end a longer Chinese run (the bigram
// before each covers it). Of these, a Single gram (a character alone, or
// between separators) can only be found as a prefix of the grams that
// start with it. lit's normalized text is returned too.
func LiteralGrams(lit string) (*textnorm.Text, []Gram) {
	t := textnorm.New(lit)
	gs := Grams(t)
	kept := gs[:0:0]
	for _, g := range gs {
		if g.Single && g.From > 0 && textnorm.Class(t.Runes[g.From-1]) == textnorm.Han {
			continue
		}
		kept = append(kept, g)
	}
	return t, kept
}
