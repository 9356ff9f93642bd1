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

// TestDateSortTiesAndUndated: articles published at the same second come in
// one stable order by page and by cursor, and undated ones come last.
func TestDateSortTiesAndUndated(t *testing.T) {
	same := time.Date(2024, 5, 1, 8, 0, 0, 0, news.CST)
	var arts []news.Article
	for i := range 12 {
		a := news.Article{ID: fmt.Sprintf("t%02d", i), Title: "同一时刻", Body: "同一时刻发布。"}
		if i%4 != 3 {
			a.PublishedAt = same
		}
		arts = append(arts, a)
	}
	ix := MustOpen(t, arts)
	ctx := context.Background()
	all := ids(t, ix, news.SearchRequest{Query: "同一时刻", Sort: news.SortDate})
	if len(all) != 12 {
		t.Fatalf("%d hits, want 12", len(all))
	}
	for i, id := range all {
		var n int
		fmt.Sscanf(id, "t%d", &n)
		if undated := n%4 == 3; undated != (i >= 9) {
			t.Errorf("date order %v: undated articles must come last", all)
			break
		}
	}
	var byCursor []string
	cursor := ""
	for range 12 {
		res, err := ix.Search(ctx, news.SearchRequest{Query: "同一时刻", Sort: news.SortDate, Size: 5, Cursor: cursor})
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
	if strings.Join(byCursor, ",") != strings.Join(all, ",") {
		t.Errorf("by cursor %v, want %v", byCursor, all)
	}
}
