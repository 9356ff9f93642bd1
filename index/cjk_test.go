package index_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
)

// The golden cases under testdata/golden (docs.jsonl and searches.json per
// folder) run against this index in TestBackendSuite, through the suite every
// backend passes (internal/backendtest).

// TestCJKBaseline checks that an index built with the cjk baseline analysis
// answers through the same search code.
func TestCJKBaseline(t *testing.T) {
	ix, err := index.Open(filepath.Join(t.TempDir(), "cjk"), index.Options{Segmenter: testseg.Current(t), Analysis: index.AnalysisCJK})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(context.Background(), backendtest.ReadDocs(t, "testdata/golden/phrases/docs.jsonl")); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"王毅": {"wangyi"}, `"长江大桥"`: {"bridge"}, "清水縣": {"qingshui"}, "王毅 火星探测": {}} {
		if got := ids(t, ix, news.SearchRequest{Query: q}); !slices.Equal(got, want) {
			t.Errorf("cjk %s: %v, want %v", q, got, want)
		}
	}
	ix.Close()

	// The same index answering with plain BM25 over any bigram: a word
	// that no story has does not filter, and the story that holds a
	// bigram of the query more often ranks first.
	ix, err = index.Open(filepath.Join(t.TempDir(), "cjk"), index.Options{Segmenter: testseg.Current(t), Analysis: index.AnalysisCJK, Ranking: index.Ranking{AnyBigram: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(context.Background(), backendtest.ReadDocs(t, "testdata/golden/phrases/docs.jsonl")); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, ix, news.SearchRequest{Query: "王毅 火星探测"}); len(got) == 0 || got[0] != "wangyi" {
		t.Errorf("bigrams, any: %v, want wangyi first", got)
	}
	if got := ids(t, ix, news.SearchRequest{Query: "火星探测"}); len(got) != 0 {
		t.Errorf("bigrams, any, of a query no story has: %v", got)
	}
	// An exclusion excludes the stories that hold the whole word, not
	// those that share one of its bigrams.
	all := ids(t, ix, news.SearchRequest{Query: "王毅 长江"})
	without := ids(t, ix, news.SearchRequest{Query: "王毅 长江 -长江大桥"})
	if !slices.Contains(all, "bridge") || slices.Contains(without, "bridge") || !slices.Contains(without, "wangyi") || !slices.Contains(without, "reverse") {
		t.Errorf("bigrams, any: %v; without 长江大桥 %v", all, without)
	}
}
