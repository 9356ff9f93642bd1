package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/news"
)

func runIngest(ctx context.Context, args []string, e *env) error {
	fs := newFlags("ingest", "PATH...", "Add articles from files and directories (recursive): JSON Lines, JSON,\nHTML pages and raw page text, optionally .gz or .xz compressed. Bad records\nare reported with file and line; the rest are kept; the exit status is 1 if\nany record failed.", e.stderr)
	dir := dataFlag(fs)
	quiet := fs.Bool("quiet", false, "print only errors and the summary")
	shards := shardsFlag(fs)
	every := progressFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkShards(*shards); err != nil {
		return err
	}
	if err := checkProgress(*every); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{fmt.Errorf("no input: give files or directories to ingest, e.g. xinwen ingest articles.jsonl")}
	}
	d, err := openDataWith(ctx, *dir, e.stderr, index.Options{Shards: *shards})
	if err != nil {
		return err
	}
	defer d.Close()
	b := newBatcher(d.pipe, e.stderr)
	if !*quiet {
		total, _ := extract.Count(ctx, fs.Args()) // 0, unknown: the rate without an ETA
		b.progress = newProgress(e.stderr, "ingested", total, *every)
	}
	err = extract.Walk(ctx, fs.Args(), func(r extract.Record) error { return b.add(ctx, r) })
	if ferr := b.flush(ctx); err == nil {
		err = ferr
	}
	b.progress.done(b.seen)
	if err == nil && b.sum.Added+b.sum.Updated >= optimizeAfter {
		// A bulk load leaves many segments; merged, searches are faster.
		err = d.live.Optimize(ctx)
	}
	fmt.Fprintf(e.stdout, "%s in %.1fs\n", b.sum, time.Since(b.start).Seconds())
	if err != nil {
		return err
	}
	if b.sum.Failed > 0 {
		return exitError(1)
	}
	return nil
}

// optimizeAfter is how many articles an ingest must add or change before it
// merges the index into one segment at the end.
const optimizeAfter = 2000

// batcher feeds records to the pipeline in batches and reports failures
// with their file and line.
type batcher struct {
	pipe     *ingest.Pipeline
	errs     io.Writer
	progress *progress
	recs     []extract.Record
	sum      news.IngestSummary
	seen     int
	start    time.Time
}

func newBatcher(p *ingest.Pipeline, errs io.Writer) *batcher {
	return &batcher{pipe: p, errs: errs, start: time.Now()}
}

func (b *batcher) add(ctx context.Context, r extract.Record) error {
	b.recs = append(b.recs, r)
	if len(b.recs) >= ingest.BatchSize {
		return b.flush(ctx)
	}
	return nil
}

func (b *batcher) flush(ctx context.Context) error {
	if len(b.recs) == 0 {
		return nil
	}
	outs, err := b.pipe.Put(ctx, b.recs)
	for _, o := range outs {
		if o.Status == "" {
			continue // not reached: the batch failed before it
		}
		b.sum.Add(o)
		if o.Status == news.OutcomeFailed {
			fmt.Fprintln(b.errs, o.Error) // extract's errors name the file and line
		}
	}
	b.seen += len(b.recs)
	b.recs = b.recs[:0]
	b.progress.update(b.seen)
	return err
}

// progress shows a one-line progress report: redrawn in place on a
// terminal, a plain line every few seconds otherwise.
type progress struct {
	w        io.Writer
	verb     string
	total    int           // 0: unknown
	every    time.Duration // between plain lines, when not on a terminal
	tty      bool
	start    time.Time
	last     time.Time
	finished bool
}

func newProgress(w io.Writer, verb string, total int, every time.Duration) *progress {
	p := &progress{w: w, verb: verb, total: total, every: every, start: time.Now(), last: time.Now()}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) line(n int) string {
	el := time.Since(p.start).Seconds()
	rate := float64(n) / max(el, 1e-9)
	if p.total <= 0 {
		return fmt.Sprintf("%s %d (%.0f/s)", p.verb, n, rate)
	}
	const width = 30
	filled := min(width, n*width/max(p.total, 1))
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = ' '
		if i < filled {
			bar[i] = '='
		}
	}
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(p.total-n)/rate) * time.Second).Round(time.Second).String()
	}
	return fmt.Sprintf("%s [%s] %d/%d (%.0f/s, ETA %s)", p.verb, bar, n, p.total, rate, eta)
}

func (p *progress) update(n int) {
	if p == nil {
		return
	}
	switch {
	case p.tty && time.Since(p.last) > 100*time.Millisecond:
		fmt.Fprintf(p.w, "\r\x1b[K%s", p.line(n))
	case !p.tty && time.Since(p.last) >= p.every:
		fmt.Fprintln(p.w, p.line(n))
	default:
		return
	}
	p.last = time.Now()
}

func (p *progress) done(n int) {
	if p == nil || p.finished {
		return
	}
	p.finished = true
	if p.tty {
		fmt.Fprintf(p.w, "\r\x1b[K%s\n", p.line(n))
	}
}
