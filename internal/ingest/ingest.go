package ingest

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
)

// watermarkKey is the index's record of the store sequence it has indexed.
const watermarkKey = "store_seq"

// BatchSize is how many articles are stored and indexed together.
const BatchSize = 500

// Pipeline stores and indexes articles. It is safe for concurrent use:
// batches are applied one at a time, so the index's watermark only moves
// past changes that are indexed.
type Pipeline struct {
	store  *store.Store
	index  func() news.Backend
	region func(a *news.Article, hint string)
	mu     sync.Mutex
}

// New returns a pipeline over a store and the index that current returns
// (the live one: a reindex may swap it): the embedded Bleve index or a
// cluster backend. region, if not nil, sets an article's region from its
// text and the record's hint.
func New(st *store.Store, current func() news.Backend, region func(*news.Article, string)) *Pipeline {
	return &Pipeline{store: st, index: current, region: region}
}

// Put stores and indexes recs and returns one outcome per record, in order.
// Failed records (those with Err) are reported, not stored. An error means
// the batch could not be stored or indexed; records stored before it stay
// stored and are indexed by the next CatchUp.
func (p *Pipeline) Put(ctx context.Context, recs []extract.Record) ([]news.IngestOutcome, error) {
	out := make([]news.IngestOutcome, len(recs))
	var arts []news.Article
	var pos []int
	for i, r := range recs {
		out[i] = news.IngestOutcome{ID: r.Article.ID, File: r.File, Line: r.Line}
		if r.Err != nil {
			out[i].Status = news.OutcomeFailed
			out[i].Error = news.ErrorMessage(r.Err)
			continue
		}
		a := r.Article
		if p.region != nil && a.Region.IsZero() {
			p.region(&a, r.RegionHint)
		}
		arts = append(arts, a)
		pos = append(pos, i)
	}
	for start := 0; start < len(arts); start += BatchSize {
		end := min(start+BatchSize, len(arts))
		res, err := p.put(ctx, arts[start:end])
		if err != nil {
			return out, err
		}
		for k, r := range res {
			o := &out[pos[start+k]]
			o.ID, o.DuplicateOf = r.ID, r.DuplicateOf
			switch r.Outcome {
			case store.Added:
				o.Status = news.OutcomeAdded
			case store.Updated:
				o.Status = news.OutcomeUpdated
			case store.Unchanged:
				o.Status = news.OutcomeUnchanged
			case store.Duplicate:
				o.Status = news.OutcomeDuplicate
			}
		}
	}
	return out, nil
}

func (p *Pipeline) put(ctx context.Context, arts []news.Article) ([]store.PutResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// Whatever an earlier, interrupted batch stored but did not index goes
	// first, so that the watermark never skips a change.
	if err := p.catchUp(ctx); err != nil {
		return nil, err
	}
	res, err := p.store.Put(ctx, arts)
	if err != nil {
		return nil, err
	}
	changed := make([]news.Article, 0, len(arts))
	for i, r := range res {
		if r.Outcome == store.Unchanged {
			continue
		}
		a := arts[i]
		a.DuplicateOf = r.DuplicateOf
		changed = append(changed, a)
	}
	ix := p.index()
	if err := ix.Put(ctx, changed); err != nil {
		return nil, fmt.Errorf("index articles: %w", err)
	}
	return res, SetWatermark(ix, p.store.Seq())
}

// Delete removes an article from the store and the index. ENOTFOUND if the
// store does not have it.
func (p *Pipeline) Delete(ctx context.Context, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.store.Delete(ctx, id); err != nil {
		return err
	}
	ix := p.index()
	if err := ix.Delete(ctx, []string{id}); err != nil {
		return err
	}
	return SetWatermark(ix, p.store.Seq())
}

// CatchUp indexes every change the store has made since the index's
// watermark (after a crash between storing and indexing, or for an index
// that was removed) and returns how many articles it touched.
func (p *Pipeline) CatchUp(ctx context.Context) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	err := p.catchUpCount(ctx, &n)
	return n, err
}

func (p *Pipeline) catchUp(ctx context.Context) error {
	var n int
	return p.catchUpCount(ctx, &n)
}

func (p *Pipeline) catchUpCount(ctx context.Context, n *int) error {
	return p.catchUpIndex(ctx, p.index(), n)
}

// Swap makes next, an index rebuilt from the store as of sequence since,
// the one articles go to: with ingest paused, it indexes into next what the
// store changed after since (articles ingested during the rebuild), then
// calls swap, which must make next current. No ingest runs between the
// catch-up and the swap, so no article is lost or left out.
func (p *Pipeline) Swap(ctx context.Context, next news.Backend, since uint64, swap func() error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := SetWatermark(next, since); err != nil {
		return err
	}
	var n int
	if err := p.catchUpIndex(ctx, next, &n); err != nil {
		return err
	}
	return swap()
}

func (p *Pipeline) catchUpIndex(ctx context.Context, ix news.Backend, n *int) error {
	since, err := Watermark(ix)
	if err != nil {
		return err
	}
	if since >= p.store.Seq() {
		return nil
	}
	var put, del []string
	last := since
	err = p.store.Changes(ctx, since, func(seq uint64, id string, deleted bool) error {
		if deleted {
			del = append(del, id)
		} else {
			put = append(put, id)
		}
		last = seq
		return nil
	})
	if err != nil {
		return err
	}
	for start := 0; start < len(put); start += BatchSize {
		ids := put[start:min(start+BatchSize, len(put))]
		got, err := p.store.GetMany(ctx, ids)
		if err != nil {
			return err
		}
		arts := make([]news.Article, 0, len(got))
		for _, id := range ids {
			if a, ok := got[id]; ok {
				arts = append(arts, a)
			}
		}
		if err := ix.Put(ctx, arts); err != nil {
			return err
		}
	}
	if len(del) > 0 {
		if err := ix.Delete(ctx, del); err != nil {
			return err
		}
	}
	*n += len(put) + len(del)
	return SetWatermark(ix, last)
}

// Reindex rebuilds the current index in place: it clears it and indexes
// every stored article again, with ingest paused, and returns how many
// articles it indexed. It is for backends that cannot build a new index
// beside the live one (a cluster); searches meanwhile see a partial index.
func (p *Pipeline) Reindex(ctx context.Context) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	ix := p.index()
	if err := ix.Clear(ctx); err != nil {
		return 0, fmt.Errorf("clear the index: %w", err)
	}
	if err := SetWatermark(ix, 0); err != nil {
		return 0, err
	}
	n := 0
	err := p.catchUpIndex(ctx, ix, &n)
	return n, err
}

// Watermark returns the store sequence ix has indexed up to.
func Watermark(ix news.Backend) (uint64, error) {
	v, err := ix.GetInternal(watermarkKey)
	if err != nil || v == nil {
		return 0, err
	}
	n, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("index watermark %q: %w", v, err)
	}
	return n, nil
}

// SetWatermark records that ix has indexed the store up to seq (after a
// rebuild from the store).
func SetWatermark(ix news.Backend, seq uint64) error {
	return ix.SetInternal(watermarkKey, []byte(strconv.FormatUint(seq, 10)))
}
