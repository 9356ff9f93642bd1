package index_test

import (
	"context"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
)

// TestCacheSeesChanges: a repeated search is answered from the cache, and a
// change to the index is visible to the very next search.
func TestCacheSeesChanges(t *testing.T) {
	ix := MustOpen(t, []news.Article{{ID: "a", Title: "兰州新区建设", Body: "兰州新区项目加快。"}})
	ctx := context.Background()
	req := news.SearchRequest{Query: "兰州新区", Facets: true}
	first, err := ix.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ix.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if first.Total != 1 || again.Total != 1 || &again.Hits[0] != &first.Hits[0] {
		t.Errorf("repeated search not served from the cache: %d, %d", first.Total, again.Total)
	}
	if err := ix.Put(ctx, []news.Article{{ID: "b", Title: "兰州新区招商", Body: "兰州新区签约。"}}); err != nil {
		t.Fatal(err)
	}
	if res, _ := ix.Search(ctx, req); res.Total != 2 {
		t.Errorf("after a put: %d hits, want 2", res.Total)
	}
	if err := ix.Delete(ctx, []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if res, _ := ix.Search(ctx, req); res.Total != 1 || res.Hits[0].ID != "b" {
		t.Errorf("after a delete: %+v", res.Hits)
	}
}
