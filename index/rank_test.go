package index

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/index/searcher"
	"github.com/xinwen/xinwen/internal/news"
	xq "github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/testseg"
)

// openRanked opens a new index with opts in a temporary directory, with
// arts indexed.
func openRanked(tb testing.TB, opts Options, arts ...news.Article) *Index {
	tb.Helper()
	if opts.Segmenter == nil {
		opts.Segmenter = testseg.Current(tb)
	}
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

// compilerOf returns a compiler of ix's searches.
func compilerOf(tb testing.TB, ix *Index) *compiler {
	return &compiler{ix: ix, seg: testseg.Segmenter(tb)}
}

// TestRankQueries: by default the ranking clauses are the words of
// query.RankTerms on title (boosted) and body, less those inside a longer
// one unless Ranking.Subwords; a text of stop words and single characters
// alone, or Ranking.AllWords, keeps the match query of every word.
func TestRankQueries(t *testing.T) {
	ix := openRanked(t, Options{})
	for _, tc := range []struct {
		ix   *Index
		text string
		want []string
	}{
		{ix, "中国和美国", []string{"中国", "美国"}},
		{ix, "长江大桥 通车", []string{"长江大桥", "通车"}},
		{openRanked(t, Options{Ranking: Ranking{Subwords: true}}), "长江大桥 通车", []string{"长江", "长江大桥", "大桥", "通车"}},
	} {
		qs := compilerOf(t, tc.ix).rankQueries(tc.text)
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
	for _, qs := range [][]query.Query{compilerOf(t, ix).rankQueries("的了"), compilerOf(t, openRanked(t, Options{Ranking: Ranking{AllWords: true}})).rankQueries("中国和美国")} {
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
	on, off := openRanked(t, Options{}), openRanked(t, Options{Ranking: Ranking{NoProximity: true}})
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
		q, err := xq.Parse(tc.query, testseg.Segmenter(t))
		if err != nil {
			t.Fatal(err)
		}
		mq, err := compilerOf(t, tc.ix).matchQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		pq, wrapped := mq.(*searcher.Proximity)
		if got := wrapped; got != (tc.lits != nil) {
			t.Errorf("%q (no proximity %v): wrapped %v, want %v", tc.query, tc.ix.opts.Ranking.NoProximity, got, tc.lits != nil)
			continue
		}
		if !wrapped {
			continue
		}
		var got []string
		for _, l := range pq.Literals() {
			got = append(got, l.Terms()[0])
		}
		if !slices.Equal(got, tc.lits) {
			t.Errorf("%q: literals starting %q, want %q", tc.query, got, tc.lits)
		}
	}
	// The relaxed search of a question is wrapped too.
	q, err := xq.Parse("天水市清水县在2019年底宣布脱贫摘帽了吗？", testseg.Segmenter(t))
	if err != nil {
		t.Fatal(err)
	}
	c := compilerOf(t, on)
	c.relax = true
	if mq, err := c.matchQuery(q); err != nil {
		t.Fatal(err)
	} else if _, ok := mq.(*searcher.Proximity); !ok {
		t.Error("relaxed query not wrapped")
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
		{Options{Ranking: Ranking{NoProximity: true}}, "清水县 脱贫", false, []string{"far", "near"}},
		// No story has 成效: the relaxed search answers.
		{Options{}, "清水县脱贫摘帽有什么成效？", true, []string{"near", "far"}},
		{Options{Ranking: Ranking{NoProximity: true}}, "清水县脱贫摘帽有什么成效？", true, []string{"far", "near"}},
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
			t.Errorf("%q (no proximity %v): %v relaxed %v, want %v relaxed %v", tc.query, tc.opts.Ranking.NoProximity, got, res.Relaxed, tc.want, tc.relaxed)
		}
	}
}
