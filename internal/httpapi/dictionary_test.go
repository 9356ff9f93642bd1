package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/xinwen/xinwen/internal/audit"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/news"
)

// fakeDictionary is an in-memory httpapi.DictionaryManager that keeps the
// contract of the real one (the dictionary package behind cmd/xinwen's
// dictAPI, tested with these handlers in cmd/xinwen): Replace and Edit check
// every entry first and change nothing on error, a bad entry is EINVALID
// naming its position from 1 and its word, removing an unknown word is
// ENOTFOUND, and the version is "base" without entries and otherwise
// follows from them. It records the changes asked of it.
type fakeDictionary struct {
	mu      sync.Mutex
	entries []httpapi.DictEntry
	calls   []string // "Replace [entries]" or "Edit [add] [remove]"
	fail    error    // if set, Replace and Edit fail with it
}

var tagRE = regexp.MustCompile(`^[a-z]{1,4}$`)

func (d *fakeDictionary) check(entries []httpapi.DictEntry) error {
	for i, e := range entries {
		var why string
		switch {
		case e.Word == "" || strings.ContainsAny(e.Word, " \t\n"):
			why = "a word is one or more characters without spaces"
		case e.Freq < 0:
			why = "frequency must be a positive whole number"
		case e.Tag != "" && !tagRE.MatchString(e.Tag):
			why = "a tag is a part of speech such as nr, ns or nz"
		default:
			continue
		}
		return news.Errorf(news.EINVALID, "entry %d (%q): %s", i+1, e.Word, why)
	}
	return nil
}

func (d *fakeDictionary) Entries() []httpapi.DictEntry {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.entries)
}

func (d *fakeDictionary) Version() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.version()
}

func (d *fakeDictionary) version() string {
	if len(d.entries) == 0 {
		return "base"
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%+v", d.entries))
	return hex.EncodeToString(sum[:6])
}

func (d *fakeDictionary) Replace(_ context.Context, entries []httpapi.DictEntry) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, fmt.Sprintf("Replace %v", entries))
	if d.fail != nil {
		return "", d.fail
	}
	if err := d.check(entries); err != nil {
		return "", err
	}
	d.entries = slices.Clone(entries)
	return d.version(), nil
}

func (d *fakeDictionary) Edit(_ context.Context, add []httpapi.DictEntry, remove []string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, fmt.Sprintf("Edit %v %q", add, remove))
	if d.fail != nil {
		return "", d.fail
	}
	if err := d.check(add); err != nil {
		return "", err
	}
	next := slices.Clone(d.entries)
	for _, w := range remove {
		i := slices.IndexFunc(next, func(e httpapi.DictEntry) bool { return e.Word == w })
		if i < 0 {
			return "", news.Errorf(news.ENOTFOUND, "word %q is not in the user dictionary", w)
		}
		next = slices.Delete(next, i, i+1)
	}
	d.entries = append(next, add...)
	return d.version(), nil
}

// takeCalls returns the changes asked since the last takeCalls.
func (d *fakeDictionary) takeCalls() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.calls
	d.calls = nil
	return c
}

// auditRecorder is an httpapi.Auditor that keeps the entries in memory.
type auditRecorder struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (r *auditRecorder) Record(e audit.Entry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, e)
	return nil
}

// indexAt is a Rebuilder whose index was built with one dictionary version.
type indexAt struct {
	httpapi.Rebuilder
	version string
}

func (r indexAt) DictVersion() string { return r.version }

type dictAnswer struct {
	Version      string              `json:"version"`
	Entries      []httpapi.DictEntry `json:"entries"`
	IndexVersion string              `json:"index_version"`
	RebuildDue   bool                `json:"rebuild_due"`
	Hint         string              `json:"hint"`
}

const (
	dictEditor = "ed-secret-1"
	dictIngest = "in-secret-1"
)

// dictServer is New with the dictionary d, the rebuilder r (nil for none),
// an editor token of alice's, an ingest token of feed's, and the audit
// recorder it returns.
func dictServer(t *testing.T, d httpapi.DictionaryManager, r httpapi.Rebuilder) (http.Handler, *auditRecorder) {
	t.Helper()
	tokens, err := httpapi.ParseTokens(strings.NewReader("alice:editor:"+dictEditor+"\nfeed:ingest:"+dictIngest+"\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	rec := &auditRecorder{}
	return httpapi.New(httpapi.Config{
		Dictionary: d,
		Rebuild:    r,
		Tokens:     tokens,
		Audit:      rec,
		Logger:     slog.New(slog.NewJSONHandler(io.Discard, nil)),
	}), rec
}

// callDict sends a request to /api/admin/dictionary with the secret as its
// bearer token ("" for none), fails unless it gets wantStatus, and returns
// the answer (for 200) and the body.
func callDict(t *testing.T, srv http.Handler, method, body, secret string, wantStatus int) (dictAnswer, string) {
	t.Helper()
	header := []string{"Content-Type", "application/json"}
	if secret != "" {
		header = append(header, "Authorization", "Bearer "+secret)
	}
	rec := do(t, srv, method, "/api/admin/dictionary", body, header...)
	if rec.Code != wantStatus {
		t.Fatalf("%s %s: %d %s, want %d", method, body, rec.Code, rec.Body, wantStatus)
	}
	var a dictAnswer
	if wantStatus == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatalf("%s %s: %v: %s", method, body, err, rec.Body)
		}
	}
	return a, rec.Body.String()
}

// TestDictionaryAPI edits the dictionary through the three routes, with a
// Rebuilder whose index was built with the base dictionary.
func TestDictionaryAPI(t *testing.T) {
	d := &fakeDictionary{}
	srv, log := dictServer(t, d, indexAt{version: "base"})

	// Only editors; nothing reaches the dictionary otherwise.
	for _, method := range []string{"GET", "PUT", "POST"} {
		callDict(t, srv, method, `{"entries":[]}`, "", http.StatusUnauthorized)
		callDict(t, srv, method, `{"entries":[]}`, "wrong-secret-1", http.StatusUnauthorized)
		callDict(t, srv, method, `{"entries":[]}`, dictIngest, http.StatusForbidden)
	}
	if calls := d.takeCalls(); len(calls) != 0 {
		t.Errorf("requests without an editor token reached the dictionary: %q", calls)
	}

	if a, body := callDict(t, srv, "GET", "", dictEditor, http.StatusOK); a.Version != "base" || a.IndexVersion != "base" || a.RebuildDue || a.Hint != "" ||
		!strings.Contains(body, `"entries":[]`) {
		t.Errorf("GET before any change: %s", body)
	}

	// The manager's errors reach the client with their status; requests
	// that are not the expected JSON never reach the manager.
	for _, tc := range []struct {
		method, body string
		status       int
		want         string // in the body
		call         string // "" if the manager must not be asked
	}{
		{"PUT", `{"entries":[{"word":"党建子","freq":20,"tag":"nr"},{"word":"坏 词"}]}`, http.StatusBadRequest, `entry 2 (\"坏 词\")`,
			`Replace [{党建子 20 nr} {坏 词 0 }]`},
		{"POST", `{"add":[{"word":"党建子","freq":-3}]}`, http.StatusBadRequest, `entry 1 (\"党建子\")`,
			`Edit [{党建子 -3 }] []`},
		{"POST", `{"remove":["没有这个词"]}`, http.StatusNotFound, `没有这个词`,
			`Edit [] ["没有这个词"]`},
		{"PUT", `{"entries":[{"word":"党建子","weight":3}]}`, http.StatusBadRequest, `weight`, ""},
		{"PUT", `{"entries":`, http.StatusBadRequest, `not the expected JSON`, ""},
		{"PUT", `{}`, http.StatusBadRequest, `entries`, ""},
		{"POST", `{}`, http.StatusBadRequest, `nothing to do`, ""},
		{"POST", `{"add":[],"remove":[]}`, http.StatusBadRequest, `nothing to do`, ""},
	} {
		_, body := callDict(t, srv, tc.method, tc.body, dictEditor, tc.status)
		if !strings.Contains(body, tc.want) || !strings.Contains(body, `"code"`) {
			t.Errorf("%s %s: %s, want an error naming %s", tc.method, tc.body, body, tc.want)
		}
		var want []string
		if tc.call != "" {
			want = []string{tc.call}
		}
		if got := d.takeCalls(); !slices.Equal(got, want) {
			t.Errorf("%s %s: the manager was asked %q, want %q", tc.method, tc.body, got, want)
		}
	}
	if v := d.Version(); v != "base" {
		t.Fatalf("a rejected request changed the dictionary: version %s", v)
	}

	put, _ := callDict(t, srv, "PUT", `{"entries":[{"word":"党建子","freq":20,"tag":"nr"},{"word":"新质生产力"}]}`, dictEditor, http.StatusOK)
	want := []httpapi.DictEntry{{Word: "党建子", Freq: 20, Tag: "nr"}, {Word: "新质生产力"}}
	if put.Version == "base" || put.Version != d.Version() || !slices.Equal(put.Entries, want) ||
		!put.RebuildDue || put.IndexVersion != "base" || !strings.Contains(put.Hint, "POST /api/admin/reindex") {
		t.Errorf("PUT: %+v, dictionary version %s", put, d.Version())
	}
	if got, want := d.takeCalls(), []string{"Replace [{党建子 20 nr} {新质生产力 0 }]"}; !slices.Equal(got, want) {
		t.Errorf("PUT asked %q, want %q", got, want)
	}

	post, _ := callDict(t, srv, "POST", `{"add":[{"word":"大湾区","tag":"ns"}],"remove":["党建子"]}`, dictEditor, http.StatusOK)
	want = []httpapi.DictEntry{{Word: "新质生产力"}, {Word: "大湾区", Tag: "ns"}}
	if post.Version == put.Version || post.Version != d.Version() || !slices.Equal(post.Entries, want) || !post.RebuildDue || post.IndexVersion != "base" {
		t.Errorf("POST: %+v, dictionary version %s", post, d.Version())
	}
	if got, want := d.takeCalls(), []string{`Edit [{大湾区 0 ns}] ["党建子"]`}; !slices.Equal(got, want) {
		t.Errorf("POST asked %q, want %q", got, want)
	}
	if got, _ := callDict(t, srv, "GET", "", dictEditor, http.StatusOK); got.Version != post.Version || !slices.Equal(got.Entries, want) || !got.RebuildDue {
		t.Errorf("GET after POST: %+v", got)
	}

	// Back to the dictionary the index was built with: no rebuild due.
	if back, body := callDict(t, srv, "PUT", `{"entries":[]}`, dictEditor, http.StatusOK); back.Version != "base" || back.RebuildDue || back.Hint != "" || !strings.Contains(body, `"entries":[]`) {
		t.Errorf("PUT back to base: %s", body)
	}

	// Every request was audited, with who, what, the status sent and, for a
	// refusal or a failure, why.
	type line struct {
		Who, Action, Outcome string
		Status               int
		Detail               string // in the entry's detail
	}
	wantLog := []line{
		{"anonymous", "GET /api/admin/dictionary", "denied", 401, "no bearer token"},
		{"anonymous", "GET /api/admin/dictionary", "denied", 401, "unknown token"},
		{"feed", "GET /api/admin/dictionary", "denied", 403, "lacks editor"},
		{"anonymous", "PUT /api/admin/dictionary", "denied", 401, "no bearer token"},
		{"anonymous", "PUT /api/admin/dictionary", "denied", 401, "unknown token"},
		{"feed", "PUT /api/admin/dictionary", "denied", 403, "lacks editor"},
		{"anonymous", "POST /api/admin/dictionary", "denied", 401, "no bearer token"},
		{"anonymous", "POST /api/admin/dictionary", "denied", 401, "unknown token"},
		{"feed", "POST /api/admin/dictionary", "denied", 403, "lacks editor"},
		{"alice", "GET /api/admin/dictionary", "ok", 200, ""},
		{"alice", "PUT /api/admin/dictionary", "failed", 400, `entry 2 ("坏 词")`},
		{"alice", "POST /api/admin/dictionary", "failed", 400, `entry 1 ("党建子")`},
		{"alice", "POST /api/admin/dictionary", "failed", 404, `没有这个词`},
		{"alice", "PUT /api/admin/dictionary", "failed", 400, `weight`},
		{"alice", "PUT /api/admin/dictionary", "failed", 400, `not the expected JSON`},
		{"alice", "PUT /api/admin/dictionary", "failed", 400, `entries`},
		{"alice", "POST /api/admin/dictionary", "failed", 400, `nothing to do`},
		{"alice", "POST /api/admin/dictionary", "failed", 400, `nothing to do`},
		{"alice", "PUT /api/admin/dictionary", "ok", 200, ""},
		{"alice", "POST /api/admin/dictionary", "ok", 200, ""},
		{"alice", "GET /api/admin/dictionary", "ok", 200, ""},
		{"alice", "PUT /api/admin/dictionary", "ok", 200, ""},
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	if len(log.entries) != len(wantLog) {
		t.Fatalf("%d audit entries, want %d: %+v", len(log.entries), len(wantLog), log.entries)
	}
	for i, w := range wantLog {
		g := log.entries[i]
		if g.Who != w.Who || g.Action != w.Action || g.Target != "/api/admin/dictionary" || g.Outcome != w.Outcome || g.Status != w.Status ||
			!strings.Contains(g.Detail, w.Detail) || (w.Detail == "") != (g.Detail == "") {
			t.Errorf("audit entry %d: %+v, want %+v", i+1, g, w)
		}
	}
}

// TestDictionaryWithoutRebuilder: with no index to compare with, a rebuild
// is due when a change gave a new version.
func TestDictionaryWithoutRebuilder(t *testing.T) {
	d := &fakeDictionary{entries: []httpapi.DictEntry{{Word: "新质生产力"}}}
	srv, _ := dictServer(t, d, nil)
	if a, body := callDict(t, srv, "GET", "", dictEditor, http.StatusOK); a.RebuildDue || a.IndexVersion != "" || strings.Contains(body, "index_version") {
		t.Errorf("GET: %s", body)
	}
	if a, _ := callDict(t, srv, "PUT", `{"entries":[{"word":"新质生产力"}]}`, dictEditor, http.StatusOK); a.RebuildDue || a.Hint != "" {
		t.Errorf("PUT of the same entries: %+v, want no rebuild due", a)
	}
	if a, _ := callDict(t, srv, "PUT", `{"entries":[{"word":"新质生产力","tag":"nz"}]}`, dictEditor, http.StatusOK); !a.RebuildDue || !strings.Contains(a.Hint, "reindex") {
		t.Errorf("PUT of other entries: %+v, want a rebuild due", a)
	}
	if a, _ := callDict(t, srv, "POST", `{"add":[{"word":"大湾区"}]}`, dictEditor, http.StatusOK); !a.RebuildDue || !strings.Contains(a.Hint, "reindex") {
		t.Errorf("POST of a new word: %+v, want a rebuild due", a)
	}
	if a, _ := callDict(t, srv, "POST", `{"add":[{"word":"大湾区"}],"remove":["大湾区"]}`, dictEditor, http.StatusOK); a.RebuildDue || a.Hint != "" {
		t.Errorf("POST that changes nothing: %+v, want no rebuild due", a)
	}
}

// TestDictionaryFailures: a manager that cannot save is a generic 500, and
// a server without a manager answers editors 503.
func TestDictionaryFailures(t *testing.T) {
	srv, log := dictServer(t, &fakeDictionary{fail: errors.New("write userdict.txt: disk full")}, indexAt{version: "base"})
	for _, req := range []struct{ method, body string }{
		{"PUT", `{"entries":[{"word":"大湾区"}]}`},
		{"POST", `{"add":[{"word":"大湾区"}]}`},
	} {
		if _, body := callDict(t, srv, req.method, req.body, dictEditor, http.StatusInternalServerError); strings.Contains(body, "disk full") {
			t.Errorf("%s: the 500 shows the cause: %s", req.method, body)
		}
	}
	if n := len(log.entries); n != 2 || log.entries[1].Outcome != "failed" || log.entries[1].Status != 500 {
		t.Errorf("audit: %+v, want two failures with status 500", log.entries)
	}

	// Without a manager, editors learn it is unavailable; nobody else learns
	// anything.
	srv, _ = dictServer(t, nil, nil)
	for _, method := range []string{"GET", "PUT", "POST"} {
		callDict(t, srv, method, `{"entries":[]}`, "", http.StatusUnauthorized)
		callDict(t, srv, method, `{"entries":[]}`, dictIngest, http.StatusForbidden)
		if _, body := callDict(t, srv, method, `{"entries":[]}`, dictEditor, http.StatusServiceUnavailable); !strings.Contains(body, "not available") {
			t.Errorf("%s without a dictionary: %s", method, body)
		}
	}
}
