package index

import (
	"container/list"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// DefaultCacheSize is how many results an index caches by default.
const DefaultCacheSize = 1024

// cacheTTL bounds how long a cached result lives even if the index does not
// change: the relative date facets (近一周 …) depend on the clock.
const cacheTTL = time.Minute

// resultCache is a small LRU cache of search results keyed by the request
// and the index generation. A nil cache caches nothing.
type resultCache struct {
	mu  sync.Mutex
	max int
	ll  *list.List
	m   map[string]*list.Element
}

type cacheEntry struct {
	key string
	res *news.SearchResult
	at  time.Time
}

func newResultCache(size int) *resultCache {
	if size < 0 {
		return nil
	}
	if size == 0 {
		size = DefaultCacheSize
	}
	return &resultCache{max: size, ll: list.New(), m: make(map[string]*list.Element, size)}
}

// key identifies a request at an index generation and user-dictionary
// version.
func (c *resultCache) key(gen uint64, dict string, req news.SearchRequest) string {
	if c == nil {
		return ""
	}
	b, _ := json.Marshal(req)
	return strconv.FormatUint(gen, 10) + ":" + dict + ":" + string(b)
}

func (c *resultCache) get(key string, now time.Time) (*news.SearchResult, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if now.Sub(e.at) > cacheTTL {
		c.ll.Remove(el)
		delete(c.m, key)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.res, true
}

func (c *resultCache) put(key string, res *news.SearchResult, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		el.Value = &cacheEntry{key, res, now}
		c.ll.MoveToFront(el)
		return
	}
	c.m[key] = c.ll.PushFront(&cacheEntry{key, res, now})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.m, old.Value.(*cacheEntry).key)
	}
}

// flights are the searches running now, by cache key, so that identical
// requests arriving together share one search.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

// flight is one running search; done is closed when res and err are set.
type flight struct {
	done    chan struct{}
	res     *news.SearchResult
	err     error
	waiting int // followers that joined (under flights.mu)
}

// join returns the flight for key and whether the caller leads it (runs
// the search and then calls leave).
func (fs *flights) join(key string) (*flight, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.m[key]; ok {
		f.waiting++
		return f, false
	}
	if fs.m == nil {
		fs.m = map[string]*flight{}
	}
	f := &flight{done: make(chan struct{}), err: errors.New("search did not finish")}
	fs.m[key] = f
	return f, true
}

// leave ends the flight: its result is published to those waiting.
func (fs *flights) leave(key string, f *flight) {
	fs.mu.Lock()
	delete(fs.m, key)
	fs.mu.Unlock()
	close(f.done)
}

// waiting counts the followers of the searches running now.
func (fs *flights) waitingNow() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	for _, f := range fs.m {
		n += f.waiting
	}
	return n
}
