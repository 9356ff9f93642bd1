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

// DefaultCacheBytes is about how much memory an index's result cache holds
// by default. On the Zipf mix of real queries in BENCHMARKS.md a result
// takes 5 to 10 KB, so this keeps several thousand: an LRU cache of 1,024
// results answered 62% of that mix, one of 16,384 the 85% that is the most
// any cache can (the rest are first requests).
const DefaultCacheBytes = 64 << 20

// cacheTTL bounds how long a cached result lives even if the index does not
// change: the relative date facets (近一周 …) depend on the clock.
const cacheTTL = time.Minute

// resultCache is an LRU cache of search results keyed by the request and
// the index generation, bounded by the estimated bytes of what it holds. A
// nil cache caches nothing.
type resultCache struct {
	mu    sync.Mutex
	max   int64 // bytes
	bytes int64 // held now
	ll    *list.List
	m     map[string]*list.Element
}

type cacheEntry struct {
	key  string
	res  *news.SearchResult
	at   time.Time
	size int64
}

func newResultCache(maxBytes int64) *resultCache {
	if maxBytes < 0 {
		return nil
	}
	if maxBytes == 0 {
		maxBytes = DefaultCacheBytes
	}
	return &resultCache{max: maxBytes, ll: list.New(), m: map[string]*list.Element{}}
}

// Estimated overheads, in bytes, of the parts of a cached result: an entry
// (list element, map slot, result struct), a hit without its strings, a
// string or facet value header.
const (
	entryOverhead = 320
	hitOverhead   = 200
	strOverhead   = 16
	countOverhead = 24
)

// resultBytes estimates the memory a cached result holds under key: the
// strings and slices that vary from one result to the next, and fixed
// overheads for the rest.
func resultBytes(key string, res *news.SearchResult) int64 {
	n := entryOverhead + len(key) + len(res.NextCursor)
	for _, w := range res.Warnings {
		n += strOverhead + len(w)
	}
	for i := range res.Hits {
		h := &res.Hits[i]
		n += hitOverhead + len(h.ID) + len(h.Title) + len(h.URL) + len(h.Source) + len(h.Snippet) +
			len(h.Region.Province) + len(h.Region.City) + len(h.Region.County) + len(h.Region.Code)
		for _, s := range h.Section {
			n += strOverhead + len(s)
		}
	}
	if f := res.Facets; f != nil {
		for _, fcs := range [][]news.FacetCount{f.Section, f.Province, f.City, f.Year, f.Month, f.Range} {
			for _, c := range fcs {
				n += countOverhead + len(c.Value)
			}
		}
	}
	return int64(n)
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
		c.remove(el)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.res, true
}

func (c *resultCache) put(key string, res *news.SearchResult, now time.Time) {
	if c == nil {
		return
	}
	size := resultBytes(key, res)
	if size > c.max/8 {
		return // one very large result (a deep page of 100 hits) would flush most others
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		c.remove(el)
	}
	c.m[key] = c.ll.PushFront(&cacheEntry{key, res, now, size})
	c.bytes += size
	for c.bytes > c.max {
		c.remove(c.ll.Back())
	}
}

// remove drops an entry (under c.mu).
func (c *resultCache) remove(el *list.Element) {
	e := c.ll.Remove(el).(*cacheEntry)
	delete(c.m, e.key)
	c.bytes -= e.size
}

// held returns the entries and estimated bytes the cache holds.
func (c *resultCache) held() (entries int, bytes int64) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len(), c.bytes
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
