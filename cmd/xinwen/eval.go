package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/eval"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

// evalSystems are the systems xinwen eval can compare, by name. A ranking
// feature that can be switched on and off is a new entry here: an
// index.Options or a news.SearchRequest (through Request) that differs.
func evalSystems() []eval.System {
	return append(eval.Baselines(),
		// Without the relaxed second search for queries that match nothing.
		eval.System{Name: "xinwen-strict", Options: index.Options{Analysis: index.AnalysisXinwen, Ranking: index.Ranking{Strict: true}}},
		// Ranking by every word of the query, stop words and single
		// characters included.
		eval.System{Name: "xinwen-allwords", Options: index.Options{Analysis: index.AnalysisXinwen, Ranking: index.Ranking{AllWords: true}}},
		// Without the proximity factor.
		eval.System{Name: "xinwen-noprox", Options: index.Options{Analysis: index.AnalysisXinwen, Ranking: index.Ranking{NoProximity: true}}},
		// Ranking by the words inside longer query words too.
		eval.System{Name: "xinwen-subwords", Options: index.Options{Analysis: index.AnalysisXinwen, Ranking: index.Ranking{Subwords: true}}},
		// The ranking before both: every word, no proximity.
		eval.System{Name: "xinwen-plain", Options: index.Options{Analysis: index.AnalysisXinwen, Ranking: index.Ranking{AllWords: true, NoProximity: true}}},
	)
}

func runEval(ctx context.Context, args []string, e *env) error {
	fs := newFlags("eval", "CORPUS QUERIES QRELS\n       xinwen eval CORPUS DIR\n       xinwen eval --make DIR [--sample N] [--seed S] CORPUS",
		"Score the relevance of search on a test collection: a JSON Lines corpus\n"+
			"(id, title, text), a TSV of queries (qid, query, and optionally as_of, the\n"+
			"day the reader searches: only stories published up to it exist for that\n"+
			"query) and a TSV of judgements (qid, [0,] docid, relevance). With a DIR\n"+
			"instead, every NAME.queries.tsv in it with its NAME.qrels.tsv (such as\n"+
			"../shared/eval). Builds an index of the corpus per analysis and prints\n"+
			"MRR@10, Recall@10, Recall@100 and nDCG@10 for each system, for all\n"+
			"queries and per query group (a query ID up to its last '-'). The\n"+
			eval.SystemBigrams+" baseline (plain BM25 over character bigrams, any bigram\n"+
			"matching) is reported beside every run.\n\n"+
			"With --make, writes test collections generated from CORPUS (a file or\n"+
			"directory extract reads, such as the CCTV transcripts) into DIR instead:\n"+
			"corpus.jsonl, known-item.{queries,qrels}.tsv and questions.{queries,qrels}.tsv.", e.stderr)
	systems := fs.String("systems", "xinwen", "comma-separated `systems` to compare; "+eval.SystemBigrams+" is added if not named")
	dir := fs.String("dir", "", "keep the indexes in this `directory` and reuse them on the next run over the same corpus (default: a temporary directory)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	perQuery := fs.Bool("per-query", false, "with --json, include every query's scores and the rank of its first relevant hit")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	makeDir := fs.String("make", "", "generate test collections from CORPUS into this `directory`")
	sample := fs.Int("sample", 1000, "with --make, how many stories to sample")
	seed := fs.Uint64("seed", 1, "with --make, the seed of the sample")
	shards := fs.Int("shards", 0, "build each index in `N` shards, to measure what per-shard scoring changes")
	if err := parse(fs, args); err != nil {
		return err
	}
	logw := e.stderr
	if *quiet {
		logw = nil
	}
	if *makeDir != "" {
		if fs.NArg() != 1 {
			return usageError{fmt.Errorf("--make needs one CORPUS to generate from, e.g. xinwen eval --make ./cctv-eval cctv-xwlb-2022-2026.jsonl.xz")}
		}
		return makeCollections(ctx, fs.Arg(0), *makeDir, eval.MakeConfig{Sample: *sample, Seed: *seed}, e)
	}
	if fs.NArg() != 3 && fs.NArg() != 2 {
		return usageError{fmt.Errorf("want CORPUS QUERIES QRELS or CORPUS DIR, e.g. xinwen eval corpus.jsonl known-item.queries.tsv known-item.qrels.tsv, or xinwen eval cctv.jsonl.xz ../shared/eval (xinwen eval --make DIR CORPUS writes such files)")}
	}
	sys, err := eval.ParseSystems(*systems, evalSystems())
	if err != nil {
		return usageError{fmt.Errorf("%s", news.ErrorMessage(err))}
	}
	if !slices.ContainsFunc(sys, func(s eval.System) bool { return s.Name == eval.SystemBigrams }) {
		base, _ := eval.ParseSystems(eval.SystemBigrams, evalSystems())
		sys = append(sys, base...)
	}
	var cs []*eval.Collection
	if fs.NArg() == 2 {
		cs, err = eval.LoadDir(ctx, fs.Arg(0), fs.Arg(1))
	} else {
		var c *eval.Collection
		c, err = eval.Load(ctx, fs.Arg(0), fs.Arg(1), fs.Arg(2))
		cs = append(cs, c)
	}
	if news.ErrorCode(err) == news.EINVALID {
		return usageError{fmt.Errorf("%s", news.ErrorMessage(err))}
	}
	if err != nil {
		return err
	}
	if c := cs[0]; c.Skipped > 0 {
		fmt.Fprintf(e.stderr, "warning: %d corpus records skipped; the first: %v\n", c.Skipped, c.SkipErr)
	}
	if *dir == "" && len(cs) > 1 {
		// One set of indexes for every collection of the directory.
		tmp, err := os.MkdirTemp("", "xinwen-eval-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		*dir = tmp
	}
	seg, cleanup, err := plainSegmenter(*dir)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := checkShards(*shards); err != nil {
		return err
	}
	cfg := eval.Config{Segmenter: segment.NewCurrent(seg), Dir: *dir, PerQuery: *perQuery && *asJSON, Shards: *shards}
	if logw != nil {
		cfg.Log = logw
	}
	var reps []*eval.Report
	for _, c := range cs {
		rep, err := eval.Run(ctx, c, sys, cfg)
		if err != nil {
			return err
		}
		reps = append(reps, rep)
	}
	if *asJSON {
		if len(reps) == 1 {
			return writeJSON(e.stdout, reps[0])
		}
		return writeJSON(e.stdout, reps)
	}
	for i, rep := range reps {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		if err := rep.WriteTable(e.stdout); err != nil {
			return err
		}
	}
	return nil
}

// plainSegmenter builds a segmenter with the shipped dictionaries and no user
// words, so that runs of eval and bench are comparable: in dir/dict when dir is given, else in
// a temporary directory removed by cleanup.
func plainSegmenter(dir string) (*segment.Segmenter, func(), error) {
	cleanup := func() {}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "xinwen-eval-dict-")
		if err != nil {
			return nil, nil, err
		}
		dir, cleanup = tmp, func() { os.RemoveAll(tmp) }
	}
	seg, err := segment.New(filepath.Join(dir, "dict"), nil)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return seg, cleanup, nil
}

func makeCollections(ctx context.Context, src, dir string, cfg eval.MakeConfig, e *env) error {
	var arts []news.Article
	bad := 0
	err := extract.Walk(ctx, []string{src}, func(r extract.Record) error {
		if r.Err != nil {
			bad++
			return nil
		}
		arts = append(arts, r.Article)
		return nil
	})
	if err != nil {
		return err
	}
	if len(arts) == 0 {
		return fmt.Errorf("%s holds no articles", src)
	}
	seg, cleanup, err := plainSegmenter("")
	if err != nil {
		return err
	}
	defer cleanup()
	known, questions := eval.Make(arts, seg, cfg)
	if err := eval.WriteCollections(dir, arts, known, questions); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d articles (%d records unreadable) → %s/corpus.jsonl\n", len(arts), bad, dir)
	for _, g := range []eval.Generated{known, questions} {
		fmt.Fprintf(e.stdout, "%s: %d queries → %s/%s.queries.tsv, %s.qrels.tsv\n", g.Name, len(g.Queries), dir, g.Name, g.Name)
	}
	return nil
}
