package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/xinwen/xinwen/internal/news"
)

// MaxIDLen is the longest article ID the store accepts, in bytes.
const MaxIDLen = 512

// SchemaVersion is the version of the on-disk layout this package reads and
// writes. Open refuses a file with another version.
const SchemaVersion = 1

// LockTimeout is how long Open waits for another process to release the file.
const LockTimeout = time.Second

// Bounds on the work done in one read transaction by Each and Changes.
const (
	eachBatch    = 256
	changesBatch = 4096
)

var (
	bucketArticles   = []byte("articles")
	bucketChanges    = []byte("changes")
	bucketTombstones = []byte("tombstones")
	bucketMeta       = []byte("meta")
	bucketBands      = [bandCount][]byte{[]byte("band0"), []byte("band1"), []byte("band2"), []byte("band3")}

	keySchema = []byte("schema")
	keySeq    = []byte("seq")
	keyCount  = []byte("count")
)

// Change flags: the first byte of a value in the changes bucket.
const (
	changePut    = 0
	changeDelete = 1
)

// Store is the article store, backed by one bbolt file. It is safe for
// concurrent use; writes are serialized by bbolt.
type Store struct {
	db   *bolt.DB
	path string
	seq  atomic.Uint64 // last committed change
}

// Open opens the store at path, creating the file (not its directory) if it
// does not exist. Only one process may have a store open: if another holds
// the file, Open gives up after LockTimeout with a *news.Error of code
// ECONFLICT that names path. A file that is not a store, or a store of another
// SchemaVersion, is an error naming path.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, &news.Error{
			Code:    news.ECONFLICT,
			Message: fmt.Sprintf("open store %q: the file is in use by another process (waited %s)", path, LockTimeout),
			Err:     err,
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	s := &Store{db: db, path: path}
	var seq uint64
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range append([][]byte{bucketArticles, bucketChanges, bucketTombstones, bucketMeta}, bucketBands[:]...) {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchema); v != nil {
			if got := getU64(v); got != SchemaVersion {
				return fmt.Errorf("schema version %d, this build reads %d", got, SchemaVersion)
			}
		} else if err := meta.Put(keySchema, u64(SchemaVersion)); err != nil {
			return err
		}
		seq = getU64(meta.Get(keySeq))
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	s.seq.Store(seq)
	return s, nil
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close waits for running transactions and releases the file. Closing a
// closed Store does nothing; other methods of a closed Store return an error.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store %q: %w", s.path, err)
	}
	return nil
}

// Seq returns the change counter: the sequence number of the latest committed
// Put or Delete that changed an article (0 for a new store). It never
// decreases, and never runs ahead of what a reader can see.
func (s *Store) Seq() uint64 { return s.seq.Load() }

// noteSeq raises the cached counter to seq after a commit. Commits can finish
// out of order, so it only ever moves the counter up.
func (s *Store) noteSeq(seq uint64) {
	for {
		cur := s.seq.Load()
		if seq <= cur || s.seq.CompareAndSwap(cur, seq) {
			return
		}
	}
}

// Count returns the number of stored articles. It returns an error only if the
// file cannot be read (for example after Close).
func (s *Store) Count() (int, error) {
	var n uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		n = getU64(tx.Bucket(bucketMeta).Get(keyCount))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return int(n), nil
}

// Get returns the article with the given ID, with DuplicateOf as the store set
// it. It returns a *news.Error with code ENOTFOUND if there is none, EINVALID
// if id is not a valid ID, and ctx's error if ctx is done.
func (s *Store) Get(ctx context.Context, id string) (news.Article, error) {
	if err := ctx.Err(); err != nil {
		return news.Article{}, err
	}
	if err := validateID(id); err != nil {
		return news.Article{}, err
	}
	var a news.Article
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketArticles).Get([]byte(id))
		if v == nil {
			return news.Errorf(news.ENOTFOUND, "article %q not found", id)
		}
		var err error
		a, err = decodeArticle(id, v)
		return err
	})
	return a, err
}

// GetMany returns the articles with the given IDs that exist, keyed by ID, read
// in one transaction so they are consistent with each other. Absent and
// invalid IDs are left out; it returns an error only for ctx or I/O failures.
func (s *Store) GetMany(ctx context.Context, ids []string) (map[string]news.Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]news.Article, len(ids))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		for i, id := range ids {
			if i%eachBatch == eachBatch-1 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if _, ok := out[id]; ok || validateID(id) != nil {
				continue
			}
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			a, err := decodeArticle(id, v)
			if err != nil {
				return err
			}
			out[id] = a
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Each calls fn for every stored article in ID order (byte order of the IDs)
// and stops at the first error fn returns, returning that error unchanged.
//
// Each reads at most a few hundred articles per read transaction and calls fn
// outside any transaction, so fn may call Put or Delete, and a walk over the
// whole corpus neither pins old pages nor blocks the file from growing. The
// price is that Each is not a snapshot: an article written during the walk is
// seen if its ID sorts after the walk's position. Use Seq and Changes to
// catch up (see the package documentation). It returns ctx's error if ctx is
// done between articles.
func (s *Store) Each(ctx context.Context, fn func(news.Article) error) error {
	var after []byte
	batch := make([]news.Article, 0, eachBatch)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = batch[:0]
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketArticles).Cursor()
			k, v := seekAfter(c, after)
			for ; k != nil && len(batch) < eachBatch; k, v = c.Next() {
				a, err := decodeArticle(string(k), v)
				if err != nil {
					return err
				}
				batch = append(batch, a)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, a := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(batch) < eachBatch {
			return nil
		}
		after = []byte(batch[len(batch)-1].ID)
	}
}

// Changes calls fn for each change with a sequence number greater than since,
// in increasing order: seq is the change's number, deleted tells a deletion
// from an insertion or update. Only the latest change of each ID is kept, so
// an ID appears once, with its state as of that change. Like Each, it reads in
// bounded transactions and calls fn outside them; changes committed during
// the walk are reported too (an ID changed again after the walk passed it
// appears a second time, later). It stops at the
// first error from fn and returns it unchanged, and returns ctx's error if
// ctx is done.
func (s *Store) Changes(ctx context.Context, since uint64, fn func(seq uint64, id string, deleted bool) error) error {
	type change struct {
		seq     uint64
		id      string
		deleted bool
	}
	batch := make([]change, 0, 256)
	from := since
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = batch[:0]
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketChanges).Cursor()
			k, v := seekAfter(c, u64(from))
			for ; k != nil && len(batch) < changesBatch; k, v = c.Next() {
				if len(k) != 8 || len(v) < 1 {
					return fmt.Errorf("store %q: corrupt change entry %x", s.path, k)
				}
				batch = append(batch, change{getU64(k), string(v[1:]), v[0] == changeDelete})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, ch := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(ch.seq, ch.id, ch.deleted); err != nil {
				return err
			}
		}
		if len(batch) < changesBatch {
			return nil
		}
		from = batch[len(batch)-1].seq
	}
}

// Delete removes the article with the given ID and records a deletion in the
// change feed. Articles that name it in DuplicateOf keep the link. It returns
// a *news.Error with code ENOTFOUND if there is no such article, EINVALID if
// id is not a valid ID, and ctx's error if ctx is done.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := validateID(id); err != nil {
		return err
	}
	var seq uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		w := newWriter(tx)
		key := []byte(id)
		v := w.articles.Get(key)
		if v == nil {
			return news.Errorf(news.ENOTFOUND, "article %q not found", id)
		}
		old, err := decodeRecord(v)
		if err != nil {
			return fmt.Errorf("article %q: %w", id, err)
		}
		seq = w.nextSeq()
		if err := w.unlink(key, old); err != nil {
			return err
		}
		if err := w.articles.Delete(key); err != nil {
			return err
		}
		if err := w.changes.Put(u64(seq), changeValue(changeDelete, id)); err != nil {
			return err
		}
		if err := w.tombstones.Put(key, u64(seq)); err != nil {
			return err
		}
		w.count--
		return w.finish()
	})
	if err != nil {
		return wrapWrite(s.path, "delete", err)
	}
	s.noteSeq(seq)
	return nil
}

// validateID returns a *news.Error with code EINVALID if id cannot be stored.
func validateID(id string) error {
	switch {
	case id == "":
		return news.Errorf(news.EINVALID, "article ID is empty")
	case len(id) > MaxIDLen:
		return news.Errorf(news.EINVALID, "article ID %.40q… is %d bytes, over the limit of %d", id, len(id), MaxIDLen)
	}
	return nil
}

func decodeArticle(id string, v []byte) (news.Article, error) {
	r, err := decodeRecord(v)
	if err != nil {
		return news.Article{}, fmt.Errorf("article %q: %w", id, err)
	}
	a, err := r.article()
	if err != nil {
		return news.Article{}, fmt.Errorf("article %q: decode: %w", id, err)
	}
	return a, nil
}

// seekAfter positions c at the first key greater than after (at the first key
// if after is nil).
func seekAfter(c *bolt.Cursor, after []byte) (k, v []byte) {
	if after == nil {
		return c.First()
	}
	k, v = c.Seek(after)
	if k != nil && bytes.Equal(k, after) {
		k, v = c.Next()
	}
	return k, v
}

func getU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func changeValue(flag byte, id string) []byte {
	return append([]byte{flag}, id...)
}

// wrapWrite passes *news.Error and context errors through and adds the store
// path and operation to anything else (I/O failures, which are internal).
func wrapWrite(path, op string, err error) error {
	var e *news.Error
	if errors.As(err, &e) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%s in store %q: %w", op, path, err)
}
