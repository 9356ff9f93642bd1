package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/news"
)

// opsToken is the editor token the ops tests' servers accept.
const opsToken = "editor-secret"

// opsStub stands in for the index, the store and the ingest pipeline: it
// knows one article, a1, and adds every good record it is given.
type opsStub struct{}

func (opsStub) Search(context.Context, news.SearchRequest) (*news.SearchResult, error) {
	return &news.SearchResult{Page: 1, Size: 10, Hits: []news.Hit{}}, nil
}

func (opsStub) Get(_ context.Context, id string) (news.Article, error) {
	if id == "a1" {
		return news.Article{ID: "a1", Title: "标题", Body: "正文"}, nil
	}
	return news.Article{}, news.Errorf(news.ENOTFOUND, "no article %q", id)
}

func (opsStub) Put(_ context.Context, recs []extract.Record) ([]news.IngestOutcome, error) {
	out := make([]news.IngestOutcome, len(recs))
	for i, r := range recs {
		out[i] = news.IngestOutcome{ID: r.Article.ID, Status: news.OutcomeAdded, Line: r.Line}
		if r.Err != nil {
			out[i] = news.IngestOutcome{Status: news.OutcomeFailed, Error: news.ErrorMessage(r.Err), Line: r.Line}
		}
	}
	return out, nil
}

// opsConfig is a server configuration with every dependency filled in.
func opsConfig(log io.Writer) httpapi.Config {
	return httpapi.Config{
		Search:   opsStub{},
		Articles: opsStub{},
		Ingest:   opsStub{},
		Tokens:   []httpapi.Token{{Name: "ops", Scope: httpapi.ScopeEditor, Hash: sha256.Sum256([]byte(opsToken))}},
		Logger:   slog.New(slog.NewJSONHandler(log, nil)),
		DocCount: func() (uint64, error) { return 42, nil },
	}
}

// do sends one request to srv.
func do(t *testing.T, srv http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// scrape reads GET /metrics into metric families.
func scrape(t *testing.T, srv http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := do(t, srv, "GET", "/metrics", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// sample finds the metric of family name whose labels include want.
func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		return m
	}
	return nil
}

func TestMetrics(t *testing.T) {
	srv := httpapi.New(opsConfig(io.Discard))
	for _, r := range []struct {
		method, target, body string
		status               int
	}{
		{"GET", "/api/search?q=x", "", 200},
		{"GET", "/api/search?q=y&size=5", "", 200},
		{"GET", "/api/articles/a1", "", 200},
		{"GET", "/api/articles/no-such-id", "", 404},
		{"GET", "/no/such/page-12345", "", 404},
		{"POST", "/api/articles", "{\"title\":\"甲\",\"body\":\"乙\"}\n{not json}\n", 207},
	} {
		if rec := do(t, srv, r.method, r.target, r.body, "Authorization", "Bearer "+opsToken); rec.Code != r.status {
			t.Fatalf("%s %s: %d, want %d: %s", r.method, r.target, rec.Code, r.status, rec.Body)
		}
	}
	fams := scrape(t, srv)

	for _, c := range []struct {
		route, method, status string
		n                     float64
	}{
		{"/api/search", "GET", "200", 2},
		{"/api/articles/:id", "GET", "200", 1},
		{"/api/articles/:id", "GET", "404", 1},
		{"unmatched", "GET", "404", 1},
		{"/api/articles", "POST", "207", 1},
	} {
		l := map[string]string{"route": c.route, "method": c.method, "status": c.status}
		m := sample(fams, httpapi.MetricRequests, l)
		if m == nil {
			t.Errorf("%s%v: missing", httpapi.MetricRequests, l)
			continue
		}
		if got := m.GetCounter().GetValue(); got != c.n {
			t.Errorf("%s%v = %v, want %v", httpapi.MetricRequests, l, got, c.n)
		}
		h := sample(fams, httpapi.MetricDuration, l)
		if h == nil || h.GetHistogram().GetSampleCount() != uint64(c.n) {
			t.Errorf("%s%v: histogram %v, want %v samples", httpapi.MetricDuration, l, h, c.n)
		}
	}
	// Raw URLs never become label values.
	for _, name := range []string{httpapi.MetricRequests, httpapi.MetricDuration} {
		for _, m := range fams[name].GetMetric() {
			for _, l := range m.GetLabel() {
				if strings.Contains(l.GetValue(), "no-such") || strings.Contains(l.GetValue(), "a1") || strings.Contains(l.GetValue(), "?") {
					t.Errorf("%s has label %s=%q from a URL", name, l.GetName(), l.GetValue())
				}
			}
		}
	}

	if m := sample(fams, httpapi.MetricDocs, nil); m == nil || m.GetGauge().GetValue() != 42 {
		t.Errorf("%s = %v, want 42", httpapi.MetricDocs, m)
	}
	for outcome, want := range map[string]float64{news.OutcomeAdded: 1, news.OutcomeFailed: 1, news.OutcomeUpdated: 0, "error": 0} {
		m := sample(fams, httpapi.MetricIngested, map[string]string{"outcome": outcome})
		if m == nil || m.GetCounter().GetValue() != want {
			t.Errorf("%s{outcome=%q} = %v, want %v", httpapi.MetricIngested, outcome, m, want)
		}
	}
}

// brokenIngest fails the whole batch, as a full disk would.
type brokenIngest struct{}

func (brokenIngest) Put(_ context.Context, recs []extract.Record) ([]news.IngestOutcome, error) {
	return make([]news.IngestOutcome, len(recs)), errors.New("disk full")
}

// TestMetricsWithoutAnIndex: several servers live side by side (each has its
// own registry); a failing or absent DocCount drops the gauge but not the
// scrape; records of a failed batch count as errors.
func TestMetricsWithoutAnIndex(t *testing.T) {
	failing := opsConfig(io.Discard)
	failing.DocCount = func() (uint64, error) { return 0, errors.New("index closed") }
	failing.Ingest = brokenIngest{}
	none := opsConfig(io.Discard)
	none.DocCount = nil
	for name, cfg := range map[string]httpapi.Config{"failing": failing, "none": none} {
		srv := httpapi.New(cfg)
		fams := scrape(t, srv)
		if m := sample(fams, httpapi.MetricDocs, nil); m != nil {
			t.Errorf("%s DocCount: %s = %v, want no sample", name, httpapi.MetricDocs, m)
		}
		if sample(fams, httpapi.MetricIngested, map[string]string{"outcome": "added"}) == nil {
			t.Errorf("%s DocCount: %s missing", name, httpapi.MetricIngested)
		}
	}
	srv := httpapi.New(failing)
	rec := do(t, srv, "POST", "/api/articles", `[{"title":"a","body":"b"},{"title":"c","body":"d"}]`, "Authorization", "Bearer "+opsToken)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("POST with a failing ingester: %d, want 500", rec.Code)
	}
	m := sample(scrape(t, srv), httpapi.MetricIngested, map[string]string{"outcome": "error"})
	if m == nil || m.GetCounter().GetValue() != 2 {
		t.Errorf(`%s{outcome="error"} = %v, want 2`, httpapi.MetricIngested, m)
	}
}

// TestAccessLog: every request is logged with its route, status, duration
// and request ID, and the ID is the one sent back in X-Request-Id (the
// caller's own when it sent one).
func TestAccessLog(t *testing.T) {
	var buf bytes.Buffer
	srv := httpapi.New(opsConfig(&buf))
	given := do(t, srv, "GET", "/api/articles/a1", "", echo.HeaderXRequestID, "caller-id-1")
	made := do(t, srv, "GET", "/api/search?q=x", "")
	if got := given.Header().Get(echo.HeaderXRequestID); got != "caller-id-1" {
		t.Errorf("X-Request-Id = %q, want the caller's caller-id-1", got)
	}
	madeID := made.Header().Get(echo.HeaderXRequestID)
	if madeID == "" {
		t.Fatal("no X-Request-Id on a request that sent none")
	}
	var lines []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("%d request log lines, want 2: %s", len(lines), buf.String())
	}
	for i, want := range []struct{ id, route string }{{"caller-id-1", "/api/articles/:id"}, {madeID, "/api/search"}} {
		l := lines[i]
		if l["request_id"] != want.id || l["route"] != want.route || l["status"] != float64(200) {
			t.Errorf("log line %d: %v, want request_id %q, route %q, status 200", i, l, want.id, want.route)
		}
		if ms, ok := l["ms"].(float64); !ok || ms < 0 {
			t.Errorf("log line %d: ms = %v, want a duration in milliseconds", i, l["ms"])
		}
	}
}
