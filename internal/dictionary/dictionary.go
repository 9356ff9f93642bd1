package dictionary

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Manager owns the user dictionary of one data directory. Its methods are
// safe for concurrent use; updates are serialized.
type Manager struct {
	dir string

	mu  sync.Mutex // serializes updates
	cur *segment.Current
}

// Open returns a Manager for the data directory dataDir whose dictionary is
// the one of the segmenter current holds: the process's, which every update
// replaces.
func Open(dataDir string, current *segment.Current) *Manager {
	return &Manager{dir: dataDir, cur: current}
}

// Entries returns a copy of the entries of the current dictionary.
func (m *Manager) Entries() []segment.Entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur.Load().Entries()
}

// Version returns the current dictionary's version (segment.Version).
func (m *Manager) Version() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur.Load().Version()
}

// Segmenter returns the segmenter built with the current dictionary.
func (m *Manager) Segmenter() *segment.Segmenter {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur.Load()
}

// Check validates entries. A bad one is a *news.Error of code EINVALID that
// names it by its position (from 1) and word, e.g. `entry 3 ("坏 词"): …`.
func Check(entries []segment.Entry) error {
	for i, e := range entries {
		if err := e.Validate(); err != nil {
			return news.Errorf(news.EINVALID, "entry %d (%q): %s", i+1, e.Word, news.ErrorMessage(err))
		}
	}
	return nil
}

// Update replaces the dictionary with entries. It validates every entry
// first (see Check; on error nothing changes), keeps the last of entries with
// the same word, builds a new segmenter, saves DATA/userdict.txt and
// DATA/dict/userdict.last-good.txt atomically and stores the new segmenter
// in the Manager's segment.Current. It returns the new segmenter. An error from building or
// saving leaves the dictionary as it was.
func (m *Manager) Update(ctx context.Context, entries []segment.Entry) (*segment.Segmenter, error) {
	if err := Check(entries); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.update(ctx, entries)
}

// Add adds entries to the dictionary, replacing entries with the same word,
// as Update does.
func (m *Manager) Add(ctx context.Context, entries ...segment.Entry) (*segment.Segmenter, error) {
	return m.Edit(ctx, entries, nil)
}

// Remove removes words from the dictionary, as Update does. A word that is
// not in the dictionary is a *news.Error of code ENOTFOUND and nothing
// changes.
func (m *Manager) Remove(ctx context.Context, words ...string) (*segment.Segmenter, error) {
	return m.Edit(ctx, nil, words)
}

// Edit removes words from the dictionary and adds entries in one update: the
// errors of Add and Remove, and nothing changes on error.
func (m *Manager) Edit(ctx context.Context, add []segment.Entry, remove []string) (*segment.Segmenter, error) {
	if err := Check(add); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	gone := make(map[string]bool, len(remove))
	for _, w := range remove {
		gone[key(w)] = true
	}
	var next []segment.Entry
	for _, e := range m.cur.Load().Entries() {
		if k := key(e.Word); gone[k] {
			delete(gone, k)
			continue
		}
		next = append(next, e)
	}
	for _, w := range remove {
		if gone[key(w)] {
			return nil, news.Errorf(news.ENOTFOUND, "word %q is not in the user dictionary", w)
		}
	}
	return m.update(ctx, append(next, add...))
}

// update does Update's work with m.mu held and entries valid.
func (m *Manager) update(ctx context.Context, entries []segment.Entry) (*segment.Segmenter, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entries = dedupe(entries)
	seg := m.cur.Load()
	if segment.Version(entries) != seg.Version() {
		var err error
		if seg, err = segment.New(filepath.Join(m.dir, "dict"), entries); err != nil {
			return nil, fmt.Errorf("build segmenter: %w", err)
		}
	}
	if err := segment.SaveUserDict(m.dir, entries); err != nil {
		return nil, fmt.Errorf("save user dictionary: %w", err)
	}
	m.cur.Store(seg)
	return seg, nil
}

// key is the form of a word jieba sees: two entries with the same key are
// the same word.
func key(word string) string { return textnorm.String(word) }

// dedupe keeps the last entry of each word, at the place of its first.
func dedupe(entries []segment.Entry) []segment.Entry {
	at := make(map[string]int, len(entries))
	out := make([]segment.Entry, 0, len(entries))
	for _, e := range entries {
		k := key(e.Word)
		if i, ok := at[k]; ok {
			out[i] = e
			continue
		}
		at[k] = len(out)
		out = append(out, e)
	}
	return out
}
