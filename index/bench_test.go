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

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
)

// BenchmarkCCTV indexes the 24,102 CCTV stories with Xinwen's analysis and,
// side by side in the same run, with Bleve's built-in cjk bigram analyzer,
// then times four queries. Run it with:
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
	for _, eng := range []engine{xinwenEngine(), cjkEngine()} {
		b.Run(eng.name, func(b *testing.B) {
			for range b.N {
				dir := filepath.Join(b.TempDir(), "index")
				runtime.GC()
				peak, stop := heapPeak()
				start := time.Now()
				s := eng.build(b, dir, arts)
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
						if n := s(q); n == 0 {
							b.Fatalf("%s: %s found nothing", eng.name, q.name)
						}
						lat = append(lat, time.Since(t0))
					}
					slices.Sort(lat)
					b.ReportMetric(ms(lat[len(lat)/2]), q.name+"-p50-ms")
					b.ReportMetric(ms(lat[len(lat)*99/100]), q.name+"-p99-ms")
				}
			}
		})
	}
}

type benchQuery struct {
	name    string
	words   []string // AND of these
	phrase  bool
	section string
	from    time.Time
	to      time.Time
	facets  bool
}

var benchQueries = []benchQuery{
	{name: "two-words", words: []string{"国务院", "常务会议"}},
	{name: "phrase", words: []string{"新质生产力"}, phrase: true},
	{name: "filtered", words: []string{"乡村振兴"}, section: "国内",
		from: time.Date(2024, 1, 1, 0, 0, 0, 0, news.CST), to: time.Date(2025, 1, 1, 0, 0, 0, 0, news.CST)},
	{name: "all-facets", facets: true},
}

// engine builds an index and returns a function that runs a query and
// returns its total.
type engine struct {
	name  string
	build func(b *testing.B, dir string, arts []news.Article) func(benchQuery) uint64
}

func xinwenEngine() engine {
	return engine{name: "xinwen", build: func(b *testing.B, dir string, arts []news.Article) func(benchQuery) uint64 {
		ix, err := index.Open(dir, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { ix.Close() })
		if err := ix.Put(context.Background(), arts); err != nil {
			b.Fatal(err)
		}
		return func(q benchQuery) uint64 {
			text := ""
			for _, w := range q.words {
				if q.phrase {
					w = `"` + w + `"`
				}
				text += w + " "
			}
			res, err := ix.Search(context.Background(), news.SearchRequest{
				Query: text, Section: q.section, From: q.from, To: q.to, Facets: q.facets,
			})
			if err != nil {
				b.Fatal(err)
			}
			return res.Total
		}
	}}
}

// cjkEngine indexes the same fields with Bleve's cjk analyzer (term vectors
// on, so phrases work), the same stored fields and facet fields.
func cjkEngine() engine {
	return engine{name: "cjk", build: func(b *testing.B, dir string, arts []news.Article) func(benchQuery) uint64 {
		im := index.NewMapping().(*mapping.IndexMappingImpl)
		dm := im.DefaultMapping
		for _, f := range []string{"title", "body"} {
			fm := bleve.NewTextFieldMapping()
			fm.Analyzer = cjk.AnalyzerName
			fm.Store = f == "title"
			fm.IncludeTermVectors = true
			fm.IncludeInAll = false
			fm.DocValues = false
			dm.Properties[f] = bleve.NewDocumentMapping()
			dm.AddFieldMappingsAt(f, fm)
		}
		delete(dm.Properties, "title_g")
		delete(dm.Properties, "body_g")
		im.DefaultAnalyzer = cjk.AnalyzerName
		bx, err := bleve.New(dir, im)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { bx.Close() })
		for i := 0; i < len(arts); i += index.BatchSize {
			batch := bx.NewBatch()
			for _, a := range arts[i:min(i+index.BatchSize, len(arts))] {
				doc := map[string]any{"title": a.Title, "body": a.Body, "section": a.SectionPath(), "section_path": a.SectionPrefixes()}
				if !a.PublishedAt.IsZero() {
					doc["published"] = a.PublishedAt
					doc["year"] = a.PublishedAt.Format("2006")
					doc["month"] = a.PublishedAt.Format("2006-01")
				}
				if a.URL != "" {
					doc["url"] = a.URL
				}
				if err := batch.Index(a.ID, doc); err != nil {
					b.Fatal(err)
				}
			}
			if err := bx.Batch(batch); err != nil {
				b.Fatal(err)
			}
		}
		return func(q benchQuery) uint64 {
			var must []query.Query
			for _, w := range q.words {
				var alts []query.Query
				for _, f := range []string{"title", "body"} {
					if q.phrase {
						p := query.NewMatchPhraseQuery(w)
						p.SetField(f)
						alts = append(alts, p)
					} else {
						m := query.NewMatchQuery(w)
						m.SetField(f)
						m.SetOperator(query.MatchQueryOperatorAnd)
						alts = append(alts, m)
					}
				}
				must = append(must, query.NewDisjunctionQuery(alts))
			}
			if q.section != "" {
				t := query.NewTermQuery(q.section)
				t.SetField("section_path")
				must = append(must, t)
			}
			if !q.from.IsZero() {
				inc, exc := true, false
				d := query.NewDateRangeInclusiveQuery(q.from, q.to, &inc, &exc)
				d.SetField("published")
				must = append(must, d)
			}
			var qq query.Query = query.NewMatchAllQuery()
			if len(must) > 0 {
				qq = query.NewConjunctionQuery(must)
			}
			req := bleve.NewSearchRequest(qq)
			req.Fields = []string{"title", "url", "published", "section"}
			if q.facets {
				req.SortBy([]string{"-published", "_id"})
				for _, f := range []string{"section", "province", "city", "year", "month"} {
					req.AddFacet(f, bleve.NewFacetRequest(f, 30))
				}
			}
			res, err := bx.Search(req)
			if err != nil {
				b.Fatal(err)
			}
			return res.Total
		}
	}}
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
