package index_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/testseg"
)

// TestLimits: Options.MaxWindow and MaxFacetSize take effect, a page beyond
// the window is EINVALID naming it, and a page so large that page*size
// overflows is refused too.
func TestLimits(t *testing.T) {
	ctx := context.Background()
	var arts []news.Article
	for i := range 30 {
		arts = append(arts, news.Article{
			ID: fmt.Sprint(i), Title: "兰州新区建设", Body: "兰州新区项目加快。",
			Section: []string{fmt.Sprintf("栏目%d", i%6)},
		})
	}
	for _, tc := range []struct {
		opts             index.Options
		window, sections int
	}{
		{index.Options{Segmenter: testseg.Current(t)}, query.MaxWindow, 6},
		{index.Options{Segmenter: testseg.Current(t), MaxWindow: 20, MaxFacetSize: 4}, 20, 4},
	} {
		ix, err := index.Open(filepath.Join(t.TempDir(), "index"), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if err := ix.Put(ctx, arts); err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(ctx, news.SearchRequest{Query: "兰州新区", Size: 10, Page: 2, Facets: true})
		if err != nil {
			t.Fatalf("%+v: page 2: %v", tc.opts, err)
		}
		if len(res.Hits) != 10 || len(res.Facets.Section) != tc.sections {
			t.Errorf("%+v: %d hits, %d sections; want 10 and %d", tc.opts, len(res.Hits), len(res.Facets.Section), tc.sections)
		}
		for _, page := range []int{tc.window/10 + 1, math.MaxInt, math.MaxInt/10 + 1} {
			_, err := ix.Search(ctx, news.SearchRequest{Query: "兰州新区", Size: 10, Page: page})
			if news.ErrorCode(err) != news.EINVALID || !strings.Contains(news.ErrorMessage(err), fmt.Sprint(tc.window)) {
				t.Errorf("%+v: page %d: %v; want EINVALID naming %d", tc.opts, page, err, tc.window)
			}
		}
	}
}
