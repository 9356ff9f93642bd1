package grams_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/index/analysis/grams"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

type tok struct {
	term       string
	start, end int
	pos        int
}

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []tok
	}{
		{"bigrams, last character alone", "丁薛祥", []tok{
			{"丁薛", 0, 6, 1}, {"薛祥", 3, 9, 2}, {"祥", 6, 9, 3},
		}},
		{"no bigram across punctuation; a separator run is one position", "新质，生产力", []tok{
			{"新质", 0, 6, 1}, {"质", 3, 6, 2}, {"生产", 9, 15, 4}, {"产力", 12, 18, 5}, {"力", 15, 18, 6},
		}},
		{"latin runs whole and lower-cased", "5G与iPhone", []tok{
			{"5g", 0, 2, 1}, {"与", 2, 5, 2}, {"iphone", 5, 11, 3},
		}},
		{"single character", "张", []tok{{"张", 0, 3, 1}}},
		{"traditional folded", "縣長", []tok{{"县长", 0, 6, 1}, {"长", 3, 6, 2}}},
		{"invalid bytes are separators", "a\xffb", []tok{{"a", 0, 1, 1}, {"b", 2, 3, 3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []tok
			for _, x := range (grams.Tokenizer{Offsets: true}).Tokenize([]byte(tc.in)) {
				got = append(got, tok{string(x.Term), x.Start, x.End, x.Position})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("token %d: got %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestIndexTokensHavePositionsOnly(t *testing.T) {
	ts := grams.Tokenizer{}.Tokenize([]byte("新质，生产力"))
	if len(ts) != 5 {
		t.Fatalf("got %d tokens, want 5", len(ts))
	}
	for i, want := range []int{1, 2, 4, 5, 6} {
		if ts[i].Position != want || ts[i].Start != 0 || ts[i].End != 0 {
			t.Errorf("token %d: position %d offsets %d..%d, want position %d and no offsets", i, ts[i].Position, ts[i].Start, ts[i].End, want)
		}
	}
}

// TestTokensAgreeWithGrams checks that the index's tokens are exactly the
// grams of tokens.Grams (which queries use), at the units of textnorm, over
// random mixtures of Chinese, traditional characters, Latin, digits,
// punctuation and spaces.
func TestTokensAgreeWithGrams(t *testing.T) {
	pieces := []string{"新", "质", "生产力", "縣長", "丁薛祥", "5G", "iPhone", "2024", "，", "。", " ", "——", "A", "b", "\xff", "🙂", "ｆｕｌｌ", "〇", "\n"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 2000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := textnorm.New(b.String())
		units := text.Units()
		gs := tokens.Grams(text)
		toks := grams.Tokens(text, true)
		if len(toks) != len(gs) {
			t.Fatalf("%q: %d tokens, %d grams", b.String(), len(toks), len(gs))
		}
		for i, g := range gs {
			want := tok{g.Term, text.Start[g.From], text.End[g.To-1], int(units[g.From]) + 1}
			got := tok{string(toks[i].Term), toks[i].Start, toks[i].End, toks[i].Position}
			if got != want {
				t.Fatalf("case %d %q: token %d is %v, want %v", n, b.String(), i, got, want)
			}
		}
	}
}
