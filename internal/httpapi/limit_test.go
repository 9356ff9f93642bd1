package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

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
