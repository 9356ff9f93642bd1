package manticore_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/manticore/searchdtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
)

// countIn counts the documents of index on the node at addr, bypassing the
// backend.
func countIn(t *testing.T, addr, index string) int {
	t.Helper()
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr = "tcp", addr
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + index).Scan(&n); err != nil && err != sql.ErrNoRows {
		t.Fatalf("count %s on %s: %v", index, addr, err)
	}
	return n
}

// TestManagedFailover opens a managed-mode backend on two entry points, the
// first of which nothing listens on: it writes, searches, deletes and keeps
// the watermark through the second, in the managed table and its meta table
// only, without calling the result partial (a node that does not answer is
// not a shard missing in managed mode). With the node stopped too, every
// operation fails with EUNAVAILABLE; once it is back, its data is there.
func TestManagedFailover(t *testing.T) {
	ctx := context.Background()
	c := searchdtest.StartManaged(t, "articles")
	node := c.Addrs()[0]
	arts := backendtest.DemoArticles(t)
	texts := backendtest.MemTexts{}
	for _, a := range arts {
		texts[a.ID] = a
	}
	b, err := manticore.Open([]string{searchdtest.ClosedAddr(t), node}, manticore.Options{Segmenter: testseg.Current(t), Table: "articles", Texts: texts})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Put(ctx, arts); err != nil {
		t.Fatalf("put with the first node down: %v", err)
	}
	if err := b.SetInternal("store_seq", []byte("42")); err != nil {
		t.Fatalf("set internal with the first node down: %v", err)
	}
	// The articles and the watermark are in the managed tables, and only
	// there.
	if got, want := countIn(t, node, "articles"), len(arts); got != want {
		t.Errorf("articles holds %d documents, want %d", got, want)
	}
	if got := countIn(t, node, manticore.MetaTable("articles")); got != 1 {
		t.Errorf("%s holds %d documents, want 1", manticore.MetaTable("articles"), got)
	}
	for _, ix := range []string{manticore.RTIndex, manticore.MetaIndex} {
		if got := countIn(t, node, ix); got != 0 {
			t.Errorf("managed mode wrote %d documents into %s", got, ix)
		}
	}

	// Every operation, whichever entry point the round robin starts with.
	all := news.SearchRequest{Sort: news.SortDate, Size: 100, Facets: true}
	var want []string
	for _, a := range arts {
		want = append(want, a.ID)
	}
	slices.Sort(want)
	for i := range 3 {
		res, err := b.Search(ctx, all)
		if err != nil {
			t.Fatalf("search %d with the first node down: %v", i, err)
		}
		if res.Total != uint64(len(arts)) || res.Partial || len(res.Warnings) > 0 {
			t.Errorf("search %d: total %d (want %d), partial %v %v", i, res.Total, len(arts), res.Partial, res.Warnings)
		}
		if n, err := b.Count(); err != nil || n != uint64(len(arts)) {
			t.Errorf("count %d: %d, %v; want %d", i, n, err, len(arts))
		}
		if v, err := b.GetInternal("store_seq"); err != nil || string(v) != "42" {
			t.Errorf("get internal %d: %q, %v", i, v, err)
		}
		var ids []string
		if err := b.EachID(ctx, func(id string) error { ids = append(ids, id); return nil }); err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, want) {
			t.Errorf("EachID %d: %d IDs, want %d", i, len(ids), len(want))
		}
	}
	if got := backendtest.AllIDs(t, b, all); len(got) != len(arts) {
		t.Errorf("all pages: %d hits, want %d", len(got), len(arts))
	}
	if err := b.Delete(ctx, []string{arts[0].ID}); err != nil {
		t.Fatal(err)
	}
	if got, want := countIn(t, node, "articles"), len(arts)-1; got != want {
		t.Errorf("after a delete, articles holds %d documents, want %d", got, want)
	}
	if err := b.Ping(ctx); err != nil {
		t.Errorf("ping: %v", err)
	}

	// Every entry point down.
	c.Kill(0)
	for name, err := range map[string]error{
		"put":    b.Put(ctx, arts[:1]),
		"delete": b.Delete(ctx, []string{arts[1].ID}),
		"set":    b.SetInternal("store_seq", []byte("43")),
		"clear":  b.Clear(ctx),
		"ping":   b.Ping(ctx),
		"each":   b.EachID(ctx, func(string) error { return nil }),
	} {
		if news.ErrorCode(err) != news.EUNAVAILABLE {
			t.Errorf("%s with every node down: %v, want %s", name, err, news.EUNAVAILABLE)
		}
	}
	if _, err := b.Search(ctx, all); news.ErrorCode(err) != news.EUNAVAILABLE {
		t.Errorf("search with every node down: %v", err)
	}
	if _, err := b.Count(); news.ErrorCode(err) != news.EUNAVAILABLE {
		t.Errorf("count with every node down: %v", err)
	}
	_, err = b.GetInternal("store_seq")
	if news.ErrorCode(err) != news.EUNAVAILABLE || !strings.Contains(news.ErrorMessage(err), node) {
		t.Errorf("get internal with every node down: %v, want %s naming %s", err, news.EUNAVAILABLE, node)
	}

	// Back: what was acknowledged is there.
	c.Restart(0)
	if n, err := b.Count(); err != nil || n != uint64(len(arts)-1) {
		t.Errorf("node back: count %d, %v; want %d", n, err, len(arts)-1)
	}
	if v, err := b.GetInternal("store_seq"); err != nil || string(v) != "42" {
		t.Errorf("node back: watermark %q, %v; want 42", v, err)
	}
}

// TestManagedClear empties the managed table, here by deleting by ID (Sphinx
// refuses TRUNCATE TABLE), over more than one page of IDs, and leaves the
// watermark.
func TestManagedClear(t *testing.T) {
	ctx := context.Background()
	c := searchdtest.StartManaged(t, "articles")
	// 1,200 articles to one node: give a busy machine time.
	b, err := manticore.Open(c.Addrs(), manticore.Options{Segmenter: testseg.Current(t), Table: "articles", Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var arts []news.Article
	for k := 0; len(arts) < 1200; k++ { // more than a page of IDs
		more := backendtest.DemoArticles(t)
		for i := range more {
			more[i].ID += fmt.Sprintf("-%d", k)
		}
		arts = append(arts, more...)
	}
	if err := b.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if err := b.SetInternal("store_seq", []byte("7")); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Count(); err != nil || n != uint64(len(arts)) {
		t.Fatalf("count %d, %v; want %d", n, err, len(arts))
	}
	if err := b.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if got := countIn(t, c.Addrs()[0], "articles"); got != 0 {
		t.Errorf("after clear, articles holds %d documents", got)
	}
	if v, err := b.GetInternal("store_seq"); err != nil || string(v) != "7" {
		t.Errorf("after clear, watermark %q, %v; want 7", v, err)
	}
}

func TestCheckTable(t *testing.T) {
	for _, name := range []string{"articles", "xinwen_articles", "a", "a1_b2", strings.Repeat("a", 59)} {
		if err := manticore.CheckTable(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	for _, name := range []string{"", "1articles", "_articles", "Articles", "news-articles", "c:articles", "art icles", "文章", strings.Repeat("a", 60)} {
		if err := manticore.CheckTable(name); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("%q: %v, want %s", name, err, news.EINVALID)
		}
	}
	if _, err := manticore.Open([]string{"127.0.0.1:9306"}, manticore.Options{Segmenter: testseg.Current(t), Table: "c:articles"}); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("open with table c:articles: %v, want %s", err, news.EINVALID)
	}
}

// TestOutOfCluster: a Manticore node that has lost its cluster's quorum
// answers writes with an error (its text from the Manticore manual); managed
// mode tries the next node then, and not after other errors it answers.
func TestOutOfCluster(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&mysql.MySQLError{Number: 1064, Message: "cluster 'xinwen' is not ready, not primary state (synced)"}, true},
		{fmt.Errorf("index articles: %w", &mysql.MySQLError{Number: 1064, Message: "cluster 'c' is not ready, not primary state (joining)"}), true},
		{&mysql.MySQLError{Number: 1064, Message: "sphinxql: syntax error, unexpected TABLE, expecting RTINDEX near 'TABLE articles'"}, false},
		{&mysql.MySQLError{Number: 1064, Message: "unknown local index 'articles' in search request"}, false},
		{context.DeadlineExceeded, false},
	} {
		if got := manticore.OutOfCluster(tc.err); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, got, tc.want)
		}
	}
}
