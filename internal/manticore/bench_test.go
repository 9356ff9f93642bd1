package manticore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/manticore/searchdtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testcorpus"
	"github.com/xinwen/xinwen/internal/testseg"
)

// benchQueries are timed on every backend: names, places, a coinage, a
// lone character, Latin, a phrase, an exclusion, alternatives and an empty
// query (match all, by date), each with facets as the reader's page asks.
var benchQueries = []string{"王毅", "甘肃", "新质生产力", "张", "5G", `"一带一路"`, "经济 -美国", "北京 OR 上海", "习近平 会见", ""}

// BenchmarkCCTVCluster indexes the 24,102 CCTV stories into the embedded
// index, a two-node searchd cluster and a one-node cluster (the same
// distributed index with no remote agent: what fan-out costs is the
// difference) in the same run, and times benchQueries on each. Run it with
//
//	go test ./internal/manticore -run '^$' -bench CCTVCluster -benchtime 1x -v
//
// It reports indexing docs/s and, per backend, the median and p95 latency
// of a search with facets over 20 runs of each query.
func BenchmarkCCTVCluster(b *testing.B) {
	testcorpus.SkipShort(b)
	arts := testcorpus.CCTV(b, 0)
	ctx := context.Background()
	type backend struct {
		name string
		nb   news.Backend
	}
	ix, err := index.Open(filepath.Join(b.TempDir(), "index"), index.Options{Segmenter: testseg.Current(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	backends := []backend{{"bleve (embedded)", ix}}
	for _, n := range []int{2, 1} {
		c := searchdtest.Start(b, n)
		cl, err := manticore.Open(c.Addrs(), manticore.Options{Segmenter: testseg.Current(b)})
		if err != nil {
			b.Fatal(err)
		}
		defer cl.Close()
		backends = append(backends, backend{fmt.Sprintf("searchd x%d", n), cl})
	}
	var report strings.Builder
	fmt.Fprintf(&report, "\n| backend | index docs/s | search p50 ms | search p95 ms |\n|---|---|---|---|\n")
	for range b.N {
		for _, be := range backends {
			start := time.Now()
			for i := 0; i < len(arts); i += index.BatchSize {
				if err := be.nb.Put(ctx, arts[i:min(i+index.BatchSize, len(arts))]); err != nil {
					b.Fatal(err)
				}
			}
			rate := float64(len(arts)) / time.Since(start).Seconds()
			if n, err := be.nb.Count(); err != nil || n != uint64(len(arts)) {
				b.Fatalf("%s: %d articles, %v", be.name, n, err)
			}
			var lat []float64
			for range 20 {
				for _, q := range benchQueries {
					t0 := time.Now()
					res, err := be.nb.Search(ctx, news.SearchRequest{Query: q, Facets: true})
					if err != nil {
						b.Fatal(err)
					}
					lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
					if res.Total == 0 || res.Partial {
						b.Fatalf("%s: %q: total %d partial %v", be.name, q, res.Total, res.Partial)
					}
				}
			}
			slices.Sort(lat)
			p50, p95 := lat[len(lat)/2], lat[len(lat)*95/100]
			fmt.Fprintf(&report, "| %s | %.0f | %.1f | %.1f |\n", be.name, rate, p50, p95)
			key := strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(be.name)
			b.ReportMetric(rate, key+"-docs/s")
			b.ReportMetric(p50, key+"-p50-ms")
			b.ReportMetric(p95, key+"-p95-ms")
		}
	}
	b.Logf("%d articles, %d queries x 20 with facets:%s", len(arts), len(benchQueries), report.String())
}
