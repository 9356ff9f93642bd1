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

func TestMain(m *testing.M) { testseg.Main(m, nil) }

// opener returns a backendtest.Open over cluster c: every backend it opens
// starts from an empty cluster.
func opener(c *searchdtest.Cluster) backendtest.Open {
	return func(t *testing.T, cfg backendtest.Config) news.Backend {
		t.Helper()
		b, err := manticore.Open(c.Addrs(), manticore.Options{Texts: cfg.Texts, Now: cfg.Now})
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
	backendtest.Run(t, opener(c))
}
