package searcher_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/index/searcher"
	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/testseg"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// The fields of index.NewMapping the searchers read: a title and a body,
// each as jieba words and as bigrams.
const (
	titleWords, titleGrams = "title", "title_g"
	bodyWords, bodyGrams   = "body", "body_g"
)

// gramPhrase returns the GramPhrase of lit (two bigrams or more) in field.
func gramPhrase(t *testing.T, lit, field string) *searcher.GramPhrase {
	t.Helper()
	_, gs := tokens.LiteralGrams(lit)
	var terms []string
	var rel []uint64
	for _, g := range gs {
		if g.Single {
			t.Fatalf("%s: a lone character", lit)
		}
		terms = append(terms, g.Term)
		rel = append(rel, uint64(g.Unit-gs[0].Unit))
	}
	return searcher.NewGramPhrase(field, terms, rel)
}

// TestExactFindsWhatGramsFind: Exact, which takes an article whose words
// field holds the literal as a word without reading positions, matches the
// same articles as the disjunction of the literal's gram phrases, alone and
// under conjunctions (where it is advanced), for every word of three
// characters or more of the demo articles and literals jieba never cuts as
// a word, on an index with several segments.
func TestExactFindsWhatGramsFind(t *testing.T) {
	analysis.Use(testseg.Current(t)) // as index.Open does: the words analyzer reads it
	ix, err := bleve.NewUsing(filepath.Join(t.TempDir(), "index"), index.NewMapping(index.AnalysisXinwen), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	arts := backendtest.DemoArticles(t)
	for i := 0; i < len(arts); i += 50 { // a batch a segment
		b := ix.NewBatch()
		for _, a := range arts[i:min(i+50, len(arts))] {
			if err := b.Index(a.ID, map[string]any{titleWords: a.Title, titleGrams: a.Title, bodyWords: a.Body, bodyGrams: a.Body}); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q query.Query) []string {
		t.Helper()
		res, err := ix.SearchInContext(context.Background(), bleve.NewSearchRequestOptions(q, 1000, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	exact := func(lit string) (e, grams query.Query) {
		tg, bg := gramPhrase(t, lit, titleGrams), gramPhrase(t, lit, bodyGrams)
		e = searcher.NewExact(lit, searcher.ExactField{Words: titleWords, Grams: tg}, searcher.ExactField{Words: bodyWords, Grams: bg})
		return e, query.NewDisjunctionQuery([]query.Query{tg, bg})
	}
	seen := map[string]bool{}
	var lits []string
	seg := testseg.Segmenter(t)
	for _, a := range arts[:120] {
		for _, tok := range tokens.Words(seg, textnorm.New(a.Title+"。"+a.Body)) {
			w := string(tok.Term)
			if tok.Kind == tokens.Ideographic && len([]rune(w)) >= 3 && !seen[w] {
				seen[w] = true
				lits = append(lits, w)
			}
		}
	}
	// Never one jieba word: found by positions alone.
	lits = append(lits, "新质生产力发展", "省天水市", "县委书记")
	matched := 0
	for _, lit := range lits {
		e, g := exact(lit)
		got, want := ids(e), ids(g)
		if !slices.Equal(got, want) {
			t.Errorf("%s: Exact finds %v, the gram phrases %v", lit, got, want)
		}
		matched += len(got)
	}
	for i := 0; i+1 < len(lits) && i < 200; i += 2 {
		e1, g1 := exact(lits[i])
		e2, g2 := exact(lits[i+1])
		for _, pair := range [][2]query.Query{{e1, e2}, {e2, e1}} {
			got := ids(query.NewConjunctionQuery(pair[:]))
			want := ids(query.NewConjunctionQuery([]query.Query{g1, g2}))
			if !slices.Equal(got, want) {
				t.Errorf("%s and %s: Exact finds %v, the gram phrases %v", lits[i], lits[i+1], got, want)
			}
		}
	}
	if len(lits) < 100 || matched < 200 {
		t.Fatalf("%d literals, %d matches: too few to compare", len(lits), matched)
	}
	t.Logf("%d literals, %d matches", len(lits), matched)
}
