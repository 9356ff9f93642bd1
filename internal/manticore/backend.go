package manticore

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

// Options configure a Backend.
type Options struct {
	// Segmenter cuts articles and queries into jieba words, as the
	// embedded index does (required): the process's segment.Current.
	Segmenter *segment.Current
	// Texts gives the full text of articles for snippets (the article
	// store); without it snippets are empty.
	Texts news.Texts
	// Now decides the relative date facets (default time.Now).
	Now func() time.Time
	// MaxWindow is the deepest result reachable by page number (0:
	// query.MaxWindow).
	MaxWindow int
	// Timeout bounds one statement to a node when the caller's context has
	// no earlier deadline (0: 10 seconds).
	Timeout time.Duration
	// Table, if set, selects managed mode: the cluster shards and
	// replicates this one table itself (a Manticore sharded table, created
	// by Recipe), and its internal values live in MetaTable(Table). Every
	// write and every search goes to the table by name, through any of the
	// nodes: they are equivalent entry points, and the backend routes
	// nothing. Without it (the default), the backend shards client-side:
	// one shard a node, in the real-time index RTIndex, searched through
	// DistIndex. See CheckTable for the names it takes.
	Table string
}

// Backend is a news.Backend over a cluster of SphinxQL daemons: one shard a
// node, or, in managed mode (Options.Table), one table the cluster shards
// itself. It is safe for concurrent use.
type Backend struct {
	shards []*shard // one a shard; in managed mode, the entry points
	opts   Options
	next   atomic.Uint32 // round robin over the nodes that coordinate searches
	clock  atomic.Int64  // last timestamp given to an internal value
	gen    atomic.Uint64 // writes made through this backend (see Generation)
	// The tables statements name: where articles are written (on each
	// shard's node), what searches read, where internal values live.
	rt, dist, meta string
}

// shard is one shard's node (in managed mode, one entry point): an address
// and its connection pool.
type shard struct {
	n    int // 1-based, for messages
	addr string
	db   *sql.DB
}

// managed reports whether the cluster shards the table itself.
func (b *Backend) managed() bool { return b.opts.Table != "" }

var _ news.Backend = (*Backend)(nil)

// ParseDSN reads a cluster address: the SphinxQL HOST:PORT of each shard's
// node, in shard order, separated by commas. The order decides which node
// owns which articles: keep it.
func ParseDSN(dsn string) ([]string, error) {
	var addrs []string
	for _, a := range strings.Split(dsn, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(a); err != nil {
			return nil, news.Errorf(news.EINVALID, "cluster address %q is not HOST:PORT (the SphinxQL port of a node); give one per shard, separated by commas", a)
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 {
		return nil, news.Errorf(news.EINVALID, "no cluster nodes: give the SphinxQL HOST:PORT of every shard's node, separated by commas")
	}
	return addrs, nil
}

// Open returns a backend over the nodes at addrs (SphinxQL HOST:PORT, in
// shard order; see ParseDSN; in managed mode, entry points in the order
// they are tried). It does not wait for the nodes: a node that is down is
// reported by the operations that need it. No nodes, or a bad opts.Table,
// is an EINVALID error; so are Options without a Segmenter holding one.
func Open(addrs []string, opts Options) (*Backend, error) {
	if len(addrs) == 0 {
		return nil, news.Errorf(news.EINVALID, "no cluster nodes")
	}
	if opts.Segmenter.Load() == nil {
		return nil, news.Errorf(news.EINVALID, "no segmenter (Options.Segmenter)")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	b := &Backend{opts: opts, rt: RTIndex, dist: DistIndex, meta: MetaIndex}
	if opts.Table != "" {
		if err := CheckTable(opts.Table); err != nil {
			return nil, err
		}
		b.rt, b.dist, b.meta = opts.Table, opts.Table, MetaTable(opts.Table)
	}
	for i, a := range addrs {
		cfg := mysql.NewConfig()
		cfg.Net = "tcp"
		cfg.Addr = a
		cfg.Timeout = 2 * time.Second
		cfg.ReadTimeout = opts.Timeout
		cfg.WriteTimeout = opts.Timeout
		cfg.InterpolateParams = true
		cfg.MultiStatements = true // a search sends its hits and facet queries at once
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("node %s: %w", a, err)
		}
		db := sql.OpenDB(conn)
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(time.Minute)
		b.shards = append(b.shards, &shard{n: i + 1, addr: a, db: db})
	}
	return b, nil
}

// Generation counts the writes (Put, Delete, Clear) made through b, failed
// ones too: a search result cached at one generation may be stale at the
// next (see internal/cache). Writes by other processes to the same
// cluster do not count.
func (b *Backend) Generation() uint64 { return b.gen.Load() }

// Close closes the connections.
func (b *Backend) Close() error {
	var errs []error
	for _, s := range b.shards {
		errs = append(errs, s.db.Close())
	}
	return errors.Join(errs...)
}

// Shards returns how many shards the backend routes articles over: one a
// node, or 1 in managed mode, where the cluster shards its table itself.
func (b *Backend) Shards() int {
	if b.managed() {
		return 1
	}
	return len(b.shards)
}

// ctx bounds a statement by the backend's timeout.
func (b *Backend) ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) < b.opts.Timeout {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, b.opts.Timeout)
}

// unavailable reports whether err means that the node did not answer (as
// opposed to an error it answered with).
func unavailable(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return false
	}
	return err != nil
}

// down wraps an error of shard s that did not answer.
func (s *shard) down(what string, err error) error {
	return &news.Error{Code: news.EUNAVAILABLE, Message: fmt.Sprintf("%s: shard %d (node %s) did not answer", what, s.n, s.addr), Err: err}
}

// Ping reports whether at least one node can coordinate searches.
func (b *Backend) Ping(ctx context.Context) error {
	var last error
	for _, s := range b.shards {
		c, cancel := b.ctx(ctx)
		err := s.db.PingContext(c)
		cancel()
		if err == nil {
			return nil
		}
		last = err
	}
	return &news.Error{Code: news.EUNAVAILABLE, Message: "no node of the search cluster answers", Err: last}
}

// Put indexes arts, each on the node of its shard, replacing any with the
// same ID. Shards are written in parallel; if a shard's node does not
// answer, the articles of the other shards are indexed and the error (an
// EUNAVAILABLE naming the shard) says how many were not. In managed mode
// every article goes to the table through one node (see onAny); if none
// answers, the error is an EUNAVAILABLE.
func (b *Backend) Put(ctx context.Context, arts []news.Article) error {
	defer b.gen.Add(1)
	byShard := make([][]*news.Article, b.Shards())
	for i := range arts {
		a := &arts[i]
		if a.ID == "" {
			return news.Errorf(news.EINVALID, "article %q has no ID", a.Title)
		}
		k := ShardOf(a.ID, b.Shards())
		byShard[k] = append(byShard[k], a)
	}
	if b.managed() {
		return b.putManaged(ctx, byShard[0])
	}
	return b.eachShard(func(s *shard) error {
		as := byShard[s.n-1]
		for len(as) > 0 {
			stmt, n := replaceStmt(b.rt, b.opts.Segmenter.Load(), as)
			c, cancel := b.ctx(ctx)
			_, err := s.db.ExecContext(c, stmt)
			cancel()
			if err != nil {
				if unavailable(err) {
					return s.down(fmt.Sprintf("%d articles not indexed", len(as)), err)
				}
				return fmt.Errorf("index articles on shard %d (%s): %w", s.n, s.addr, err)
			}
			as = as[n:]
		}
		return nil
	})
}

// eachShard runs fn for every shard in parallel and joins the errors.
func (b *Backend) eachShard(fn func(s *shard) error) error {
	errs := make([]error, len(b.shards))
	var wg sync.WaitGroup
	for i, s := range b.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(s)
		}()
	}
	wg.Wait()
	return joinErrors(errs)
}

// joinErrors joins errs, keeping the code of the first *news.Error.
func joinErrors(errs []error) error {
	var first *news.Error
	var msgs []string
	var all []error
	for _, err := range errs {
		if err == nil {
			continue
		}
		all = append(all, err)
		var e *news.Error
		if first == nil && errors.As(err, &e) {
			first = e
		}
		msgs = append(msgs, news.ErrorMessage(err))
	}
	switch {
	case len(all) == 0:
		return nil
	case len(all) == 1:
		return all[0]
	case first != nil:
		return &news.Error{Code: first.Code, Message: strings.Join(msgs, "; "), Err: errors.Join(all...)}
	}
	return errors.Join(all...)
}

// maxStatement is about the largest REPLACE statement sent at once (the
// generated configuration allows 32 MiB packets). The statement timeout
// (Options.Timeout) bounds each one, so they are kept short: 8 MiB, some
// 600 CCTV stories as keywords, took over 10 s on a busy two-core machine.
const maxStatement = 1 << 20

// replaceStmt returns a REPLACE statement into table for a prefix of as,
// their words cut by seg, at most maxStatement bytes unless one article
// alone is larger, and how many articles it holds.
func replaceStmt(table string, seg *segment.Segmenter, as []*news.Article) (string, int) {
	var b strings.Builder
	b.WriteString("REPLACE INTO " + table + " (id")
	for _, f := range textFields {
		b.WriteString(", " + f)
	}
	for _, a := range attrs {
		b.WriteString(", " + a.name)
	}
	b.WriteString(") VALUES ")
	n := 0
	for _, a := range as {
		row := rowValues(seg, a)
		if n > 0 && b.Len()+len(row) > maxStatement {
			break
		}
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
		n++
	}
	return b.String(), n
}

// noDate is the pub of an article without a date: it sorts after every
// dated one, newest first.
const noDate = -(1 << 62)

// rowValues is the VALUES tuple of a, its words cut by seg.
func rowValues(seg *segment.Segmenter, a *news.Article) string {
	var b strings.Builder
	str := func(s string) { b.WriteString(", "); b.WriteString(quote(s)) }
	num := func(n int64) { b.WriteString(", "); b.WriteString(strconv.FormatInt(n, 10)) }
	mva := func(vals []string) {
		b.WriteString(", (")
		for i, v := range vals {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(strconv.FormatUint(hash63(v), 10))
		}
		b.WriteString(")")
	}
	b.WriteString("(")
	b.WriteString(strconv.FormatUint(hash63(a.ID), 10))
	// Full-text fields.
	str(gramText(a.Title))
	str(gramText(a.Body))
	str(wordText(seg, a.Title))
	str(wordText(seg, a.Body))
	str(everyWord)
	// Attributes, in the order of attrs.
	str(a.ID)
	str(a.Title)
	str(a.URL)
	str(a.SectionPath())
	str(a.Region.Province)
	str(a.Region.City)
	str(a.Region.County)
	str(a.Region.Code)
	str(a.Source)
	str(a.DuplicateOf)
	pub, ns, day := int64(noDate), int64(0), int64(0)
	if !a.PublishedAt.IsZero() {
		t := a.PublishedAt.In(news.CST)
		pub, ns = t.Unix(), int64(t.Nanosecond())
		day = int64(t.Year()*10000 + int(t.Month())*100 + t.Day())
	}
	num(pub)
	num(ns)
	num(day)
	isDup, dupH := int64(0), int64(0)
	if a.DuplicateOf != "" {
		isDup, dupH = 1, int64(hash63(a.DuplicateOf))
	}
	num(isDup)
	num(dupH)
	mva(a.SectionPrefixes())
	mva(a.Region.Names())
	b.WriteString(")")
	return b.String()
}

// quote returns s as a SphinxQL string literal.
func quote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case 0:
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// Delete removes articles by ID from their shards (in managed mode, from
// the table); unknown IDs are ignored.
func (b *Backend) Delete(ctx context.Context, ids []string) error {
	defer b.gen.Add(1)
	byShard := make([][]string, b.Shards())
	for _, id := range ids {
		k := ShardOf(id, b.Shards())
		byShard[k] = append(byShard[k], strconv.FormatUint(hash63(id), 10))
	}
	if b.managed() {
		return b.deleteManaged(ctx, byShard[0])
	}
	return b.eachShard(func(s *shard) error {
		ds := byShard[s.n-1]
		for len(ds) > 0 {
			n := min(len(ds), 1000)
			c, cancel := b.ctx(ctx)
			_, err := s.db.ExecContext(c, deleteStmt(b.rt, ds[:n]))
			cancel()
			if err != nil {
				if unavailable(err) {
					return s.down(fmt.Sprintf("%d articles not deleted", len(ds)), err)
				}
				return fmt.Errorf("delete on shard %d (%s): %w", s.n, s.addr, err)
			}
			ds = ds[n:]
		}
		return nil
	})
}

// deleteStmt deletes the documents with IDs ids (hash63 of article IDs)
// from table.
func deleteStmt(table string, ids []string) string {
	return "DELETE FROM " + table + " WHERE id IN (" + strings.Join(ids, ",") + ")"
}

// Count returns the number of indexed articles; every shard must answer (in
// managed mode, one node).
func (b *Backend) Count() (uint64, error) {
	if b.managed() {
		var n uint64
		err := b.onAny(context.Background(), "count articles", func(c context.Context, s *shard) error {
			var err error
			n, err = count(c, s.db, b.rt)
			return err
		})
		return n, err
	}
	var total atomic.Uint64
	err := b.eachShard(func(s *shard) error {
		c, cancel := b.ctx(context.Background())
		defer cancel()
		n, err := count(c, s.db, b.rt)
		if err != nil {
			if unavailable(err) {
				return s.down("count articles", err)
			}
			return fmt.Errorf("count on shard %d (%s): %w", s.n, s.addr, err)
		}
		total.Add(n)
		return nil
	})
	return total.Load(), err
}

// count returns the number of documents in table.
func count(ctx context.Context, db *sql.DB, table string) (uint64, error) {
	var n uint64
	err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// idPageSize is how many documents idPage lists at once.
const idPageSize = 1000

// idPage lists the documents of table with a document ID above after, up
// to idPageSize in ascending order: their document IDs and article IDs.
func idPage(ctx context.Context, db *sql.DB, table string, after uint64) ([]uint64, []string, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT id, aid FROM %s WHERE id > %d ORDER BY id ASC LIMIT %d OPTION max_matches=%d", table, after, idPageSize, idPageSize))
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var docs []uint64
	var ids []string
	for rows.Next() {
		var doc uint64
		var id string
		if err := rows.Scan(&doc, &id); err != nil {
			return nil, nil, err
		}
		docs, ids = append(docs, doc), append(ids, id)
	}
	return docs, ids, rows.Err()
}

// EachID calls fn with the ID of every indexed article, shard by shard;
// every shard must answer (in managed mode, one node a page).
func (b *Backend) EachID(ctx context.Context, fn func(id string) error) error {
	if b.managed() {
		var after uint64
		for {
			var docs []uint64
			var ids []string
			err := b.onAny(ctx, "list articles", func(c context.Context, s *shard) error {
				var err error
				docs, ids, err = idPage(c, s.db, b.rt, after)
				return err
			})
			if err != nil {
				return err
			}
			for _, id := range ids {
				if err := fn(id); err != nil {
					return err
				}
			}
			if len(docs) < idPageSize {
				return nil
			}
			after = docs[len(docs)-1]
		}
	}
	for _, s := range b.shards {
		var after uint64
		for {
			c, cancel := b.ctx(ctx)
			docs, ids, err := idPage(c, s.db, b.rt, after)
			cancel()
			if err != nil {
				if unavailable(err) {
					return s.down("list articles", err)
				}
				return fmt.Errorf("list articles on shard %d (%s): %w", s.n, s.addr, err)
			}
			for _, id := range ids {
				if err := fn(id); err != nil {
					return err
				}
			}
			if len(docs) < idPageSize {
				break
			}
			after = docs[len(docs)-1]
		}
	}
	return nil
}

// Clear removes every article from every shard; every shard must answer.
// In managed mode it truncates the table (see clearManaged).
func (b *Backend) Clear(ctx context.Context) error {
	defer b.gen.Add(1)
	if b.managed() {
		return b.clearManaged(ctx)
	}
	return b.eachShard(func(s *shard) error {
		c, cancel := b.ctx(ctx)
		defer cancel()
		if _, err := s.db.ExecContext(c, "TRUNCATE RTINDEX "+b.rt); err != nil {
			if unavailable(err) {
				return s.down("clear the index", err)
			}
			return fmt.Errorf("clear shard %d (%s): %w", s.n, s.addr, err)
		}
		return nil
	})
}

// SetInternal records val under key on every node, stamped with the time.
// If a node does not answer, the others keep the value and the error says
// which did not. In managed mode it records it once, in the meta table,
// which the cluster replicates; if no node answers, the error is an
// EUNAVAILABLE.
func (b *Backend) SetInternal(key string, val []byte) error {
	ts := time.Now().UnixNano()
	for {
		last := b.clock.Load()
		if ts <= last {
			ts = last + 1
		}
		if b.clock.CompareAndSwap(last, ts) {
			break
		}
	}
	stmt := fmt.Sprintf("REPLACE INTO %s (id, k, mkey, mval, ts) VALUES (%d, 'k', %s, %s, %d)",
		b.meta, hash63(key), quote(key), quote(hex.EncodeToString(val)), ts)
	if b.managed() {
		return b.onAny(context.Background(), "record "+key, func(c context.Context, s *shard) error {
			_, err := s.db.ExecContext(c, stmt)
			return err
		})
	}
	return b.eachShard(func(s *shard) error {
		c, cancel := b.ctx(context.Background())
		defer cancel()
		if _, err := s.db.ExecContext(c, stmt); err != nil {
			if unavailable(err) {
				return s.down("record "+key, err)
			}
			return fmt.Errorf("record %s on shard %d (%s): %w", key, s.n, s.addr, err)
		}
		return nil
	})
}

// GetInternal returns the newest value recorded under key on the nodes that
// answer (nil if none has one). A value is only recorded after the writes
// it stands for reached every shard, so the newest is right even when a
// node that missed it is back. It fails only if no node answers. In
// managed mode it reads the meta table through one node.
func (b *Backend) GetInternal(key string) ([]byte, error) {
	if b.managed() {
		return b.getManaged(key)
	}
	type got struct {
		val string
		ts  int64
		ok  bool
	}
	res := make([]got, len(b.shards))
	err := b.eachShard(func(s *shard) error {
		c, cancel := b.ctx(context.Background())
		defer cancel()
		r := &res[s.n-1]
		err := s.db.QueryRowContext(c, internalStmt(b.meta, key)).Scan(&r.val, &r.ts)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			r.ok = true
			r.ts = -1
			return nil
		case err != nil && unavailable(err):
			return s.down("read "+key, err)
		case err != nil:
			return fmt.Errorf("read %s on shard %d (%s): %w", key, s.n, s.addr, err)
		}
		r.ok = true
		return nil
	})
	best := got{ts: -1}
	answered := false
	for _, r := range res {
		if r.ok {
			answered = true
			if r.ts > best.ts {
				best = r
			}
		}
	}
	if !answered {
		return nil, err
	}
	if err != nil && news.ErrorCode(err) != news.EUNAVAILABLE {
		return nil, err
	}
	if best.ts < 0 {
		return nil, nil
	}
	return decodeInternal(key, best.val)
}

// internalStmt reads the value and time stamp of key in table.
func internalStmt(table, key string) string {
	return fmt.Sprintf("SELECT mval, ts FROM %s WHERE id = %d", table, hash63(key))
}

// decodeInternal decodes the value of key as SetInternal wrote it.
func decodeInternal(key, val string) ([]byte, error) {
	v, err := hex.DecodeString(val)
	if err != nil {
		return nil, fmt.Errorf("read %s: bad value %q: %w", key, val, err)
	}
	return v, nil
}
