package index

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
)

// A sharded index is a directory with a shardsFile naming the number of
// shards, and shard-0 … shard-N-1, each a Bleve index with the same mapping.
// An article lives in the shard its ID hashes to (shardOf). Searches go to
// every shard at once through a Bleve index alias, which merges hits, totals
// and facets: on a machine with a core per shard, a search over a million
// articles takes about half the time (see BENCHMARKS.md). Each shard
// scores with its own statistics (document frequencies and field lengths),
// as Elasticsearch does by default; with articles spread by a hash, they
// differ little from the whole index's. An index without a shardsFile is
// one Bleve index at the directory itself, as every index before sharding.
const shardsFile = "xinwen-shards"

// MaxShards caps Options.Shards.
const MaxShards = 64

// shardDir is the directory of shard k of the sharded index at path.
func shardDir(path string, k int) string { return filepath.Join(path, "shard-"+strconv.Itoa(k)) }

// shardOf is the shard of the article with ID id among n: FNV-1a of the ID,
// mixed by MurmurHash3's finalizer (FNV's low bits alone follow the parity
// of the ID's bytes, a poor split into two). Indexes on disk depend on it:
// it must never change.
func shardOf(id string, n int) int {
	if n <= 1 {
		return 0
	}
	f := fnv.New64a()
	f.Write([]byte(id))
	h := f.Sum64()
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return int(h % uint64(n))
}

// createBleve creates the Bleve indexes of a new index at path: one at path
// itself, or n shards under it.
func createBleve(path string, a Analysis, n int) ([]bleve.Index, error) {
	if n <= 1 {
		b, err := bleve.NewUsing(path, NewMapping(a), scorch.Name, scorch.Name, nil)
		if err != nil {
			return nil, err
		}
		return []bleve.Index{b}, nil
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, err
	}
	var out []bleve.Index
	for k := range n {
		b, err := bleve.NewUsing(shardDir(path, k), NewMapping(a), scorch.Name, scorch.Name, nil)
		if err != nil {
			closeAll(out)
			return nil, err
		}
		out = append(out, b)
	}
	// Written last: a directory without it, left by a crash, is not taken
	// for a complete index (Open then fails on it rather than guessing).
	if err := os.WriteFile(filepath.Join(path, shardsFile), []byte(strconv.Itoa(n)+"\n"), 0o644); err != nil {
		closeAll(out)
		return nil, err
	}
	return out, nil
}

// openBleve opens the Bleve indexes of the existing index at path.
func openBleve(path string) ([]bleve.Index, error) {
	data, err := os.ReadFile(filepath.Join(path, shardsFile))
	if errors.Is(err, os.ErrNotExist) {
		b, err := bleve.OpenUsing(path, nil)
		if err != nil {
			return nil, err
		}
		return []bleve.Index{b}, nil
	}
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || n < 2 || n > MaxShards {
		return nil, fmt.Errorf("%s: %q is not a number of shards from 2 to %d", filepath.Join(path, shardsFile), strings.TrimSpace(string(data)), MaxShards)
	}
	var out []bleve.Index
	for k := range n {
		b, err := bleve.OpenUsing(shardDir(path, k), nil)
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("shard %d: %w", k, err)
		}
		out = append(out, b)
	}
	return out, nil
}

func closeAll(bs []bleve.Index) error {
	var first error
	for _, b := range bs {
		if err := b.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Shards returns the number of Bleve indexes the index is split into (1 if
// it is not sharded).
func (ix *Index) Shards() int { return len(ix.shards) }

// fieldDict returns the terms of field that start with prefix ("" for all),
// in order, each once, over every shard. Their counts are Bleve's, which go
// wrong once segments merge (see dictCounts): use the terms only.
func (ix *Index) fieldDict(field string, prefix []byte) (bindex.FieldDict, error) {
	open := func(b bleve.Index) (bindex.FieldDict, error) {
		if len(prefix) == 0 {
			return b.FieldDict(field)
		}
		return b.FieldDictPrefix(field, prefix)
	}
	if len(ix.shards) == 1 {
		return open(ix.shards[0])
	}
	m := &mergedDict{}
	for _, b := range ix.shards {
		d, err := open(b)
		if err != nil {
			m.Close()
			return nil, err
		}
		m.dicts = append(m.dicts, d)
		m.heads = append(m.heads, nil)
	}
	for i := range m.dicts {
		if err := m.advance(i); err != nil {
			m.Close()
			return nil, err
		}
	}
	return m, nil
}

// mergedDict merges the sorted dictionaries of several shards, giving a term
// that several have once (with the sum of their counts).
type mergedDict struct {
	dicts []bindex.FieldDict
	heads []*bindex.DictEntry // each dictionary's next entry (a copy); nil at its end
}

func (m *mergedDict) advance(i int) error {
	e, err := m.dicts[i].Next()
	if err != nil {
		return err
	}
	if e == nil {
		m.heads[i] = nil
		return nil
	}
	c := *e
	m.heads[i] = &c
	return nil
}

// Next implements bindex.FieldDict.
func (m *mergedDict) Next() (*bindex.DictEntry, error) {
	min := -1
	for i, h := range m.heads {
		if h != nil && (min < 0 || h.Term < m.heads[min].Term) {
			min = i
		}
	}
	if min < 0 {
		return nil, nil
	}
	out := &bindex.DictEntry{Term: m.heads[min].Term}
	for i, h := range m.heads {
		if h != nil && h.Term == out.Term {
			out.Count += h.Count
			if err := m.advance(i); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Close implements bindex.FieldDict.
func (m *mergedDict) Close() error {
	var first error
	for _, d := range m.dicts {
		if err := d.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// BytesRead implements bindex.FieldDict.
func (m *mergedDict) BytesRead() uint64 { return 0 }

// Cardinality implements bindex.FieldDict (an upper bound: terms in several shards count once per shard).
func (m *mergedDict) Cardinality() int {
	n := 0
	for _, d := range m.dicts {
		n += d.Cardinality()
	}
	return n
}

// eachReader calls fn with a reader of each shard, closed after.
func (ix *Index) eachReader(fn func(bindex.IndexReader) error) error {
	for _, b := range ix.shards {
		adv, err := b.Advanced()
		if err != nil {
			return err
		}
		r, err := adv.Reader()
		if err != nil {
			return err
		}
		err = fn(r)
		r.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// termCounts returns the number of articles with each term in field, over
// every shard.
func (ix *Index) termCounts(ctx context.Context, field string, terms []string) ([]int, error) {
	counts := make([]int, len(terms))
	err := ix.eachReader(func(r bindex.IndexReader) error {
		for i, t := range terms {
			tfr, err := r.TermFieldReader(ctx, []byte(t), field, false, false, false)
			if err != nil {
				return err
			}
			counts[i] += int(tfr.Count())
			tfr.Close()
		}
		return nil
	})
	return counts, err
}

// docCount returns the number of articles in every shard (Bleve's alias
// leaves out a shard it cannot count).
func (ix *Index) docCount() (uint64, error) {
	var n uint64
	for _, b := range ix.shards {
		c, err := b.DocCount()
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}
