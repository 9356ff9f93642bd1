package index_test

import (
	"testing"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testcorpus"
)

// cctv returns the 24,102 CCTV stories as ingest reads them (testcorpus
// reads them once per process). The tests and benchmarks that index them
// are corpus-scale: go test -short skips them.
func cctv(tb testing.TB) []news.Article {
	tb.Helper()
	testcorpus.SkipShort(tb)
	return testcorpus.CCTV(tb, 0)
}
