package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/news"
)

// Backends serve can search.
const (
	backendBleve     = "bleve"
	backendManticore = "manticore"
)

// backendFlags are serve's choice of search backend.
type backendFlags struct {
	backend *string
	dsn     *string
}

func addBackendFlags(fs *flag.FlagSet) *backendFlags {
	return &backendFlags{
		backend: fs.String("backend", backendBleve, "search `backend`: bleve (the embedded index in --data) or manticore (a cluster of Manticore/Sphinx searchd nodes, --manticore-dsn)"),
		dsn:     fs.String("manticore-dsn", "", "the cluster's nodes for --backend manticore: the SphinxQL `HOST:PORT` of each shard's node, in shard order, comma-separated (see xinwen cluster)"),
	}
}

func (f *backendFlags) validate() error {
	switch {
	case *f.backend != backendBleve && *f.backend != backendManticore:
		return usageError{fmt.Errorf("--backend must be %s or %s, not %q", backendBleve, backendManticore, *f.backend)}
	case *f.backend == backendManticore && *f.dsn == "":
		return usageError{errors.New("--backend manticore needs --manticore-dsn HOST:PORT,HOST:PORT (one node a shard)")}
	case *f.backend == backendBleve && *f.dsn != "":
		return usageError{errors.New("--manticore-dsn is for --backend manticore")}
	}
	if *f.backend == backendManticore {
		if _, err := manticore.ParseDSN(*f.dsn); err != nil {
			return usageError{errors.New(news.ErrorMessage(err))}
		}
	}
	return nil
}

// apply points cfg at the chosen backend. For the cluster it opens the
// backend and a pipeline over the store and it, catches the cluster up with
// the store (a node that is down only delays that: the next ingest catches
// up again), and returns a function that closes the backend. The embedded
// index keeps its own watermark, so switching back to it catches it up.
func (f *backendFlags) apply(ctx context.Context, d *data, cfg *httpapi.Config, log *slog.Logger) (func() error, error) {
	if *f.backend != backendManticore {
		return func() error { return nil }, nil
	}
	addrs, _ := manticore.ParseDSN(*f.dsn)
	b, err := manticore.Open(addrs, manticore.Options{Texts: d.store})
	if err != nil {
		return nil, err
	}
	pipe := ingest.New(d.store, func() news.Backend { return b }, resolveRegion)
	if n, err := pipe.CatchUp(ctx); err != nil {
		log.Warn("the search cluster is behind the store; the next ingest catches up again", "err", err)
	} else if n > 0 {
		log.Info("indexed stored articles into the search cluster", "articles", n)
	}
	cfg.Search = b
	cfg.Ingest, cfg.Delete = pipe, pipe
	// Suggestions, related articles and rebuild jobs come from the embedded
	// index; with the cluster they answer 503 (rebuild with xinwen cluster
	// reindex).
	cfg.Suggest, cfg.Related, cfg.Rebuild = nil, nil, nil
	cfg.Ready = func() error { return b.Ping(context.Background()) }
	cfg.DocCount = b.Count
	return b.Close, nil
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
		hosts := fs.String("hosts", "search1,search2", "the production `hosts`, comma-separated, one shard each")
		if err := parse(fs, args); err != nil {
			return err
		}
		var hs []string
		for _, h := range strings.Split(*hosts, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hs = append(hs, h)
			}
		}
		r, err := manticore.Recipe(hs)
		if err != nil {
			return usageError{err}
		}
		fmt.Fprint(e.stdout, r)
		return nil
	}
	dir := dataFlag(fs)
	dsn := fs.String("manticore-dsn", "", "the cluster's nodes, SphinxQL `HOST:PORT` of each shard's node, comma-separated")
	if err := parse(fs, args); err != nil {
		return err
	}
	addrs, err := manticore.ParseDSN(*dsn)
	if err != nil {
		return usageError{errors.New(news.ErrorMessage(err))}
	}
	d, err := openData(ctx, *dir, e.stderr)
	if err != nil {
		return err
	}
	defer d.Close()
	b, err := manticore.Open(addrs, manticore.Options{Texts: d.store})
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

const clusterUsage = `usage: xinwen cluster config|recipe|reindex [flags]

A cluster of Manticore or Sphinx (2.2+) searchd nodes as the search backend
(xinwen serve --backend manticore --manticore-dsn HOST:PORT,...): one shard
a node, searched through a distributed index on every node.

  config   write searchd configurations for --nodes nodes on one host
           (development and tests) and print how to start them
  recipe   print the Manticore SQL for production hosts (--hosts a,b,c)
  reindex  clear the cluster and index every stored article again
           (--data DIR --manticore-dsn ...); searches see a partial index
           meanwhile
`
