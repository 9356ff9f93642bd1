package tokens_test

import (
	"slices"
	"testing"

	"github.com/xinwen/xinwen/internal/testseg"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

func TestWords(t *testing.T) {
	type tok struct {
		term       string
		start, end int
		pos        int
		kind       tokens.Kind
	}
	seg := testseg.Segmenter(t)
	for _, tc := range []struct {
		in   string
		want []tok
	}{
		{"长江大桥通车", []tok{{"长江", 0, 6, 1, tokens.Ideographic}, {"长江大桥", 0, 12, 1, tokens.Ideographic}, {"大桥", 6, 12, 3, tokens.Ideographic}, {"通车", 12, 18, 5, tokens.Ideographic}}},
		{"iPhone与5G，2025年", []tok{{"iphone", 0, 6, 1, tokens.AlphaNumeric}, {"与", 6, 9, 2, tokens.Ideographic}, {"5g", 9, 11, 3, tokens.AlphaNumeric}, {"2025", 14, 18, 5, tokens.Numeric}, {"年", 18, 21, 6, tokens.Ideographic}}},
		{"清水縣", []tok{{"清水", 0, 6, 1, tokens.Ideographic}, {"清水县", 0, 9, 1, tokens.Ideographic}}},
		{"，。", nil},
	} {
		var got []tok
		for _, x := range tokens.Words(seg, textnorm.New(tc.in)) {
			got = append(got, tok{string(x.Term), x.Start, x.End, x.Position, x.Kind})
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	// Without a segmenter, only the Latin words and numbers.
	var latin []string
	for _, x := range tokens.Words(nil, textnorm.New("王毅会见5G代表")) {
		latin = append(latin, string(x.Term))
	}
	if !slices.Equal(latin, []string{"5g"}) {
		t.Errorf("Words(nil, …) = %q, want [5g]", latin)
	}
}

func TestLiteralGrams(t *testing.T) {
	for _, tc := range []struct {
		lit   string
		terms []string
		units []int
		lone  []bool
	}{
		// The last character of a run is covered by the bigram before it.
		{"常务会议", []string{"常务", "务会", "会议"}, []int{0, 1, 2}, []bool{false, false, false}},
		// A character alone is found by prefix.
		{"蝶", []string{"蝶"}, []int{0}, []bool{true}},
		{"新质 生产力", []string{"新质", "生产", "产力"}, []int{0, 3, 4}, []bool{false, false, false}},
		{"a 美", []string{"a", "美"}, []int{0, 2}, []bool{false, true}},
		{"，", nil, nil, nil},
	} {
		_, gs := tokens.LiteralGrams(tc.lit)
		var terms []string
		var units []int
		var lone []bool
		for _, g := range gs {
			terms, units, lone = append(terms, g.Term), append(units, g.Unit), append(lone, g.Single)
		}
		if !slices.Equal(terms, tc.terms) || !slices.Equal(units, tc.units) || !slices.Equal(lone, tc.lone) {
			t.Errorf("LiteralGrams(%q) = %q at %v single %v, want %q at %v single %v", tc.lit, terms, units, lone, tc.terms, tc.units, tc.lone)
		}
	}
}
