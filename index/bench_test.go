package index_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
)

// BenchmarkCCTV indexes the 24,102 CCTV stories with Xinwen's analysis and,
// side by side in the same run, with Bleve's built-in cjk bigram analyzer
// (the same index package, mapping and search code; only title and body
// analysis differ), then times four queries. Run it with:
//
//	go test ./index -run '^$' -bench CCTV -benchtime 1x
//
// Metrics: docs/s and MB/s of indexing (batches of 500), index size on disk
// as a multiple of the raw title+body bytes, peak Go heap while indexing, and
// per query the median and p99 latency over 200 runs.
func BenchmarkCCTV(b *testing.B) {
	arts := cctv(b)
	raw := 0
	for _, a := range arts {
		raw += len(a.Title) + len(a.Body)
	}
	for _, an := range []index.Analysis{index.AnalysisXinwen, index.AnalysisCJK} {
		b.Run(string(an), func(b *testing.B) {
			for range b.N {
				dir := filepath.Join(b.TempDir(), "index")
				runtime.GC()
				peak, stop := heapPeak()
				start := time.Now()
				ix, err := index.Open(dir, index.Options{Analysis: an, CacheSize: -1}) // time the search, not the cache
				if err != nil {
					b.Fatal(err)
				}
				if err := ix.Put(context.Background(), arts); err != nil {
					b.Fatal(err)
				}
				el := time.Since(start)
				stop()
				b.ReportMetric(float64(len(arts))/el.Seconds(), "docs/s")
				b.ReportMetric(float64(raw)/1e6/el.Seconds(), "MB/s")
				b.ReportMetric(float64(dirSize(b, dir))/float64(raw), "x-raw")
				b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
				for _, q := range benchQueries {
					lat := make([]time.Duration, 0, 200)
					for range 200 {
						t0 := time.Now()
						res, err := ix.Search(context.Background(), q.req)
						if err != nil || res.Total == 0 {
							b.Fatalf("%s: %s found nothing: %v", an, q.name, err)
						}
						lat = append(lat, time.Since(t0))
					}
					slices.Sort(lat)
					b.ReportMetric(ms(lat[len(lat)/2]), q.name+"-p50-ms")
					b.ReportMetric(ms(lat[len(lat)*99/100]), q.name+"-p99-ms")
				}
				ix.Close()
			}
		})
	}
}

var benchQueries = []struct {
	name string
	req  news.SearchRequest
}{
	{"two-words", news.SearchRequest{Query: "国务院 常务会议"}},
	{"phrase", news.SearchRequest{Query: `"新质生产力"`}},
	{"filtered", news.SearchRequest{Query: "乡村振兴", Section: "国内",
		From: time.Date(2024, 1, 1, 0, 0, 0, 0, news.CST), To: time.Date(2025, 1, 1, 0, 0, 0, 0, news.CST)}},
	{"all-facets", news.SearchRequest{Facets: true}},
}

// heapPeak samples the Go heap every 20 ms until stop is called.
func heapPeak() (*atomic.Uint64, func()) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return &peak, func() { close(done); <-finished }
}

func dirSize(tb testing.TB, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
