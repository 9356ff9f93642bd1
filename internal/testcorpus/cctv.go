package testcorpus

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

// CCTVFile is the name of the CCTV corpus in shared/corpus: the stories of
// 新闻联播 from 2022 to 2026, JSON Lines compressed with xz.
const CCTVFile = "cctv-xwlb-2022-2026.jsonl.xz"

// CCTVCount is the number of stories in CCTVFile.
const CCTVCount = 24102

// cctvCache keeps the longest run of CCTV stories read so far in this
// process (the whole corpus once someone asked for it), so that the tests
// and benchmarks of a package decompress and extract the file once.
var cctvCache struct {
	sync.Mutex
	arts []news.Article
	all  bool // arts is the whole corpus
}

// errEnough stops extract.Walk once enough stories are read.
var errEnough = errors.New("enough stories")

// CCTV returns the first n stories of the CCTV corpus, or all CCTVCount of
// them if n is 0 (or more than the corpus has), as ingest reads them:
// through extract.Walk, so cleaned, with the export's IDs, sections and
// dates in China Standard Time. The file is read at most once per process
// for the longest prefix asked for. The slice is the caller's; the strings
// and slices inside the articles are shared, so copy an article before
// changing its Section or Authors in place.
//
// Without the shared corpora CCTV fails under CI and skips elsewhere (see
// Shared); a story extract cannot read fails the test.
func CCTV(tb testing.TB, n int) []news.Article {
	tb.Helper()
	path := Corpus(tb, CCTVFile)
	c := &cctvCache
	c.Lock()
	defer c.Unlock()
	if c.all || (n > 0 && n <= len(c.arts)) {
		return slices.Clone(c.arts[:clamp(n, len(c.arts))])
	}
	var arts []news.Article
	var bad error
	err := extract.Walk(context.Background(), []string{path}, func(r extract.Record) error {
		if r.Err != nil {
			bad = r.Err
			return r.Err
		}
		arts = append(arts, r.Article)
		if n > 0 && len(arts) >= n {
			return errEnough
		}
		return nil
	})
	switch {
	case bad != nil:
		tb.Fatalf("read the CCTV corpus: %v", bad)
	case err != nil && err != errEnough:
		tb.Fatalf("read the CCTV corpus: %v", err)
	}
	c.arts, c.all = arts, err == nil
	return slices.Clone(arts[:clamp(n, len(arts))])
}

// clamp is n, or have if n is 0 or more than have.
func clamp(n, have int) int {
	if n <= 0 || n > have {
		return have
	}
	return n
}

// CCTVTexts returns the titles and bodies of the first n CCTV stories (see
// CCTV), title then body for each story.
func CCTVTexts(tb testing.TB, n int) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, a := range CCTV(tb, n) {
		out = append(out, []byte(a.Title), []byte(a.Body))
	}
	return out
}
