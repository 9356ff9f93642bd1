package index_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// TestCursorPaging: following next_cursor visits every hit exactly once, in
// the order of page-number paging, for both sorts.
func TestCursorPaging(t *testing.T) {
	var arts []news.Article
	for i := range 40 {
		arts = append(arts, news.Article{
			ID:          fmt.Sprintf("a%02d", i),
			Title:       fmt.Sprintf("第%d篇", i),
			Body:        strings.Repeat("经济发展。", 1+i%7) + strings.Repeat("其他内容。", i%5),
			PublishedAt: time.Date(2024, 1, 1+i%9, 8, 0, 0, 0, news.CST),
		})
	}
	ix := MustOpen(t, arts)
	ctx := context.Background()
	for _, sort := range []string{news.SortRelevance, news.SortDate} {
		var byPage, byCursor []string
		for page := 1; ; page++ {
			res, err := ix.Search(ctx, news.SearchRequest{Query: "经济", Sort: sort, Size: 7, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				byPage = append(byPage, h.ID)
			}
			if len(res.Hits) < 7 {
				break
			}
		}
		cursor := ""
		for range 20 {
			res, err := ix.Search(ctx, news.SearchRequest{Query: "经济", Sort: sort, Size: 7, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				byCursor = append(byCursor, h.ID)
			}
			if cursor = res.NextCursor; cursor == "" {
				break
			}
		}
		if len(byPage) != len(arts) || strings.Join(byCursor, ",") != strings.Join(byPage, ",") {
			t.Errorf("sort %s: by cursor %d hits %v,\nby page %d hits %v", sort, len(byCursor), byCursor, len(byPage), byPage)
		}
	}
}
