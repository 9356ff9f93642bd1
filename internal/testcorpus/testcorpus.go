package testcorpus

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
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

// SkipShort skips a corpus-scale test (one that reads a whole corpus or
// indexes thousands of its stories) under go test -short, the quick loop;
// a run without -short, as CI's, runs it.
func SkipShort(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("corpus-scale; run without -short")
	}
}

// Corpus returns the path of a file in shared/corpus.
func Corpus(tb testing.TB, name string) string {
	tb.Helper()
	return filepath.Join(Shared(tb), "corpus", name)
}

// CPUTime is the process's user and system CPU time: on a shared machine it
// measures the work where wall-clock ns/op measures the neighbours too.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
