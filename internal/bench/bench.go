package bench

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

// NamedQuery is one query of the mix.
type NamedQuery struct {
	Name string
	Req  news.SearchRequest
}

// Mix is the fixed query mix: two two-word queries (one of them over
// thousands of stories), a phrase, a word filtered by section and year, and
// a match-all sorted by date with every facet.
func Mix() []NamedQuery {
	return []NamedQuery{
		{"two-words", news.SearchRequest{Query: "国务院 常务会议"}},
		{"two-words-common", news.SearchRequest{Query: "习近平 会见"}},
		{"phrase", news.SearchRequest{Query: `"新质生产力"`}},
		{"filtered", news.SearchRequest{Query: "乡村振兴", Section: "国内",
			From: time.Date(2024, 1, 1, 0, 0, 0, 0, news.CST), To: time.Date(2025, 1, 1, 0, 0, 0, 0, news.CST)}},
		{"all-facets", news.SearchRequest{Facets: true}},
	}
}

// Config configures Run and Query. The zero value works.
type Config struct {
	// Segmenter cuts the articles and queries (required).
	Segmenter *segment.Current
	// Analyses to compare, in order (default Xinwen, then cjk).
	Analyses []index.Analysis
	// Shards splits each new index into this many (see index.Options.Shards).
	Shards int
	// Dir keeps the indexes, one subdirectory per analysis; "" uses a
	// temporary directory removed afterwards. Run refuses a Dir whose
	// subdirectory exists; Query needs it.
	Dir string
	// Queries is the mix (default Mix()) and Runs how often each query is
	// timed (default 200), the mix in turn after one untimed round.
	Queries []NamedQuery
	Runs    int
	// CPUProfile and MemProfile, if set, are path prefixes: each phase
	// writes PREFIX.ANALYSIS.PHASE.pprof (phases index and query). The
	// allocation profiles count from the start of the process: subtract
	// the previous phase's with go tool pprof -base.
	CPUProfile, MemProfile string
	// Checkpoints are article counts at which Run pauses indexing, closes
	// the index and measures it as it does at the end (size, query mix,
	// memory), then goes on: one run gives a whole curve. Profiles cannot
	// be written with checkpoints.
	Checkpoints []int
	// Serving, if set, is called before each query phase, and what it
	// returns after it: xinwen bench applies serve's garbage-collector
	// settings there, so that the mix runs as a server runs it.
	Serving func() (restore func())
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

func (c *Config) defaults() {
	if len(c.Analyses) == 0 {
		c.Analyses = []index.Analysis{index.AnalysisXinwen, index.AnalysisCJK}
	}
	if len(c.Queries) == 0 {
		c.Queries = Mix()
	}
	if c.Runs <= 0 {
		c.Runs = 200
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
}

// Report is the outcome of Run or Query: one Engine per analysis.
type Report struct {
	Docs       int       `json:"docs"`
	RawBytes   int64     `json:"raw_bytes"` // UTF-8 bytes of titles and bodies
	Engines    []Engine  `json:"engines"`
	Started    time.Time `json:"started"`
	GoMaxProcs int       `json:"gomaxprocs"`
	// QueryGOGC is the garbage collector's percentage while queries ran
	// (-1: off).
	QueryGOGC int `json:"query_gogc"`
}

// Engine is the measurements of one analysis.
type Engine struct {
	Analysis string `json:"analysis"`
	Path     string `json:"path,omitempty"`
	// Indexing (zero for Query): Put time only, not reading the corpus.
	Docs     int     `json:"docs,omitempty"`
	IndexSec float64 `json:"index_seconds,omitempty"`
	WallSec  float64 `json:"wall_seconds,omitempty"` // reading, preparing and indexing
	// CPUSec is the CPU time the process used while indexing (reading and
	// preparing included, every thread, jieba's too); DocsPerCPUSec is the
	// throughput that does not depend on what else the machine runs.
	CPUSec        float64 `json:"cpu_seconds,omitempty"`
	DocsPerCPUSec float64 `json:"docs_per_cpu_second,omitempty"`
	DocsPerSec    float64 `json:"docs_per_second,omitempty"`
	MBPerSec      float64 `json:"mb_per_second,omitempty"`
	IndexBytes    int64   `json:"index_bytes"`
	XRaw          float64 `json:"x_raw,omitempty"`    // index size / raw text
	Segments      int     `json:"segments,omitempty"` // zap segment files on disk after closing
	Indexing      Memory  `json:"indexing_memory,omitzero"`
	// Searching: the index reopened (as a server would), the mix timed.
	Queries   []QueryStat `json:"queries"`
	Searching Memory      `json:"searching_memory"`
	// Checkpoints are the measurements at Config.Checkpoints, each as if
	// the run had ended there (indexing times exclude the pauses).
	Checkpoints []Engine `json:"checkpoints,omitempty"`
}

// Memory is the peak memory of a phase.
type Memory struct {
	// PeakHeapMB is the largest Go HeapInuse sampled every 20 ms.
	PeakHeapMB float64 `json:"peak_heap_mb"`
	// PeakRSSMB is the process's peak resident set (VmHWM) during the
	// phase, jieba's C++ memory and the index's mapped files included; 0
	// where /proc is missing. RSSSinceStart says the peak could not be reset
	// at the start of the phase and counts from the start of the process.
	PeakRSSMB     float64 `json:"peak_rss_mb"`
	RSSSinceStart bool    `json:"rss_since_start,omitempty"`
}

// QueryStat is one query's latency over Config.Runs runs: wall-clock time,
// and the CPU time the process used during the query (every thread), which
// other load on the machine does not inflate.
type QueryStat struct {
	Name     string  `json:"name"`
	Total    uint64  `json:"total"` // matching articles
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	MeanMS   float64 `json:"mean_ms"`
	CPUP50MS float64 `json:"cpu_p50_ms"`
	CPUP99MS float64 `json:"cpu_p99_ms"`
}

// Run indexes the articles of src with each analysis, one after the other,
// in batches of index.BatchSize, then closes the index, opens it again and
// times the query mix. It returns an error when an index cannot be built or
// a query fails. A query that finds nothing is timed all the same, with
// Total 0: choose a mix that suits the corpus.
func Run(ctx context.Context, src Source, cfg Config) (*Report, error) {
	cfg.defaults()
	if len(cfg.Checkpoints) > 0 && (cfg.CPUProfile != "" || cfg.MemProfile != "") {
		return nil, news.Errorf(news.EINVALID, "profiles and checkpoints do not mix: profile a run without checkpoints")
	}
	dir := cfg.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "xinwen-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	rep := &Report{Started: time.Now(), GoMaxProcs: runtime.GOMAXPROCS(0), QueryGOGC: queryGOGC(cfg)}
	for _, an := range cfg.Analyses {
		path := filepath.Join(dir, string(an))
		if _, err := os.Stat(path); err == nil {
			return nil, news.Errorf(news.ECONFLICT, "%s exists: remove it, or measure the index in it with Query", path)
		}
		e, docs, raw, err := build(ctx, src, path, an, cfg)
		if err != nil {
			return nil, err
		}
		rep.Docs, rep.RawBytes = docs, raw
		if err := search(ctx, e, path, cfg); err != nil {
			return nil, err
		}
		// Opening the index may have merged segments: the size is what a
		// server opens from then on.
		e.IndexBytes, e.Segments = diskUsage(path)
		if raw > 0 {
			e.XRaw = float64(e.IndexBytes) / float64(raw)
		}
		if cfg.Dir == "" {
			e.Path = ""
		}
		rep.Engines = append(rep.Engines, *e)
	}
	return rep, nil
}

// Query opens the indexes already in cfg.Dir (one per analysis) and times
// the query mix, in this process: run it in a fresh process to measure what
// a server that opens the index uses.
func Query(ctx context.Context, cfg Config) (*Report, error) {
	cfg.defaults()
	if cfg.Dir == "" {
		return nil, news.Errorf(news.EINVALID, "no directory of indexes to query")
	}
	rep := &Report{Started: time.Now(), GoMaxProcs: runtime.GOMAXPROCS(0), QueryGOGC: queryGOGC(cfg)}
	for _, an := range cfg.Analyses {
		path := filepath.Join(cfg.Dir, string(an))
		if _, err := os.Stat(path); err != nil {
			return nil, news.Errorf(news.ENOTFOUND, "no %s index in %s: build one with Run first", an, cfg.Dir)
		}
		e := &Engine{Analysis: string(an), Path: path}
		if err := search(ctx, e, path, cfg); err != nil {
			return nil, err
		}
		e.IndexBytes, e.Segments = diskUsage(path)
		rep.Engines = append(rep.Engines, *e)
	}
	return rep, nil
}

func build(ctx context.Context, src Source, path string, an index.Analysis, cfg Config) (*Engine, int, int64, error) {
	e := &Engine{Analysis: string(an), Path: path}
	runtime.GC()
	debug.FreeOSMemory()
	stopProf, err := startCPU(cfg.CPUProfile, an, "index")
	if err != nil {
		return nil, 0, 0, err
	}
	mem := startMemory()
	wall := time.Now()
	cpu0 := cpuTime()
	ix, err := index.Open(path, index.Options{Segmenter: cfg.Segmenter, Analysis: an, Shards: cfg.Shards})
	if err != nil {
		stopProf()
		mem.stop()
		return nil, 0, 0, err
	}
	var (
		docs    int
		raw     int64
		putTime time.Duration
		paused  time.Duration // wall time at checkpoints
		pausedC time.Duration // CPU time at checkpoints
		peak    Memory        // of the indexing stretches before the last checkpoint
		lastLog = time.Now()
		next    = slices.Sorted(slices.Values(cfg.Checkpoints))
	)
	// fill sets e's indexing numbers for what has been indexed so far.
	fill := func(e *Engine, m Memory) {
		e.Docs = docs
		e.IndexSec = putTime.Seconds()
		e.WallSec = (time.Since(wall) - paused).Seconds()
		e.CPUSec = (cpuTime() - cpu0 - pausedC).Seconds()
		if e.IndexSec > 0 {
			e.DocsPerSec = float64(docs) / e.IndexSec
			e.MBPerSec = float64(raw) / 1e6 / e.IndexSec
		}
		if e.CPUSec > 0 {
			e.DocsPerCPUSec = float64(docs) / e.CPUSec
		}
		e.Indexing = Memory{PeakHeapMB: max(peak.PeakHeapMB, m.PeakHeapMB), PeakRSSMB: max(peak.PeakRSSMB, m.PeakRSSMB), RSSSinceStart: m.RSSSinceStart}
		e.IndexBytes, e.Segments = diskUsage(path)
		if raw > 0 {
			e.XRaw = float64(e.IndexBytes) / float64(raw)
		}
	}
	// checkpoint closes the index, measures it as Run does at the end, and
	// opens it again to go on.
	checkpoint := func() error {
		err := ix.Close()
		ix = nil
		m := mem.stop()
		mem = nil
		if err != nil {
			return err
		}
		cp := Engine{Analysis: string(an)}
		fill(&cp, m)
		peak = cp.Indexing
		w0, c0 := time.Now(), cpuTime()
		if err := search(ctx, &cp, path, cfg); err != nil {
			return err
		}
		cp.IndexBytes, cp.Segments = diskUsage(path)
		if raw > 0 {
			cp.XRaw = float64(cp.IndexBytes) / float64(raw)
		}
		e.Checkpoints = append(e.Checkpoints, cp)
		fmt.Fprintf(cfg.Log, "%s: checkpoint at %d articles: %.0f docs/s, %.2f× raw\n", an, docs, cp.DocsPerSec, cp.XRaw)
		runtime.GC()
		debug.FreeOSMemory()
		mem = startMemory()
		ix, err = index.Open(path, index.Options{Segmenter: cfg.Segmenter})
		paused += time.Since(w0)
		pausedC += cpuTime() - c0
		return err
	}
	err = src(ctx, func(arts []news.Article) error {
		for i := range arts {
			raw += int64(len(arts[i].Title) + len(arts[i].Body))
		}
		t0 := time.Now()
		if err := ix.Put(ctx, arts); err != nil {
			return err
		}
		putTime += time.Since(t0)
		docs += len(arts)
		if time.Since(lastLog) > 10*time.Second {
			fmt.Fprintf(cfg.Log, "%s: %d indexed, %.0f docs/s\n", an, docs, float64(docs)/putTime.Seconds())
			lastLog = time.Now()
		}
		if len(next) > 0 && docs >= next[0] {
			for len(next) > 0 && docs >= next[0] {
				next = next[1:]
			}
			return checkpoint()
		}
		return nil
	})
	if ix != nil {
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
	}
	var m Memory
	if mem != nil {
		m = mem.stop()
	}
	stopProf()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("index with %s: %w", an, err)
	}
	fill(e, m)
	if err := writeAllocs(cfg.MemProfile, an, "index"); err != nil {
		return nil, 0, 0, err
	}
	fmt.Fprintf(cfg.Log, "%s: %d articles indexed in %.1f s (%.0f docs/s), %.2f× raw\n", an, docs, e.IndexSec, e.DocsPerSec, e.XRaw)
	return e, docs, raw, nil
}

// search opens the index at path and times cfg's query mix on it.
// queryGOGC is the garbage collector's percentage while cfg's queries run.
func queryGOGC(cfg Config) int {
	if cfg.Serving != nil {
		defer cfg.Serving()()
	}
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

func search(ctx context.Context, e *Engine, path string, cfg Config) error {
	if cfg.Serving != nil {
		defer cfg.Serving()()
	}
	runtime.GC()
	debug.FreeOSMemory()
	mem := startMemory()
	ix, err := index.Open(path, index.Options{Segmenter: cfg.Segmenter}) // no cache: time the search
	if err != nil {
		mem.stop()
		return err
	}
	defer ix.Close()
	stopProf, err := startCPU(cfg.CPUProfile, index.Analysis(e.Analysis), "query")
	if err != nil {
		mem.stop()
		return err
	}
	lat := make([][]time.Duration, len(cfg.Queries))
	cpu := make([][]time.Duration, len(cfg.Queries))
	totals := make([]uint64, len(cfg.Queries))
	for round := -1; round < cfg.Runs; round++ {
		for i, q := range cfg.Queries {
			c0, t0 := cpuTime(), time.Now()
			res, err := ix.Search(ctx, q.Req)
			el, cel := time.Since(t0), cpuTime()-c0
			if err != nil {
				stopProf()
				mem.stop()
				return fmt.Errorf("%s: query %s: %w", e.Analysis, q.Name, err)
			}
			totals[i] = res.Total
			if round >= 0 {
				lat[i] = append(lat[i], el)
				cpu[i] = append(cpu[i], cel)
			}
		}
	}
	stopProf()
	e.Searching = mem.stop()
	if err := writeAllocs(cfg.MemProfile, index.Analysis(e.Analysis), "query"); err != nil {
		return err
	}
	e.Queries = e.Queries[:0]
	for i, q := range cfg.Queries {
		l, c := lat[i], cpu[i]
		slices.Sort(l)
		slices.Sort(c)
		var sum time.Duration
		for _, d := range l {
			sum += d
		}
		st := QueryStat{Name: q.Name, Total: totals[i], P50MS: ms(p50(l)), P99MS: ms(p99(l)), MeanMS: ms(sum / time.Duration(len(l))),
			CPUP50MS: ms(p50(c)), CPUP99MS: ms(p99(c))}
		e.Queries = append(e.Queries, st)
		fmt.Fprintf(cfg.Log, "%s: %s p50 %.2f ms, p99 %.2f ms, CPU p50 %.2f ms, p99 %.2f ms (%d hits)\n", e.Analysis, q.Name, st.P50MS, st.P99MS, st.CPUP50MS, st.CPUP99MS, st.Total)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// p50 and p99 of sorted durations.
func p50(d []time.Duration) time.Duration { return d[len(d)/2] }
func p99(d []time.Duration) time.Duration { return d[min(len(d)-1, len(d)*99/100)] }

func startCPU(prefix string, an index.Analysis, phase string) (func(), error) {
	if prefix == "" {
		return func() {}, nil
	}
	f, err := os.Create(fmt.Sprintf("%s.%s.%s.pprof", prefix, an, phase))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func writeAllocs(prefix string, an index.Analysis, phase string) error {
	if prefix == "" {
		return nil
	}
	f, err := os.Create(fmt.Sprintf("%s.%s.%s.pprof", prefix, an, phase))
	if err != nil {
		return err
	}
	runtime.GC() // the profile shows allocations up to the last GC
	err = pprof.Lookup("allocs").WriteTo(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// diskUsage returns the bytes of the files under dir and how many of them
// are zap segments.
func diskUsage(dir string) (int64, int) {
	var n int64
	segs := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			n += fi.Size()
		}
		if filepath.Ext(path) == ".zap" {
			segs++
		}
		return nil
	})
	return n, segs
}
