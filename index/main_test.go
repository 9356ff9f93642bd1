package index_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/testseg"
)

// memTexts serves article bodies from memory for snippets.
type memTexts map[string]news.Article

func (m memTexts) GetMany(_ context.Context, ids []string) (map[string]news.Article, error) {
	out := map[string]news.Article{}
	for _, id := range ids {
		if a, ok := m[id]; ok {
			out[id] = a
		}
	}
	return out, nil
}

// MustOpen opens a new index in a temporary directory with arts indexed.
func MustOpen(tb testing.TB, arts []news.Article) *index.Index {
	tb.Helper()
	texts := memTexts{}
	for _, a := range arts {
		texts[a.ID] = a
	}
	now := func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, news.CST) }
	ix, err := index.Open(filepath.Join(tb.TempDir(), "index"), index.Options{Segmenter: testseg.Current(tb), Texts: texts, Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	if err := ix.Put(context.Background(), arts); err != nil {
		tb.Fatal(err)
	}
	return ix
}

// ids returns the IDs of a search's hits.
func ids(tb testing.TB, ix *index.Index, req news.SearchRequest) []string {
	tb.Helper()
	if req.Size == 0 {
		req.Size = query.MaxSize
	}
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		tb.Fatalf("search %+v: %v", req, err)
	}
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}
