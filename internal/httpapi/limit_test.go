package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/news"
)

// blocking answers searches only when released.
type blocking struct {
	started chan struct{}
	release chan struct{}
}

func (b blocking) Search(ctx context.Context, _ news.SearchRequest) (*news.SearchResult, error) {
	b.started <- struct{}{}
	<-b.release
	return &news.SearchResult{Hits: []news.Hit{}}, nil
}

func (b blocking) Get(context.Context, string) (news.Article, error) { return news.Article{}, nil }

// TestConcurrencyLimit: beyond the cap a request gets 503 with Retry-After
// at once, while health checks still answer.
func TestConcurrencyLimit(t *testing.T) {
	b := blocking{started: make(chan struct{}, 2), release: make(chan struct{})}
	srv := httpapi.New(httpapi.Config{Search: b, Articles: b, MaxConcurrent: 2, RequestTimeout: time.Minute})
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=x", nil))
			codes[i] = rec.Code
		}()
	}
	<-b.started
	<-b.started
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=x", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("third request: %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("healthz while busy: %d", rec.Code)
	}
	close(b.release)
	wg.Wait()
	if codes[0] != 200 || codes[1] != 200 {
		t.Errorf("the two admitted requests: %v", codes)
	}
}

// storing counts the records it is given, as if it stored them.
type storing struct{ n *atomic.Int64 }

func (s storing) Put(_ context.Context, recs []extract.Record) ([]news.IngestOutcome, error) {
	s.n.Add(int64(len(recs)))
	out := make([]news.IngestOutcome, len(recs))
	for i := range out {
		out[i] = news.IngestOutcome{Status: news.OutcomeAdded}
	}
	return out, nil
}

// TestBodyLimit: a body over MaxBody gets 413 naming the limit and nothing
// of it is stored, whether Content-Length announces it or a chunked body
// runs past it; a body under the limit is stored.
func TestBodyLimit(t *testing.T) {
	tokens, err := httpapi.EnvTokens("bot:ingest:body-limit-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	var stored atomic.Int64
	srv := httpapi.New(httpapi.Config{Ingest: storing{&stored}, Tokens: tokens, MaxBody: 1 << 10, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	line := `{"title":"兰州新区","body":"项目建设加快。"}` + "\n"
	small, big := strings.Repeat(line, 10), strings.Repeat(line, 40)
	if len(small) > 1<<10 || len(big) <= 1<<10 {
		t.Fatalf("bodies of %d and %d bytes do not straddle 1 KiB", len(small), len(big))
	}
	for _, tc := range []struct {
		name   string
		body   io.Reader
		status int
		stored int64
	}{
		{"under the limit", strings.NewReader(small), 200, 10},
		{"Content-Length over the limit", strings.NewReader(big), 413, 0},
		{"chunked past the limit", io.MultiReader(strings.NewReader(big)), 413, 0},
	} {
		stored.Store(0)
		req := httptest.NewRequest("POST", "/api/articles", tc.body)
		req.Header.Set("Authorization", "Bearer body-limit-secret")
		if _, ok := tc.body.(*strings.Reader); !ok {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != tc.status || stored.Load() != tc.stored {
			t.Errorf("%s: %d with %d stored, want %d with %d: %s", tc.name, rec.Code, stored.Load(), tc.status, tc.stored, rec.Body)
		}
		if tc.status == 413 && !strings.Contains(rec.Body.String(), "1 KiB") {
			t.Errorf("%s: the message does not name the limit: %s", tc.name, rec.Body)
		}
	}
}
