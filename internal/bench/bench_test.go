package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/bench"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
)

// writeCorpus writes n articles as JSON Lines and returns the path.
func writeCorpus(t *testing.T, n int) string {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		topic := []string{"国务院常务会议部署稳就业", "乡村振兴取得新进展", "新质生产力加快发展"}[i%3]
		rec := map[string]string{
			"id":      fmt.Sprintf("a%03d", i),
			"title":   fmt.Sprintf("%s（第%d期）", topic, i),
			"body":    topic + "。各地区各部门认真贯彻落实，推动工作取得实效。",
			"date":    time.Date(2024, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, news.CST).Format(time.DateOnly),
			"section": []string{"国内", "国际"}[i%2],
		}
		line, _ := json.Marshal(rec)
		b.Write(append(line, '\n'))
	}
	path := filepath.Join(t.TempDir(), "corpus.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReplicate(t *testing.T) {
	path := writeCorpus(t, 3)
	prepared := 0
	prepare := func(a *news.Article, hint string) { prepared++; a.Source = "prepared" }
	var got []news.Article
	collect := func(arts []news.Article) error {
		if len(arts) > index.BatchSize {
			t.Errorf("a batch of %d", len(arts))
		}
		got = append(got, arts...)
		return nil
	}
	if err := bench.Replicate([]string{path}, 7, prepare)(context.Background(), collect); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range got {
		ids = append(ids, a.ID)
	}
	if got, want := strings.Join(ids, " "), "a000 a001 a002 a000~1 a001~1 a002~1 a000~2"; got != want {
		t.Errorf("IDs %s, want %s", got, want)
	}
	if prepared != 7 || got[6].Source != "prepared" {
		t.Errorf("prepare called %d times, want 7", prepared)
	}
	for i, years := range []int{0, 0, 0, 1, 1, 1, 2} {
		orig := got[i%3].PublishedAt
		if want := orig.AddDate(-years, 0, 0); !got[i].PublishedAt.Equal(want) {
			t.Errorf("article %d published %v, want %v", i, got[i].PublishedAt, want)
		}
		if got[i].Title != got[i%3].Title {
			t.Errorf("article %d has another title", i)
		}
	}
	got = nil
	if err := bench.Files([]string{path}, nil)(context.Background(), collect); err != nil || len(got) != 3 {
		t.Errorf("Files: %d articles, %v", len(got), err)
	}
	// More batches than one, and nothing lost at the seams.
	got = nil
	if err := bench.Replicate([]string{path}, 1001, nil)(context.Background(), collect); err != nil || len(got) != 1001 || got[1000].ID != "a001~333" {
		t.Errorf("1001 articles: got %d, last %v, %v", len(got), got[len(got)-1].ID, err)
	}
	if err := bench.Replicate([]string{filepath.Join(t.TempDir(), "empty")}, 5, nil)(context.Background(), collect); err == nil {
		t.Error("replicating nothing did not fail")
	}
}

func TestRunAndQuery(t *testing.T) {
	ctx := context.Background()
	path := writeCorpus(t, 60)
	dir := t.TempDir()
	prof := filepath.Join(dir, "prof")
	mix := []bench.NamedQuery{
		{Name: "two-words", Req: news.SearchRequest{Query: "国务院 稳就业"}},
		{Name: "filtered", Req: news.SearchRequest{Query: "乡村振兴", Section: "国内"}},
		{Name: "all-facets", Req: news.SearchRequest{Facets: true}},
	}
	cfg := bench.Config{Segmenter: testseg.Current(t), Dir: filepath.Join(dir, "idx"), Queries: mix, Runs: 3, CPUProfile: prof, MemProfile: prof + "-mem"}
	rep, err := bench.Run(ctx, bench.Replicate([]string{path}, 90, nil), cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw := int64(0)
	var arts []news.Article
	bench.Replicate([]string{path}, 90, nil)(ctx, func(b []news.Article) error { arts = append(arts, b...); return nil })
	for _, a := range arts {
		raw += int64(len(a.Title) + len(a.Body))
	}
	if rep.Docs != 90 || rep.RawBytes != raw || len(rep.Engines) != 2 {
		t.Fatalf("report of %d docs, %d raw bytes (want %d), %d engines", rep.Docs, rep.RawBytes, raw, len(rep.Engines))
	}
	// 90 articles: every third is about 国务院…稳就业 (30), every sixth is
	// 乡村振兴 in 国内 (15), all of them match all.
	wantTotals := []uint64{30, 15, 90}
	for _, e := range rep.Engines {
		if e.Docs != 90 || e.DocsPerSec <= 0 || e.DocsPerCPUSec <= 0 || e.IndexBytes <= 0 || e.XRaw <= 0 || e.Segments < 1 || e.Indexing.PeakHeapMB <= 0 || e.Searching.PeakHeapMB <= 0 {
			t.Errorf("%s: %+v", e.Analysis, e)
		}
		if runtime.GOOS == "linux" && (e.Indexing.PeakRSSMB <= 0 || e.Searching.PeakRSSMB <= 0) {
			t.Errorf("%s: no resident set measured on Linux: %+v %+v", e.Analysis, e.Indexing, e.Searching)
		}
		for i, q := range e.Queries {
			if q.Name != mix[i].Name || q.Total != wantTotals[i] || q.P50MS > q.P99MS || q.CPUP50MS > q.CPUP99MS || q.CPUP99MS <= 0 {
				t.Errorf("%s: %+v, want %d hits", e.Analysis, q, wantTotals[i])
			}
		}
		for _, f := range []string{prof + "." + e.Analysis + ".index.pprof", prof + "." + e.Analysis + ".query.pprof", prof + "-mem." + e.Analysis + ".query.pprof"} {
			if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
				t.Errorf("profile %s: %v", f, err)
			}
		}
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"90 articles", "xinwen", "cjk", "indexing docs/s", "peak RSS, searching", "all-facets p50 / p99"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}

	// The same directory again: refused, the index is kept.
	if _, err := bench.Run(ctx, bench.Files([]string{path}, nil), cfg); news.ErrorCode(err) != news.ECONFLICT {
		t.Errorf("second run into the same directory: %v, want a conflict", err)
	}
	// Query measures the indexes left there.
	cfg.CPUProfile, cfg.MemProfile = "", ""
	cfg.Analyses = []index.Analysis{index.AnalysisXinwen}
	// Serving applies a server's collector settings around the queries and
	// undoes them after.
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	applied, undone := 0, 0
	cfg.Serving = func() func() {
		applied++
		old := debug.SetGCPercent(321)
		return func() { undone++; debug.SetGCPercent(old) }
	}
	q, err := bench.Query(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Engines) != 1 || q.Engines[0].IndexBytes <= 0 || q.Engines[0].Queries[1].Total != 15 {
		t.Errorf("Query: %+v", q.Engines)
	}
	if q.QueryGOGC != 321 || applied < 2 || undone != applied {
		t.Errorf("GOGC while searching %d (want 321); settings applied %d times (want one for the report and one per engine), undone %d", q.QueryGOGC, applied, undone)
	}
	if now := debug.SetGCPercent(100); now != 100 {
		t.Errorf("GOGC after Query: %d, want 100 again", now)
	}
	table.Reset()
	q.WriteTable(&table)
	if !strings.Contains(table.String(), "GOGC 321 while searching") {
		t.Errorf("table does not say the GOGC of the queries:\n%s", table.String())
	}
	cfg.Serving = nil
	cfg.Dir = filepath.Join(dir, "nothing")
	if _, err := bench.Query(ctx, cfg); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("Query without an index: %v, want not found", err)
	}
}

// batches10 is a Source of arts in batches of ten.
func batches10(arts []news.Article) bench.Source {
	return func(ctx context.Context, fn func([]news.Article) error) error {
		for i := 0; i < len(arts); i += 10 {
			if err := fn(arts[i:min(i+10, len(arts))]); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestCheckpoints(t *testing.T) {
	ctx := context.Background()
	var arts []news.Article
	bench.Files([]string{writeCorpus(t, 90)}, nil)(ctx, func(b []news.Article) error { arts = append(arts, b...); return nil })
	mix := []bench.NamedQuery{
		{Name: "two-words", Req: news.SearchRequest{Query: "国务院 稳就业"}},
		{Name: "filtered", Req: news.SearchRequest{Query: "乡村振兴", Section: "国内"}},
		{Name: "all", Req: news.SearchRequest{}},
	}
	cfg := bench.Config{Segmenter: testseg.Current(t), Queries: mix, Runs: 2, Checkpoints: []int{60, 30}}
	rep, err := bench.Run(ctx, batches10(arts), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Per checkpoint: every third story is 国务院…稳就业, every sixth
	// (i%6 == 4) 乡村振兴 in 国内.
	want := map[int][]uint64{30: {10, 5, 30}, 60: {20, 10, 60}, 90: {30, 15, 90}}
	for _, e := range rep.Engines {
		if len(e.Checkpoints) != 2 {
			t.Fatalf("%s: %d checkpoints, want 2", e.Analysis, len(e.Checkpoints))
		}
		all := append(append([]bench.Engine{}, e.Checkpoints...), e)
		for i, c := range all {
			if i > 0 && (c.Docs <= all[i-1].Docs || c.IndexBytes <= 0 || c.IndexSec < all[i-1].IndexSec) {
				t.Errorf("%s: measurement %d (%d docs, %d bytes, %.3fs) does not follow %d", e.Analysis, i, c.Docs, c.IndexBytes, c.IndexSec, all[i-1].Docs)
			}
			w, ok := want[c.Docs]
			if !ok || len(c.Queries) != 3 {
				t.Fatalf("%s: a measurement at %d articles with %d queries", e.Analysis, c.Docs, len(c.Queries))
			}
			for j, q := range c.Queries {
				if q.Total != w[j] {
					t.Errorf("%s at %d: %s found %d, want %d", e.Analysis, c.Docs, q.Name, q.Total, w[j])
				}
			}
		}
	}
	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(table.String(), "checkpoint: "); got != 2 {
		t.Errorf("table has %d checkpoint sections, want 2:\n%s", got, table.String())
	}
	cfg.CPUProfile = filepath.Join(t.TempDir(), "p")
	if _, err := bench.Run(ctx, batches10(arts), cfg); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("profiles with checkpoints: %v, want EINVALID", err)
	}
}
