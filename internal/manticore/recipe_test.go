package manticore_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/news"
)

// statements returns the SQL statements of a recipe: its lines that are not
// comments or blank.
func statements(recipe string) []string {
	var out []string
	for _, l := range strings.Split(recipe, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
			out = append(out, l)
		}
	}
	return out
}

// configIndex returns the columns (as "name type" in Manticore's CREATE
// TABLE types) and the settings of the index named name in a generated
// searchd configuration.
func configIndex(t *testing.T, config, name string) (cols []string, settings map[string]string) {
	t.Helper()
	start := strings.Index(config, "index "+name+"\n{\n")
	if start < 0 {
		t.Fatalf("no index %s in the configuration", name)
	}
	block := config[start:]
	block = block[:strings.Index(block, "}")]
	types := map[string]string{"rt_attr_string": "string", "rt_attr_bigint": "bigint", "rt_attr_uint": "uint", "rt_attr_multi_64": "multi64"}
	settings = map[string]string{}
	for _, l := range strings.Split(block, "\n")[2:] {
		k, v, ok := strings.Cut(strings.TrimSpace(l), " = ")
		switch {
		case !ok, k == "type", k == "path":
		case k == "rt_field":
			cols = append(cols, v+" text indexed")
		case types[k] != "":
			cols = append(cols, v+" "+types[k])
		default:
			settings[k] = v
		}
	}
	return cols, settings
}

// createTable parses the CREATE TABLE statement of table in stmts: its
// columns and its options.
func createTable(t *testing.T, stmts []string, table string) (cols []string, opts map[string]string) {
	t.Helper()
	for _, s := range stmts {
		rest, ok := strings.CutPrefix(s, "CREATE TABLE "+table+" (")
		if !ok {
			continue
		}
		list, tail, ok := strings.Cut(rest, ")")
		if !ok {
			t.Fatalf("CREATE TABLE %s: no column list: %s", table, s)
		}
		opts = map[string]string{}
		for _, m := range regexp.MustCompile(`(\w+)='([^']*)'`).FindAllStringSubmatch(tail, -1) {
			opts[m[1]] = m[2]
		}
		if !strings.HasSuffix(tail, ";") {
			t.Errorf("CREATE TABLE %s does not end with a semicolon", table)
		}
		return strings.Split(list, ", "), opts
	}
	t.Fatalf("no CREATE TABLE %s in\n%s", table, strings.Join(stmts, "\n"))
	return nil, nil
}

// TestRecipe checks the managed-mode recipe: the cluster created on the
// first host and joined on the others, the article table sharded and
// replicated as asked with exactly the columns and tokenization of the
// generated configuration, the meta table replicated as one shard, the
// cluster prefix on these statements only, and the serve line.
func TestRecipe(t *testing.T) {
	hosts := []string{"search1", "search2", "search3"}
	cfgCols, cfgSettings := configIndex(t, manticore.Config([]manticore.Node{{Host: "h", SQLPort: 1, APIPort: 2, Dir: "/d"}}, 0), manticore.RTIndex)
	for _, tc := range []struct {
		name              string
		opts              manticore.RecipeOptions
		shards, rf        string
		table, meta, clus string
	}{
		{"defaults", manticore.DefaultRecipeOptions(len(hosts)), "6", "2", "xinwen_articles", "xinwen_articles_meta", "xinwen"},
		{"chosen", manticore.RecipeOptions{Shards: 10, RF: 3, Table: "news", Cluster: "prod"}, "10", "3", "news", "news_meta", "prod"},
		{"one copy", manticore.RecipeOptions{Shards: 1, RF: 1, Table: "news", Cluster: "c"}, "1", "1", "news", "news_meta", "c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := manticore.Recipe(hosts, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			stmts := statements(r)
			if got, want := len(stmts), 4; got != want {
				t.Errorf("%d statements, want %d:\n%s", got, want, strings.Join(stmts, "\n"))
			}
			if got, want := stmts[0], "CREATE CLUSTER "+tc.clus+";"; got != want {
				t.Errorf("first statement %q, want %q", got, want)
			}
			if got, want := stmts[1], fmt.Sprintf("JOIN CLUSTER %s AT 'search1:9312';", tc.clus); got != want {
				t.Errorf("second statement %q, want %q", got, want)
			}
			if !strings.Contains(r, "On search1, create") || !strings.Contains(r, "On each of search2, search3, join") {
				t.Errorf("the recipe does not say where to create and join the cluster:\n%s", r)
			}
			cols, opts := createTable(t, stmts, tc.clus+":"+tc.table)
			if got, want := strings.Join(cols, ", "), strings.Join(cfgCols, ", "); got != want {
				t.Errorf("columns\n%s\nwant (as in the configuration)\n%s", got, want)
			}
			for k, v := range cfgSettings {
				if k == "stopwords" {
					continue // a path of each
				}
				if opts[k] != v {
					t.Errorf("option %s=%.40q, want %.40q as in the configuration", k, opts[k], v)
				}
			}
			if opts["charset_table"] != manticore.CharsetTable() || opts["stopwords"] == "" {
				t.Errorf("charset_table %.40q, stopwords %q", opts["charset_table"], opts["stopwords"])
			}
			if opts["shards"] != tc.shards || opts["rf"] != tc.rf {
				t.Errorf("articles: shards=%q rf=%q, want %s and %s", opts["shards"], opts["rf"], tc.shards, tc.rf)
			}
			if !strings.Contains(stmts[2], fmt.Sprintf(" shards='%s' rf='%s';", tc.shards, tc.rf)) {
				t.Errorf("the sharding options are not quoted at the end: %s", stmts[2])
			}
			mcols, mopts := createTable(t, stmts, tc.clus+":"+tc.meta)
			if got, want := strings.Join(mcols, ", "), "k text, mkey string, mval string, ts bigint"; got != want {
				t.Errorf("meta columns %q, want %q", got, want)
			}
			if mopts["shards"] != "1" || mopts["rf"] != tc.rf {
				t.Errorf("meta: shards=%q rf=%q, want 1 and %s", mopts["shards"], mopts["rf"], tc.rf)
			}
			// The cluster prefix is for DDL only: the backend is given the
			// plain name.
			for _, s := range stmts {
				if strings.Contains(s, tc.clus+":") && !strings.HasPrefix(s, "CREATE TABLE ") {
					t.Errorf("cluster prefix outside CREATE TABLE: %s", s)
				}
			}
			serve := fmt.Sprintf("xinwen serve --backend manticore --manticore-dsn search1:9306,search2:9306,search3:9306 --manticore-table %s\n", tc.table)
			if !strings.Contains(r, serve) {
				t.Errorf("no serve line %q in\n%s", serve, r)
			}
			if !strings.Contains(r, "Buddy") || !strings.Contains(r, "data_dir") || !strings.Contains(r, "9306:mysql") || !strings.Contains(r, ":replication") {
				t.Errorf("the recipe lacks searchd settings (Buddy, data_dir, listen):\n%s", r)
			}
		})
	}
}

func TestRecipeDefaults(t *testing.T) {
	for _, tc := range []struct{ hosts, shards, rf int }{{1, 2, 1}, {2, 4, 2}, {3, 6, 2}, {5, 10, 2}} {
		o := manticore.DefaultRecipeOptions(tc.hosts)
		if o.Shards != tc.shards || o.RF != tc.rf || o.Table != manticore.DefaultTable || o.Cluster != manticore.DefaultCluster {
			t.Errorf("%d hosts: %+v, want %d shards, rf %d", tc.hosts, o, tc.shards, tc.rf)
		}
		hosts := make([]string, tc.hosts)
		for i := range hosts {
			hosts[i] = fmt.Sprintf("h%d", i+1)
		}
		r, err := manticore.Recipe(hosts, o)
		if err != nil {
			t.Errorf("%d hosts: %v", tc.hosts, err)
			continue
		}
		if joins := strings.Count(r, "JOIN CLUSTER"); joins != min(tc.hosts-1, 1) {
			t.Errorf("%d hosts: %d JOIN CLUSTER statements", tc.hosts, joins)
		}
	}
}

func TestRecipeErrors(t *testing.T) {
	three := []string{"a", "b", "c"}
	ok := manticore.DefaultRecipeOptions(3)
	with := func(f func(o *manticore.RecipeOptions)) manticore.RecipeOptions {
		o := ok
		f(&o)
		return o
	}
	for _, tc := range []struct {
		name  string
		hosts []string
		opts  manticore.RecipeOptions
		says  string
	}{
		{"no hosts", nil, ok, "no hosts"},
		{"rf above hosts", three, with(func(o *manticore.RecipeOptions) { o.RF = 4 }), "rf"},
		{"rf zero", three, with(func(o *manticore.RecipeOptions) { o.RF = 0 }), "rf"},
		{"rf negative", three, with(func(o *manticore.RecipeOptions) { o.RF = -1 }), "rf"},
		{"no shards", three, with(func(o *manticore.RecipeOptions) { o.Shards = 0 }), "shards"},
		{"too many shards", three, with(func(o *manticore.RecipeOptions) { o.Shards = manticore.MaxShards + 1 }), "shards"},
		{"bad table", three, with(func(o *manticore.RecipeOptions) { o.Table = "news-articles" }), "table name"},
		{"bad cluster", three, with(func(o *manticore.RecipeOptions) { o.Cluster = "Prod" }), "cluster name"},
		{"zero options", three, manticore.RecipeOptions{}, "shards"},
	} {
		r, err := manticore.Recipe(tc.hosts, tc.opts)
		if news.ErrorCode(err) != news.EINVALID || !strings.Contains(news.ErrorMessage(err), tc.says) {
			t.Errorf("%s: %v (recipe %d bytes), want an %s error about %s", tc.name, err, len(r), news.EINVALID, tc.says)
		}
	}
	if _, err := manticore.Recipe(three, with(func(o *manticore.RecipeOptions) { o.RF = 3; o.Shards = manticore.MaxShards })); err != nil {
		t.Errorf("rf = hosts, shards = MaxShards: %v", err)
	}
}

// TestClientRecipe checks the client-side sharding recipe: on every host
// the shard table with the configuration's columns and tokenization and the
// meta table, on each a distributed table over the others, nothing
// clustered or sharded by Manticore.
func TestClientRecipe(t *testing.T) {
	hosts := []string{"a", "b", "c"}
	r, err := manticore.ClientRecipe(hosts)
	if err != nil {
		t.Fatal(err)
	}
	stmts := statements(r)
	cfgCols, _ := configIndex(t, manticore.Config([]manticore.Node{{Host: "h", SQLPort: 1, APIPort: 2, Dir: "/d"}}, 0), manticore.RTIndex)
	cols, opts := createTable(t, stmts, manticore.RTIndex)
	if strings.Join(cols, ", ") != strings.Join(cfgCols, ", ") || opts["charset_table"] != manticore.CharsetTable() {
		t.Errorf("shard table columns %v, charset_table %.40q", cols, opts["charset_table"])
	}
	if got := strings.Count(r, "CREATE TABLE "+manticore.DistIndex+" type='distributed'"); got != len(hosts) {
		t.Errorf("%d distributed tables, want %d", got, len(hosts))
	}
	if strings.Contains(r, "shards=") || strings.Contains(r, "CLUSTER") {
		t.Errorf("client-side recipe mentions Manticore sharding or clusters:\n%s", r)
	}
	if !strings.Contains(r, "--manticore-dsn a:9306,b:9306,c:9306\n") || strings.Contains(r, "--manticore-table") {
		t.Errorf("serve line:\n%s", r)
	}
	if _, err := manticore.ClientRecipe(nil); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("no hosts: %v", err)
	}
}
