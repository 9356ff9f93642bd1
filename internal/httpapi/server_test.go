package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/news"
)

// failing answers every search with err, to pin the error -> status table.
type failing struct{ err error }

func (f failing) Search(context.Context, news.SearchRequest) (*news.SearchResult, error) {
	return nil, f.err
}

func (f failing) Get(context.Context, string) (news.Article, error) { return news.Article{}, f.err }

func TestErrorStatuses(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		msg    string
	}{
		{news.Errorf(news.EINVALID, "unknown sort"), 400, "unknown sort"},
		{news.Errorf(news.ENOTFOUND, "no such article"), 404, "no such article"},
		{news.Errorf(news.ECONFLICT, "busy"), 409, "busy"},
		{news.Errorf(news.ETOOLARGE, "too big"), 413, "too big"},
		{news.Errorf(news.EUNAVAILABLE, "later"), 503, "later"},
		{errors.New("disk on fire at /secret/path"), 500, "internal error"},
	} {
		srv := httpapi.New(httpapi.Config{Search: failing{tc.err}, Articles: failing{tc.err}})
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=x", nil))
		var body struct {
			Error struct{ Code, Message string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%v: body %q: %v", tc.err, rec.Body, err)
		}
		if rec.Code != tc.status || body.Error.Message != tc.msg {
			t.Errorf("%v: %d %q, want %d %q", tc.err, rec.Code, body.Error.Message, tc.status, tc.msg)
		}
	}
}

func TestBadParameters(t *testing.T) {
	srv := httpapi.New(httpapi.Config{Search: failing{nil}, Articles: failing{nil}})
	for _, q := range []string{"page=abc", "size=1e9x", "from=2024-13-45", "to=yesterday"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+q, nil))
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("POST", "/api/articles", nil))
	if rec.Code != http.StatusForbidden {
		t.Errorf("POST without configured tokens: %d, want 403", rec.Code)
	}
}
