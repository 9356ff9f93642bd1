package searcher

import (
	"context"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// DocSet is a set of articles by ID, given to an Only query and to the gram
// phrases under it. Each index reader (a shard's, a segment snapshot's)
// numbers articles its own way: the set is resolved to a reader's sorted
// internal numbers once per reader. A DocSet is safe for concurrent use
// (the shards of an index are searched in parallel).
type DocSet struct {
	ids []string

	mu   sync.Mutex
	nums map[bindex.IndexReader][]uint64
}

// NewDocSet returns the set of the articles ids.
func NewDocSet(ids []string) *DocSet {
	return &DocSet{ids: ids, nums: map[bindex.IndexReader][]uint64{}}
}

// in returns the internal numbers, sorted, of the set's articles that r
// holds.
func (s *DocSet) in(r bindex.IndexReader) ([]uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if nums, ok := s.nums[r]; ok {
		return nums, nil
	}
	nums := make([]uint64, 0, len(s.ids))
	for _, id := range s.ids {
		n, err := r.InternalID(id)
		if err != nil {
			return nil, err
		}
		if n != nil {
			nums = append(nums, n.Value())
		}
	}
	slices.Sort(nums)
	s.nums[r] = nums
	return nums, nil
}

// docNums is a DocSet resolved for one reader.
type docNums []uint64

// from returns the smallest number of the set at or after n.
func (s docNums) from(n uint64) (uint64, bool) {
	i, _ := slices.BinarySearch(s, n)
	if i == len(s) {
		return 0, false
	}
	return s[i], true
}

// Only matches what inner matches among the articles of a DocSet, asking
// inner for those articles only (Advance, never Next). Build the gram
// phrases inside inner with the same set (GramPhrase.Only): a parent's
// look-ahead (Bleve's conjunctions and disjunctions read one match ahead)
// then skips to the next of the set instead of walking through every
// article between.
type Only struct {
	set   *DocSet
	inner query.Query
}

// NewOnly returns the query of inner's matches among set.
func NewOnly(set *DocSet, inner query.Query) *Only { return &Only{set: set, inner: inner} }

// Searcher implements query.Query.
func (q *Only) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	nums, err := q.set.in(r)
	if err != nil {
		return nil, err
	}
	inner, err := q.inner.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	return &onlySearcher{inner: inner, nums: nums}, nil
}

// onlySearcher is the searcher of Only.
type onlySearcher struct {
	inner search.Searcher
	nums  docNums
	next  int                    // index in nums of the next article to ask for
	id    bindex.IndexInternalID // scratch
}

// Next implements search.Searcher.
func (s *onlySearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for s.next < len(s.nums) {
		want := s.nums[s.next]
		s.next++
		s.id = bindex.NewIndexInternalID(s.id, want)
		d, err := s.inner.Advance(ctx, s.id)
		if err != nil || d == nil {
			s.next = len(s.nums)
			return nil, err
		}
		got := d.IndexInternalID.Value()
		if got == want {
			return d, nil
		}
		ctx.DocumentMatchPool.Put(d)
		// inner has nothing before got: skip the articles before it.
		i, _ := slices.BinarySearch(s.nums, got)
		s.next = max(s.next, i)
	}
	return nil, nil
}

// Advance implements search.Searcher, moving forward only: Only is the top
// of its search, where the collector only calls Next.
func (s *onlySearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	i, _ := slices.BinarySearch(s.nums, id.Value())
	s.next = max(s.next, i)
	return s.Next(ctx)
}

// Close implements search.Searcher.
func (s *onlySearcher) Close() error { return s.inner.Close() }

// Weight implements search.Searcher.
func (s *onlySearcher) Weight() float64 { return s.inner.Weight() }

// SetQueryNorm implements search.Searcher.
func (s *onlySearcher) SetQueryNorm(n float64) { s.inner.SetQueryNorm(n) }

// Count implements search.Searcher.
func (s *onlySearcher) Count() uint64 { return uint64(len(s.nums)) }

// Min implements search.Searcher.
func (s *onlySearcher) Min() int { return 0 }

// Size implements search.Searcher (an estimate of its memory).
func (s *onlySearcher) Size() int { return 64 + 8*cap(s.nums) + len(s.id) + s.inner.Size() }

// DocumentMatchPoolSize implements search.Searcher.
func (s *onlySearcher) DocumentMatchPoolSize() int { return s.inner.DocumentMatchPoolSize() + 1 }
