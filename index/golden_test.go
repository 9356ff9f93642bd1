package index_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/news"
)

// goldenSearch is one search of a golden case and what it must return.
type goldenSearch struct {
	Name    string                    `json:"name"`
	Request news.SearchRequest        `json:"request"`
	Hits    []string                  `json:"hits"`    // IDs; nil: not checked
	Ordered bool                      `json:"ordered"` // compare Hits in order
	Total   *uint64                   `json:"total"`
	Facets  map[string]map[string]int `json:"facets"`
	Copies  map[string]int            `json:"copies"` // ID -> near-duplicate copies collapsed into it
}

// TestGolden runs every case under testdata/golden: a folder with docs.jsonl
// (articles) and searches.json (searches and their expected hits and facets).
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/golden/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ix := MustOpen(t, readDocs(t, filepath.Join(dir, "docs.jsonl")))
			var searches []goldenSearch
			b, err := os.ReadFile(filepath.Join(dir, "searches.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &searches); err != nil {
				t.Fatal(err)
			}
			for _, s := range searches {
				t.Run(s.Name, func(t *testing.T) {
					if s.Request.Size == 0 {
						s.Request.Size = 100
					}
					s.Request.Facets = s.Request.Facets || s.Facets != nil
					res, err := ix.Search(context.Background(), s.Request)
					if err != nil {
						t.Fatal(err)
					}
					got := []string{}
					for _, h := range res.Hits {
						got = append(got, h.ID)
					}
					if s.Hits != nil {
						want := slices.Clone(s.Hits)
						if !s.Ordered {
							slices.Sort(got)
							slices.Sort(want)
						}
						if !slices.Equal(got, want) {
							t.Errorf("hits %v, want %v", got, want)
						}
						if s.Total == nil && res.Total != uint64(len(want)) && s.Request.Page <= 1 && s.Request.Size >= len(want) && s.Request.Size == 100 {
							t.Errorf("total %d, want %d", res.Total, len(want))
						}
					}
					for _, h := range res.Hits {
						if want, ok := s.Copies[h.ID]; ok && h.Duplicates != want {
							t.Errorf("%s: %d copies, want %d", h.ID, h.Duplicates, want)
						}
					}
					if s.Total != nil && res.Total != *s.Total {
						t.Errorf("total %d, want %d", res.Total, *s.Total)
					}
					for name, want := range s.Facets {
						got := backendtest.FacetMap(res.Facets, name)
						if len(got) != len(want) {
							t.Errorf("facet %s: %v, want %v", name, got, want)
							continue
						}
						for k, v := range want {
							if got[k] != v {
								t.Errorf("facet %s[%s] = %d, want %d", name, k, got[k], v)
							}
						}
					}
				})
			}
		})
	}
}

func readDocs(t *testing.T, path string) []news.Article {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []news.Article
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var a news.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		out = append(out, a)
	}
	return out
}

// TestCJKBaseline checks that an index built with the cjk baseline analysis
// answers through the same search code.
func TestCJKBaseline(t *testing.T) {
	ix, err := index.Open(filepath.Join(t.TempDir(), "cjk"), index.Options{Analysis: index.AnalysisCJK})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(context.Background(), readDocs(t, "testdata/golden/phrases/docs.jsonl")); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{"王毅": {"wangyi"}, `"长江大桥"`: {"bridge"}, "清水縣": {"qingshui"}} {
		if got := ids(t, ix, news.SearchRequest{Query: q}); !slices.Equal(got, want) {
			t.Errorf("cjk %s: %v, want %v", q, got, want)
		}
	}
}
