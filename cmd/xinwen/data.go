package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/store"
)

// The data directory's layout.
const (
	storeFile   = "articles.db"
	indexDir    = "index"
	buildingDir = "index.building" // a rebuild in progress
	oldDir      = "index.old"      // the index a finished rebuild replaced
	lastGood    = "userdict.last-good.txt"
	dictVersion = "dict_version" // index internal key
)

// data is an open data directory.
type data struct {
	dir   string
	seg   *segment.Segmenter
	store *store.Store
	index *index.Index
	pipe  *ingest.Pipeline
}

// openData opens (creating if needed) the data directory: dictionaries and
// segmenter, article store, index. It first cleans up after an interrupted
// rebuild. Warnings (a bad user dictionary) go to warn.
func openData(ctx context.Context, dir string, warn io.Writer) (*data, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if err := recoverRebuild(dir); err != nil {
		return nil, err
	}
	seg, err := openSegmenter(dir, warn)
	if err != nil {
		return nil, err
	}
	analysis.SetSegmenter(seg)
	st, err := store.Open(filepath.Join(dir, storeFile))
	if err != nil {
		return nil, err
	}
	ix, err := index.Open(filepath.Join(dir, indexDir), index.Options{Texts: st})
	if err != nil {
		st.Close()
		return nil, err
	}
	d := &data{dir: dir, seg: seg, store: st, index: ix}
	d.pipe = ingest.New(st, func() *index.Index { return d.index }, resolveRegion)
	if v, err := ix.GetInternal(dictVersion); err == nil && v == nil {
		n, _ := ix.Count()
		if n == 0 {
			ix.SetInternal(dictVersion, []byte(seg.Version()))
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

func (d *data) Close() error {
	return errors.Join(d.index.Close(), d.store.Close())
}

// openSegmenter loads the user dictionary. A bad one is reported with its
// file and line, and the last good dictionary is used instead.
func openSegmenter(dir string, warn io.Writer) (*segment.Segmenter, error) {
	dictDir := filepath.Join(dir, "dict")
	entries, err := segment.LoadUserDict(segment.UserDictPath(dir))
	if err != nil {
		fmt.Fprintf(warn, "warning: %s; using the last good user dictionary\n", news.ErrorMessage(err))
		entries, err = segment.LoadUserDict(filepath.Join(dictDir, lastGood))
		if err != nil {
			entries = nil
		}
	} else if err := os.MkdirAll(dictDir, 0o755); err == nil {
		os.WriteFile(filepath.Join(dictDir, lastGood), segment.FormatUserDict(entries), 0o644)
	}
	return segment.New(dictDir, entries)
}

// recoverRebuild finishes or undoes a rebuild that was interrupted: a
// half-built index is removed; if the swap stopped between its two renames,
// the new index (complete by then) is put in place.
func recoverRebuild(dir string) error {
	building := filepath.Join(dir, buildingDir)
	if err := os.RemoveAll(building); err != nil {
		return fmt.Errorf("remove unfinished rebuild: %w", err)
	}
	live, old := filepath.Join(dir, indexDir), filepath.Join(dir, oldDir)
	if _, err := os.Stat(live); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(old); err == nil {
			if err := os.Rename(old, live); err != nil {
				return fmt.Errorf("restore index: %w", err)
			}
		}
	}
	return os.RemoveAll(old)
}

// rebuild builds a new index from the store and swaps it in for the live one.
func (d *data) rebuild(ctx context.Context, progress func(done int)) error {
	building := filepath.Join(d.dir, buildingDir)
	os.RemoveAll(building)
	seq := d.store.Seq()
	ix, err := index.Build(ctx, building, d.store, index.Options{Texts: d.store}, progress)
	if err != nil {
		return err
	}
	if err := ingest.SetWatermark(ix, seq); err != nil {
		ix.Close()
		return err
	}
	if err := ix.SetInternal(dictVersion, []byte(d.seg.Version())); err != nil {
		ix.Close()
		return err
	}
	if err := ix.Close(); err != nil {
		return err
	}
	live, old := filepath.Join(d.dir, indexDir), filepath.Join(d.dir, oldDir)
	if err := d.index.Close(); err != nil {
		return err
	}
	if err := os.Rename(live, old); err != nil {
		return fmt.Errorf("swap index: %w", err)
	}
	if err := os.Rename(building, live); err != nil {
		return fmt.Errorf("swap index: %w", err)
	}
	os.RemoveAll(old)
	d.index, err = index.Open(live, index.Options{Texts: d.store})
	return err
}
