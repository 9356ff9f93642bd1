package index_test

import (
	"path/filepath"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
)

// TestBackendSuite runs the suite every backend must pass (the cluster
// backend runs it too) against the embedded index.
func TestBackendSuite(t *testing.T) {
	backendtest.Run(t, func(t *testing.T, cfg backendtest.Config) news.Backend {
		ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Segmenter: testseg.Current(t), Texts: cfg.Texts, Now: cfg.Now})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	})
}

// TestBackendSuiteSharded runs the same suite against an index split into
// three shards.
func TestBackendSuiteSharded(t *testing.T) {
	backendtest.Run(t, func(t *testing.T, cfg backendtest.Config) news.Backend {
		ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Segmenter: testseg.Current(t), Texts: cfg.Texts, Now: cfg.Now, Shards: 3})
		if err != nil {
			t.Fatal(err)
		}
		if ix.Shards() != 3 {
			t.Fatalf("%d shards, want 3", ix.Shards())
		}
		return ix
	})
}
