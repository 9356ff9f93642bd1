package main_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/manticore/searchdtest"
)

// TestServeManticore serves the demo articles from a two-node searchd
// cluster: the API answers as with the embedded index, says when a node is
// down, and stops saying so when it is back.
func TestServeManticore(t *testing.T) {
	c := searchdtest.Start(t, 2)
	data := filepath.Join(t.TempDir(), "data")
	base := startServer(t, data, nil, "--demo", "--backend", "manticore", "--manticore-dsn", c.DSN())
	get := func(q string) map[string]any {
		t.Helper()
		resp, err := http.Get(base + "/api/search?facets=true&q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("search %s: %s", q, resp.Status)
		}
		var v map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	full := get("中国")
	if full["total"].(float64) < 10 || full["partial"] != nil {
		t.Fatalf("cluster search: total %v partial %v", full["total"], full["partial"])
	}
	hits := full["hits"].([]any)
	if s := hits[0].(map[string]any)["snippet"].(string); !strings.Contains(s, "<mark>中国</mark>") {
		t.Errorf("snippet %q", s)
	}
	c.Kill(1)
	part := get("中国")
	if part["partial"] != true || part["warnings"] == nil || part["total"].(float64) >= full["total"].(float64) {
		t.Errorf("node 2 down: partial %v warnings %v total %v of %v", part["partial"], part["warnings"], part["total"], full["total"])
	}
	c.Restart(1)
	if again := get("中国"); again["partial"] != nil || again["total"] != full["total"] {
		t.Errorf("node 2 back: partial %v total %v, want %v", again["partial"], again["total"], full["total"])
	}
}

func TestServeBackendFlags(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for _, args := range [][]string{
		{"serve", "--data", data, "--backend", "solr"},
		{"serve", "--data", data, "--backend", "manticore"},
		{"serve", "--data", data, "--manticore-dsn", "127.0.0.1:9306"},
		{"serve", "--data", data, "--backend", "manticore", "--manticore-dsn", "nohostport"},
	} {
		if r := xinwen(t, args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
}
