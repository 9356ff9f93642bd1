package httpapi

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/xinwen/xinwen/internal/audit"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

const (
	ingestSecret = "ingest-secret-123"
	editorSecret = "editor-secret-456"
)

// acceptAll stores every record.
type acceptAll struct{}

func (acceptAll) Put(_ context.Context, recs []extract.Record) ([]news.IngestOutcome, error) {
	out := make([]news.IngestOutcome, len(recs))
	for i := range recs {
		out[i] = news.IngestOutcome{Status: news.OutcomeAdded, Line: recs[i].Line}
	}
	return out, nil
}

// authServer returns the real server with an ingest and an editor token,
// plus DELETE /test/editor-only, a route that needs scope editor, and the
// path of its audit log.
func authServer(t *testing.T, tokens []Token) (*echo.Echo, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.log")
	l, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	cfg := Config{Ingest: acceptAll{}, Tokens: tokens, Audit: l, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	e := New(cfg)
	h := &handlers{cfg: cfg}
	e.DELETE("/test/editor-only", func(c echo.Context) error {
		return c.String(http.StatusOK, c.Get("token").(string))
	}, h.requireScope(ScopeEditor))
	return e, path
}

func testTokens(t *testing.T) []Token {
	t.Helper()
	ts, err := ParseTokens(strings.NewReader("# ops tokens\n\nfeed:ingest:"+ingestSecret+"\nalice:editor:"+editorSecret+"\n"), "tokens.txt")
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestRequireScope(t *testing.T) {
	srv, _ := authServer(t, testTokens(t))
	const body = `{"title":"甲","body":"乙"}`
	for _, tc := range []struct {
		name, auth, method, target string
		status                     int
	}{
		{"no token", "", "POST", "/api/articles", 401},
		{"not bearer", "Basic " + editorSecret, "POST", "/api/articles", 401},
		{"empty bearer", "Bearer ", "POST", "/api/articles", 401},
		{"wrong token", "Bearer nope-nope-nope", "POST", "/api/articles", 401},
		{"hash as token", "Bearer " + hex.EncodeToString(hashOf(editorSecret)), "POST", "/api/articles", 401},
		{"ingest token ingests", "Bearer " + ingestSecret, "POST", "/api/articles", 200},
		{"editor token ingests", "Bearer " + editorSecret, "POST", "/api/articles", 200},
		{"ingest token on editor route", "Bearer " + ingestSecret, "DELETE", "/test/editor-only", 403},
		{"editor token on editor route", "Bearer " + editorSecret, "DELETE", "/test/editor-only", 200},
		{"no token on editor route", "", "DELETE", "/test/editor-only", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(body))
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, tc.status)
			}
			if got, want := rec.Header().Get("WWW-Authenticate"), `Bearer realm="xinwen"`; (tc.status == 401) != (got == want) {
				t.Errorf("WWW-Authenticate %q on %d", got, rec.Code)
			}
			if tc.status == 401 {
				dump := rec.Body.String() + strings.Join(flatten(rec.Header()), " ")
				for _, secret := range []string{ingestSecret, editorSecret, "nope-nope-nope", "feed", "alice"} {
					if strings.Contains(dump, secret) {
						t.Errorf("401 answer contains %q: %s", secret, dump)
					}
				}
			}
		})
	}
	if rec := doReq(srv, "DELETE", "/test/editor-only", editorSecret); rec.Body.String() != "alice" {
		t.Errorf(`c.Get("token") = %q, want "alice"`, rec.Body)
	}
}

func TestNoTokensConfigured(t *testing.T) {
	srv, _ := authServer(t, nil)
	rec := doReq(srv, "POST", "/api/articles", editorSecret)
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "disabled") {
		t.Errorf("%d %s, want 403 disabled", rec.Code, rec.Body)
	}
}

func TestAuditLog(t *testing.T) {
	srv, path := authServer(t, testTokens(t))
	doReq(srv, "POST", "/api/articles", ingestSecret)
	doReq(srv, "POST", "/api/articles", "wrong-token-789")
	doReq(srv, "DELETE", "/test/editor-only", ingestSecret)
	doReq(srv, "DELETE", "/test/editor-only", editorSecret)
	// A failure after authorization is audited with the status sent.
	req := httptest.NewRequest("POST", "/api/articles", strings.NewReader(""))
	req.Header.Set("Authorization", "Bearer "+editorSecret)
	srv.ServeHTTP(httptest.NewRecorder(), req)
	doReq(srv, "GET", "/healthz", "") // not audited

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{ingestSecret, editorSecret, "wrong-token-789"} {
		if strings.Contains(string(b), s) {
			t.Errorf("audit log contains the secret %q", s)
		}
	}
	var got []audit.Entry
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		var e audit.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		if e.Time.IsZero() || e.RequestID == "" {
			t.Errorf("entry without time or request ID: %+v", e)
		}
		got = append(got, e)
	}
	want := []audit.Entry{
		{Who: "feed", Action: "POST /api/articles", Target: "/api/articles", Outcome: "ok", Status: 200},
		{Who: "anonymous", Action: "POST /api/articles", Target: "/api/articles", Outcome: "denied", Status: 401, Detail: "unknown token"},
		{Who: "feed", Action: "DELETE /test/editor-only", Target: "/test/editor-only", Outcome: "denied", Status: 403, Detail: "token scope ingest lacks editor"},
		{Who: "alice", Action: "DELETE /test/editor-only", Target: "/test/editor-only", Outcome: "ok", Status: 200},
		{Who: "alice", Action: "POST /api/articles", Target: "/api/articles", Outcome: "failed", Status: 400},
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d:\n%s", len(got), len(want), b)
	}
	for i, w := range want {
		g := got[i]
		if g.Who != w.Who || g.Action != w.Action || g.Target != w.Target || g.Outcome != w.Outcome || g.Status != w.Status || (w.Detail != "" && g.Detail != w.Detail) {
			t.Errorf("entry %d: %+v, want %+v", i+1, g, w)
		}
	}
}

func TestParseTokens(t *testing.T) {
	sum := sha256.Sum256([]byte("hashed-secret-1"))
	ts, err := ParseTokens(strings.NewReader("bot:ingest:sha256:"+hex.EncodeToString(sum[:])+"\nbob:editor:has:colons:in:it\n"), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0] != (Token{Name: "bot", Scope: ScopeIngest, Hash: sum}) || ts[1].Hash != sha256.Sum256([]byte("has:colons:in:it")) {
		t.Errorf("tokens: %+v", ts)
	}
	// The sha256 form authenticates with the secret, not the hash.
	srv, _ := authServer(t, ts)
	if rec := doReq(srv, "POST", "/api/articles", "hashed-secret-1"); rec.Code != 200 {
		t.Errorf("sha256 form: %d %s", rec.Code, rec.Body)
	}

	const secret = "Sup3rSecretValue"
	for _, tc := range []struct{ input, where, msg string }{
		{"ok:editor:" + secret + "\nbad-line-" + secret, "f.txt:2:", "NAME:SCOPE:SECRET"},
		{"\n\nx:admin:" + secret, "f.txt:3:", `unknown scope "admin"`},
		{"na me:editor:" + secret, "f.txt:1:", "name"},
		{"x:editor:", "f.txt:1:", "empty"},
		{"x:editor:short", "f.txt:1:", "shorter"},
		{"x:editor:sha256:" + secret, "f.txt:1:", "64 hex digits"},
		{"x:editor:" + secret + "\nx:ingest:" + secret + "2", "f.txt:", "used twice"},
		{"x:editor:" + secret + "\ny:ingest:" + secret, "f.txt:", "same secret"},
	} {
		_, err := ParseTokens(strings.NewReader(tc.input), "f.txt")
		if err == nil {
			t.Errorf("%q: no error", tc.input)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, tc.where) || !strings.Contains(msg, tc.msg) || strings.Contains(msg, secret) || strings.Contains(msg, "short") && tc.msg != "shorter" {
			t.Errorf("%q: %v, want %s… %s without the secret", tc.input, err, tc.where, tc.msg)
		}
	}
}

func TestEnvTokens(t *testing.T) {
	ts, err := EnvTokens("feed:ingest:"+ingestSecret+", alice:editor:"+editorSecret, "old-one, old-two")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 4 || ts[1].Name != "alice" || ts[2] != (Token{Name: "editor1", Scope: ScopeEditor, Hash: sha256.Sum256([]byte("old-one"))}) || ts[3].Name != "editor2" {
		t.Errorf("tokens: %+v", ts)
	}
	_, err = EnvTokens("feed:ingest:"+ingestSecret+",oops"+editorSecret, "")
	if err == nil || !strings.Contains(err.Error(), "XINWEN_TOKENS entry 2") || strings.Contains(err.Error(), editorSecret) {
		t.Errorf("bad entry: %v", err)
	}
	if ts, err := EnvTokens("", ""); err != nil || len(ts) != 0 {
		t.Errorf("empty: %v %v", ts, err)
	}
}

func doReq(srv http.Handler, method, target, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(`{"title":"甲","body":"乙"}`))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func flatten(h http.Header) []string {
	var out []string
	for k, vs := range h {
		out = append(out, k+": "+strings.Join(vs, ","))
	}
	return out
}
