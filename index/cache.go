package index

import (
	"container/list"
	"encoding/json"
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
