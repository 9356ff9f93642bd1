package manticore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xinwen/xinwen/internal/highlight"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/segment"
)

// ranking is the ranker of relevance searches: BM25 with proximity over
// the bigram and word fields, titles three times the body (as the
// embedded index boosts them).
const ranking = "ranker=proximity_bm25, field_weights=(title_g=3, body_g=1, title_w=3, body_w=1)"

// Search answers req through the distributed index of one node (in
// managed mode, the cluster's table), and of the next if that one does not
// answer. Bad parameters are EINVALID errors (the same as the embedded
// index's); if no node answers, EUNAVAILABLE. A result from part of the
// shards has Partial set and says why in Warnings: with client-side
// sharding, a node that does not answer is a shard missing; in managed mode
// it is only an entry point (Manticore keeps copies of its shards), so a
// result is partial only when the cluster says so (its warnings about
// agents).
func (b *Backend) Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	start := time.Now()
	seg := b.opts.Segmenter.Load()
	q, err := query.Parse(req.Query, seg)
	if err != nil {
		return nil, err
	}
	p, err := b.plan(q, seg, req)
	if err != nil {
		return nil, err
	}
	var warnings []string
	first := int(b.next.Add(1)) % len(b.shards)
	for k := range b.shards {
		s := b.shards[(first+k)%len(b.shards)]
		out, err := b.searchOn(ctx, s, q, p)
		if err == nil {
			out.Warnings = append(warnings, out.Warnings...)
			out.Partial = out.Partial || len(warnings) > 0
			out.TookMS = float64(time.Since(start).Microseconds()) / 1000
			return out, nil
		}
		if !unavailable(err) || ctx.Err() != nil {
			if ctx.Err() != nil {
				return nil, news.Errorf(news.EUNAVAILABLE, "search cancelled or timed out")
			}
			return nil, fmt.Errorf("search on %s: %w", s.addr, err)
		}
		if !b.managed() {
			warnings = append(warnings, fmt.Sprintf("shard %d did not answer as coordinator; asked the next node", s.n))
		}
	}
	return nil, news.Errorf(news.EUNAVAILABLE, "no node of the search cluster answers; try again later")
}

// plan is a validated request: the WHERE clause, order and window.
type plan struct {
	where   string // conditions after WHERE
	order   string
	sort    string
	offset  int
	size    int
	page    int
	facets  bool
	ranking bool
}

// plan validates req, whose query q seg parsed, as the embedded index does
// and builds the statement parts.
func (b *Backend) plan(q *query.Query, seg *segment.Segmenter, req news.SearchRequest) (*plan, error) {
	window := b.opts.MaxWindow
	if window <= 0 {
		window = query.MaxWindow
	}
	pg, err := query.Validate(req, q, window)
	if err != nil {
		return nil, err
	}
	p := &plan{sort: pg.Sort, size: pg.Size, page: pg.Number, offset: (pg.Number - 1) * pg.Size, facets: req.Facets}
	switch pg.Sort {
	case news.SortRelevance:
		p.order, p.ranking = "w DESC, pub DESC, aid ASC", true
	case news.SortDate:
		p.order = "pub DESC, aid ASC"
	}
	if req.Cursor != "" {
		off, err := decodeCursor(req.Cursor, pg.Sort)
		if err != nil {
			return nil, err
		}
		p.offset, p.page = off, 0
	}
	conds := []string{"is_dup=0"}
	if m := matchExpr(q, seg); m != "" {
		conds = append([]string{"MATCH(" + quote(m) + ")"}, conds...)
	}
	if v := query.NormalizeSection(req.Section); v != "" {
		conds = append(conds, fmt.Sprintf("secs=%d", hash63(v)))
	}
	if v := strings.TrimSpace(req.Region); v != "" {
		conds = append(conds, fmt.Sprintf("regs=%d", hash63(v)))
	}
	for _, f := range []struct{ attr, v string }{{"province", req.Province}, {"city", req.City}, {"county", req.County}} {
		if v := strings.TrimSpace(f.v); v != "" {
			conds = append(conds, f.attr+"="+quote(v))
		}
	}
	if !req.From.IsZero() || !req.To.IsZero() {
		conds = append(conds, "day>0")
		if !req.From.IsZero() {
			conds = append(conds, fmt.Sprintf("pub>=%d", ceilUnix(req.From)))
		}
		if !req.To.IsZero() {
			conds = append(conds, fmt.Sprintf("pub<%d", ceilUnix(req.To)))
		}
	}
	p.where = strings.Join(conds, " AND ")
	return p, nil
}

// ceilUnix is t in whole seconds, rounded up: publication times are
// compared in seconds.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// searchOn runs p with node s coordinating, on one connection (SHOW META
// describes the statement before it on the same connection).
func (b *Backend) searchOn(ctx context.Context, s *shard, q *query.Query, p *plan) (*news.SearchResult, error) {
	c, cancel := b.ctx(ctx)
	defer cancel()
	conn, err := s.db.Conn(c)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	out := &news.SearchResult{Page: p.page, Size: p.size, Hits: []news.Hit{}}
	warn := func(ws []string) {
		for _, w := range ws {
			if !contains(out.Warnings, w) {
				out.Warnings = append(out.Warnings, w)
			}
			if strings.Contains(w, "agent") {
				out.Partial = true
			}
		}
	}
	opts := fmt.Sprintf("max_matches=%d", max(1000, p.offset+p.size))
	if p.ranking {
		opts += ", " + ranking
	} else {
		opts += ", ranker=none"
	}
	// One round trip: the hits, their meta and the facet counts (searchd
	// runs a batch with one full-text query as a multi-query, and each
	// statement costs a trip to every node).
	stmts := []string{fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT %d, %d OPTION %s",
		hitColumns, b.dist, p.where, p.order, p.offset, p.size, opts), "SHOW META"}
	facetAttrs := []string{"section", "province", "city", "day"}
	if p.facets {
		for _, attr := range facetAttrs {
			stmts = append(stmts, groupStmt(b.dist, attr, p.where, firstGroups))
		}
	}
	rows, err := conn.QueryContext(c, strings.Join(stmts, "; "))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		h, err := scanHit(rows)
		if err != nil {
			return nil, err
		}
		out.Hits = append(out.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !rows.NextResultSet() {
		return nil, fmt.Errorf("search: no SHOW META result: %w", rows.Err())
	}
	total, ws, err := readMeta(rows)
	if err != nil {
		return nil, err
	}
	out.Total = total
	warn(ws)
	if n := len(out.Hits); n > 0 && n == p.size && uint64(p.offset+n) < out.Total {
		out.NextCursor = encodeCursor(p.sort, p.offset+n)
	}
	if p.facets {
		counts := make([]map[string]int, len(facetAttrs))
		more := make([]bool, len(facetAttrs))
		for i, attr := range facetAttrs {
			if !rows.NextResultSet() {
				return nil, fmt.Errorf("search: no %s facet result: %w", attr, rows.Err())
			}
			m, n, err := readGroups(rows, attr)
			if err != nil {
				return nil, err
			}
			counts[i], more[i] = m, n >= firstGroups
		}
		rows.Close() // the connection is free for more statements
		for i, attr := range facetAttrs {
			if more[i] { // more groups than asked for: ask again for more
				if counts[i], ws, err = groupCounts(c, conn, b.dist, attr, p.where, 10*firstGroups); err != nil {
					return nil, err
				}
				warn(ws)
			}
		}
		out.Facets = news.NewFacets(counts[0], counts[1], counts[2], counts[3], b.opts.Now())
	}
	rows.Close()
	if err := b.copies(c, conn, out.Hits); err != nil {
		return nil, err
	}
	if err := highlight.Hits(ctx, b.opts.Texts, q.Literals(), out.Hits); err != nil {
		return nil, err
	}
	return out, nil
}

// hitColumns are what a hit is made of (see scanHit), selected from the
// article index: the ranking's weight is w.
const hitColumns = "id, aid, title, url, section, province, city, county, region_code, source, pub, pub_ns, day, WEIGHT() AS w"

// scanHit reads a hit from the current row of rows, whose columns are
// hitColumns and then as many as extra, read into extra.
func scanHit(rows *sql.Rows, extra ...any) (news.Hit, error) {
	var (
		id              uint64
		h               news.Hit
		section         string
		pub, ns, day, w int64
	)
	dest := append([]any{&id, &h.ID, &h.Title, &h.URL, &section, &h.Region.Province, &h.Region.City, &h.Region.County, &h.Region.Code, &h.Source, &pub, &ns, &day, &w}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return news.Hit{}, err
	}
	h.Score = float64(w)
	h.Section = []string{}
	if section != "" {
		h.Section = strings.Split(section, news.SectionSep)
	}
	if day > 0 {
		h.PublishedAt = time.Unix(pub, ns).In(news.CST)
	}
	return h, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// meta reads SHOW META after a SELECT: the total found and the warnings.
func meta(ctx context.Context, conn *sql.Conn) (uint64, []string, error) {
	rows, err := conn.QueryContext(ctx, "SHOW META")
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	return readMeta(rows)
}

// readMeta reads the current result set of rows as SHOW META.
func readMeta(rows *sql.Rows) (uint64, []string, error) {
	var total uint64
	var warnings []string
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return 0, nil, err
		}
		switch k {
		case "total_found":
			total, _ = strconv.ParseUint(v, 10, 64)
		case "warning":
			warnings = append(warnings, v)
		}
	}
	return total, warnings, rows.Err()
}

// groupCounts counts the matching articles of table by attr (a string
// attribute, or day as YYYY-MM-DD), merged over the nodes by the
// coordinator, asking for
// up to limit groups and ten times more while that is not enough. A group
// query costs in proportion to the groups it may hold (max_matches), so a
// search first asks for firstGroups.
func groupCounts(ctx context.Context, conn *sql.Conn, table, attr, where string, limit int) (map[string]int, []string, error) {
	for ; ; limit *= 10 {
		m, rows, ws, err := groupQuery(ctx, conn, table, attr, where, limit)
		if err != nil || rows < limit || limit >= maxGroups {
			return m, ws, err
		}
	}
}

// Group queries ask for firstGroups groups, then ten times more, up to
// maxGroups.
var firstGroups = 5000 // a variable for tests

const maxGroups = 500000

func groupStmt(table, attr, where string, limit int) string {
	return fmt.Sprintf("SELECT %s, COUNT(*) AS n FROM %s WHERE %s GROUP BY %s LIMIT 0, %d OPTION max_matches=%d, ranker=none",
		attr, table, where, attr, limit, limit)
}

func groupQuery(ctx context.Context, conn *sql.Conn, table, attr, where string, limit int) (map[string]int, int, []string, error) {
	rows, err := conn.QueryContext(ctx, groupStmt(table, attr, where, limit))
	if err != nil {
		return nil, 0, nil, err
	}
	m, count, err := readGroups(rows, attr)
	rows.Close()
	if err != nil {
		return nil, 0, nil, err
	}
	_, ws, err := meta(ctx, conn)
	return m, count, ws, err
}

// readGroups reads the current result set of rows as value, count pairs,
// and how many rows there were.
func readGroups(rows *sql.Rows, attr string) (map[string]int, int, error) {
	m := map[string]int{}
	count := 0
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, 0, err
		}
		count++
		if attr == "day" {
			d, _ := strconv.Atoi(v)
			if d <= 0 {
				continue
			}
			v = fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
		}
		if v != "" {
			m[v] += n
		}
	}
	return m, count, rows.Err()
}

// copies sets how many near-duplicate copies each hit has.
func (b *Backend) copies(ctx context.Context, conn *sql.Conn, hits []news.Hit) error {
	if len(hits) == 0 {
		return nil
	}
	hs := make([]string, len(hits))
	for i, h := range hits {
		hs[i] = strconv.FormatUint(hash63(h.ID), 10)
	}
	stmt := fmt.Sprintf("SELECT dup_of, COUNT(*) AS n FROM %s WHERE dup_h IN (%s) GROUP BY dup_of LIMIT 0, %d OPTION max_matches=%d",
		b.dist, strings.Join(hs, ","), len(hits)*2, max(1000, len(hits)*2))
	rows, err := conn.QueryContext(ctx, stmt)
	if err != nil {
		return err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		counts[id] = n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range hits {
		hits[i].Duplicates = counts[hits[i].ID]
	}
	return nil
}

type cursor struct {
	Sort   string `json:"s"`
	Offset int    `json:"o"`
}

// encodeCursor returns the cursor of the page that starts at offset.
func encodeCursor(sortBy string, offset int) string {
	b, _ := json.Marshal(cursor{Sort: sortBy, Offset: offset})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sortBy string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Offset <= 0 || c.Sort == "" {
		return 0, news.Errorf(news.EINVALID, "cursor is not one this server gave out; start again from the first page")
	}
	if c.Sort != sortBy {
		return 0, news.Errorf(news.EINVALID, "cursor was made for sort %q, not %q; start again from the first page", c.Sort, sortBy)
	}
	return c.Offset, nil
}
