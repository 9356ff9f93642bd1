package bench

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

// A Source streams articles to fn in batches of at most index.BatchSize,
// in the same order every time it is called. fn must not keep the slice.
type Source func(ctx context.Context, fn func([]news.Article) error) error

// Prepare completes an article read from a file before it is indexed, as
// ingest would (cmd sets the region from the gazetteer); hint is the
// record's region metadata. It must be deterministic.
type Prepare func(a *news.Article, hint string)

// Slice is a Source of arts.
func Slice(arts []news.Article) Source {
	return func(ctx context.Context, fn func([]news.Article) error) error {
		for i := 0; i < len(arts); i += index.BatchSize {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(arts[i:min(i+index.BatchSize, len(arts))]); err != nil {
				return err
			}
		}
		return nil
	}
}

// Files is a Source of the articles in paths (anything extract.Walk reads),
// completed by prepare (nil: as read). Records that cannot be read are
// skipped.
func Files(paths []string, prepare Prepare) Source {
	return Replicate(paths, 0, prepare)
}

// Replicate is a Source of n articles made from the articles in paths,
// read again as often as needed: the first pass as read, pass k (k ≥ 1)
// with "~k" appended to every ID and every date moved back k years. n ≤ 0
// means one pass. Reading the files again instead of keeping them keeps the
// heap of a million-article run to one batch.
//
// The copies share their text, so the vocabulary does not grow with n as a
// real archive's would: term dictionaries grow more slowly than postings.
func Replicate(paths []string, n int, prepare Prepare) Source {
	return func(ctx context.Context, fn func([]news.Article) error) error {
		batch := make([]news.Article, 0, index.BatchSize)
		sent := 0
		errEnough := errors.New("enough")
		for pass := 0; n <= 0 && pass == 0 || n > 0 && sent < n; pass++ {
			got := 0
			err := extract.Walk(ctx, paths, func(r extract.Record) error {
				if r.Err != nil {
					return nil
				}
				got++
				a := r.Article
				if prepare != nil {
					prepare(&a, r.RegionHint)
				}
				if pass > 0 {
					a.ID += "~" + strconv.Itoa(pass)
					if a.DuplicateOf != "" {
						a.DuplicateOf += "~" + strconv.Itoa(pass)
					}
					if !a.PublishedAt.IsZero() {
						a.PublishedAt = a.PublishedAt.AddDate(-pass, 0, 0)
					}
				}
				batch = append(batch, a)
				sent++
				if len(batch) == cap(batch) {
					if err := fn(batch); err != nil {
						return err
					}
					batch = batch[:0]
				}
				if n > 0 && sent >= n {
					return errEnough
				}
				return nil
			})
			if err != nil && err != errEnough {
				return err
			}
			if got == 0 {
				return fmt.Errorf("no articles in %v", paths)
			}
		}
		if len(batch) > 0 {
			return fn(batch)
		}
		return nil
	}
}
