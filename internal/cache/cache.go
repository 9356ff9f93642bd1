package cache

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"sync"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// DefaultBytes is about how much memory a Cache holds by default. On the
// Zipf mix of real queries in BENCHMARKS.md a result takes 5 to 10 KB, so
// this keeps several thousand: an LRU cache of 1,024 results answered 62%
// of that mix, one of 16,384 the 85% that is the most any cache can (the
// rest are first requests).
const DefaultBytes = 64 << 20

// TTL bounds how long a cached result lives even if the data does not
// change: the relative date facets (近一周 …) depend on the clock.
const TTL = time.Minute

// Searcher is what a Cache is put in front of: a news.Backend, or anything
// else that searches.
type Searcher interface {
	Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error)
}

// Options configure a Cache. The zero value caches DefaultBytes of results
// and runs two searches per CPU at once, but caches them for good until
// TTL: set Version.
type Options struct {
	// Bytes bounds the memory of the results kept, as estimated from their
	// strings and counts (0: DefaultBytes; negative: no cache, only the
	// cap).
	Bytes int64
	// MaxSearches caps the searches that run at once (0: two per CPU;
	// negative: no cap); more wait their turn, and give up with an
	// EUNAVAILABLE error when their context ends.
	MaxSearches int
	// Version identifies the state of what is searched: the index and its
	// generation, the user dictionary. A result cached under another
	// version is never served. nil: one version.
	Version func() string
}

// Cache answers searches from a Searcher, through its cache and its cap.
// A result from part of the backend (Partial) is never cached; a complete
// one may be served for up to TTL after the backend stops answering fully
// or is changed by another process (what Version does not see). The result
// and hits of a cached answer are shared: callers must not modify them. A
// Cache is safe for concurrent use.
type Cache struct {
	s       Searcher
	version func() string
	lru     *lru
	flights flights
	running chan struct{} // a token per search running now (nil: no cap)
}

// New returns a Cache in front of s.
func New(s Searcher, opts Options) *Cache {
	c := &Cache{s: s, version: opts.Version, lru: newLRU(opts.Bytes)}
	if n := opts.MaxSearches; n >= 0 {
		if n == 0 {
			n = 2 * runtime.GOMAXPROCS(0)
		}
		c.running = make(chan struct{}, n)
	}
	return c
}

// Search answers req from the cache, or searches (waiting for a turn) and
// caches the answer. Errors are the Searcher's, not cached; a search whose
// context ends while it waits is an EUNAVAILABLE error.
func (c *Cache) Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	start := time.Now()
	key := c.key(req)
	if res, ok := c.lru.get(key, start); ok {
		return shared(res, start), nil
	}
	if key == "" {
		return c.search(ctx, req)
	}
	// Identical requests that miss together (a popular query, just after a
	// change) wait for one search instead of each running their own; if
	// that one fails, each runs its own.
	f, leader := c.flights.join(key)
	if !leader {
		select {
		case <-f.done:
			if f.err == nil {
				return shared(f.res, start), nil
			}
		case <-ctx.Done():
			return nil, news.Errorf(news.EUNAVAILABLE, "search cancelled or timed out")
		}
		return c.searchAndKeep(ctx, req, key, start)
	}
	defer c.flights.leave(key, f)
	f.res, f.err = c.searchAndKeep(ctx, req, key, start)
	return f.res, f.err
}

// searchAndKeep searches and caches a result under key, unless it is
// partial: a node of a cluster that was down may be back for the next
// request.
func (c *Cache) searchAndKeep(ctx context.Context, req news.SearchRequest, key string, start time.Time) (*news.SearchResult, error) {
	res, err := c.search(ctx, req)
	if err == nil && !res.Partial {
		c.lru.put(key, res, start)
	}
	return res, err
}

// search runs one search of the Searcher in its turn.
func (c *Cache) search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	if c.running != nil {
		select {
		case c.running <- struct{}{}:
			defer func() { <-c.running }()
		case <-ctx.Done():
			return nil, news.Errorf(news.EUNAVAILABLE, "search cancelled or timed out")
		}
	}
	return c.s.Search(ctx, req)
}

// Held returns the results the cache holds and their estimated bytes.
func (c *Cache) Held() (results int, bytes int64) { return c.lru.held() }

// Waiting counts the requests now waiting for an identical one's search.
func (c *Cache) Waiting() int { return c.flights.waiting() }

// key identifies req at the current version; "" without a cache.
func (c *Cache) key(req news.SearchRequest) string {
	if c.lru == nil {
		return ""
	}
	v := ""
	if c.version != nil {
		v = c.version()
	}
	b, _ := json.Marshal(req)
	return v + "\x00" + string(b)
}

// shared returns a cached result with its own time taken.
func shared(res *news.SearchResult, start time.Time) *news.SearchResult {
	out := *res
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return &out
}

// lru is an LRU cache of search results by key, bounded by the estimated
// bytes of what it holds. A nil lru caches nothing.
type lru struct {
	mu    sync.Mutex
	max   int64 // bytes
	bytes int64 // held now
	ll    *list.List
	m     map[string]*list.Element
}

type entry struct {
	key  string
	res  *news.SearchResult
	at   time.Time
	size int64
}

func newLRU(maxBytes int64) *lru {
	if maxBytes < 0 {
		return nil
	}
	if maxBytes == 0 {
		maxBytes = DefaultBytes
	}
	return &lru{max: maxBytes, ll: list.New(), m: map[string]*list.Element{}}
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

func (c *lru) get(key string, now time.Time) (*news.SearchResult, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*entry)
	if now.Sub(e.at) > TTL {
		c.remove(el)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return e.res, true
}

func (c *lru) put(key string, res *news.SearchResult, now time.Time) {
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
	c.m[key] = c.ll.PushFront(&entry{key, res, now, size})
	c.bytes += size
	for c.bytes > c.max {
		c.remove(c.ll.Back())
	}
}

// remove drops an entry (under c.mu).
func (c *lru) remove(el *list.Element) {
	e := c.ll.Remove(el).(*entry)
	delete(c.m, e.key)
	c.bytes -= e.size
}

// held returns the entries and estimated bytes the cache holds.
func (c *lru) held() (entries int, bytes int64) {
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
	done      chan struct{}
	res       *news.SearchResult
	err       error
	followers int // requests that joined it (under flights.mu)
}

// join returns the flight for key and whether the caller leads it (runs
// the search and then calls leave).
func (fs *flights) join(key string) (*flight, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.m[key]; ok {
		f.followers++
		return f, false
	}
	if fs.m == nil {
		fs.m = map[string]*flight{}
	}
	f := &flight{done: make(chan struct{}), err: errors.New("search did not finish")}
	fs.m[key] = f
	return f, true
}

// leave ends the flight: its result is published to its followers.
func (fs *flights) leave(key string, f *flight) {
	fs.mu.Lock()
	delete(fs.m, key)
	fs.mu.Unlock()
	close(f.done)
}

// waiting counts the followers of the searches running now.
func (fs *flights) waiting() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := 0
	for _, f := range fs.m {
		n += f.followers
	}
	return n
}
