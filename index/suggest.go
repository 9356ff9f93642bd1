package index

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/xinwen/xinwen/internal/suggest"
)

// The index is a suggest.Source: the term dictionaries of the title and
// body words fields, and the newest titles by publication time.
var _ suggest.Source = (*Index)(nil)

// SuggestVersion implements suggest.Source: the number of batches the
// index's shards have applied (every Put and Delete is a batch) and its
// document count.
func (ix *Index) SuggestVersion() suggest.Version {
	var v suggest.Version
	v.Docs, _ = ix.docCount()
	for _, b := range ix.shards {
		if adv, err := b.Advanced(); err == nil {
			if sc, ok := adv.(*scorch.Scorch); ok {
				if st, ok := sc.Stats().(*scorch.Stats); ok {
					v.Changes += atomic.LoadUint64(&st.TotBatches)
				}
			}
		}
	}
	return v
}

// SuggestWords implements suggest.Source: every term of the title and of
// the body words fields, with the number of articles that hold it.
func (ix *Index) SuggestWords(ctx context.Context, title, body func(string, int)) error {
	if err := ix.dictCounts(ctx, fTitle, title); err != nil {
		return err
	}
	return ix.dictCounts(ctx, fBody, body)
}

// dictCounts calls fn with every term of field and the number of articles
// that contain it, over every shard. It reads each segment's dictionary and
// looks every term's postings up afresh: the counts of zap's dictionary
// iterator (and so of Bleve's FieldDict) go wrong after the first term that
// a single article has, because it reuses one postings list without
// clearing its one-hit marker (zapx v16 and v17), and every later term
// then counts 1. That happens as soon as segments merge, and made the
// suggestions of a merged index alphabetical instead of most used first.
func (ix *Index) dictCounts(ctx context.Context, field string, fn func(term string, n int)) error {
	counts := map[string]int{}
	err := ix.eachReader(func(r bindex.IndexReader) error {
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			return fmt.Errorf("dictionary of %s: not a scorch index", field)
		}
		return segmentCounts(ctx, snap, field, counts)
	})
	if err != nil {
		return err
	}
	for t, n := range counts {
		fn(t, n)
	}
	return nil
}

// omitCounter is a zap dictionary that lists its terms without reading their
// postings.
type omitCounter interface {
	AutomatonIteratorOmitCount(a segment.Automaton, startKeyInclusive, endKeyExclusive []byte) segment.DictionaryIterator
}

// segmentCounts adds to counts the live articles of each term of field in
// every segment of snap. It returns ctx's error if ctx ends first.
func segmentCounts(ctx context.Context, snap *scorch.IndexSnapshot, field string, counts map[string]int) error {
	for _, ss := range snap.Segments() {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return err
		}
		it := dict.AutomatonIterator(nil, nil, nil)
		if oc, ok := dict.(omitCounter); ok {
			it = oc.AutomatonIteratorOmitCount(nil, nil, nil) // the counts it would read are not used
		}
		for n := 0; ; n++ {
			if n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			e, err := it.Next()
			if err != nil {
				return err
			}
			if e == nil {
				break
			}
			pl, err := dict.PostingsList([]byte(e.Term), ss.Deleted(), nil) // nil: a fresh list, see dictCounts
			if err != nil {
				return err
			}
			if n := pl.Count(); n > 0 {
				counts[e.Term] += int(n)
			}
		}
	}
	return nil
}

// NewestTitles implements suggest.Source: the titles of the newest n
// articles, newest first.
func (ix *Index) NewestTitles(ctx context.Context, n int) ([]string, error) {
	count, err := ix.docCount()
	if err != nil {
		return nil, err
	}
	size := min(int(count), n)
	if size == 0 {
		return nil, nil
	}
	sr := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), size, 0, false)
	sr.Fields = []string{fTitle}
	sr.SortBy(ix.byDate)
	res, err := ix.bleveSearch(ctx, sr)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		if t, ok := h.Fields[fTitle].(string); ok {
			out = append(out, t)
		}
	}
	return out, nil
}
