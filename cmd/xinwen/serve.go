package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/audit"
	"github.com/xinwen/xinwen/internal/demo"
	"github.com/xinwen/xinwen/internal/dictionary"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/web"
)

func runServe(ctx context.Context, args []string, e *env) error {
	c := defaultServeConfig()
	if err := parse(c.flagSet(e.stderr), args); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tokens, err := loadTokens(c.TokensFile, os.Getenv("XINWEN_TOKENS"), os.Getenv("XINWEN_EDITOR_TOKENS"))
	if err != nil {
		return err
	}
	tuneGC()
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	d, err := openDataWith(ctx, c.Data, e.stderr, c.indexOptions())
	if err != nil {
		return err
	}
	defer d.Close()
	auditLog, err := audit.Open(filepath.Join(c.Data, auditFile))
	if err != nil {
		return err
	}
	defer auditLog.Close()
	if c.Demo {
		if err := loadDemo(ctx, d, e); err != nil {
			return err
		}
	}
	api := c.api(d, tokens, auditLog, log)
	closeBackend, err := c.Backend.apply(ctx, d, &api, log)
	if err != nil {
		return err
	}
	defer closeBackend()
	if !c.Backend.cluster() {
		d.live.WarmSuggestions() // now rather than at the first keystroke
	}
	hs := c.httpServer(httpapi.New(api))
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	n, _ := api.DocCount()
	fmt.Fprintf(e.stdout, "xinwen serving %d articles on http://%s/\n", n, ln.Addr())
	return serveHTTP(ctx, hs, ln, log)
}

// serveConfig is what serve is told on its command line, one field a flag.
// Start from defaultServeConfig: its values serve.
type serveConfig struct {
	Data              string        // --data
	Addr              string        // --addr, HOST:PORT
	Demo              bool          // --demo
	TokensFile        string        // --tokens; "": XINWEN_TOKENS only
	MaxConcurrent     int           // --max-concurrent; 0 (or less): no cap
	MaxBody           byteSize      // --max-body; 0: no cap
	MaxWindow         int           // --max-window, at least query.MaxSize
	MaxFacetSize      int           // --max-facet-size; 0: the built-in sizes
	Shards            int           // --shards; 0: the current layout
	ReadHeaderTimeout time.Duration // --read-header-timeout, and the others: longer than 0
	ReadTimeout       time.Duration // --read-timeout
	WriteTimeout      time.Duration // --write-timeout
	IdleTimeout       time.Duration // --idle-timeout
	Backend           backendConfig // --backend, --manticore-dsn, --manticore-table
}

// defaultServeConfig returns serve's defaults: the embedded index in ./data,
// on 127.0.0.1:8080, with httpapi's caps.
func defaultServeConfig() serveConfig {
	return serveConfig{
		Data:              defaultDataDir,
		Addr:              "127.0.0.1:8080",
		MaxConcurrent:     httpapi.DefaultMaxConcurrent,
		MaxBody:           byteSize(httpapi.DefaultMaxBody),
		MaxWindow:         query.MaxWindow,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		Backend:           backendConfig{Backend: backendBleve},
	}
}

// flagSet returns serve's flags, which parse into c; c's values are their
// defaults.
func (c *serveConfig) flagSet(w io.Writer) *flag.FlagSet {
	fs := newFlags("serve", "", serveSummary, w)
	dataVar(fs, &c.Data)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen `address` HOST:PORT (port 0 picks a free one)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "load the bundled demo articles into an empty data directory")
	fs.IntVar(&c.MaxConcurrent, "max-concurrent", c.MaxConcurrent, "API requests served at once; beyond it `n`ew ones get 503 with Retry-After (0: no cap)")
	fs.StringVar(&c.TokensFile, "tokens", c.TokensFile, "read bearer tokens from `file`, one NAME:SCOPE:SECRET a line (see above)")
	fs.Var(&c.MaxBody, "max-body", "largest request `size` accepted (POST /api/articles), like 8MiB, 512KiB or 1000000; bigger gets 413 (0: no cap)")
	fs.IntVar(&c.MaxWindow, "max-window", c.MaxWindow, "deepest search result reachable by page `number`; deeper pages get 400 and page on with the cursor")
	fs.IntVar(&c.MaxFacetSize, "max-facet-size", c.MaxFacetSize, "list at most `n` values per facet (0: the built-in 30 sections, 40 provinces, 30 cities, 72 months)")
	shardsVar(fs, &c.Shards)
	fs.DurationVar(&c.ReadHeaderTimeout, "read-header-timeout", c.ReadHeaderTimeout, "close a connection whose request headers take longer than `d`")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", c.ReadTimeout, "close a connection whose request (headers and body) takes longer than `d`")
	fs.DurationVar(&c.WriteTimeout, "write-timeout", c.WriteTimeout, "close a connection whose response is not taken within `d` of its request")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", c.IdleTimeout, "close a kept-alive connection idle for `d`")
	c.Backend.flags(fs)
	return fs
}

const serveSummary = `Serve the JSON search API and the reader's page.

Changes over HTTP need a bearer token. Tokens come from XINWEN_TOKENS
(comma-separated) and from the --tokens file (one a line, # comments), each
NAME:SCOPE:SECRET or NAME:SCOPE:sha256:HEX (HEX: the secret's SHA-256, to
keep plaintext out of the configuration; secrets are at least 8 characters).
SCOPE is ingest (POST /api/articles only) or editor (everything: ingest,
delete, reindex, dictionary, jobs). XINWEN_EDITOR_TOKENS, comma-separated
secrets, still works: scope editor, names editor1, editor2, ... With no
tokens, changes over HTTP are refused. Every attempt, allowed or refused, is
appended to DATA/audit.log as one JSON line.

The caps and timeouts below bound what clients can make the server hold:
memory grows with --max-concurrent times --max-body (bodies are read whole)
and times --max-window (hits a search keeps), so lower them on a small
machine. Slow clients are cut off by the timeouts while others are served.`

// Validate reports the first value serve cannot run with, in the order of
// the flags' checks: backend, shards, max-window, max-facet-size, timeouts.
// Its errors are usageErrors that name the flag and say what to try.
func (c serveConfig) Validate() error {
	if err := c.Backend.Validate(); err != nil {
		return err
	}
	if err := checkShards(c.Shards); err != nil {
		return err
	}
	switch {
	case c.MaxWindow < query.MaxSize:
		return usageError{fmt.Errorf("--max-window must be at least %d (the largest page), not %d", query.MaxSize, c.MaxWindow)}
	case c.MaxFacetSize < 0:
		return usageError{fmt.Errorf("--max-facet-size must be 0 or more, not %d; try 0 for the built-in sizes", c.MaxFacetSize)}
	}
	def := defaultServeConfig()
	for _, t := range []struct {
		flag     string
		d, deflt time.Duration
	}{
		{"read-header-timeout", c.ReadHeaderTimeout, def.ReadHeaderTimeout},
		{"read-timeout", c.ReadTimeout, def.ReadTimeout},
		{"write-timeout", c.WriteTimeout, def.WriteTimeout},
		{"idle-timeout", c.IdleTimeout, def.IdleTimeout},
	} {
		if t.d <= 0 {
			return usageError{fmt.Errorf("--%s must be longer than 0, not %s; try --%s %s", t.flag, t.d, t.flag, t.deflt)}
		}
	}
	return nil
}

// indexOptions are the embedded index's caps.
func (c serveConfig) indexOptions() index.Options {
	return index.Options{MaxWindow: c.MaxWindow, MaxFacetSize: c.MaxFacetSize, Shards: c.Shards}
}

// api wires the HTTP API to the embedded index of d; Backend.apply then
// points it at a cluster if one is chosen.
func (c serveConfig) api(d *data, tokens []httpapi.Token, auditLog *audit.Log, log *slog.Logger) httpapi.Config {
	return httpapi.Config{
		Search:        d.cached(d.live, d.live.Generation),
		Suggest:       d.live,
		Related:       d.live,
		Rebuild:       d.live,
		DictVersion:   d.seg.Version,
		Dictionary:    dictAPI{dictionary.Open(d.dir, d.seg)},
		Articles:      d.store,
		Ingest:        d.pipe,
		Delete:        d.pipe,
		MaxConcurrent: limit(c.MaxConcurrent),
		MaxBody:       c.MaxBody.limit(),
		Tokens:        tokens,
		Audit:         auditLog,
		Web:           web.FS(),
		Logger:        log,
		// Count is one cheap call into the live index: if it answers, searches can.
		Ready: func() error {
			_, err := d.live.Count()
			return err
		},
		DocCount: d.live.Count,
	}
}

// httpServer is the HTTP server of h, with the timeouts.
func (c serveConfig) httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
	}
}

// shutdownTimeout is how long requests in flight have to finish once serve
// is told to stop.
const shutdownTimeout = 15 * time.Second

// serveHTTP serves hs on ln until ctx ends, then shuts it down, giving the
// requests in flight shutdownTimeout to finish. It returns Serve's error if
// serving fails, or Shutdown's.
func serveHTTP(ctx context.Context, hs *http.Server, ln net.Listener, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo ingests the bundled demo articles if the store is empty.
func loadDemo(ctx context.Context, d *data, e *env) error {
	if n, err := d.store.Count(); err != nil || n > 0 {
		return err
	}
	b := newBatcher(d.pipe, e.stderr)
	r, err := demo.Articles()
	if err != nil {
		return err
	}
	if err := extract.JSON(r, demo.ArticlesName, func(rec extract.Record) error { return b.add(ctx, rec) }); err != nil {
		return err
	}
	a, err := extract.Page(demo.Page())
	if err := b.add(ctx, extract.Record{Article: a, File: demo.PageName, Err: err}); err != nil {
		return err
	}
	if err := b.flush(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo data: %s\n", b.sum)
	return nil
}

// auditFile is the audit log's name in the data directory.
const auditFile = "audit.log"

// loadTokens reads the bearer tokens from the --tokens file (if any),
// XINWEN_TOKENS and XINWEN_EDITOR_TOKENS. Its errors name the file and line
// or the variable and entry, never the secret.
func loadTokens(file, env, editorEnv string) ([]httpapi.Token, error) {
	tokens, err := httpapi.EnvTokens(env, editorEnv)
	if err != nil {
		return nil, err
	}
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("tokens: %w", err)
		}
		defer f.Close()
		ft, err := httpapi.ParseTokens(f, file)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, ft...)
	}
	if err := httpapi.CheckTokens(tokens); err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return tokens, nil
}

// limit maps the --max-concurrent flag to httpapi's Config: 0 means no cap.
func limit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// byteSize is a flag value in bytes, written 8MiB, 8M, 512KiB, 512K or a
// plain number.
type byteSize int64

func (b *byteSize) String() string {
	n := int64(*b)
	switch {
	case n > 0 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n > 0 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	}
	return strconv.FormatInt(n, 10)
}

func (b *byteSize) Set(s string) error {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(strings.ToUpper(num), strings.ToUpper(u.suffix)) {
			num, mult = strings.TrimSpace(num[:len(num)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return fmt.Errorf("%q is not a size like 8MiB, 512KiB or 1000000", s)
	}
	*b = byteSize(n * mult)
	return nil
}

// limit maps the flag to httpapi's Config: 0 means no cap.
func (b byteSize) limit() int64 {
	if b == 0 {
		return -1
	}
	return int64(b)
}
