package index

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/xinwen/xinwen/internal/news"
)

// Source is where a rebuild reads articles from: the article store.
type Source interface {
	Each(ctx context.Context, fn func(news.Article) error) error
}

// Build indexes every article of src into a new index at path, which must
// not exist, and returns it open. progress, if not nil, is called after each
// batch with the number of articles indexed so far. On error or cancellation
// the partial index is removed.
func Build(ctx context.Context, path string, src Source, opts Options, progress func(done int)) (*Index, error) {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("build index: %s already exists", path)
	}
	ix, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			ix.Close()
			os.RemoveAll(path)
		}
	}()
	batch := make([]news.Article, 0, BatchSize)
	done := 0
	flush := func() error {
		if err := ix.Put(ctx, batch); err != nil {
			return err
		}
		done += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(done)
		}
		return nil
	}
	err = src.Each(ctx, func(a news.Article) error {
		batch = append(batch, a)
		if len(batch) == BatchSize {
			return flush()
		}
		return ctx.Err()
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err == nil {
		err = ix.Optimize(ctx) // one segment: every search looks in each
	}
	if err != nil {
		return nil, fmt.Errorf("build index: %w", err)
	}
	ok = true
	return ix, nil
}
