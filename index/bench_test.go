package index_test

import (
	"context"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/bench"
	"github.com/xinwen/xinwen/internal/testseg"
)

// BenchmarkCCTV indexes the 24,102 CCTV stories with Xinwen's analysis and,
// side by side in the same run, with Bleve's built-in cjk bigram analyzer
// (the same index package, mapping and search code; only title and body
// analysis differ), then times bench.Mix(). Run it with:
//
//	go test ./index -run '^$' -bench CCTV -benchtime 1x
//
// Metrics (see internal/bench): docs/s and MB/s of indexing (batches of
// index.BatchSize), index size on disk as a multiple of the raw title+body
// bytes, peak Go heap and resident set while indexing, and per query the
// median and p99 latency over 200 runs. xinwen bench does the same from the
// command line, at any scale.
func BenchmarkCCTV(b *testing.B) {
	arts := cctv(b)
	for _, an := range []index.Analysis{index.AnalysisXinwen, index.AnalysisCJK} {
		b.Run(string(an), func(b *testing.B) {
			for range b.N {
				rep, err := bench.Run(context.Background(), bench.Slice(arts), bench.Config{Segmenter: testseg.Current(b), Analyses: []index.Analysis{an}})
				if err != nil {
					b.Fatal(err)
				}
				e := rep.Engines[0]
				b.ReportMetric(e.DocsPerSec, "docs/s")
				b.ReportMetric(e.MBPerSec, "MB/s")
				b.ReportMetric(e.XRaw, "x-raw")
				b.ReportMetric(e.Indexing.PeakHeapMB, "peak-heap-MB")
				b.ReportMetric(e.Indexing.PeakRSSMB, "peak-rss-MB")
				for _, q := range e.Queries {
					if q.Total == 0 {
						b.Fatalf("%s: %s found nothing", an, q.Name)
					}
					b.ReportMetric(q.P50MS, q.Name+"-p50-ms")
					b.ReportMetric(q.P99MS, q.Name+"-p99-ms")
				}
			}
		})
	}
}
