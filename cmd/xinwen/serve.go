package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/demo"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/web"
)

func runServe(ctx context.Context, args []string, e *env) error {
	fs := newFlags("serve", "", "Serve the JSON search API and the reader's page. POST /api/articles takes\narticles from editors whose bearer token is listed (comma-separated) in the\nXINWEN_EDITOR_TOKENS environment variable; without it, it is refused.", e.stderr)
	dir := dataFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address` HOST:PORT (port 0 picks a free one)")
	withDemo := fs.Bool("demo", false, "load the bundled demo articles into an empty data directory")
	if err := parse(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	d, err := openData(ctx, *dir, e.stderr)
	if err != nil {
		return err
	}
	defer d.Close()
	if *withDemo {
		if err := loadDemo(ctx, d, e); err != nil {
			return err
		}
	}
	sug := index.NewSuggester(d.index, 0)
	go func() { // build the suggestions now rather than at the first keystroke
		if err := sug.Refresh(ctx); err != nil && ctx.Err() == nil {
			log.Warn("suggestions not built yet; the first request will try again", "err", err)
		}
	}()
	srv := httpapi.New(httpapi.Config{
		Search:       d.index,
		Suggest:      sug,
		Related:      d.index,
		Articles:     d.store,
		Ingest:       d.pipe,
		EditorTokens: tokenHashes(os.Getenv("XINWEN_EDITOR_TOKENS")),
		Web:          web.FS(),
		Logger:       log,
		// Count is one cheap call into the live index: if it answers, searches can.
		Ready: func() error {
			_, err := d.index.Count()
			return err
		},
		DocCount: func() (uint64, error) { return d.index.Count() },
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	n, _ := d.index.Count()
	fmt.Fprintf(e.stdout, "xinwen serving %d articles on http://%s/\n", n, ln.Addr())
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
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

// tokenHashes hashes a comma-separated list of bearer tokens; the server
// keeps only the hashes.
func tokenHashes(list string) [][sha256.Size]byte {
	var out [][sha256.Size]byte
	for _, t := range strings.Split(list, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, sha256.Sum256([]byte(t)))
		}
	}
	return out
}
