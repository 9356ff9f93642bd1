package main

// This file is in package main, not main_test like the other tests here:
// dictAPI is unexported, and a command cannot be imported.

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/dictionary"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/segment"
)

// TestDictAPI edits the user dictionary over HTTP, with httpapi's handlers
// in front of dictAPI and the real dictionary.Manager, as serve wires them:
// the real checks reach the client, the file is written and jieba cuts text
// with the new words at once. It builds three segmenters: the base one, one
// for PUT and one for POST.
func TestDictAPI(t *testing.T) {
	dir := t.TempDir()
	base, err := segment.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	cur := segment.NewCurrent(base)
	tokens, err := httpapi.ParseTokens(strings.NewReader("alice:editor:editor-secret-1\n"), "tokens")
	if err != nil {
		t.Fatal(err)
	}
	srv := httpapi.New(httpapi.Config{
		Dictionary: dictAPI{dictionary.Open(dir, cur)},
		Tokens:     tokens,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	})

	type answer struct {
		Version    string              `json:"version"`
		Entries    []httpapi.DictEntry `json:"entries"`
		RebuildDue bool                `json:"rebuild_due"`
	}
	call := func(method, body string, wantStatus int) (answer, string) {
		t.Helper()
		req := httptest.NewRequest(method, "/api/admin/dictionary", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer editor-secret-1")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != wantStatus {
			t.Fatalf("%s %s: %d %s, want %d", method, body, rec.Code, rec.Body, wantStatus)
		}
		var a answer
		if wantStatus == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
				t.Fatalf("%s %s: %v: %s", method, body, err, rec.Body)
			}
		}
		return a, rec.Body.String()
	}
	// oneWord reports whether jieba, as searches and new articles use it,
	// keeps 党建子 whole.
	const text = "村民党建子养牛"
	oneWord := func() bool {
		for _, w := range cur.Load().Cut(text) {
			if w.Text == "党建子" {
				return true
			}
		}
		return false
	}
	userDict := func() string {
		b, err := os.ReadFile(segment.UserDictPath(dir))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return string(b)
	}

	if oneWord() {
		t.Fatalf("党建子 is one word before it was added: %v", cur.Load().Cut(text))
	}

	// The manager's own checks reach the client, and change nothing.
	if _, body := call("PUT", `{"entries":[{"word":"党建子","freq":20,"tag":"nr"},{"word":"坏 词"}]}`, http.StatusBadRequest); !strings.Contains(body, `entry 2 (\"坏 词\")`) {
		t.Errorf("PUT with a bad entry: %s, want it named", body)
	}
	if _, body := call("POST", `{"add":[{"word":"党建子","tag":"n1"}]}`, http.StatusBadRequest); !strings.Contains(body, `entry 1 (\"党建子\")`) {
		t.Errorf("POST with a bad tag: %s, want the entry named", body)
	}
	if _, body := call("POST", `{"remove":["没有这个词"]}`, http.StatusNotFound); !strings.Contains(body, "没有这个词") {
		t.Errorf("POST removing an unknown word: %s, want it named", body)
	}
	if got := userDict(); got != "" || cur.Load() != base || oneWord() {
		t.Fatalf("a rejected request changed the dictionary: userdict.txt %q, segmenter %s", got, cur.Load().Version())
	}

	put, _ := call("PUT", `{"entries":[{"word":"党建子","freq":20,"tag":"nr"},{"word":"新质生产力"}]}`, http.StatusOK)
	want := []httpapi.DictEntry{{Word: "党建子", Freq: 20, Tag: "nr"}, {Word: "新质生产力"}}
	if put.Version == "base" || put.Version != cur.Load().Version() || !slices.Equal(put.Entries, want) || !put.RebuildDue {
		t.Errorf("PUT: %+v, segmenter %s", put, cur.Load().Version())
	}
	if !oneWord() {
		t.Errorf("after PUT, 党建子 is not one word: %v", cur.Load().Cut(text))
	}
	if got, want := userDict(), "党建子 20 nr\n新质生产力\n"; got != want {
		t.Errorf("after PUT, userdict.txt = %q, want %q", got, want)
	}

	post, _ := call("POST", `{"add":[{"word":"大湾区","tag":"ns"}],"remove":["党建子"]}`, http.StatusOK)
	want = []httpapi.DictEntry{{Word: "新质生产力"}, {Word: "大湾区", Tag: "ns"}}
	if post.Version == put.Version || post.Version != cur.Load().Version() || !slices.Equal(post.Entries, want) {
		t.Errorf("POST: %+v, segmenter %s", post, cur.Load().Version())
	}
	if oneWord() {
		t.Errorf("after POST removed it, 党建子 is still one word: %v", cur.Load().Cut(text))
	}
	if got, want := userDict(), "新质生产力\n大湾区 ns\n"; got != want {
		t.Errorf("after POST, userdict.txt = %q, want %q", got, want)
	}
	if got, _ := call("GET", "", http.StatusOK); got.Version != post.Version || !slices.Equal(got.Entries, want) {
		t.Errorf("GET after POST: %+v", got)
	}
}
