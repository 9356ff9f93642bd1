package ingest

import (
	"context"
	"fmt"

	"github.com/xinwen/xinwen/internal/news"
)

// Report is what Check found.
type Report struct {
	Stored   int      `json:"stored"`   // articles in the store
	Indexed  int      `json:"indexed"`  // articles in the index
	Missing  []string `json:"missing"`  // stored but not searchable
	Extra    []string `json:"extra"`    // in the index but not in the store
	Repaired bool     `json:"repaired"` // Missing were indexed and Extra removed
}

// Consistent reports whether the index holds exactly the stored articles.
func (r Report) Consistent() bool { return len(r.Missing) == 0 && len(r.Extra) == 0 }

// Check compares the index with the store, the source of truth: every stored
// article must be indexed and nothing else. With repair, it indexes what is
// missing and removes what is extra. Ingest waits while it runs.
func (p *Pipeline) Check(ctx context.Context, repair bool) (Report, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var r Report
	stored := map[string]bool{}
	err := p.store.Each(ctx, func(a news.Article) error {
		stored[a.ID] = false
		return nil
	})
	if err != nil {
		return r, err
	}
	r.Stored = len(stored)
	ix := p.index()
	err = ix.EachID(ctx, func(id string) error {
		r.Indexed++
		if _, ok := stored[id]; ok {
			stored[id] = true
		} else {
			r.Extra = append(r.Extra, id)
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	for id, seen := range stored {
		if !seen {
			r.Missing = append(r.Missing, id)
		}
	}
	if !repair || r.Consistent() {
		return r, nil
	}
	for start := 0; start < len(r.Missing); start += BatchSize {
		ids := r.Missing[start:min(start+BatchSize, len(r.Missing))]
		got, err := p.store.GetMany(ctx, ids)
		if err != nil {
			return r, err
		}
		arts := make([]news.Article, 0, len(got))
		for _, a := range got {
			arts = append(arts, a)
		}
		if err := ix.Put(ctx, arts); err != nil {
			return r, fmt.Errorf("repair: %w", err)
		}
	}
	if len(r.Extra) > 0 {
		if err := ix.Delete(ctx, r.Extra); err != nil {
			return r, fmt.Errorf("repair: %w", err)
		}
	}
	r.Repaired = true
	return r, nil
}
