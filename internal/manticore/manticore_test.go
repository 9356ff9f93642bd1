package manticore_test

import (
	"context"
	"testing"

	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/manticore/searchdtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
)

// opener returns a backendtest.Open over cluster c, in managed mode if
// table is set: every backend it opens starts from an empty cluster.
func opener(c *searchdtest.Cluster, table string) backendtest.Open {
	return func(t *testing.T, cfg backendtest.Config) news.Backend {
		t.Helper()
		b, err := manticore.Open(c.Addrs(), manticore.Options{Segmenter: testseg.Current(t), Texts: cfg.Texts, Now: cfg.Now, Table: table})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Clear(context.Background()); err != nil {
			t.Fatal(err)
		}
		return b
	}
}

// TestBackendSuite runs the suite every backend must pass against two real
// searchd nodes.
func TestBackendSuite(t *testing.T) {
	c := searchdtest.Start(t, 2)
	backendtest.Run(t, opener(c, ""))
}

// TestBackendSuiteManaged runs the suite against a backend in managed mode,
// on a node whose local real-time index stands for the cluster's sharded
// table (Sphinx has no sharded tables).
func TestBackendSuiteManaged(t *testing.T) {
	c := searchdtest.StartManaged(t, "articles")
	backendtest.Run(t, opener(c, "articles"))
}
