package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
	"github.com/xinwen/xinwen/internal/testseg"
)

type env struct {
	dir   string
	store *store.Store
	index *index.Index
	pipe  *ingest.Pipeline
}

func open(t *testing.T, dir string) *env {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "articles.db"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(dir, "index"), index.Options{Segmenter: testseg.Current(t), Texts: st})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{dir: dir, store: st, index: ix}
	e.pipe = ingest.New(st, func() news.Backend { return e.index }, nil)
	return e
}

func (e *env) close() { e.index.Close(); e.store.Close() }

func records(n int, prefix string) []extract.Record {
	var out []extract.Record
	for i := range n {
		out = append(out, extract.Record{Article: news.Article{
			ID: fmt.Sprintf("%s%d", prefix, i), Title: fmt.Sprintf("第%d条新闻", i), Body: fmt.Sprintf("正文%d：天水市清水县脱贫攻坚。", i),
		}, File: "in.jsonl", Line: i + 1})
	}
	return out
}

func TestOutcomes(t *testing.T) {
	e := open(t, t.TempDir())
	defer e.close()
	ctx := context.Background()
	recs := records(3, "a")
	recs = append(recs, extract.Record{File: "in.jsonl", Line: 4, Err: news.Errorf(news.EINVALID, "invalid JSON")})
	outs, err := e.pipe.Put(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	var sum news.IngestSummary
	for _, o := range outs {
		sum.Add(o)
	}
	if got, want := sum.String(), "3 added, 0 updated, 0 unchanged, 0 duplicates, 1 failed"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if outs[3].Line != 4 || outs[3].Error != "invalid JSON" {
		t.Errorf("failed outcome %+v", outs[3])
	}
	outs, err = e.pipe.Put(ctx, records(3, "a"))
	if err != nil || outs[0].Status != news.OutcomeUnchanged {
		t.Fatalf("re-ingest: %+v %v", outs, err)
	}
	if n, _ := e.index.Count(); n != 3 {
		t.Errorf("index has %d, want 3", n)
	}
	if err := e.pipe.Delete(ctx, "a1"); err != nil {
		t.Fatal(err)
	}
	if err := e.pipe.Delete(ctx, "a1"); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("delete twice: %v", err)
	}
	if n, _ := e.index.Count(); n != 2 {
		t.Errorf("index has %d after delete, want 2", n)
	}
}

// TestCatchUp: articles the store acknowledged but the index never saw (a
// crash between the two, or a lost index) are indexed on the next start.
func TestCatchUp(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	e := open(t, dir)
	if _, err := e.pipe.Put(ctx, records(10, "a")); err != nil {
		t.Fatal(err)
	}
	// The crash: the store takes a batch, the index never does.
	var arts []news.Article
	for _, r := range records(5, "b") {
		arts = append(arts, r.Article)
	}
	if _, err := e.store.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if err := e.store.Delete(ctx, "a3"); err != nil {
		t.Fatal(err)
	}
	e.close()

	e = open(t, dir)
	n, err := e.pipe.CatchUp(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("caught up %d changes, want 6 (5 puts, 1 delete)", n)
	}
	if c, _ := e.index.Count(); c != 14 {
		t.Errorf("index has %d articles, want 14", c)
	}
	if n, _ := e.pipe.CatchUp(ctx); n != 0 {
		t.Errorf("second catch-up did %d, want 0", n)
	}
	e.close()

	// A lost index is rebuilt from the change feed.
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	e = open(t, dir)
	defer e.close()
	if _, err := e.pipe.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.index.Count(); c != 14 {
		t.Errorf("rebuilt index has %d articles, want 14", c)
	}
	if _, err := e.store.Get(ctx, "a3"); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("a3: %v", err)
	}
}

// TestCheck finds articles the index lost or never should have had, and
// repairs both.
func TestCheck(t *testing.T) {
	e := open(t, t.TempDir())
	defer e.close()
	ctx := context.Background()
	if _, err := e.pipe.Put(ctx, records(1200, "a")); err != nil {
		t.Fatal(err)
	}
	r, err := e.pipe.Check(ctx, false)
	if err != nil || !r.Consistent() || r.Stored != 1200 || r.Indexed != 1200 {
		t.Fatalf("consistent store and index: %+v %v", r, err)
	}
	// Damage: the index loses two articles and gains one the store lacks.
	if err := e.index.Delete(ctx, []string{"a7", "a1100"}); err != nil {
		t.Fatal(err)
	}
	if err := e.index.Put(ctx, []news.Article{{ID: "ghost", Title: "不在库中", Body: "只在索引里"}}); err != nil {
		t.Fatal(err)
	}
	r, err = e.pipe.Check(ctx, false)
	if err != nil || len(r.Missing) != 2 || len(r.Extra) != 1 || r.Extra[0] != "ghost" || r.Repaired {
		t.Fatalf("damaged: %+v %v", r, err)
	}
	r, err = e.pipe.Check(ctx, true)
	if err != nil || !r.Repaired {
		t.Fatalf("repair: %+v %v", r, err)
	}
	r, err = e.pipe.Check(ctx, false)
	if err != nil || !r.Consistent() || r.Indexed != 1200 {
		t.Errorf("after repair: %+v %v", r, err)
	}
}
