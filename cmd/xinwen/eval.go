package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

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
	fs := newFlags("eval", "CORPUS QUERIES QRELS\n       xinwen eval --make DIR [--sample N] [--seed S] CORPUS",
		"Score the relevance of search on a test collection: a JSON Lines corpus\n"+
			"(id, title, text), a TSV of queries (qid, query) and a TSV of judgements\n"+
			"(qid, [0,] docid, relevance). Builds an index of the corpus per analysis\n"+
			"and prints MRR@10, Recall@10, Recall@100 and nDCG@10 for each system, for\n"+
			"all queries and per query group (a query ID up to its last '-').\n\n"+
			"With --make, writes test collections generated from CORPUS (a file or\n"+
			"directory extract reads, such as the CCTV transcripts) into DIR instead:\n"+
			"corpus.jsonl, known-item.{queries,qrels}.tsv and questions.{queries,qrels}.tsv.", e.stderr)
	systems := fs.String("systems", "xinwen,cjk", "comma-separated `systems` to compare")
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
	if fs.NArg() != 3 {
		return usageError{fmt.Errorf("want CORPUS QUERIES QRELS, e.g. xinwen eval corpus.jsonl known-item.queries.tsv known-item.qrels.tsv (xinwen eval --make DIR CORPUS writes such files)")}
	}
	sys, err := eval.ParseSystems(*systems, evalSystems())
	if err != nil {
		return usageError{fmt.Errorf("%s", news.ErrorMessage(err))}
	}
	c, err := eval.Load(ctx, fs.Arg(0), fs.Arg(1), fs.Arg(2))
	if err != nil {
		return err
	}
	if c.Skipped > 0 {
		fmt.Fprintf(e.stderr, "warning: %d corpus records skipped; the first: %v\n", c.Skipped, c.SkipErr)
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
	rep, err := eval.Run(ctx, c, sys, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	return rep.WriteTable(e.stdout)
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
