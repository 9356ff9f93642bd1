package index

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/index/searcher"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
	"github.com/xinwen/xinwen/internal/tokens"
)

// TestGramPhrase runs the gram phrases the compiler builds, alone and under
// Bleve's conjunction (which advances its searchers past each other),
// against Bleve's phrase query on the same grams: the same articles, the
// grams at their offsets only, and an explanation for each match when
// asked.
func TestGramPhrase(t *testing.T) {
	bodies := []string{
		"长江大桥通车了",          // a
		"大桥长江",             // b: the grams, out of order
		"长江 大桥",            // c: a separator between them
		"南京长江大桥和武汉长江大桥",    // d: twice
		"长江上的大桥",           // e
		"长江大桥，5G 手机发布",     // f
		"5G手机",             // g: no separator, the same units
		"新的5G 手机和长江大桥通车典礼", // h
	}
	var arts []news.Article
	for i, b := range bodies {
		arts = append(arts, news.Article{ID: string(rune('a' + i)), Title: "标题", Body: b})
	}
	ix := openRanked(t, Options{}, arts...)
	c := &compiler{ix: ix, seg: testseg.Segmenter(t)}

	ids := func(q query.Query, explain bool) []string {
		t.Helper()
		sr := bleve.NewSearchRequestOptions(q, 100, 0, explain)
		res, err := ix.bleve.SearchInContext(context.Background(), sr)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			if explain && (h.Expl == nil || !strings.Contains(h.Expl.String(), "grams")) {
				t.Errorf("hit %s: explanation %v", h.ID, h.Expl)
			}
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	both := func(lit string) (gram, plain query.Query) {
		gram, err := c.literalQuery(lit, fBodyGrams)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := gram.(*searcher.GramPhrase); !ok {
			t.Fatalf("%s: %T, want a gram phrase", lit, gram)
		}
		// Bleve's phrase of the same grams, "" at the units without one.
		_, gs := tokens.LiteralGrams(lit)
		terms := make([]string, gs[len(gs)-1].Unit-gs[0].Unit+1)
		for _, g := range gs {
			terms[g.Unit-gs[0].Unit] = g.Term
		}
		return gram, query.NewPhraseQuery(terms, fBodyGrams)
	}

	for lit, want := range map[string][]string{
		"长江大桥":   {"a", "d", "f", "h"},
		"长江大桥通车": {"a", "h"},
		"大桥长江":   {"b"},
		"5G 手机":  {"f", "h"}, // the separator is a unit: 5G手机 (g) is not this phrase
		"南京长江":   {"d"},
		"大桥通车典礼": {"h"},
		"长江大桥发布": nil,
	} {
		gram, plain := both(lit)
		if got := ids(gram, true); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", lit, got, want)
		}
		if got, wantPlain := ids(gram, false), ids(plain, false); !slices.Equal(got, wantPlain) {
			t.Errorf("%s: %v; Bleve's phrase query finds %v", lit, got, wantPlain)
		}
	}

	// Under a conjunction, each searcher is advanced to the other's
	// candidates; a common literal with a rare one, in both orders.
	g1, p1 := both("长江大桥")
	g2, p2 := both("通车典礼")
	g3, p3 := both("5G 手机")
	for _, tc := range []struct {
		gram, plain []query.Query
		want        []string
	}{
		{[]query.Query{g1, g3}, []query.Query{p1, p3}, []string{"f", "h"}},
		{[]query.Query{g3, g1}, []query.Query{p3, p1}, []string{"f", "h"}},
		{[]query.Query{g1, g2, g3}, []query.Query{p1, p2, p3}, []string{"h"}},
	} {
		got := ids(query.NewConjunctionQuery(tc.gram), true)
		if plain := ids(query.NewConjunctionQuery(tc.plain), false); !slices.Equal(got, tc.want) || !slices.Equal(plain, tc.want) {
			t.Errorf("conjunction: %v (Bleve's phrases %v), want %v", got, plain, tc.want)
		}
	}
}
