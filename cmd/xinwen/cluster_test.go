package main_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/manticore/searchdtest"
	"github.com/xinwen/xinwen/internal/related"
	"github.com/xinwen/xinwen/internal/suggest"
	"github.com/xinwen/xinwen/internal/testseg"
)

// TestServeManticore serves the demo articles from a two-node searchd
// cluster: the API answers as with the embedded index (searches, related
// articles, suggestions), says when a node is down, and stops saying so
// when it is back.
func TestServeManticore(t *testing.T) {
	c := searchdtest.Start(t, 2)
	data := filepath.Join(t.TempDir(), "data")
	base := startServer(t, data, nil, "--demo", "--backend", "manticore", "--manticore-dsn", c.DSN()).base
	// Each search of 中国 asks for another page size: the result cache
	// (internal/cache) would answer a repeated request from memory for up
	// to a minute, complete, while a node is down.
	get := func(q string, size int) map[string]any {
		t.Helper()
		resp, err := http.Get(base + fmt.Sprintf("/api/search?facets=true&size=%d&q=", size) + url.QueryEscape(q))
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
	full := get("中国", 10)
	if full["total"].(float64) < 10 || full["partial"] != nil {
		t.Fatalf("cluster search: total %v partial %v", full["total"], full["partial"])
	}
	hits := full["hits"].([]any)
	if s := hits[0].(map[string]any)["snippet"].(string); !strings.Contains(s, "<mark>中国</mark>") {
		t.Errorf("snippet %q", s)
	}
	checkDiscovery(t, base, hits[0].(map[string]any))
	c.Kill(1)
	part := get("中国", 11)
	if part["partial"] != true || part["warnings"] == nil || part["total"].(float64) >= full["total"].(float64) {
		t.Errorf("node 2 down: partial %v warnings %v total %v of %v", part["partial"], part["warnings"], part["total"], full["total"])
	}
	c.Restart(1)
	if again := get("中国", 12); again["partial"] != nil || again["total"] != full["total"] {
		t.Errorf("node 2 back: partial %v total %v, want %v", again["partial"], again["total"], full["total"])
	}
}

// checkDiscovery checks that the server at base, with the cluster backend,
// finds articles related to the article of hit and completes its title.
func checkDiscovery(t *testing.T, base string, hit map[string]any) {
	t.Helper()
	id := hit["id"].(string)
	var rel struct {
		Hits []struct{ ID, Title, Snippet string } `json:"hits"`
	}
	getJSON(t, base+"/api/articles/"+url.PathEscape(id)+"/related", &rel)
	if len(rel.Hits) == 0 || len(rel.Hits) > related.Default {
		t.Errorf("related to %s: %d hits, want 1 to %d", id, len(rel.Hits), related.Default)
	}
	for _, h := range rel.Hits {
		if h.ID == id || !strings.Contains(h.Title+h.Snippet, "<mark>") {
			t.Errorf("related to %s: hit %+v: itself, or nothing marked", id, h)
		}
	}
	// The title, from its first characters (but the last).
	title := []rune(html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(hit["title"].(string))))
	prefix := string(title[:min(len(title)-1, suggest.MaxPrefixRunes)])
	var sug struct {
		Suggestions []string `json:"suggestions"`
	}
	getJSON(t, base+fmt.Sprintf("/api/suggest?n=%d&q=%s", suggest.Max, url.QueryEscape(prefix)), &sug)
	if !slices.Contains(sug.Suggestions, string(title)) {
		t.Errorf("suggest %q: %q, want %q among them", prefix, sug.Suggestions, string(title))
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

// TestClusterTableFlags checks the validation of --manticore-table (serve
// and cluster reindex) and of the recipe's flags: each mistake is a usage
// error (exit 2) that names what to fix.
func TestClusterTableFlags(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"serve", "--data", data, "--manticore-table", "articles"}, "--manticore-table is for --backend manticore"},
		{[]string{"serve", "--data", data, "--backend", "bleve", "--manticore-table", "articles"}, "--manticore-table is for --backend manticore"},
		{[]string{"serve", "--data", data, "--backend", "manticore", "--manticore-dsn", "127.0.0.1:9306", "--manticore-table", "news-articles"}, "--manticore-table"},
		{[]string{"serve", "--data", data, "--backend", "manticore", "--manticore-dsn", "127.0.0.1:9306", "--manticore-table", "c:articles"}, "--manticore-table"},
		{[]string{"serve", "--data", data, "--backend", "manticore", "--manticore-table", "articles"}, "--manticore-dsn"},
		{[]string{"cluster", "reindex", "--data", data, "--manticore-dsn", "127.0.0.1:9306", "--manticore-table", "Articles"}, "--manticore-table"},
		{[]string{"cluster", "reindex", "--data", data, "--manticore-table", "articles"}, "no cluster nodes"},
		{[]string{"cluster", "recipe", "--hosts", "a,b,c", "--rf", "4"}, "rf"},
		{[]string{"cluster", "recipe", "--hosts", "a,b,c", "--rf", "0"}, "rf"},
		{[]string{"cluster", "recipe", "--hosts", "a", "--rf", "2"}, "rf"},
		{[]string{"cluster", "recipe", "--hosts", "a,b,c", "--shards", "0"}, "shards"},
		{[]string{"cluster", "recipe", "--hosts", "a,b,c", "--shards", "-3"}, "shards"},
		{[]string{"cluster", "recipe", "--hosts", "a,b,c", "--table", "news articles"}, "table name"},
		{[]string{"cluster", "recipe", "--hosts", "a,b,c", "--cluster", "c:1"}, "cluster name"},
		{[]string{"cluster", "recipe", "--hosts", " , "}, "no hosts"},
		{[]string{"cluster", "recipe", "--hosts", "a,b", "--client-sharding", "--shards", "4"}, "--shards"},
		{[]string{"cluster", "recipe", "--hosts", "a,b", "--client-sharding", "--table", "news"}, "--table"},
	} {
		r := xinwen(t, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.says) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.says)
		}
	}
}

// TestClusterRecipeCommand prints recipes: managed mode with the defaults
// and with chosen shards, copies and table, and client-side sharding.
func TestClusterRecipeCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--hosts", "s1,s2,s3"}, []string{
			"CREATE CLUSTER xinwen;", "JOIN CLUSTER xinwen AT 's1:9312';", "CREATE TABLE xinwen:xinwen_articles (",
			" shards='6' rf='2';", "CREATE TABLE xinwen:xinwen_articles_meta (k text, mkey string, mval string, ts bigint) shards='1' rf='2';",
			"--manticore-dsn s1:9306,s2:9306,s3:9306 --manticore-table xinwen_articles\n",
		}},
		{[]string{"--hosts", "s1,s2,s3,s4", "--shards", "12", "--rf", "3", "--table", "news", "--cluster", "prod"}, []string{
			"CREATE CLUSTER prod;", "CREATE TABLE prod:news (", " shards='12' rf='3';", "CREATE TABLE prod:news_meta (",
			"--manticore-dsn s1:9306,s2:9306,s3:9306,s4:9306 --manticore-table news\n",
		}},
		{[]string{"--hosts", "s1,s2", "--client-sharding"}, []string{
			"CREATE TABLE xinwen_rt (", "CREATE TABLE xinwen type='distributed' local='xinwen_rt' agent='s2:9312:xinwen_rt'",
			"--manticore-dsn s1:9306,s2:9306\n",
		}},
	} {
		r := xinwen(t, append([]string{"cluster", "recipe"}, tc.args...)...)
		if r.code != 0 {
			t.Errorf("%v: exit %d: %s", tc.args, r.code, r.stderr)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v: the recipe lacks %q:\n%s", tc.args, w, r.stdout)
			}
		}
	}
}

// TestClusterManaged runs the commands in managed mode against a searchd
// node whose local index stands for the cluster's sharded table, with a
// first --manticore-dsn address nothing listens on: cluster reindex fills
// the table (and only it), and serve searches it, finds related articles
// in it and suggests from the store.
func TestClusterManaged(t *testing.T) {
	c := searchdtest.StartManaged(t, "news")
	dsn := searchdtest.ClosedAddr(t) + "," + c.DSN()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	in := writeFile(t, filepath.Join(dir, "in.jsonl"), strings.Join([]string{
		`{"id":"a1","title":"外交部长王毅会见外宾","body":"中共中央政治局委员、外交部长王毅在北京会见外宾。","date":"2024-05-31 19:00","section":"国内"}`,
		`{"id":"a2","title":"清水县脱贫攻坚","text":"天水市清水县全面完成脱贫攻坚任务。","published_at":"2020-09-28T08:50:00+08:00","region":"甘肃省天水市清水县"}`,
		`{"id":"a5","title":"王先生谈毅力","body":"王先生说，做事要有毅力。"}`,
	}, "\n")+"\n")
	if r := xinwen(t, "ingest", "--data", data, in); r.code != 0 {
		t.Fatalf("ingest: exit %d: %s", r.code, r.stderr)
	}
	r := xinwen(t, "cluster", "reindex", "--data", data, "--manticore-dsn", dsn, "--manticore-table", "news")
	if r.code != 0 || !strings.Contains(r.stdout, "reindexed 3 articles") {
		t.Fatalf("cluster reindex: exit %d, %q, %s", r.code, r.stdout, r.stderr)
	}
	count := func(opts manticore.Options) uint64 {
		t.Helper()
		b, err := manticore.Open(c.Addrs(), opts)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		n, err := b.Count()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if managed, client := count(manticore.Options{Segmenter: testseg.Current(t), Table: "news"}), count(manticore.Options{Segmenter: testseg.Current(t)}); managed != 3 || client != 0 {
		t.Errorf("after reindex: %d articles in the managed table (want 3), %d in the client-side shard (want 0)", managed, client)
	}

	base := startServer(t, data, nil, "--backend", "manticore", "--manticore-dsn", dsn, "--manticore-table", "news").base
	for range 2 { // whichever entry point the search starts from
		resp, err := http.Get(base + "/api/search?facets=true&q=" + url.QueryEscape("王毅"))
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Total   int                   `json:"total"`
			Partial bool                  `json:"partial"`
			Hits    []struct{ ID string } `json:"hits"`
		}
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("search: %s, %v", resp.Status, err)
		}
		if v.Total != 1 || len(v.Hits) != 1 || v.Hits[0].ID != "a1" || v.Partial {
			t.Errorf("search 王毅 in managed mode: %+v", v)
		}
	}
	// Related articles answer (never with a1 itself), and
	// suggestions complete a title.
	var rel struct {
		Hits []struct{ ID string } `json:"hits"`
	}
	getJSON(t, base+"/api/articles/a1/related", &rel)
	for _, h := range rel.Hits {
		if h.ID == "a1" {
			t.Errorf("related to a1 in managed mode: %+v", rel.Hits)
		}
	}
	var sug struct {
		Suggestions []string `json:"suggestions"`
	}
	getJSON(t, base+"/api/suggest?q="+url.QueryEscape("外交部长王"), &sug)
	if !slices.Contains(sug.Suggestions, "外交部长王毅会见外宾") {
		t.Errorf("suggest 外交部长王 in managed mode: %q", sug.Suggestions)
	}
}
