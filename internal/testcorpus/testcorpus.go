// Package testcorpus locates the shared corpora for tests and benchmarks.
//
// The corpora are too large and too much someone else's copyright to commit;
// they lie in a folder named shared beside the repository, in the developers'
// workspace and in CI. A test that needs them fails without them when the CI
// environment variable is set (CI never skips it), and skips with a message
// on a person's machine that lacks them.
package testcorpus

import (
	"context"
	"syscall"
	"time"

	"github.com/xinwen/xinwen/internal/extract"
	"os"
	"path/filepath"
	"testing"
)

// Shared returns the path of the shared folder beside the repository.
func Shared(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
	shared := filepath.Join(filepath.Dir(dir), "shared")
	if _, err := os.Stat(filepath.Join(shared, "corpus")); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI must have the shared corpora beside the repository at %s: %v", shared, err)
		}
		tb.Skipf("the shared corpora are not beside the repository (%s); CI runs this test", shared)
	}
	return shared
}

// Corpus returns the path of a file in shared/corpus.
func Corpus(tb testing.TB, name string) string {
	tb.Helper()
	return filepath.Join(Shared(tb), "corpus", name)
}

// CCTVTexts returns the titles and bodies of the first n CCTV stories.
func CCTVTexts(tb testing.TB, n int) [][]byte {
	tb.Helper()
	var out [][]byte
	path := Corpus(tb, "cctv-xwlb-2022-2026.jsonl.xz")
	errEnough := context.Canceled
	err := extract.Walk(context.Background(), []string{path}, func(r extract.Record) error {
		out = append(out, []byte(r.Article.Title), []byte(r.Article.Body))
		if len(out) >= 2*n {
			return errEnough
		}
		return nil
	})
	if err != nil && err != errEnough {
		tb.Fatal(err)
	}
	return out
}

// CPUTime is the process's user and system CPU time: on a shared machine it
// measures the work where wall-clock ns/op measures the neighbours too.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
