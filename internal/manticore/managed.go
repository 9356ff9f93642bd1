package manticore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/xinwen/xinwen/internal/news"
)

// Managed mode (Options.Table): a Manticore replication cluster shards and
// replicates one table of articles itself, and any node takes every
// statement for it by the table's plain name. The backend sends each
// statement to one node and, if that node does not answer, to the next.

// DefaultTable is the table Recipe creates unless told otherwise.
const DefaultTable = "xinwen_articles"

// metaSuffix names a managed table's meta table.
const metaSuffix = "_meta"

// maxTableName is the longest table name CheckTable takes, leaving room for
// metaSuffix.
const maxTableName = 64 - len(metaSuffix)

// MetaTable returns the name of the table that holds the internal values
// (the ingest watermark) beside the managed table table.
func MetaTable(table string) string { return table + metaSuffix }

// CheckTable returns an EINVALID error unless name can name a managed
// table (and, with MetaTable, its meta table) in SphinxQL as it is: a
// lower-case ASCII letter, then lower-case letters, digits and underscores,
// at most 59 in all. Manticore folds table names to lower case; taking
// only lower case keeps the name the backend sends the one the cluster
// shows.
func CheckTable(name string) error {
	ok := name != "" && len(name) <= maxTableName && 'a' <= name[0] && name[0] <= 'z'
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_'
	}
	if !ok {
		return news.Errorf(news.EINVALID, "table name %q: use a lower-case letter, then lower-case letters, digits or underscores, at most %d in all (like %s)", name, maxTableName, DefaultTable)
	}
	return nil
}

// onAny runs fn with one node's connections, each node being an entry
// point to the same tables (managed mode). It starts with the next node in
// round robin and goes on to the next while one does not answer (a
// connection refused or cut, a timeout) or answers that it is cut off from
// the cluster (see outOfCluster): the statements sent this way are
// idempotent (REPLACE, DELETE by ID, reads), so one that a node applied
// without answering is harmless to repeat. Any other error a node answers
// with is returned as it is, wrapped with what and the node; if no node
// answers, or ctx ends, the error is an EUNAVAILABLE that says what was
// not done. fn is given a context bounded by the backend's timeout.
func (b *Backend) onAny(ctx context.Context, what string, fn func(ctx context.Context, s *shard) error) error {
	first := int(b.next.Add(1)) % len(b.shards)
	var last error
	for k := range b.shards {
		s := b.shards[(first+k)%len(b.shards)]
		c, cancel := b.ctx(ctx)
		err := fn(c, s)
		cancel()
		switch {
		case err == nil:
			return nil
		case !unavailable(err) && !outOfCluster(err):
			return fmt.Errorf("%s: node %s: %w", what, s.addr, err)
		case ctx.Err() != nil:
			return &news.Error{Code: news.EUNAVAILABLE, Message: what + ": cancelled or timed out", Err: err}
		}
		last = fmt.Errorf("node %s: %w", s.addr, err)
	}
	addrs := make([]string, len(b.shards))
	for i, s := range b.shards {
		addrs[i] = s.addr
	}
	return &news.Error{Code: news.EUNAVAILABLE, Message: fmt.Sprintf("%s: no node of the search cluster answers (%s)", what, strings.Join(addrs, ", ")), Err: last}
}

// outOfCluster reports whether err is a Manticore node's refusal to write
// because it has lost its replication cluster's quorum ("cluster 'c' is not
// ready, not primary state"): another node may well have it.
func outOfCluster(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && strings.Contains(me.Message, "is not ready")
}

// putManaged writes as into the table, a statement at a time.
func (b *Backend) putManaged(ctx context.Context, as []*news.Article) error {
	for len(as) > 0 {
		stmt, n := replaceStmt(b.rt, b.opts.Segmenter.Load(), as)
		err := b.onAny(ctx, fmt.Sprintf("%d articles not indexed", len(as)), func(c context.Context, s *shard) error {
			_, err := s.db.ExecContext(c, stmt)
			return err
		})
		if err != nil {
			return err
		}
		as = as[n:]
	}
	return nil
}

// deleteManaged deletes the documents with IDs docs (hash63 of article IDs)
// from the table, a thousand at a time.
func (b *Backend) deleteManaged(ctx context.Context, docs []string) error {
	for len(docs) > 0 {
		n := min(len(docs), 1000)
		err := b.onAny(ctx, fmt.Sprintf("%d articles not deleted", len(docs)), func(c context.Context, s *shard) error {
			_, err := s.db.ExecContext(c, deleteStmt(b.rt, docs[:n]))
			return err
		})
		if err != nil {
			return err
		}
		docs = docs[n:]
	}
	return nil
}

// clearManaged empties the table with TRUNCATE TABLE, which Manticore's
// Buddy runs on every shard of a sharded table. A server that refuses it
// (Manticore without Buddy; Sphinx 2.2, which knows only TRUNCATE RTINDEX)
// has the articles deleted by ID instead, a page at a time.
func (b *Backend) clearManaged(ctx context.Context) error {
	err := b.onAny(ctx, "clear the index", func(c context.Context, s *shard) error {
		_, err := s.db.ExecContext(c, "TRUNCATE TABLE "+b.rt)
		return err
	})
	var refused *mysql.MySQLError
	if !errors.As(err, &refused) {
		return err
	}
	var after uint64
	for {
		var docs []uint64
		err := b.onAny(ctx, "clear the index", func(c context.Context, s *shard) error {
			var err error
			docs, _, err = idPage(c, s.db, b.rt, after)
			return err
		})
		if err != nil || len(docs) == 0 {
			return err
		}
		ds := make([]string, len(docs))
		for i, d := range docs {
			ds[i] = strconv.FormatUint(d, 10)
		}
		if err := b.deleteManaged(ctx, ds); err != nil {
			return err
		}
		after = docs[len(docs)-1]
	}
}

// getManaged reads the value of key from the meta table.
func (b *Backend) getManaged(key string) ([]byte, error) {
	var val string
	found := false
	err := b.onAny(context.Background(), "read "+key, func(c context.Context, s *shard) error {
		var ts int64
		err := s.db.QueryRowContext(c, internalStmt(b.meta, key)).Scan(&val, &ts)
		if errors.Is(err, sql.ErrNoRows) {
			found = false
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil || !found {
		return nil, err
	}
	return decodeInternal(key, val)
}
