package live_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/live"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/store"
	"github.com/xinwen/xinwen/internal/testseg"
)

func article(prefix string, i int) news.Article {
	return news.Article{
		ID:    fmt.Sprintf("%s%d", prefix, i),
		Title: fmt.Sprintf("%s第%d号：天水市清水县脱贫攻坚", prefix, i),
		Body:  fmt.Sprintf("清水县第%d次调度会召开，村民党建子发言。会议研究部署乡村振兴工作，编号%s%d。", i, prefix, i),
	}
}

func records(prefix string, from, to int) []extract.Record {
	var out []extract.Record
	for i := from; i < to; i++ {
		out = append(out, extract.Record{Article: article(prefix, i)})
	}
	return out
}

// open opens the live index of data directory dir, its segmenter held by
// cur.
func open(t *testing.T, dir string, cur *segment.Current) (*live.Service, *store.Store) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "articles.db"))
	if err != nil {
		t.Fatal(err)
	}
	lv, err := live.Open(dir, st, live.Options{
		Index: index.Options{Segmenter: cur},
		Warn:  func(err error) { t.Errorf("in the background: %v", err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return lv, st
}

// TestRebuildUnderLoad rebuilds the index while searches and ingests run
// and the dictionary changes: every search succeeds, nothing is lost, and
// afterwards the new index answers what the old one did.
func TestRebuildUnderLoad(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	cur := testseg.Current(t)
	lv, st := open(t, dir, cur)
	defer st.Close()
	defer lv.Close()
	const base = 3000
	if _, err := lv.Pipeline().Put(ctx, records("a", 0, base)); err != nil {
		t.Fatal(err)
	}
	query := news.SearchRequest{Query: "清水县 脱贫", Facets: true}
	before, err := lv.Search(ctx, query)
	if err != nil || before.Total != base {
		t.Fatalf("before: %v %v", before, err)
	}

	job, err := lv.StartRebuild("base")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lv.StartRebuild("base"); news.ErrorCode(err) != news.ECONFLICT {
		t.Errorf("second rebuild while one runs: %v, want ECONFLICT", err)
	}

	var (
		wg       sync.WaitGroup
		searches atomic.Int64
		failures atomic.Int64
		added    atomic.Int64
		stop     = make(chan struct{})
	)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := lv.Search(ctx, news.SearchRequest{Query: "清水县", Page: 1 + w})
				searches.Add(1)
				if err != nil || res.Total < base {
					failures.Add(1)
					t.Errorf("search during rebuild: total %v, err %v", res, err)
				}
			}
		}()
	}
	wg.Add(1)
	go func() { // ingest during the rebuild
		defer wg.Done()
		for i := 0; ; i += 50 {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := lv.Pipeline().Put(ctx, records("b", i, i+50)); err != nil {
				t.Errorf("ingest during rebuild: %v", err)
				return
			}
			added.Add(50)
			time.Sleep(20 * time.Millisecond)
		}
	}()
	// A dictionary change in the middle: a new segmenter swapped in.
	time.Sleep(200 * time.Millisecond)
	seg, err := segment.New(testseg.DictDir(), []segment.Entry{{Word: "党建子", Freq: 20, Tag: "nr"}})
	if err != nil {
		t.Fatal(err)
	}
	cur.Store(seg)

	deadline := time.Now().Add(2 * time.Minute)
	for {
		j, err := lv.Job(job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.State != news.JobRunning {
			if j.State != news.JobDone {
				t.Fatalf("job ended %s: %v", j.State, j.Errors)
			}
			// The store is read as it grows: articles ingested during the
			// rebuild may be counted too.
			if j.Done < base || j.Total != base {
				t.Errorf("job counted %d of %d, want at least %d of %d", j.Done, j.Total, base, base)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("rebuild did not finish in 2 minutes")
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // searches on the new index too
	close(stop)
	wg.Wait()
	if searches.Load() == 0 || failures.Load() > 0 {
		t.Errorf("%d searches, %d failed", searches.Load(), failures.Load())
	}
	want := uint64(base + added.Load())
	if n, _ := lv.Count(); n != want {
		t.Errorf("after the rebuild the index has %d articles, want %d (none lost)", n, want)
	}
	after, err := lv.Search(ctx, query)
	if err != nil || after.Total != want {
		t.Errorf("after: %d, want %d (%v)", after.Total, want, err)
	}
	last := fmt.Sprintf(`"编号b%d"`, added.Load()-1)
	if res, _ := lv.Search(ctx, news.SearchRequest{Query: last}); res.Total != 1 {
		t.Errorf("the last article ingested during the rebuild: %d hits", res.Total)
	}
	entries, _ := os.ReadDir(dir)
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) != 1 {
		t.Errorf("index directories after the swap: %v, want only the new one", dirs)
	}
	t.Logf("%d searches during the rebuild, %d articles ingested during it", searches.Load(), added.Load())
}

// TestInterruptedRebuild: a cancelled rebuild leaves the old index serving,
// and a rebuild directory left by a killed process is removed on open.
func TestInterruptedRebuild(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	cur := testseg.Current(t)
	lv, st := open(t, dir, cur)
	if _, err := lv.Pipeline().Put(ctx, records("a", 0, 2000)); err != nil {
		t.Fatal(err)
	}
	job, err := lv.StartRebuild("base")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lv.CancelJob(job.ID); err != nil {
		t.Fatal(err)
	}
	for {
		j, _ := lv.Job(job.ID)
		if j.State != news.JobRunning {
			if j.State != news.JobCancelled {
				t.Errorf("job %s, want cancelled", j.State)
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n, _ := lv.Count(); n != 2000 {
		t.Errorf("after a cancelled rebuild: %d articles", n)
	}
	lv.Close()
	st.Close()
	// What kill -9 leaves: a half-built index directory.
	if err := os.MkdirAll(filepath.Join(dir, "index-123", "store"), 0o755); err != nil {
		t.Fatal(err)
	}
	lv, st = open(t, dir, cur)
	defer st.Close()
	defer lv.Close()
	if _, err := os.Stat(filepath.Join(dir, "index-123")); !os.IsNotExist(err) {
		t.Errorf("stale rebuild directory not removed: %v", err)
	}
	if res, err := lv.Search(ctx, news.SearchRequest{Query: "清水县"}); err != nil || res.Total != 2000 {
		t.Errorf("after reopen: %v %v", res, err)
	}
}

// TestCloseStopsBackgroundWork rebuilds the index again and again and closes
// the live index at once after each rebuild, while suggestions are asked
// for: every swap starts rebuilding the new index's suggestions in the
// background, and that work must end before the index it reads is closed
// (it used to outlive it, and read a closed index: SIGSEGV in scorch). Run
// it under -race too.
func TestCloseStopsBackgroundWork(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	cur := testseg.Current(t)
	lv, st := open(t, dir, cur)
	if _, err := lv.Pipeline().Put(ctx, records("a", 0, 2000)); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if i%2 == 0 {
			if _, err := lv.Suggest(ctx, "清水", 5); err != nil {
				t.Fatal(err)
			}
		}
		lv.WarmSuggestions() // a refresh of the old index's suggestions, too
		if err := lv.Rebuild(ctx, "base", nil); err != nil {
			t.Fatal(err)
		}
		// The new index's suggestions are being built: close now.
		if err := lv.Close(); err != nil {
			t.Fatal(err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		lv, st = open(t, dir, cur)
	}
	defer st.Close()
	defer lv.Close()
	if res, err := lv.Search(ctx, news.SearchRequest{Query: "清水县"}); err != nil || res.Total != 2000 {
		t.Errorf("after the rebuilds: %v %v", res, err)
	}
}
