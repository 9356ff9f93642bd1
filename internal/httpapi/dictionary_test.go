package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/internal/dictionary"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/segment"
)

// managerAPI adapts a *dictionary.Manager to httpapi.DictionaryManager, as
// cmd/xinwen does.
type managerAPI struct{ m *dictionary.Manager }

func (a managerAPI) Entries() []httpapi.DictEntry {
	var out []httpapi.DictEntry
	for _, e := range a.m.Entries() {
		out = append(out, httpapi.DictEntry(e))
	}
	return out
}

func (a managerAPI) Version() string { return a.m.Version() }

func (a managerAPI) Replace(ctx context.Context, entries []httpapi.DictEntry) (string, error) {
	s, err := a.m.Update(ctx, toSegment(entries))
	if err != nil {
		return "", err
	}
	return s.Version(), nil
}

func (a managerAPI) Edit(ctx context.Context, add []httpapi.DictEntry, remove []string) (string, error) {
	s, err := a.m.Edit(ctx, toSegment(add), remove)
	if err != nil {
		return "", err
	}
	return s.Version(), nil
}

func toSegment(in []httpapi.DictEntry) []segment.Entry {
	out := make([]segment.Entry, len(in))
	for i, e := range in {
		out[i] = segment.Entry(e)
	}
	return out
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

// TestDictionaryAPI builds three segmenters: the base one, one for PUT and
// one for POST.
func TestDictionaryAPI(t *testing.T) {
	dir := t.TempDir()
	base, err := segment.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	analysis.SetSegmenter(base)
	m := dictionary.Open(dir, base)
	tokens, err := httpapi.ParseTokens(strings.NewReader("alice:editor:ed-secret\nfeed:ingest:in-secret\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	srv := httpapi.New(httpapi.Config{
		Dictionary: managerAPI{m},
		Rebuild:    indexAt{version: "base"},
		Tokens:     tokens,
		Logger:     slog.New(slog.NewJSONHandler(io.Discard, nil)),
	})
	editor := []string{"Authorization", "Bearer ed-secret", "Content-Type", "application/json"}
	call := func(method, body string, wantStatus int, header ...string) dictAnswer {
		t.Helper()
		rec := do(t, srv, method, "/api/admin/dictionary", body, header...)
		if rec.Code != wantStatus {
			t.Fatalf("%s %s: %d %s, want %d", method, body, rec.Code, rec.Body, wantStatus)
		}
		var a dictAnswer
		if wantStatus == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
				t.Fatalf("%s: %v: %s", method, err, rec.Body)
			}
		}
		return a
	}

	for _, method := range []string{"GET", "PUT", "POST"} {
		call(method, `{"entries":[]}`, http.StatusUnauthorized)
		call(method, `{"entries":[]}`, http.StatusForbidden, "Authorization", "Bearer in-secret")
	}
	if a := call("GET", "", http.StatusOK, editor...); a.Version != "base" || a.Entries == nil || len(a.Entries) != 0 || a.RebuildDue {
		t.Errorf("GET before any change: %+v", a)
	}

	// A bad entry is 400 naming it, and nothing changes.
	for _, tc := range []struct{ method, body, want string }{
		{"PUT", `{"entries":[{"word":"党建子","freq":20,"tag":"nr"},{"word":"坏 词"}]}`, `entry 2 (\"坏 词\")`},
		{"POST", `{"add":[{"word":"党建子","freq":-3}]}`, `entry 1 (\"党建子\")`},
		{"POST", `{"remove":["没有这个词"]}`, `没有这个词`},
		{"PUT", `{"entries":[{"word":"党建子","weight":3}]}`, `weight`},
		{"PUT", `{}`, `entries`},
		{"POST", `{}`, `nothing to do`},
	} {
		rec := do(t, srv, tc.method, "/api/admin/dictionary", tc.body, editor...)
		if rec.Code/100 != 4 || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s %s: %d %s, want 4xx naming %s", tc.method, tc.body, rec.Code, rec.Body, tc.want)
		}
	}
	if _, err := os.Stat(segment.UserDictPath(dir)); !os.IsNotExist(err) || m.Version() != "base" {
		t.Fatalf("a rejected request changed the dictionary: %v %s", err, m.Version())
	}

	put := call("PUT", `{"entries":[{"word":"党建子","freq":20,"tag":"nr"},{"word":"新质生产力"}]}`, http.StatusOK, editor...)
	want := []httpapi.DictEntry{{Word: "党建子", Freq: 20, Tag: "nr"}, {Word: "新质生产力"}}
	if put.Version == "base" || put.Version != m.Version() || !slices.Equal(put.Entries, want) ||
		!put.RebuildDue || put.IndexVersion != "base" || !strings.Contains(put.Hint, "POST /api/admin/reindex") {
		t.Errorf("PUT: %+v", put)
	}
	if w := analysis.Segmenter().Cut("村民党建子养牛"); len(w) < 2 || w[1].Text != "党建子" {
		t.Errorf("after PUT, 党建子 is not one word: %v", w)
	}

	post := call("POST", `{"add":[{"word":"大湾区","tag":"ns"}],"remove":["党建子"]}`, http.StatusOK, editor...)
	want = []httpapi.DictEntry{{Word: "新质生产力"}, {Word: "大湾区", Tag: "ns"}}
	if post.Version == put.Version || !slices.Equal(post.Entries, want) || !post.RebuildDue {
		t.Errorf("POST: %+v", post)
	}
	if got := call("GET", "", http.StatusOK, editor...); got.Version != post.Version || !slices.Equal(got.Entries, want) {
		t.Errorf("GET after POST: %+v", got)
	}
	if b, _ := os.ReadFile(segment.UserDictPath(dir)); string(b) != "新质生产力\n大湾区 ns\n" {
		t.Errorf("userdict.txt = %q", b)
	}
}
