package query_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/news"

	"github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/testseg"
)

func TestParse(t *testing.T) {
	seg := testseg.Segmenter(t)
	for _, tc := range []struct {
		in     string
		groups [][]string // literals per clause, clauses of a group joined by |
		not    []string
	}{
		{"王毅", [][]string{{"王毅"}}, nil},
		{"丁薛祥", [][]string{{"丁薛祥"}}, nil},
		{"张又侠", [][]string{{"张又侠"}}, nil},
		{"碳中和", [][]string{{"碳中和"}}, nil},
		{"清水县 脱贫", [][]string{{"清水县"}, {"脱贫"}}, nil},
		{"中国和美国", [][]string{{"中国", "美国"}}, nil},
		// 向着 is a stop word; the lone 新 must not be left on its own.
		{"向着新", [][]string{{"向着新"}}, nil},
		{`"新质 生产力"`, [][]string{{"新质 生产力"}}, nil},
		{"“长江大桥”", [][]string{{"长江大桥"}}, nil},
		{"王毅 -会见", [][]string{{"王毅"}}, []string{"会见"}},
		{`-"大桥长江" 长江`, [][]string{{"长江"}}, []string{"大桥长江"}},
		{"王毅 OR 丁薛祥 会议", [][]string{{"王毅", "|", "丁薛祥"}, {"会议"}}, nil},
		{"iPhone手机", [][]string{{"iphone", "手机"}}, nil},
		{"清水縣", [][]string{{"清水县"}}, nil},
		{`"unclosed`, [][]string{{"unclosed"}}, nil},
		{"，。", nil, nil},
	} {
		q, err := query.Parse(tc.in, seg)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		var got [][]string
		for _, g := range q.Groups {
			var lits []string
			for i, c := range g {
				if i > 0 {
					lits = append(lits, "|")
				}
				lits = append(lits, c.Lits...)
			}
			got = append(got, lits)
		}
		var not []string
		for _, c := range q.Not {
			not = append(not, c.Lits...)
		}
		if !slices.EqualFunc(got, tc.groups, slices.Equal) || !slices.Equal(not, tc.not) {
			t.Errorf("%q: groups %q not %q, want %q not %q", tc.in, got, not, tc.groups, tc.not)
		}
	}
}

func TestParseLimits(t *testing.T) {
	seg := testseg.Segmenter(t)
	long := ""
	for range query.MaxRunes + 1 {
		long += "字"
	}
	if _, err := query.Parse(long, seg); err == nil {
		t.Error("over-long query accepted")
	}
	many := ""
	for range query.MaxClauses + 1 {
		many += "词 "
	}
	if _, err := query.Parse(many, seg); err == nil {
		t.Error("query with too many clauses accepted")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`王毅 "新质 生产力" -会见 OR 丁薛祥`, `"unclosed`, `-`, `OR OR OR`, `“全角”`, strings.Repeat("词 OR ", 40), "\xff\x00"} {
		f.Add(s)
	}
	seg := testseg.Segmenter(f)
	f.Fuzz(func(t *testing.T, s string) {
		q, err := query.Parse(s, seg)
		if err != nil {
			if news.ErrorCode(err) != news.EINVALID {
				t.Fatalf("%q: %v, want an EINVALID error", s, err)
			}
			return
		}
		for _, lit := range q.Literals() {
			if lit == "" || !utf8.ValidString(lit) {
				t.Fatalf("%q: bad literal %q", s, lit)
			}
		}
	})
}
