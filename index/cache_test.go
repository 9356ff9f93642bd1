package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/xinwen/xinwen/index"
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

// gatedTexts blocks the first GetMany until release is closed, and counts calls.
type gatedTexts struct {
	memTexts
	entered, release chan struct{}
	calls            atomic.Int32
}

func (g *gatedTexts) GetMany(ctx context.Context, ids []string) (map[string]news.Article, error) {
	if g.calls.Add(1) == 1 {
		close(g.entered)
		<-g.release
	}
	return g.memTexts.GetMany(ctx, ids)
}

// TestIdenticalMissesShareOneSearch: requests identical to one that is being
// searched wait for it rather than searching again.
func TestIdenticalMissesShareOneSearch(t *testing.T) {
	arts := []news.Article{{ID: "a", Title: "兰州新区建设", Body: "兰州新区项目加快。"}}
	texts := &gatedTexts{memTexts: memTexts{"a": arts[0]}, entered: make(chan struct{}), release: make(chan struct{})}
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Texts: texts})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	req := news.SearchRequest{Query: "兰州新区", Facets: true}
	const n = 8
	results := make(chan *news.SearchResult, n)
	search := func() {
		res, err := ix.Search(ctx, req)
		if err != nil {
			t.Error(err)
		}
		results <- res
	}
	go search()
	<-texts.entered // the first search is now inside
	for range n - 1 {
		go search()
	}
	for index.FlightWaiters(ix) < n-1 && texts.calls.Load() == 1 {
		runtime.Gosched()
	}
	close(texts.release)
	for range n {
		if res := <-results; res == nil || res.Total != 1 {
			t.Fatalf("result %+v", res)
		}
	}
	if c := texts.calls.Load(); c != 1 {
		t.Errorf("%d searches read texts, want 1: identical requests did not share a search", c)
	}
}

// TestMaxSearches: beyond MaxSearches, a search waits for a turn, and gives
// up when its context ends.
func TestMaxSearches(t *testing.T) {
	arts := []news.Article{{ID: "a", Title: "兰州新区建设", Body: "兰州新区项目加快。"}}
	texts := &gatedTexts{memTexts: memTexts{"a": arts[0]}, entered: make(chan struct{}), release: make(chan struct{})}
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Texts: texts, MaxSearches: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	first := make(chan error, 1)
	go func() {
		_, err := ix.Search(ctx, news.SearchRequest{Query: "兰州"})
		first <- err
	}()
	<-texts.entered // the only turn is taken
	waiting, cancel := context.WithCancel(ctx)
	second := make(chan error, 1)
	go func() {
		_, err := ix.Search(waiting, news.SearchRequest{Query: "新区"})
		second <- err
	}()
	cancel()
	if err := <-second; news.ErrorCode(err) != news.EUNAVAILABLE {
		t.Errorf("second search while the first ran: %v, want EUNAVAILABLE", err)
	}
	close(texts.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if res, err := ix.Search(ctx, news.SearchRequest{Query: "新区"}); err != nil || res.Total != 1 {
		t.Errorf("after the first finished: %v %v", res, err)
	}
}

// TestCacheBoundedByBytes: the cache holds no more than its byte budget,
// drops the least recently used results first, and keeps those in use.
func TestCacheBoundedByBytes(t *testing.T) {
	var arts []news.Article
	for i := range 60 {
		arts = append(arts, news.Article{ID: fmt.Sprintf("a%02d", i), Title: fmt.Sprintf("兰州新区第%d期项目", i), Body: fmt.Sprintf("兰州新区第%d期项目开工。", i)})
	}
	const budget = 16 << 10
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{CacheBytes: budget})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	if err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	search := func(i int) *news.SearchResult {
		res, err := ix.Search(ctx, news.SearchRequest{Query: fmt.Sprintf("第%d期", i), Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := search(0)
	hot := search(1)
	for i := 2; i < 60; i++ {
		search(i)
		search(1) // in use: stays
	}
	n, bytes := index.CacheHeld(ix)
	if bytes > budget || n < 2 || n >= 60 {
		t.Errorf("cache holds %d results, %d bytes: want some but not all 60, within %d bytes", n, bytes, budget)
	}
	if again := search(1); &again.Hits[0] != &hot.Hits[0] {
		t.Error("a result in constant use was dropped")
	}
	if again := search(0); &again.Hits[0] == &first.Hits[0] {
		t.Error("the least recently used result was kept past the budget")
	}
}
