package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
)

func runIngest(ctx context.Context, args []string, e *env) error {
	fs := newFlags("ingest", "PATH...", "Add articles from files and directories (recursive): JSON Lines, JSON,\nHTML pages and raw page text, optionally .gz or .xz compressed. Bad records\nare reported with file and line; the rest are kept; the exit status is 1 if\nany record failed.", e.stderr)
	dir := dataFlag(fs)
	quiet := fs.Bool("quiet", false, "print only errors and the summary")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no input: give files or directories to ingest, e.g. xinwen ingest articles.jsonl")}
	}
	d, err := openData(*dir, e.stderr)
	if err != nil {
		return err
	}
	defer d.Close()
	in := newIngester(d, e.stderr)
	if !*quiet {
		in.progress = e.stderr
	}
	err = extract.Walk(ctx, fs.Args(), func(r extract.Record) error { return in.add(ctx, r) })
	if ferr := in.flush(ctx); err == nil {
		err = ferr
	}
	fmt.Fprintln(e.stdout, in.summary())
	if err != nil {
		return err
	}
	if in.failed > 0 {
		return exitError(1)
	}
	return nil
}

// ingester stores and indexes records in batches and counts outcomes.
type ingester struct {
	d        *data
	errs     io.Writer
	progress io.Writer
	batch    []news.Article
	start    time.Time
	last     time.Time

	seen, added, updated, unchanged, duplicates, failed int
}

func newIngester(d *data, errs io.Writer) *ingester {
	return &ingester{d: d, errs: errs, start: time.Now(), last: time.Now()}
}

const ingestBatch = 500

func (in *ingester) add(ctx context.Context, r extract.Record) error {
	in.seen++
	if r.Err != nil {
		in.failed++
		where := r.File
		if r.Line > 0 {
			where = fmt.Sprintf("%s:%d", r.File, r.Line)
		}
		fmt.Fprintf(in.errs, "%s: %s\n", where, news.ErrorMessage(r.Err))
		return nil
	}
	a := r.Article
	resolveRegion(&a, r.RegionHint)
	in.batch = append(in.batch, a)
	if len(in.batch) >= ingestBatch {
		return in.flush(ctx)
	}
	return nil
}

// flush stores the batch, then indexes what changed. The store is the source
// of truth: if indexing fails after the store succeeded, a reindex repairs it.
func (in *ingester) flush(ctx context.Context) error {
	if len(in.batch) == 0 {
		return nil
	}
	res, err := in.d.store.Put(ctx, in.batch)
	if err != nil {
		return fmt.Errorf("store articles: %w", err)
	}
	changed := in.batch[:0]
	for i, r := range res {
		switch r.Outcome {
		case store.Added:
			in.added++
		case store.Updated:
			in.updated++
		case store.Unchanged:
			in.unchanged++
			continue
		case store.Duplicate:
			in.duplicates++
		}
		a := in.batch[i]
		a.DuplicateOf = r.DuplicateOf
		changed = append(changed, a)
	}
	if err := in.d.index.Put(ctx, changed); err != nil {
		return fmt.Errorf("index articles: %w", err)
	}
	in.batch = in.batch[:0]
	if in.progress != nil && time.Since(in.last) > 2*time.Second {
		in.last = time.Now()
		el := time.Since(in.start).Seconds()
		fmt.Fprintf(in.progress, "ingested %d records (%.0f/s)\n", in.seen, float64(in.seen)/el)
	}
	return nil
}

func (in *ingester) summary() string {
	parts := []string{
		fmt.Sprintf("%d added", in.added),
		fmt.Sprintf("%d updated", in.updated),
		fmt.Sprintf("%d unchanged", in.unchanged),
		fmt.Sprintf("%d duplicates", in.duplicates),
		fmt.Sprintf("%d failed", in.failed),
	}
	return fmt.Sprintf("%s in %.1fs", strings.Join(parts, ", "), time.Since(in.start).Seconds())
}
