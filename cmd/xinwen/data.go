package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/cache"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/live"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/store"
)

// The data directory's layout (the live package adds CURRENT and the index
// directories).
const (
	storeFile = "articles.db"
)

// data is an open data directory.
type data struct {
	dir string
	// seg holds the process's segmenter: a dictionary change stores a new
	// one, which query parsing, ranking and the index's tokenizers load.
	seg   *segment.Current
	store *store.Store
	live  *live.Service
	pipe  *ingest.Pipeline
}

// openData opens (creating if needed) the data directory: dictionaries and
// segmenter, article store, live index (cleaning up after an interrupted
// rebuild), and catches the index up with the store. Warnings (a bad user
// dictionary) go to warn.
func openData(ctx context.Context, dir string, warn io.Writer) (*data, error) {
	return openDataWith(ctx, dir, warn, index.Options{})
}

// openDataWith is openData with index options (serve's caps).
func openDataWith(ctx context.Context, dir string, warn io.Writer, opts index.Options) (*data, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	seg, err := segment.Open(dir, func(err error) {
		fmt.Fprintf(warn, "warning: %s; using the last good user dictionary\n", news.ErrorMessage(err))
	})
	if err != nil {
		return nil, err
	}
	cur := segment.NewCurrent(seg)
	opts.Segmenter = cur
	st, err := store.Open(filepath.Join(dir, storeFile))
	if err != nil {
		return nil, err
	}
	lv, err := live.Open(dir, st, live.Options{
		Index:  opts,
		Region: resolveRegion,
		Warn:   func(err error) { fmt.Fprintf(warn, "warning: %v\n", err) },
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	d := &data{dir: dir, seg: cur, store: st, live: lv, pipe: lv.Pipeline()}
	if lv.DictVersion() == "" {
		// A new index is built with the dictionary of now; one that holds
		// articles and never recorded its dictionary stays unknown (a
		// rebuild records it).
		n, err := lv.Count()
		if err == nil && n == 0 {
			err = lv.SetDictVersion(seg.Version())
		}
		if err != nil {
			d.Close()
			return nil, fmt.Errorf("record the index's dictionary: %w", err)
		}
	}
	// Index whatever the store acknowledged but an interrupted run did not
	// index.
	n, err := d.pipe.CatchUp(ctx)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("catch up the index with the store: %w", err)
	}
	if n > 0 {
		fmt.Fprintf(warn, "indexed %d articles stored by an interrupted run\n", n)
	}
	return d, nil
}

// cached puts the result cache in front of s, whose changes gen counts: a
// result is stale once gen or the user dictionary (which cuts queries
// differently) changes.
func (d *data) cached(s cache.Searcher, gen func() string) *cache.Cache {
	return cache.New(s, cache.Options{Version: func() string { return gen() + "/" + d.seg.Version() }})
}

func (d *data) Close() error {
	return errors.Join(d.live.Close(), d.store.Close())
}
