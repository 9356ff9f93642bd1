package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
		b.progress = newProgress(e.stderr, "ingested", countRecords(fs.Args()), *every)
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

// countRecords estimates how many records the inputs hold, for the progress
// bar's ETA: lines of uncompressed JSON Lines files, one per page file. It
// returns 0 (rate only, no ETA) when an input's count is unknown without
// reading it whole (compressed files, JSON arrays).
func countRecords(paths []string) int {
	total := 0
	for _, root := range paths {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != root && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".jsonl", ".ndjson":
				n, err := countLines(path)
				total += n
				return err
			case ".html", ".htm", ".txt":
				total++
				return nil
			}
			return errUnknownCount
		})
		if err != nil {
			return 0
		}
	}
	return total
}

var errUnknownCount = errors.New("count unknown")

func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	n, last := 0, byte('\n')
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if k > 0 {
			last = buf[k-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if last != '\n' {
		n++
	}
	return n, nil
}
