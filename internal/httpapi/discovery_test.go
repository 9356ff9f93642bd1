package httpapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/news"
)

// discoveryStub stands in for the index and the store: it knows the article
// a1, suggests two completions and rejects what the index rejects.
type discoveryStub struct {
	gotPrefix string
	gotN      int
	gotID     string
}

func (d *discoveryStub) Search(context.Context, news.SearchRequest) (*news.SearchResult, error) {
	return &news.SearchResult{Hits: []news.Hit{}}, nil
}

func (d *discoveryStub) Get(_ context.Context, id string) (news.Article, error) {
	if id != "a1" {
		return news.Article{}, news.Errorf(news.ENOTFOUND, "article %q not found", id)
	}
	return news.Article{ID: "a1", Title: "甘肃光伏装机创新高"}, nil
}

func (d *discoveryStub) Suggest(_ context.Context, prefix string, n int) ([]string, error) {
	d.gotPrefix, d.gotN = prefix, n
	if utf8.RuneCountInString(prefix) > 32 || n > 20 {
		return nil, news.Errorf(news.EINVALID, "too long")
	}
	if prefix == "" {
		return nil, nil
	}
	return []string{prefix + "县", prefix + "县委"}, nil
}

func (d *discoveryStub) Related(_ context.Context, a news.Article, n int) ([]news.Hit, error) {
	d.gotID, d.gotN = a.ID, n
	if n > 20 {
		return nil, news.Errorf(news.EINVALID, "n too large")
	}
	return []news.Hit{{ID: "a2", Title: "酒泉<mark>光伏</mark>基地", Section: []string{}}}, nil
}

// quiet discards the access log.
var quiet = slog.New(slog.DiscardHandler)

func getJSON(t *testing.T, srv http.Handler, target string, body any) int {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
	if body != nil && rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), body); err != nil {
			t.Fatalf("GET %s: %v in %s", target, err, rec.Body)
		}
	}
	return rec.Code
}

func TestSuggestAPI(t *testing.T) {
	d := &discoveryStub{}
	srv := httpapi.New(httpapi.Config{Logger: quiet, Search: d, Articles: d, Suggest: d, Related: d})
	var res struct {
		Q           string
		Suggestions []string
	}
	if code := getJSON(t, srv, "/api/suggest?q="+url.QueryEscape("清水")+"&n=5", &res); code != http.StatusOK {
		t.Fatalf("GET /api/suggest: %d", code)
	}
	if res.Q != "清水" || !slices.Equal(res.Suggestions, []string{"清水县", "清水县委"}) || d.gotN != 5 {
		t.Errorf("GET /api/suggest?q=清水&n=5: %+v (n %d)", res, d.gotN)
	}
	// No q: an empty list, not null.
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/suggest", nil))
	if got, want := rec.Body.String(), `{"q":"","suggestions":[]}`+"\n"; rec.Code != http.StatusOK || got != want {
		t.Errorf("GET /api/suggest: %d %q, want 200 %q", rec.Code, got, want)
	}
	if getJSON(t, srv, "/api/suggest?q=x", &res); d.gotN != 0 {
		t.Errorf("without n the index was asked for %d, want 0 (its default)", d.gotN)
	}
	for _, target := range []string{
		"/api/suggest?q=x&n=abc",
		"/api/suggest?q=x&n=-1",
		"/api/suggest?q=x&n=21",
		"/api/suggest?q=" + url.QueryEscape("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"),
	} {
		if code := getJSON(t, srv, target, nil); code != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", target, code)
		}
	}
	if code := getJSON(t, httpapi.New(httpapi.Config{Logger: quiet, Search: d, Articles: d}), "/api/suggest?q=x", nil); code != http.StatusServiceUnavailable {
		t.Errorf("GET /api/suggest without a Suggester: %d, want 503", code)
	}
}

func TestRelatedAPI(t *testing.T) {
	d := &discoveryStub{}
	srv := httpapi.New(httpapi.Config{Logger: quiet, Search: d, Articles: d, Suggest: d, Related: d})
	var res struct {
		ID   string
		Hits []news.Hit
	}
	if code := getJSON(t, srv, "/api/articles/a1/related?n=3", &res); code != http.StatusOK {
		t.Fatalf("GET /api/articles/a1/related: %d", code)
	}
	if res.ID != "a1" || len(res.Hits) != 1 || res.Hits[0].ID != "a2" || d.gotID != "a1" || d.gotN != 3 {
		t.Errorf("GET /api/articles/a1/related?n=3: %+v (asked for %s, %d)", res, d.gotID, d.gotN)
	}
	for _, tc := range []struct {
		target string
		status int
	}{
		{"/api/articles/a1", http.StatusOK}, // the article route still answers
		{"/api/articles/nope/related", http.StatusNotFound},
		{"/api/articles/a1/related?n=x", http.StatusBadRequest},
		{"/api/articles/a1/related?n=-2", http.StatusBadRequest},
		{"/api/articles/a1/related?n=21", http.StatusBadRequest},
	} {
		if code := getJSON(t, srv, tc.target, nil); code != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.target, code, tc.status)
		}
	}
	if code := getJSON(t, httpapi.New(httpapi.Config{Logger: quiet, Search: d, Articles: d}), "/api/articles/a1/related", nil); code != http.StatusServiceUnavailable {
		t.Errorf("GET related without a Relater: %d, want 503", code)
	}
}
