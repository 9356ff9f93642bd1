// Package live keeps the index a running Xinwen searches and replaces it,
// without downtime, by one rebuilt from the article store.
//
// The data directory names its live index in the file CURRENT. A rebuild
// builds a new index in a directory of its own beside the live one while
// searches and ingests go on; when it is complete, ingest pauses while the
// new index catches up with articles stored during the rebuild, CURRENT is
// replaced atomically (write a temporary file, rename) and the in-memory
// pointer swapped; the old index is closed once the searches that were using
// it have finished, and removed. A rebuild that fails, is cancelled or is
// killed leaves CURRENT and the old index untouched; Open removes whatever
// it left behind. Bleve indexes are never renamed while open: scorch keeps
// writing to the path it was opened with.
//
// live composes the index, the store and the ingest pipeline; cmd wires it.
package live

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
)

// currentFile names the live index directory inside the data directory.
const currentFile = "CURRENT"

// defaultName is the live index of a data directory without CURRENT.
const defaultName = "index"

// DictVersionKey is the index internal key recording which user-dictionary
// version built the index.
const DictVersionKey = "dict_version"

// Index is the live index. It is safe for concurrent use.
type Index struct {
	dir   string
	store *store.Store
	opts  index.Options

	mu   sync.RWMutex // held for reading by every search; for writing by a swap
	cur  *index.Index
	name string
	sug  *index.Suggester

	pipe *ingest.Pipeline
	jobs jobs
}

// Open opens the live index of data directory dir (creating one if there is
// none) and removes index directories left by interrupted rebuilds. region
// is passed to the ingest pipeline.
func Open(dir string, st *store.Store, opts index.Options, region func(*news.Article, string)) (*Index, error) {
	name := defaultName
	if b, err := os.ReadFile(filepath.Join(dir, currentFile)); err == nil {
		if n := strings.TrimSpace(string(b)); n != "" && !strings.ContainsAny(n, `/\`) {
			name = n
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", currentFile, err)
	}
	if err := removeStale(dir, name); err != nil {
		return nil, err
	}
	opts.Texts = st
	ix, err := index.Open(filepath.Join(dir, name), opts)
	if err != nil {
		return nil, err
	}
	if opts.Shards == 0 {
		opts.Shards = ix.Shards() // rebuilds keep the layout unless told otherwise
	}
	l := &Index{dir: dir, store: st, opts: opts, cur: ix, name: name}
	l.sug = index.NewSuggester(ix, 0)
	l.pipe = ingest.New(st, func() news.Backend { return l.current() }, region)
	return l, nil
}

// removeStale removes index directories other than the live one: builds that
// never finished and indexes that a finished rebuild replaced.
func removeStale(dir, live string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() || n == live || !strings.HasPrefix(n, "index") {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
			return fmt.Errorf("remove stale index %s: %w", n, err)
		}
	}
	return nil
}

// current returns the live index, for the pipeline (which never runs during
// a swap).
func (l *Index) current() *index.Index {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur
}

// Pipeline returns the ingest pipeline that writes to the live index.
func (l *Index) Pipeline() *ingest.Pipeline { return l.pipe }

// Close closes the live index, cancelling a running rebuild first.
func (l *Index) Close() error {
	l.jobs.cancelAll()
	l.jobs.wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur.Close()
}

// Search searches the live index.
func (l *Index) Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.Search(ctx, req)
}

// Related finds articles like a in the live index.
func (l *Index) Related(ctx context.Context, a news.Article, n int) ([]news.Hit, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.Related(ctx, a, n)
}

// Suggest completes a partly typed query from the live index.
func (l *Index) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.sug.Suggest(ctx, prefix, n)
}

// RefreshSuggestions builds the suggestion lists now rather than at the first
// keystroke.
func (l *Index) RefreshSuggestions(ctx context.Context) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.sug.Refresh(ctx)
}

// Optimize merges the live index into one segment (see index.Optimize).
func (l *Index) Optimize(ctx context.Context) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.Optimize(ctx)
}

// Count returns the number of articles in the live index.
func (l *Index) Count() (uint64, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.Count()
}

// DictVersion returns the user-dictionary version that built the live index
// ("" if it was never recorded).
func (l *Index) DictVersion() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	v, _ := l.cur.GetInternal(DictVersionKey)
	return string(v)
}

// SetDictVersion records the dictionary version of the live index; for a
// new, empty index.
func (l *Index) SetDictVersion(v string) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.SetInternal(DictVersionKey, []byte(v))
}

// rebuild builds a new index from the store and swaps it in. progress is
// called with the articles done so far.
func (l *Index) rebuild(ctx context.Context, dictVersion string, progress func(done int)) error {
	name := fmt.Sprintf("index-%d", time.Now().UnixNano())
	path := filepath.Join(l.dir, name)
	since := l.store.Seq()
	ix, err := index.Build(ctx, path, l.store, l.opts, progress)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		ix.Close()
		os.RemoveAll(path)
		return err
	}
	if err := ix.SetInternal(DictVersionKey, []byte(dictVersion)); err != nil {
		return fail(err)
	}
	var old *index.Index
	var oldName string
	sug := index.NewSuggester(ix, 0)
	err = l.pipe.Swap(ctx, ix, since, func() error {
		if err := writeCurrent(l.dir, name); err != nil {
			return err
		}
		l.mu.Lock() // waits for searches on the old index to finish
		old, oldName = l.cur, l.name
		l.cur, l.name, l.sug = ix, name, sug
		l.mu.Unlock()
		return nil
	})
	if err != nil {
		return fail(err)
	}
	go sug.Refresh(context.Background())
	if err := old.Close(); err != nil {
		return fmt.Errorf("close the replaced index: %w", err)
	}
	return os.RemoveAll(filepath.Join(l.dir, oldName))
}

// writeCurrent replaces CURRENT atomically and makes the rename durable.
func writeCurrent(dir, name string) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(name + "\n"); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, currentFile)); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
