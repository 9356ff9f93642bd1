package searcher

import (
	"slices"
	"testing"
)

func TestNewLiteral(t *testing.T) {
	for _, tc := range []struct {
		lit   string
		terms []string
		rel   []uint64
		span  uint64
		ok    bool
	}{
		{"以史为鉴", []string{"以史", "史为", "为鉴"}, []uint64{0, 1, 2}, 4, true},
		{"脱贫", []string{"脱贫"}, []uint64{0}, 2, true},
		{"新质 生产力", []string{"新质", "生产", "产力"}, []uint64{0, 3, 4}, 6, true},
		{"iphone手机", []string{"iphone", "手机"}, []uint64{0, 1}, 3, true},
		{"2022", []string{"2022"}, []uint64{0}, 1, true},
		{"美", nil, nil, 0, false},
		{"a 美", nil, nil, 0, false},
	} {
		pl, ok := NewLiteral(tc.lit)
		if ok != tc.ok || !slices.Equal(pl.terms, tc.terms) || !slices.Equal(pl.rel, tc.rel) || pl.span != tc.span {
			t.Errorf("NewLiteral(%q) = %q %v span %d, %v; want %q %v span %d, %v", tc.lit, pl.terms, pl.rel, pl.span, ok, tc.terms, tc.rel, tc.span, tc.ok)
		}
	}
}

func TestGap(t *testing.T) {
	two := Literal{span: 2}
	three := Literal{span: 3}
	for _, tc := range []struct {
		a, b   Literal
		as, bs []uint64
		want   int
	}{
		{two, three, []uint64{1}, []uint64{3}, 0},          // ab
		{two, three, []uint64{1}, []uint64{8}, 5},          // a.....b
		{two, three, []uint64{9}, []uint64{1}, 6},          // b.....a: one more
		{two, three, []uint64{1, 20}, []uint64{30, 23}, 1}, // the nearest pair
		{three, two, []uint64{1}, []uint64{2}, -1},         // overlapping
		{two, three, nil, []uint64{2}, -1},                 // a missing
		{two, three, []uint64{40}, []uint64{1, 38, 45}, 3}, // before and after
		{two, two, []uint64{5}, []uint64{3}, 1},            // ba, adjacent
		{three, three, []uint64{100}, []uint64{103}, 0},    // ab
		{three, three, []uint64{103}, []uint64{100}, 1},    // ba
		{two, three, []uint64{10}, []uint64{11, 9, 8}, -1}, // only overlapping
	} {
		if got := gap(tc.a, tc.b, tc.as, tc.bs); got != tc.want {
			t.Errorf("gap(span %d at %v, span %d at %v) = %d, want %d", tc.a.span, tc.as, tc.b.span, tc.bs, got, tc.want)
		}
	}
}

func TestStarts(t *testing.T) {
	for _, tc := range []struct {
		pos  [][]uint64
		rel  []uint64
		want []uint64
	}{
		// 常务 at 0, 务会 at 1, 会议 at 2: the literal starts where 常务 does.
		{[][]uint64{{3, 10, 20}, {4, 21}, {5, 22, 30}}, []uint64{0, 1, 2}, []uint64{3, 20}},
		// The rarest gram first (as the searchers order them): its offset is
		// not 0, and a position before its offset starts no literal.
		{[][]uint64{{1, 7}, {0, 6}}, []uint64{2, 0}, nil},
		{[][]uint64{{2, 8}, {0, 6}}, []uint64{2, 0}, []uint64{0, 6}},
		// A gap for a separator: 新质 at 0, 生产 at 3.
		{[][]uint64{{5}, {8}}, []uint64{0, 3}, []uint64{5}},
		{[][]uint64{{5}, {7}}, []uint64{0, 3}, nil},
		{[][]uint64{{4}}, []uint64{0}, []uint64{4}},
	} {
		if got := starts(nil, tc.pos, tc.rel); !slices.Equal(got, tc.want) {
			t.Errorf("starts(%v, %v) = %v, want %v", tc.pos, tc.rel, got, tc.want)
		}
	}
}
