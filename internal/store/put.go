package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/xinwen/xinwen/internal/news"
)

// Outcome says what Put did with one article.
type Outcome int

// Outcomes of Put.
const (
	// Added: the ID was not stored; the article is stored and not a near-copy.
	Added Outcome = iota + 1
	// Updated: the ID was stored with different content; it was replaced and
	// its duplicate link recomputed.
	Updated
	// Unchanged: the stored article has the same content (DuplicateOf aside);
	// nothing was written and Seq did not move.
	Unchanged
	// Duplicate: like Added, but the article is a near-copy of an earlier one,
	// named in PutResult.DuplicateOf and in the stored Article.DuplicateOf.
	Duplicate
)

// String returns the outcome's name in lower case.
func (o Outcome) String() string {
	switch o {
	case Added:
		return "added"
	case Updated:
		return "updated"
	case Unchanged:
		return "unchanged"
	case Duplicate:
		return "duplicate"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// PutResult is what Put did with one article.
type PutResult struct {
	ID      string
	Outcome Outcome
	// DuplicateOf is the article's stored DuplicateOf link ("" if none), for
	// every outcome: an Updated or Unchanged article can be a near-copy too.
	DuplicateOf string
	// Seq is the sequence number of the change, 0 for Unchanged.
	Seq uint64
}

// Put stores arts (upsert by ID) in one transaction, fsync'd before it
// returns, and reports what it did with each, in input order. Either every
// article is stored or none is. An article whose content (its JSON, without
// DuplicateOf) equals the stored one is Unchanged and takes no sequence
// number; every other article gets the next one and a change-feed entry, and
// its previous entry is dropped. The same ID twice in arts is applied in
// order.
//
// The store, not the caller, sets DuplicateOf: an added or updated article
// whose body has at least MinDuplicateRunes characters is a near-copy if the
// SimHash of its body (see MinDuplicateRunes) is within DuplicateDistance
// bits of an article added before it and, when both publication times are
// known, published within DuplicateWindow of it. DuplicateOf then names the
// earliest-added such article, which may itself be a near-copy of another:
// follow the links to find a cluster's first article. Earlier articles of the
// same call count. Updating or deleting an article does not relink the
// articles that name it.
//
// Put returns a *news.Error with code EINVALID, naming the article's position,
// if an ID is empty or longer than MaxIDLen bytes; ctx's error if ctx is done
// before the commit; and a wrapped I/O error otherwise.
func (s *Store) Put(ctx context.Context, arts []news.Article) ([]PutResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range arts {
		if err := validateID(arts[i].ID); err != nil {
			return nil, news.Errorf(news.EINVALID, "article %d of %d: %s", i+1, len(arts), news.ErrorMessage(err))
		}
	}
	if len(arts) == 0 {
		return []PutResult{}, nil
	}

	// Encode and fingerprint outside the transaction, which holds the file's
	// single write lock.
	type prepared struct {
		payload []byte
		hash    [hashLen]byte
		sim     uint64
		hasSim  bool
		pub     int64
		hasPub  bool
	}
	preps := make([]prepared, len(arts))
	for i := range arts {
		a := arts[i]
		a.DuplicateOf = ""
		payload, err := json.Marshal(&a)
		if err != nil {
			return nil, news.Errorf(news.EINVALID, "article %d of %d (%q): encode: %v", i+1, len(arts), a.ID, err)
		}
		sum := sha256.Sum256(payload)
		p := &preps[i]
		p.payload = payload
		copy(p.hash[:], sum[:hashLen])
		p.sim, p.hasSim = simHash(a.Body)
		if !a.PublishedAt.IsZero() {
			p.pub, p.hasPub = a.PublishedAt.Unix(), true
		}
	}

	results := make([]PutResult, len(arts))
	var last uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		w := newWriter(tx)
		for i := range arts {
			if i%64 == 63 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			id, p := arts[i].ID, &preps[i]
			key := []byte(id)
			rec := record{payload: p.payload, hash: p.hash, sim: p.sim, hasSim: p.hasSim, pub: p.pub, hasPub: p.hasPub}
			res := PutResult{ID: id}

			if v := w.articles.Get(key); v != nil {
				old, err := decodeRecord(v)
				if err != nil {
					return fmt.Errorf("article %q: %w", id, err)
				}
				if old.hash == p.hash {
					res.Outcome, res.DuplicateOf = Unchanged, old.dupOf
					results[i] = res
					continue
				}
				if err := w.unlink(key, old); err != nil {
					return err
				}
				rec.seq, rec.added = w.nextSeq(), old.added
				res.Outcome = Updated
			} else {
				if t := w.tombstones.Get(key); t != nil {
					if err := w.changes.Delete(t); err != nil {
						return err
					}
					if err := w.tombstones.Delete(key); err != nil {
						return err
					}
				}
				rec.seq = w.nextSeq()
				rec.added = rec.seq
				res.Outcome = Added
				w.count++
			}
			if rec.hasSim {
				dup, err := w.findOriginal(key, &rec)
				if err != nil {
					return err
				}
				rec.dupOf = dup
				if dup != "" && res.Outcome == Added {
					res.Outcome = Duplicate
				}
			}
			if err := w.link(key, &rec); err != nil {
				return err
			}
			res.DuplicateOf, res.Seq = rec.dupOf, rec.seq
			results[i] = res
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		last = w.seq
		return w.finish()
	})
	if err != nil {
		return nil, wrapWrite(s.path, "put", err)
	}
	s.noteSeq(last)
	return results, nil
}

// writer holds the buckets and counters of one read-write transaction.
type writer struct {
	articles, changes, tombstones, meta *bolt.Bucket
	bands                               [bandCount]*bolt.Bucket
	seq, count                          uint64
}

func newWriter(tx *bolt.Tx) *writer {
	w := &writer{
		articles:   tx.Bucket(bucketArticles),
		changes:    tx.Bucket(bucketChanges),
		tombstones: tx.Bucket(bucketTombstones),
		meta:       tx.Bucket(bucketMeta),
	}
	for i := range w.bands {
		w.bands[i] = tx.Bucket(bucketBands[i])
	}
	w.seq = getU64(w.meta.Get(keySeq))
	w.count = getU64(w.meta.Get(keyCount))
	return w
}

func (w *writer) nextSeq() uint64 {
	w.seq++
	return w.seq
}

// finish saves the counters.
func (w *writer) finish() error {
	if err := w.meta.Put(keySeq, u64(w.seq)); err != nil {
		return err
	}
	return w.meta.Put(keyCount, u64(w.count))
}

// unlink removes the band entries and the change entry of a stored record.
func (w *writer) unlink(key []byte, old record) error {
	if old.hasSim {
		for i, b := range w.bands {
			if err := b.Delete(bandKey(old.sim, i, key)); err != nil {
				return err
			}
		}
	}
	return w.changes.Delete(u64(old.seq))
}

// link writes the record, its band entries and its change entry.
func (w *writer) link(key []byte, rec *record) error {
	if rec.hasSim {
		for i, b := range w.bands {
			if err := b.Put(bandKey(rec.sim, i, key), u64(rec.sim)); err != nil {
				return err
			}
		}
	}
	if err := w.articles.Put(key, rec.encode()); err != nil {
		return err
	}
	return w.changes.Put(u64(rec.seq), changeValue(changePut, string(key)))
}

// findOriginal returns the ID the article key with record rec should name in
// DuplicateOf, or "": the earliest-added article before it whose SimHash is
// within DuplicateDistance and whose publication time is within
// DuplicateWindow.
func (w *writer) findOriginal(key []byte, rec *record) (string, error) {
	var (
		sim       = rec.sim
		best      string
		bestAdded = rec.added
		window    = int64(DuplicateWindow / time.Second)
	)
	for i, b := range w.bands {
		prefix := band(sim, i)
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			cand := k[len(prefix):]
			if bytes.Equal(cand, key) || hamming(getU64(v), sim) > DuplicateDistance {
				continue
			}
			c, err := w.header(cand)
			if err != nil {
				return "", err
			}
			if c == nil {
				return "", fmt.Errorf("band %d names article %q, which is not stored", i, cand)
			}
			if rec.hasPub && c.hasPub && (rec.pub-c.pub > window || c.pub-rec.pub > window) {
				continue
			}
			if c.added < bestAdded {
				best, bestAdded = string(cand), c.added
			}
		}
	}
	return best, nil
}

// header returns the stored record of id without its payload, nil if absent.
func (w *writer) header(id []byte) (*record, error) {
	v := w.articles.Get(id)
	if v == nil {
		return nil, nil
	}
	rec, err := decodeRecord(v)
	if err != nil {
		return nil, fmt.Errorf("article %q: %w", id, err)
	}
	rec.payload = nil
	return &rec, nil
}

func bandKey(sim uint64, i int, id []byte) []byte {
	return append(band(sim, i), id...)
}
