package query

import (
	"slices"
	"testing"

	"github.com/xinwen/xinwen/internal/testseg"
)

func TestRankTerms(t *testing.T) {
	seg := testseg.Segmenter(t)
	for _, tc := range []struct {
		text     string
		subwords bool
		want     []string
	}{
		// 在, 年, 1, 月 are single characters, 了 and 什么 stop words.
		{"李克强在2022年1月在甘肃考察了什么？", false, []string{"李克强", "2022", "甘肃", "考察"}},
		// Search mode: the words inside a long one, in order, with subwords.
		{"长江大桥", true, []string{"长江", "长江大桥", "大桥"}},
		{"长江大桥 通车", false, []string{"长江大桥", "通车"}},
		{"中国和美国", false, []string{"中国", "美国"}},
		// Repeats are kept, as a match query keeps them.
		{"脱贫 脱贫", false, []string{"脱贫", "脱贫"}},
		{"的了", false, nil},
		{"的了", true, nil},
	} {
		if got := RankTerms(seg, tc.text, tc.subwords); !slices.Equal(got, tc.want) {
			t.Errorf("RankTerms(%q, subwords %v) = %q, want %q", tc.text, tc.subwords, got, tc.want)
		}
	}
}

func TestOuterTerms(t *testing.T) {
	for _, tc := range []struct {
		terms, want []string
	}{
		{[]string{"长江", "长江大桥", "大桥"}, []string{"长江大桥"}},
		{[]string{"国务", "务院", "国务院", "常务", "会议", "常务会议"}, []string{"国务院", "常务会议"}},
		// Repeats of a word no longer one stands in are kept.
		{[]string{"脱贫", "脱贫", "攻坚"}, []string{"脱贫", "脱贫", "攻坚"}},
		// A word inside a longer one only in part is kept.
		{[]string{"北京", "京津冀"}, []string{"北京", "京津冀"}},
		{nil, nil},
	} {
		if got := outerTerms(tc.terms); !slices.Equal(got, tc.want) {
			t.Errorf("outerTerms(%q) = %q, want %q", tc.terms, got, tc.want)
		}
	}
}

func TestRelaxedLiterals(t *testing.T) {
	seg := testseg.Segmenter(t)
	for _, tc := range []struct {
		q        string
		want     []string
		min      int
		relaxing bool
	}{
		// Literals of one character (年, 1, 月 of a date) are left out when
		// longer ones are there.
		{"2022年 1月 甘肃 考察", []string{"2022", "甘肃", "考察"}, 1, true},
		{"甘肃 年", []string{"甘肃"}, 1, true},
		{"年 月", []string{"年", "月"}, 1, true},
		{"国务院 常务会议 部署 稳就业 工作 措施", []string{"国务院", "常务会议", "部署", "稳就业", "工作", "措施"}, 2, true},
		{"王毅", []string{"王毅"}, 1, false},
	} {
		q, err := Parse(tc.q, seg)
		if err != nil {
			t.Fatal(err)
		}
		got := q.RelaxedLiterals()
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: relaxed literals %q, want %q", tc.q, got, tc.want)
		}
		if m := MinShould(len(got)); m != tc.min {
			t.Errorf("%q: MinShould(%d) = %d, want %d", tc.q, len(got), m, tc.min)
		}
		if q.Relaxable() != tc.relaxing {
			t.Errorf("%q: Relaxable() = %v, want %v", tc.q, q.Relaxable(), tc.relaxing)
		}
	}
}
