package cache_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/cache"
	"github.com/xinwen/xinwen/internal/news"
)

// fake answers every query with one hit named after the query and the
// version of its data, and counts its searches. If gate is set, each search
// waits until gate is closed, after telling entered.
type fake struct {
	version  atomic.Int64
	searches atomic.Int32
	running  atomic.Int32
	most     atomic.Int32 // the most searches that ran at once
	entered  chan string
	gate     chan struct{}
}

func (f *fake) Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	f.searches.Add(1)
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for {
		m := f.most.Load()
		if n <= m || f.most.CompareAndSwap(m, n) {
			break
		}
	}
	if f.gate != nil {
		f.entered <- req.Query
		<-f.gate
	}
	if strings.HasPrefix(req.Query, "fail") {
		return nil, news.Errorf(news.EINVALID, "bad query")
	}
	if strings.HasPrefix(req.Query, "partial") {
		return &news.SearchResult{Partial: true, Warnings: []string{"shard 2 did not answer"}}, nil
	}
	title := fmt.Sprintf("%s@%d", req.Query, f.version.Load())
	return &news.SearchResult{Total: 1, Hits: []news.Hit{{ID: req.Query, Title: title}}}, nil
}

func (f *fake) versionString() string { return fmt.Sprint(f.version.Load()) }

func mustSearch(tb testing.TB, c *cache.Cache, q string) *news.SearchResult {
	tb.Helper()
	res, err := c.Search(context.Background(), news.SearchRequest{Query: q, Size: 1})
	if err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	return res
}

// TestSeesChanges: a repeated search is answered from the cache, a new
// version is searched again at once, and neither errors nor partial
// results are cached.
func TestSeesChanges(t *testing.T) {
	f := &fake{}
	c := cache.New(f, cache.Options{Version: f.versionString})
	first := mustSearch(t, c, "兰州")
	again := mustSearch(t, c, "兰州")
	if &again.Hits[0] != &first.Hits[0] || f.searches.Load() != 1 {
		t.Errorf("repeated search not served from the cache: %d searches", f.searches.Load())
	}
	f.version.Add(1)
	if res := mustSearch(t, c, "兰州"); res.Hits[0].Title != "兰州@1" || f.searches.Load() != 2 {
		t.Errorf("after a change: %q, %d searches; want 兰州@1 searched again", res.Hits[0].Title, f.searches.Load())
	}
	for range 2 {
		if _, err := c.Search(context.Background(), news.SearchRequest{Query: "fail"}); news.ErrorCode(err) != news.EINVALID {
			t.Fatalf("a failing search: %v, want its EINVALID error", err)
		}
	}
	if n := f.searches.Load(); n != 4 {
		t.Errorf("%d searches, want the failing one searched twice (an error is not cached)", n)
	}
	for range 2 {
		if res := mustSearch(t, c, "partial"); !res.Partial {
			t.Fatalf("%+v, want a partial result", res)
		}
	}
	if n := f.searches.Load(); n != 6 {
		t.Errorf("%d searches, want the partial one searched twice (a partial result is not cached)", n)
	}
	off := cache.New(f, cache.Options{Bytes: -1})
	before := f.searches.Load()
	mustSearch(t, off, "兰州")
	mustSearch(t, off, "兰州")
	if f.searches.Load() != before+2 {
		t.Error("a cache of negative Bytes cached")
	}
}

// TestIdenticalMissesShareOneSearch: requests identical to one that is being
// searched wait for it rather than searching again.
func TestIdenticalMissesShareOneSearch(t *testing.T) {
	f := &fake{entered: make(chan string, 8), gate: make(chan struct{})}
	c := cache.New(f, cache.Options{})
	const n = 8
	results := make(chan *news.SearchResult, n)
	search := func() {
		res, err := c.Search(context.Background(), news.SearchRequest{Query: "兰州"})
		if err != nil {
			t.Error(err)
		}
		results <- res
	}
	go search()
	<-f.entered // the first search is now inside
	for range n - 1 {
		go search()
	}
	for c.Waiting() < n-1 && f.searches.Load() == 1 {
		runtime.Gosched()
	}
	close(f.gate)
	for range n {
		if res := <-results; res == nil || res.Total != 1 {
			t.Fatalf("result %+v", res)
		}
	}
	if s := f.searches.Load(); s != 1 {
		t.Errorf("%d searches, want 1: identical requests did not share a search", s)
	}
}

// TestMaxSearches: no more than MaxSearches different searches run at once;
// one beyond them waits for a turn (and runs when one ends), or gives up
// with EUNAVAILABLE when its context ends; answers from the cache do not
// wait.
func TestMaxSearches(t *testing.T) {
	f := &fake{entered: make(chan string, 8), gate: make(chan struct{})}
	c := cache.New(f, cache.Options{MaxSearches: 2})
	ctx := context.Background()
	// One answer in the cache before the turns are taken.
	f.gate, f.entered = nil, nil
	mustSearch(t, c, "cached")
	f.gate, f.entered = make(chan struct{}), make(chan string, 8)

	var wg sync.WaitGroup
	for _, q := range []string{"a", "b", "c"} {
		wg.Go(func() {
			if _, err := c.Search(ctx, news.SearchRequest{Query: q, Size: 1}); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		})
	}
	<-f.entered
	<-f.entered // two searches hold the two turns
	select {
	case q := <-f.entered:
		t.Fatalf("a third search (%s) ran while two held the turns", q)
	case <-time.After(100 * time.Millisecond):
	}
	if res := mustSearch(t, c, "cached"); res.Hits[0].ID != "cached" {
		t.Errorf("cached answer: %+v", res.Hits)
	}
	waiting, cancel := context.WithCancel(ctx)
	gaveUp := make(chan error, 1)
	go func() {
		_, err := c.Search(waiting, news.SearchRequest{Query: "d", Size: 1})
		gaveUp <- err
	}()
	cancel()
	if err := <-gaveUp; news.ErrorCode(err) != news.EUNAVAILABLE {
		t.Errorf("a search whose context ended while it waited: %v, want EUNAVAILABLE", err)
	}
	close(f.gate) // the third gets its turn once one of the two ends
	wg.Wait()
	if m := f.most.Load(); m != 2 {
		t.Errorf("%d searches ran at once, want 2", m)
	}
	if s := f.searches.Load(); s != 4 {
		t.Errorf("%d searches, want 4 (cached, a, b, c; d never ran)", s)
	}
}

// TestBoundedByBytes: the cache holds no more than its byte budget, drops
// the least recently used results first, and keeps those in use.
func TestBoundedByBytes(t *testing.T) {
	f := &fake{}
	const budget = 16 << 10
	c := cache.New(f, cache.Options{Bytes: budget})
	first := mustSearch(t, c, "q0")
	hot := mustSearch(t, c, "q1")
	for i := 2; i < 100; i++ {
		mustSearch(t, c, fmt.Sprintf("q%d", i))
		mustSearch(t, c, "q1") // in use: stays
	}
	n, bytes := c.Held()
	if bytes > budget || n < 2 || n >= 100 {
		t.Errorf("cache holds %d results, %d bytes: want some but not all 100, within %d bytes", n, bytes, budget)
	}
	if again := mustSearch(t, c, "q1"); &again.Hits[0] != &hot.Hits[0] {
		t.Error("a result in constant use was dropped")
	}
	if again := mustSearch(t, c, "q0"); &again.Hits[0] == &first.Hits[0] {
		t.Error("the least recently used result was kept past the budget")
	}
}
