package index

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/internal/news"
)

// openRanked opens a new index with opts in a temporary directory, with
// arts indexed.
func openRanked(tb testing.TB, opts Options, arts ...news.Article) *Index {
	tb.Helper()
	ix, err := Open(filepath.Join(tb.TempDir(), "index"), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), arts); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// rankedTerms returns the terms of the term queries among qs, in order, and
// whether every one is on field with boost.
func rankedTerms(qs []query.Query, field string, boost float64) ([]string, bool) {
	var out []string
	ok := true
	for _, q := range qs {
		d, isDis := q.(*query.DisjunctionQuery)
		if !isDis {
			return nil, false
		}
		for _, c := range d.Disjuncts {
			tq, isTerm := c.(*query.TermQuery)
			if !isTerm {
				return nil, false
			}
			if tq.Field() == field {
				if tq.Boost() != boost {
					ok = false
				}
				out = append(out, tq.Term)
			}
		}
	}
	return out, ok
}

func TestRankTerms(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		// 在, 年, 1, 月 are single characters, 了 and 什么 stop words.
		{"李克强在2022年1月在甘肃考察了什么？", []string{"李克强", "2022", "甘肃", "考察"}},
		// Search mode: the words inside a long one, in order.
		{"长江大桥", []string{"长江", "长江大桥", "大桥"}},
		{"中国和美国", []string{"中国", "美国"}},
		// Repeats are kept, as a match query keeps them.
		{"脱贫 脱贫", []string{"脱贫", "脱贫"}},
		{"的了", nil},
	} {
		if got := rankTerms(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("rankTerms(%q) = %q, want %q", tc.text, got, tc.want)
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

// TestRankQueries: by default the ranking clauses are the words of
// rankTerms on title (boosted) and body, less those inside a longer one
// unless RankSubwords; a text of stop words and single characters alone, or
// RankAllWords, keeps the match query of every word.
func TestRankQueries(t *testing.T) {
	ix := openRanked(t, Options{})
	for _, tc := range []struct {
		ix   *Index
		text string
		want []string
	}{
		{ix, "中国和美国", []string{"中国", "美国"}},
		{ix, "长江大桥 通车", []string{"长江大桥", "通车"}},
		{openRanked(t, Options{RankSubwords: true}), "长江大桥 通车", []string{"长江", "长江大桥", "大桥", "通车"}},
	} {
		qs := tc.ix.rankQueries(tc.text)
		if len(qs) != 2 {
			t.Fatalf("%s: %d ranking clauses, want 2: %#v", tc.text, len(qs), qs)
		}
		for _, f := range []struct {
			name  string
			boost float64
		}{{fTitle, titleBoost}, {fBody, bodyBoost}} {
			got, ok := rankedTerms(qs, f.name, f.boost)
			if !slices.Equal(got, tc.want) || !ok {
				t.Errorf("%s, %s: terms %q (boosts as %g: %v), want %q", tc.text, f.name, got, f.boost, ok, tc.want)
			}
		}
	}
	for _, qs := range [][]query.Query{ix.rankQueries("的了"), openRanked(t, Options{RankAllWords: true}).rankQueries("中国和美国")} {
		if len(qs) != 2 {
			t.Fatalf("%d ranking clauses, want 2", len(qs))
		}
		for _, q := range qs {
			if _, ok := q.(*query.MatchQuery); !ok {
				t.Errorf("ranking clause %T, want a match query of every word", q)
			}
		}
	}
}

// TestWithProximity: the proximity factor wraps a query of two literals or
// more that have positions, unless switched off; its literals are in query
// order.
func TestWithProximity(t *testing.T) {
	on, off := openRanked(t, Options{}), openRanked(t, Options{RankNoProximity: true})
	for _, tc := range []struct {
		query string
		ix    *Index
		lits  []string // the first gram of each literal; nil: not wrapped
	}{
		{"清水县 脱贫", on, []string{"清水", "脱贫"}},
		{"清水县脱贫攻坚", on, []string{"清水", "脱贫", "攻坚"}},
		{`"新质 生产力" 发展`, on, []string{"新质", "发展"}},
		{"清水县 脱贫", off, nil},
		{"脱贫", on, nil},
		{"清水县 -脱贫", on, nil}, // an exclusion is not a literal of the query
		{"美 国", on, nil},     // lone characters are found by prefix
		{"美 清水县", on, nil},
		{"", on, nil},
	} {
		q, err := ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		pq, wrapped := tc.ix.matchQuery(q).(*proximityQuery)
		if got := wrapped; got != (tc.lits != nil) {
			t.Errorf("%q (no proximity %v): wrapped %v, want %v", tc.query, tc.ix.opts.RankNoProximity, got, tc.lits != nil)
			continue
		}
		if !wrapped {
			continue
		}
		var got []string
		for _, l := range pq.lits {
			got = append(got, l.terms[0])
		}
		if !slices.Equal(got, tc.lits) {
			t.Errorf("%q: literals starting %q, want %q", tc.query, got, tc.lits)
		}
	}
	// The relaxed search of a question is wrapped too.
	q, err := ParseQuery("天水市清水县在2019年底宣布脱贫摘帽了吗？")
	if err != nil {
		t.Fatal(err)
	}
	q.relax = true
	if _, ok := on.matchQuery(q).(*proximityQuery); !ok {
		t.Error("relaxed query not wrapped")
	}
}

func TestNewProxLit(t *testing.T) {
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
		pl, ok := newProxLit(tc.lit)
		if ok != tc.ok || !slices.Equal(pl.terms, tc.terms) || !slices.Equal(pl.rel, tc.rel) || pl.span != tc.span {
			t.Errorf("newProxLit(%q) = %q %v span %d, %v; want %q %v span %d, %v", tc.lit, pl.terms, pl.rel, pl.span, ok, tc.terms, tc.rel, tc.span, tc.ok)
		}
	}
}

func TestGap(t *testing.T) {
	two := proxLit{span: 2}
	three := proxLit{span: 3}
	for _, tc := range []struct {
		a, b   proxLit
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

// TestProximityRanking: two stories with the same words, as often, of the
// same length, so that BM25 scores them alike: without proximity the newer
// comes first (the tie-break); with it, the one where the query's words
// stand together, as typed, in a search and in a relaxed search alike.
func TestProximityRanking(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 5, d, 19, 0, 0, 0, news.CST) }
	arts := []news.Article{
		{ID: "near", Title: "新闻联播", PublishedAt: day(1),
			Body: "清水县脱贫摘帽。今年以来，全省各地持续推进乡村振兴，群众生活不断改善，产业发展势头良好。"},
		{ID: "far", Title: "新闻联播", PublishedAt: day(2),
			Body: "清水县。今年以来，全省各地持续推进乡村振兴，群众生活不断改善，产业发展势头良好。脱贫摘帽"},
	}
	ctx := context.Background()
	for _, tc := range []struct {
		opts    Options
		query   string
		relaxed bool
		want    []string
	}{
		{Options{}, "清水县 脱贫", false, []string{"near", "far"}},
		{Options{RankNoProximity: true}, "清水县 脱贫", false, []string{"far", "near"}},
		// No story has 成效: the relaxed search answers.
		{Options{}, "清水县脱贫摘帽有什么成效？", true, []string{"near", "far"}},
		{Options{RankNoProximity: true}, "清水县脱贫摘帽有什么成效？", true, []string{"far", "near"}},
	} {
		ix := openRanked(t, tc.opts, arts...)
		res, err := ix.Search(ctx, news.SearchRequest{Query: tc.query})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if !slices.Equal(got, tc.want) || res.Relaxed != tc.relaxed {
			t.Errorf("%q (no proximity %v): %v relaxed %v, want %v relaxed %v", tc.query, tc.opts.RankNoProximity, got, res.Relaxed, tc.want, tc.relaxed)
		}
	}
}
