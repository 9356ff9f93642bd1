package live

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
	"github.com/xinwen/xinwen/internal/suggest"
)

// currentFile names the live index directory inside the data directory.
const currentFile = "CURRENT"

// defaultName is the live index of a data directory without CURRENT.
const defaultName = "index"

// DictVersionKey is the index internal key recording which user-dictionary
// version built the index.
const DictVersionKey = "dict_version"

// Options configure the Service.
type Options struct {
	// Index configures the index, and every index a rebuild makes; its
	// Segmenter is required.
	Index index.Options
	// Region, if not nil, sets an article's region from its text and the
	// record's hint (see ingest.New).
	Region func(*news.Article, string)
	// Warn, if not nil, is told what failed in the background (a rebuild of
	// the suggestions; see suggest.Options.OnError).
	Warn func(error)
}

// Service keeps the live index: it searches it, writes to it through its
// ingest pipeline and replaces it by a rebuilt one. It is safe for
// concurrent use.
type Service struct {
	dir   string
	store *store.Store
	opts  Options

	mu   sync.RWMutex // held for reading by every search; for writing by a swap
	cur  *index.Index
	name string
	sug  *suggest.Suggester // of cur: closed before cur is

	pipe *ingest.Pipeline
	jobs jobs
}

// Open opens the live index of data directory dir (creating one if there is
// none) and removes index directories left by interrupted rebuilds.
func Open(dir string, st *store.Store, opts Options) (*Service, error) {
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
	opts.Index.Texts = st
	ix, err := index.Open(filepath.Join(dir, name), opts.Index)
	if err != nil {
		return nil, err
	}
	if opts.Index.Shards == 0 {
		opts.Index.Shards = ix.Shards() // rebuilds keep the layout unless told otherwise
	}
	l := &Service{dir: dir, store: st, opts: opts, cur: ix, name: name}
	l.sug = l.suggester(ix)
	l.pipe = ingest.New(st, func() news.Backend { return l.current() }, opts.Region)
	return l, nil
}

// suggester returns the suggestions of ix.
func (l *Service) suggester(ix *index.Index) *suggest.Suggester {
	return suggest.New(ix, suggest.Options{Segmenter: l.opts.Index.Segmenter, OnError: l.opts.Warn})
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
func (l *Service) current() *index.Index {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur
}

// Pipeline returns the ingest pipeline that writes to the live index.
func (l *Service) Pipeline() *ingest.Pipeline { return l.pipe }

// Close closes the live index, cancelling a running rebuild first and
// stopping the suggestions' background work before the index it reads.
func (l *Service) Close() error {
	l.jobs.cancelAll()
	l.jobs.wait()
	l.mu.RLock()
	sug := l.sug
	l.mu.RUnlock()
	sug.Close() // ends a refresh in progress, which holds l.mu for reading
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sug.Close() // the same, unless a rebuild swapped them meanwhile
	return l.cur.Close()
}

// Search searches the live index.
func (l *Service) Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.Search(ctx, req)
}

// Related finds articles like a in the live index.
func (l *Service) Related(ctx context.Context, a news.Article, n int) ([]news.Hit, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.Related(ctx, a, n)
}

// Suggest completes a partly typed query from the live index.
func (l *Service) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.sug.Suggest(ctx, prefix, n)
}

// RefreshSuggestions builds the suggestion lists now rather than at the first
// keystroke.
func (l *Service) RefreshSuggestions(ctx context.Context) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.sug.Refresh(ctx)
}

// WarmSuggestions starts building the suggestion lists in the background;
// what fails goes to Options.Warn. Close (or a swap) stops it.
func (l *Service) WarmSuggestions() {
	l.mu.RLock()
	defer l.mu.RUnlock()
	l.sug.RefreshInBackground()
}

// Generation identifies the state of the live index: which index is live
// and the changes applied to it (index.Index.Generation). A search result
// is stale once it changes.
func (l *Service) Generation() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.name + "/" + strconv.FormatUint(l.cur.Generation(), 10)
}

// Optimize merges the live index into one segment (see index.Optimize).
func (l *Service) Optimize(ctx context.Context) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.Optimize(ctx)
}

// Count returns the number of articles in the live index.
func (l *Service) Count() (uint64, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.Count()
}

// DictVersion returns the user-dictionary version that built the live index
// ("" if it was never recorded).
func (l *Service) DictVersion() string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	v, _ := l.cur.GetInternal(DictVersionKey)
	return string(v)
}

// SetDictVersion records the dictionary version of the live index; for a
// new, empty index.
func (l *Service) SetDictVersion(v string) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur.SetInternal(DictVersionKey, []byte(v))
}

// rebuild builds a new index from the store and swaps it in. progress is
// called with the articles done so far.
func (l *Service) rebuild(ctx context.Context, dictVersion string, progress func(done int)) error {
	name := fmt.Sprintf("index-%d", time.Now().UnixNano())
	path := filepath.Join(l.dir, name)
	since := l.store.Seq()
	ix, err := index.Build(ctx, path, l.store, l.opts.Index, progress)
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
	var (
		old     *index.Index
		oldName string
		oldSug  *suggest.Suggester
	)
	sug := l.suggester(ix)
	err = l.pipe.Swap(ctx, ix, since, func() error {
		if err := writeCurrent(l.dir, name); err != nil {
			return err
		}
		l.mu.Lock() // waits for searches on the old index to finish
		old, oldName, oldSug = l.cur, l.name, l.sug
		l.cur, l.name, l.sug = ix, name, sug
		l.mu.Unlock()
		return nil
	})
	if err != nil {
		sug.Close()
		return fail(err)
	}
	sug.RefreshInBackground()
	oldSug.Close() // its background work reads the old index
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
