package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// EachID calls fn with the ID of every indexed article, in ID order, reading
// pages of a thousand with search-after.
func (ix *Index) EachID(ctx context.Context, fn func(id string) error) error {
	var after []string
	for {
		sr := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 1000, 0, false)
		sr.SortBy([]string{"_id"})
		if after != nil {
			sr.SearchAfter = after
		}
		res, err := ix.bleveSearch(ctx, sr)
		if err != nil {
			return fmt.Errorf("list index IDs: %w", err)
		}
		for _, h := range res.Hits {
			if err := fn(h.ID); err != nil {
				return err
			}
		}
		if len(res.Hits) < 1000 {
			return nil
		}
		after = res.Hits[len(res.Hits)-1].Sort
	}
}
