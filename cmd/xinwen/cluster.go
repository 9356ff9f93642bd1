package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/suggest"
)

// Backends serve can search.
const (
	backendBleve     = "bleve"
	backendManticore = "manticore"
)

// backendConfig is serve's choice of search backend: --backend,
// --manticore-dsn and --manticore-table.
type backendConfig struct {
	Backend string // backendBleve or backendManticore
	DSN     string // the cluster's nodes, HOST:PORT,...
	Table   string // managed mode's table; "": client-side sharding
}

// Help of the cluster flags serve and cluster reindex share.
const (
	dsnHelp   = "the cluster's nodes: the SphinxQL `HOST:PORT` of each shard's node, in shard order, comma-separated; with --manticore-table, of every node, tried in turn (see xinwen cluster)"
	tableHelp = "managed mode: the Manticore sharded `table` (created by xinwen cluster recipe) that the cluster shards and replicates itself; every write and search goes to it through any --manticore-dsn node. Without it, the backend shards by article ID, one shard a node"
)

// flags adds the backend flags to fs, storing into c, whose values are the
// defaults.
func (c *backendConfig) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.Backend, "backend", c.Backend, "search `backend`: bleve (the embedded index in --data) or manticore (a cluster of Manticore/Sphinx searchd nodes, --manticore-dsn)")
	fs.StringVar(&c.DSN, "manticore-dsn", c.DSN, "for --backend manticore, "+dsnHelp)
	fs.StringVar(&c.Table, "manticore-table", c.Table, "for --backend manticore, "+tableHelp)
}

// Validate reports a backend serve cannot use, or a flag given for the other
// backend, as a usageError that names the flag.
func (c backendConfig) Validate() error {
	switch {
	case c.Backend != backendBleve && c.Backend != backendManticore:
		return usageError{fmt.Errorf("--backend must be %s or %s, not %q", backendBleve, backendManticore, c.Backend)}
	case c.Backend == backendManticore && c.DSN == "":
		return usageError{errors.New("--backend manticore needs --manticore-dsn HOST:PORT,HOST:PORT (one node a shard)")}
	case c.Backend == backendBleve && c.DSN != "":
		return usageError{errors.New("--manticore-dsn is for --backend manticore")}
	case c.Backend == backendBleve && c.Table != "":
		return usageError{errors.New("--manticore-table is for --backend manticore")}
	}
	if c.Backend == backendManticore {
		_, err := clusterAddrs(c.DSN, c.Table)
		return err
	}
	return nil
}

// clusterAddrs checks --manticore-dsn and --manticore-table and returns the
// addresses.
func clusterAddrs(dsn, table string) ([]string, error) {
	addrs, err := manticore.ParseDSN(dsn)
	if err != nil {
		return nil, usageError{fmt.Errorf("--manticore-dsn: %s", news.ErrorMessage(err))}
	}
	if table != "" {
		if err := manticore.CheckTable(table); err != nil {
			return nil, usageError{fmt.Errorf("--manticore-table: %s", news.ErrorMessage(err))}
		}
	}
	return addrs, nil
}

// cluster reports whether the backend is a search cluster.
func (c backendConfig) cluster() bool { return c.Backend == backendManticore }

// apply points cfg at the chosen backend. For the cluster it opens the
// backend and a pipeline over the store and it, catches the cluster up with
// the store (a node that is down only delays that: the next ingest catches
// up again), starts building the suggestions, and returns a function that
// closes the backend. The embedded index keeps its own watermark, so
// switching back to it catches it up.
func (c backendConfig) apply(ctx context.Context, d *data, cfg *httpapi.Config, log *slog.Logger) (func() error, error) {
	if !c.cluster() {
		return func() error { return nil }, nil
	}
	addrs, _ := manticore.ParseDSN(c.DSN)
	b, err := manticore.Open(addrs, manticore.Options{Segmenter: d.seg, Texts: d.store, Table: c.Table})
	if err != nil {
		return nil, err
	}
	pipe := ingest.New(d.store, func() news.Backend { return b }, resolveRegion)
	if n, err := pipe.CatchUp(ctx); err != nil {
		log.Warn("the search cluster is behind the store; the next ingest catches up again", "err", err)
	} else if n > 0 {
		log.Info("indexed stored articles into the search cluster", "articles", n)
	}
	// Suggestions come from the newest articles of the store, cut into words
	// here: a cluster cannot list the words it holds.
	sug := suggest.New(suggest.NewArticleSource(d.store, 0, d.seg), suggest.Options{
		Segmenter: d.seg,
		OnError: func(err error) {
			log.Warn("suggestions not rebuilt; the next request after the interval tries again", "err", err)
		},
	})
	sug.RefreshInBackground() // now rather than at the first keystroke
	cfg.Search = d.cached(b, func() string { return strconv.FormatUint(b.Generation(), 10) })
	cfg.Related, cfg.Suggest = b, sug
	cfg.Ingest, cfg.Delete = pipe, pipe
	// Rebuild jobs are the embedded index's: with the cluster they answer
	// 503 (rebuild it with xinwen cluster reindex).
	cfg.Rebuild = nil
	cfg.Ready = func() error { return b.Ping(context.Background()) }
	cfg.DocCount = b.Count
	return func() error {
		sug.Close() // it reads the store, closed after
		return b.Close()
	}, nil
}

func runCluster(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 || (args[0] != "config" && args[0] != "recipe" && args[0] != "reindex") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(e.stdout, clusterUsage)
			return nil
		}
		return usageError{errors.New("give an action: config, recipe or reindex (xinwen cluster -h)")}
	}
	action, args := args[0], args[1:]
	fs := newFlags("cluster "+action, "", clusterUsage, e.stderr)
	switch action {
	case "config":
		dir := fs.String("dir", "./cluster", "write node `dir`ectories node1, node2, ... here")
		nodes := fs.Int("nodes", 2, "how many nodes (shards)")
		host := fs.String("host", "127.0.0.1", "the `host` the nodes listen on and reach each other at")
		port := fs.Int("port", 9306, "SphinxQL `port` of the first node; node i listens on port+2i (SphinxQL) and port+2i+1 (agents)")
		if err := parse(fs, args); err != nil {
			return err
		}
		if *nodes < 1 || *port < 1 || *port+2**nodes > 65535 {
			return usageError{errors.New("--nodes must be 1 or more and the ports must fit below 65536")}
		}
		abs, err := filepath.Abs(*dir)
		if err != nil {
			return err
		}
		var ns []manticore.Node
		for i := range *nodes {
			ns = append(ns, manticore.Node{Host: *host, SQLPort: *port + 2*i, APIPort: *port + 2*i + 1, Dir: filepath.Join(abs, fmt.Sprintf("node%d", i+1))})
		}
		paths, err := manticore.WriteConfigs(ns)
		if err != nil {
			return err
		}
		var dsn []string
		for i, p := range paths {
			fmt.Fprintf(e.stdout, "searchd --config %s\n", p)
			dsn = append(dsn, ns[i].SQLAddr())
		}
		fmt.Fprintf(e.stdout, "xinwen serve --backend manticore --manticore-dsn %s\n", strings.Join(dsn, ","))
		return nil
	case "recipe":
		return runRecipe(fs, args, e)
	}
	dir := dataFlag(fs)
	dsn := fs.String("manticore-dsn", "", dsnHelp)
	table := fs.String("manticore-table", "", tableHelp)
	if err := parse(fs, args); err != nil {
		return err
	}
	addrs, err := clusterAddrs(*dsn, *table)
	if err != nil {
		return err
	}
	d, err := openData(ctx, *dir, e.stderr)
	if err != nil {
		return err
	}
	defer d.Close()
	b, err := manticore.Open(addrs, manticore.Options{Segmenter: d.seg, Texts: d.store, Table: *table})
	if err != nil {
		return err
	}
	defer b.Close()
	start := time.Now()
	n, err := ingest.New(d.store, func() news.Backend { return b }, resolveRegion).Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reindexed %d articles into the cluster in %.1fs\n", n, time.Since(start).Seconds())
	return nil
}

// runRecipe prints the production recipe: managed mode, or with
// --client-sharding one shard a host.
func runRecipe(fs *flag.FlagSet, args []string, e *env) error {
	hosts := fs.String("hosts", "search1,search2,search3", "the production `hosts`, comma-separated")
	shards := fs.Int("shards", 0, fmt.Sprintf("`number` of physical shards of the article table, 1 to %d (default: 2 a host)", manticore.MaxShards))
	rf := fs.Int("rf", 0, "`copies` of each shard, 1 to the number of hosts (default: 2, or 1 on one host)")
	table := fs.String("table", manticore.DefaultTable, "the article `table` (serve's --manticore-table)")
	cluster := fs.String("cluster", manticore.DefaultCluster, "the replication cluster's `name`")
	client := fs.Bool("client-sharding", false, "print instead the tables of client-side sharding, one shard a host, nothing replicated (Manticore before 27.1.5 or without Buddy)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var hs []string
	for _, h := range strings.Split(*hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hs = append(hs, h)
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var r string
	var err error
	if *client {
		for _, name := range []string{"shards", "rf", "table", "cluster"} {
			if set[name] {
				return usageError{fmt.Errorf("--%s is for managed mode: --client-sharding makes one shard a host, and replicates nothing", name)}
			}
		}
		r, err = manticore.ClientRecipe(hs)
	} else {
		o := manticore.DefaultRecipeOptions(len(hs))
		if set["shards"] {
			o.Shards = *shards
		}
		if set["rf"] {
			o.RF = *rf
		}
		o.Table, o.Cluster = *table, *cluster
		r, err = manticore.Recipe(hs, o)
	}
	if err != nil {
		return usageError{errors.New(news.ErrorMessage(err))}
	}
	fmt.Fprint(e.stdout, r)
	return nil
}

const clusterUsage = `usage: xinwen cluster config|recipe|reindex [flags]

A cluster of Manticore or Sphinx (2.2+) searchd nodes as the search backend
(xinwen serve --backend manticore --manticore-dsn HOST:PORT,...). In
production, managed mode (--manticore-table NAME): Manticore (27.1.5+, with
Buddy) shards and replicates one table itself, and every node is an entry
point to it. In development and CI, client-side sharding: one shard a node,
searched through a distributed index on every node.

  config   write searchd configurations for --nodes nodes on one host
           (development and tests, client-side sharding) and print how to
           start them
  recipe   print the Manticore settings and SQL of managed mode for
           production hosts (--hosts a,b,c [--shards N] [--rf M]
           [--table NAME]); --client-sharding for one shard a host instead
  reindex  clear the cluster and index every stored article again
           (--data DIR --manticore-dsn ... [--manticore-table NAME]);
           searches see a partial index meanwhile
`
