package main

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/xinwen/xinwen/internal/cache"
	"github.com/xinwen/xinwen/internal/demo"
	"github.com/xinwen/xinwen/internal/dictionary"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/web"
)

func runServe(ctx context.Context, args []string, e *env) error {
	fs := newFlags("serve", "", `Serve the JSON search API and the reader's page.

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
machine. Slow clients are cut off by the timeouts while others are served.`, e.stderr)
	dir := dataFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address` HOST:PORT (port 0 picks a free one)")
	withDemo := fs.Bool("demo", false, "load the bundled demo articles into an empty data directory")
	maxConc := fs.Int("max-concurrent", httpapi.DefaultMaxConcurrent, "API requests served at once; beyond it `n`ew ones get 503 with Retry-After (0: no cap)")
	tokensFile := fs.String("tokens", "", "read bearer tokens from `file`, one NAME:SCOPE:SECRET a line (see above)")
	maxBody := byteSize(httpapi.DefaultMaxBody)
	fs.Var(&maxBody, "max-body", "largest request `size` accepted (POST /api/articles), like 8MiB, 512KiB or 1000000; bigger gets 413 (0: no cap)")
	maxWindow := fs.Int("max-window", query.MaxWindow, "deepest search result reachable by page `number`; deeper pages get 400 and page on with the cursor")
	maxFacet := fs.Int("max-facet-size", 0, "list at most `n` values per facet (0: the built-in 30 sections, 40 provinces, 30 cities, 72 months)")
	shards := shardsFlag(fs)
	headerTimeout := fs.Duration("read-header-timeout", 5*time.Second, "close a connection whose request headers take longer than `d`")
	readTimeout := fs.Duration("read-timeout", 30*time.Second, "close a connection whose request (headers and body) takes longer than `d`")
	writeTimeout := fs.Duration("write-timeout", 30*time.Second, "close a connection whose response is not taken within `d` of its request")
	idleTimeout := fs.Duration("idle-timeout", 2*time.Minute, "close a kept-alive connection idle for `d`")
	backend := addBackendFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := backend.validate(); err != nil {
		return err
	}
	if err := checkShards(*shards); err != nil {
		return err
	}
	switch {
	case *maxWindow < query.MaxSize:
		return usageError{fmt.Errorf("--max-window must be at least %d (the largest page), not %d", query.MaxSize, *maxWindow)}
	case *maxFacet < 0:
		return usageError{fmt.Errorf("--max-facet-size must be 0 or more, not %d", *maxFacet)}
	case *headerTimeout <= 0 || *readTimeout <= 0 || *writeTimeout <= 0 || *idleTimeout <= 0:
		return usageError{errors.New("the timeouts must be longer than 0; try --read-timeout 30s")}
	}
	tokens, err := loadTokens(*tokensFile, os.Getenv("XINWEN_TOKENS"), os.Getenv("XINWEN_EDITOR_TOKENS"))
	if err != nil {
		return err
	}
	tuneGC()
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	d, err := openDataWith(ctx, *dir, e.stderr, index.Options{MaxWindow: *maxWindow, MaxFacetSize: *maxFacet, Shards: *shards})
	if err != nil {
		return err
	}
	defer d.Close()
	auditLog, err := audit.Open(filepath.Join(*dir, auditFile))
	if err != nil {
		return err
	}
	defer auditLog.Close()
	if *withDemo {
		if err := loadDemo(ctx, d, e); err != nil {
			return err
		}
	}
	cfg := httpapi.Config{
		Search: cache.New(d.live, cache.Options{Version: func() string {
			return d.live.Generation() + "/" + d.seg.Version() // a dictionary change cuts queries differently
		}}),
		Suggest:       d.live,
		Related:       d.live,
		Rebuild:       d.live,
		DictVersion:   d.seg.Version,
		Dictionary:    dictAPI{dictionary.Open(d.dir, d.seg)},
		Articles:      d.store,
		Ingest:        d.pipe,
		Delete:        d.pipe,
		MaxConcurrent: limit(*maxConc),
		MaxBody:       maxBody.limit(),
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
	closeBackend, err := backend.apply(ctx, d, &cfg, log)
	if err != nil {
		return err
	}
	defer closeBackend()
	if !backend.cluster() {
		d.live.WarmSuggestions() // now rather than at the first keystroke
	}
	srv := httpapi.New(cfg)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	n, _ := cfg.DocCount()
	fmt.Fprintf(e.stdout, "xinwen serving %d articles on http://%s/\n", n, ln.Addr())
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: *headerTimeout,
		ReadTimeout:       *readTimeout,
		WriteTimeout:      *writeTimeout,
		IdleTimeout:       *idleTimeout,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
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
