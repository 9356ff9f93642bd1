package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/bench"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

func runBench(ctx context.Context, args []string, e *env) error {
	fs := newFlags("bench", "CORPUS...\n       xinwen bench --open --dir DIR",
		"Measure indexing and search side by side, Xinwen's analysis against Bleve's cjk\n"+
			"bigram analyzer, on the articles of CORPUS (files or directories, as ingest\n"+
			"reads them): docs/s and MB/s, index size, peak Go heap and resident memory,\n"+
			"and the median and p99 latency of a fixed query mix. With --scale N the\n"+
			"corpus is read again and again (new IDs, dates a year earlier per copy)\n"+
			"until N articles are indexed. With --open, nothing is indexed: the query\n"+
			"mix runs on the indexes already in --dir, in this fresh process, which is\n"+
			"what a server that opens them uses. With --checkpoints, one run measures\n"+
			"at several sizes on the way. Queries run with serve's garbage-collector\n"+
			fmt.Sprintf("settings (GOGC %d, a soft memory limit of %d MiB) unless GOGC or\n", serveGCPercent, serveMemoryLimit>>20)+
			"GOMEMLIMIT say otherwise; indexing runs with Go's defaults, as ingest.", e.stderr)
	analyses := fs.String("analyses", "xinwen,cjk", "comma-separated `analyses` to compare (xinwen, cjk)")
	scale := fs.Int("scale", 0, "index this many `articles`, replicating the corpus (default: the corpus once)")
	dir := fs.String("dir", "", "keep the indexes in this `directory`, one subdirectory per analysis (default: a temporary directory)")
	open := fs.Bool("open", false, "do not index: time the query mix on the indexes in --dir")
	runs := fs.Int("runs", 200, "how often each query is timed")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	cpu := fs.String("cpuprofile", "", "write CPU profiles of each phase to `PREFIX`.ANALYSIS.PHASE.pprof")
	mem := fs.String("memprofile", "", "write allocation profiles at the end of each phase to `PREFIX`.ANALYSIS.PHASE.pprof")
	checkpoints := fs.String("checkpoints", "", "comma-separated article `counts` at which to pause indexing and measure, e.g. 100000,250000")
	noRegion := fs.Bool("no-region", false, "do not detect regions (facets then have no provinces or cities)")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	shards := fs.Int("shards", 0, "split each index into `N` shards searched in parallel (see serve --shards); --open reads the layout from disk")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkShards(*shards); err != nil {
		return err
	}
	cfg := bench.Config{Dir: *dir, Runs: *runs, CPUProfile: *cpu, MemProfile: *mem, Shards: *shards, Serving: tuneGC}
	for _, a := range strings.Split(*analyses, ",") {
		switch an := index.Analysis(strings.TrimSpace(a)); an {
		case index.AnalysisXinwen, index.AnalysisCJK:
			cfg.Analyses = append(cfg.Analyses, an)
		case "":
		default:
			return usageError{fmt.Errorf("unknown analysis %q: use %s or %s", a, index.AnalysisXinwen, index.AnalysisCJK)}
		}
	}
	for _, c := range strings.Split(*checkpoints, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		n, err := strconv.Atoi(c)
		if err != nil || n <= 0 {
			return usageError{fmt.Errorf("--checkpoints: %q is not a positive number of articles", c)}
		}
		cfg.Checkpoints = append(cfg.Checkpoints, n)
	}
	if !*quiet {
		cfg.Log = e.stderr
	}
	switch {
	case *open && *dir == "":
		return usageError{fmt.Errorf("--open needs --dir, the directory a run with --dir left its indexes in")}
	case *open && fs.NArg() > 0:
		return usageError{fmt.Errorf("--open indexes nothing: give no CORPUS")}
	case !*open && fs.NArg() == 0:
		return usageError{fmt.Errorf("no corpus: give files or directories of articles, e.g. xinwen bench cctv-xwlb-2022-2026.jsonl.xz")}
	}
	seg, cleanup, err := plainSegmenter(*dir)
	if err != nil {
		return err
	}
	defer cleanup()
	cfg.Segmenter = segment.NewCurrent(seg)
	var rep *bench.Report
	if *open {
		rep, err = bench.Query(ctx, cfg)
	} else {
		var prepare bench.Prepare
		if !*noRegion {
			prepare = resolveRegion
		}
		rep, err = bench.Run(ctx, bench.Replicate(fs.Args(), *scale, prepare), cfg)
	}
	if err != nil {
		if c := news.ErrorCode(err); c == news.ECONFLICT || c == news.ENOTFOUND || c == news.EINVALID {
			return usageError{fmt.Errorf("%s", news.ErrorMessage(err))}
		}
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	return rep.WriteTable(e.stdout)
}
