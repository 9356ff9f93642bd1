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
	defer ix.Close()
	if err := ix.Put(context.Background(), backendtest.ReadDocs(t, "testdata/golden/phrases/docs.jsonl")); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"王毅": {"wangyi"}, `"长江大桥"`: {"bridge"}, "清水縣": {"qingshui"}} {
		if got := ids(t, ix, news.SearchRequest{Query: q}); !slices.Equal(got, want) {
			t.Errorf("cjk %s: %v, want %v", q, got, want)
		}
	}
}
