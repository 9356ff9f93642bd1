package backendtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// fixture returns n small articles: every one mentions 黄河; every third
// has 黄河大桥 in its title; dates a day apart (the last one undated);
// sections and regions in turn.
func fixture(n int) []news.Article {
	var out []news.Article
	base := time.Date(2025, 3, 1, 8, 0, 0, 0, news.CST)
	for i := range n {
		a := news.Article{
			ID:    fmt.Sprintf("a%03d", i),
			Title: fmt.Sprintf("第%d条 新闻", i),
			Body:  fmt.Sprintf("黄河沿岸的第%d个故事。记者从兰州报道。", i),
		}
		if i%3 == 0 {
			a.Title = fmt.Sprintf("黄河大桥 第%d条", i)
		}
		if i < n-1 {
			a.PublishedAt = base.Add(time.Duration(i) * 24 * time.Hour)
		}
		switch i % 2 {
		case 0:
			a.Section = []string{"甘肃新闻", "要闻"}
			a.Region = news.Region{Province: "甘肃省", City: "兰州市"}
		default:
			a.Section = []string{"国内"}
		}
		out = append(out, a)
	}
	return out
}

func testPaging(t *testing.T, open Open) {
	arts := fixture(25)
	b := MustPut(t, open, arts)
	want := SortedByDate(arts)
	var got []string
	for page := 1; page <= 3; page++ {
		res := MustSearch(t, b, news.SearchRequest{Query: "黄河", Sort: news.SortDate, Size: 10, Page: page})
		if res.Total != 25 {
			t.Errorf("page %d: total %d, want 25", page, res.Total)
		}
		if res.Page != page || res.Size != 10 {
			t.Errorf("page %d: page %d size %d", page, res.Page, res.Size)
		}
		got = append(got, IDs(res)...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages %v\nwant %v", got, want)
	}
	if got := AllIDs(t, b, news.SearchRequest{Query: "黄河", Sort: news.SortDate, Size: 7}); !slices.Equal(got, want) {
		t.Errorf("cursor %v\nwant %v", got, want)
	}
	// Relevance: the title matches (boosted) come first.
	res := MustSearch(t, b, news.SearchRequest{Query: "黄河大桥", Size: 100})
	if res.Total != 9 {
		t.Fatalf("黄河大桥: total %d, want 9", res.Total)
	}
	for _, h := range res.Hits {
		if !strings.Contains(h.Title, "<mark>黄河大桥</mark>") {
			t.Errorf("%s: title %q has no highlight", h.ID, h.Title)
		}
		if h.Score <= 0 {
			t.Errorf("%s: score %v", h.ID, h.Score)
		}
	}
	res = MustSearch(t, b, news.SearchRequest{Query: "黄河", Size: 9})
	for _, h := range res.Hits {
		if !strings.HasPrefix(h.Title, "<mark>黄河</mark>大桥") {
			t.Errorf("relevance: %s (%q, %v) before all title matches", h.ID, h.Title, h.Score)
		}
	}
	// An empty query lists everything, newest first.
	res = MustSearch(t, b, news.SearchRequest{Size: 3})
	if got := IDs(res); res.Total != 25 || !slices.Equal(got, want[:3]) {
		t.Errorf("empty query: %d %v, want 25 %v", res.Total, got, want[:3])
	}
	// Filters with dates.
	from := time.Date(2025, 3, 5, 0, 0, 0, 0, news.CST)
	res = MustSearch(t, b, news.SearchRequest{Query: "黄河", From: from, To: from.AddDate(0, 0, 3), Sort: news.SortDate, Size: 100})
	if got := IDs(res); !slices.Equal(got, []string{"a006", "a005", "a004"}) {
		t.Errorf("from/to: %v", got)
	}
	res = MustSearch(t, b, news.SearchRequest{Query: "黄河", To: from, Province: "甘肃省", Section: "甘肃新闻", Sort: news.SortDate, Size: 100})
	if got := IDs(res); !slices.Equal(got, []string{"a002", "a000"}) {
		t.Errorf("to + province + section: %v", got)
	}
}

func testChanges(t *testing.T, open Open) {
	ctx := context.Background()
	arts := fixture(10)
	b := MustPut(t, open, arts)
	if n, err := b.Count(); err != nil || n != 10 {
		t.Fatalf("count %d, %v; want 10", n, err)
	}
	// Replace: the new title is found, the old one is not.
	a := arts[3]
	a.Title = "长江 新标题"
	if err := b.Put(ctx, []news.Article{a}); err != nil {
		t.Fatal(err)
	}
	if got := IDs(MustSearch(t, b, news.SearchRequest{Query: "长江"})); !slices.Equal(got, []string{"a003"}) {
		t.Errorf("after replace, 长江: %v", got)
	}
	if res := MustSearch(t, b, news.SearchRequest{Query: "黄河大桥", Size: 100}); slices.Contains(IDs(res), "a003") {
		t.Errorf("after replace, the old title still matches")
	}
	// Near-duplicates: left out of results, counted on the original.
	dup := arts[4]
	dup.ID, dup.DuplicateOf = "copy", arts[4].ID
	if err := b.Put(ctx, []news.Article{dup}); err != nil {
		t.Fatal(err)
	}
	res := MustSearch(t, b, news.SearchRequest{Query: "黄河", Size: 100})
	if res.Total != 10 || slices.Contains(IDs(res), "copy") {
		t.Errorf("copy listed: total %d %v", res.Total, IDs(res))
	}
	for _, h := range res.Hits {
		if want := map[bool]int{true: 1}[h.ID == arts[4].ID]; h.Duplicates != want {
			t.Errorf("%s: %d copies, want %d", h.ID, h.Duplicates, want)
		}
	}
	if n, _ := b.Count(); n != 11 {
		t.Errorf("count %d with the copy, want 11", n)
	}
	// Delete.
	if err := b.Delete(ctx, []string{"a001", "copy", "unknown"}); err != nil {
		t.Fatal(err)
	}
	res = MustSearch(t, b, news.SearchRequest{Query: "黄河", Size: 100})
	if res.Total != 9 || slices.Contains(IDs(res), "a001") {
		t.Errorf("after delete: total %d %v", res.Total, IDs(res))
	}
	var ids []string
	if err := b.EachID(ctx, func(id string) error { ids = append(ids, id); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	want := []string{"a000", "a002", "a003", "a004", "a005", "a006", "a007", "a008", "a009"}
	if !slices.Equal(ids, want) {
		t.Errorf("EachID %v, want %v", ids, want)
	}
	// An article without an ID is refused.
	if err := b.Put(ctx, []news.Article{{Title: "无名"}}); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("put without ID: %v, want %s", err, news.EINVALID)
	}
	// Clear.
	if err := b.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Count(); err != nil || n != 0 {
		t.Errorf("count after clear %d, %v", n, err)
	}
	if res := MustSearch(t, b, news.SearchRequest{Query: "黄河"}); res.Total != 0 {
		t.Errorf("after clear: %d hits", res.Total)
	}
}

func testSnippets(t *testing.T, open Open) {
	arts := []news.Article{{
		ID: "s1", Title: "清水縣的蘋果", PublishedAt: time.Date(2024, 1, 2, 0, 0, 0, 0, news.CST),
		Body: strings.Repeat("无关的文字。", 40) + "清水县今年苹果丰收，果农增收。" + strings.Repeat("其他内容。", 40),
	}}
	b := MustPut(t, open, arts)
	res := MustSearch(t, b, news.SearchRequest{Query: "清水县 苹果"})
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", IDs(res))
	}
	h := res.Hits[0]
	if h.Title != "<mark>清水縣</mark>的<mark>蘋果</mark>" {
		t.Errorf("title %q", h.Title)
	}
	if !strings.Contains(h.Snippet, "<mark>清水县</mark>今年<mark>苹果</mark>丰收") || !strings.HasPrefix(h.Snippet, "…") {
		t.Errorf("snippet %q", h.Snippet)
	}
	if !h.PublishedAt.Equal(arts[0].PublishedAt) || h.PublishedAt.Location() != news.CST {
		t.Errorf("published %v", h.PublishedAt)
	}
}

func testErrors(t *testing.T, open Open) {
	b := MustPut(t, open, fixture(3))
	bad := []news.SearchRequest{
		{Query: "黄河", Size: 101},
		{Query: "黄河", Size: -1},
		{Query: "黄河", Page: -1},
		{Query: "黄河", Page: 2, Cursor: "x"},
		{Query: "黄河", Page: 1001},
		{Query: "黄河", Sort: "views"},
		{Query: "黄河", Cursor: "not-a-cursor"},
		{Query: "黄河", From: time.Date(2025, 1, 2, 0, 0, 0, 0, news.CST), To: time.Date(2025, 1, 1, 0, 0, 0, 0, news.CST)},
		{Query: strings.Repeat("长", 300)},
	}
	for _, req := range bad {
		_, err := b.Search(context.Background(), req)
		if news.ErrorCode(err) != news.EINVALID {
			t.Errorf("%+v: %v, want an %s error", req, err, news.EINVALID)
		}
	}
	// A cursor made for another sort is refused.
	res := MustSearch(t, b, news.SearchRequest{Query: "黄河", Sort: news.SortDate, Size: 1})
	if res.NextCursor == "" {
		t.Fatal("no cursor")
	}
	if _, err := b.Search(context.Background(), news.SearchRequest{Query: "黄河", Sort: news.SortRelevance, Size: 1, Cursor: res.NextCursor}); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("cursor of another sort: %v", err)
	}
}

func testInternal(t *testing.T, open Open) {
	b := MustPut(t, open, nil)
	if v, err := b.GetInternal("store_seq"); err != nil || v != nil {
		t.Errorf("unset key: %q, %v", v, err)
	}
	for _, val := range []string{"41", "42", "7"} {
		if err := b.SetInternal("store_seq", []byte(val)); err != nil {
			t.Fatal(err)
		}
		if v, err := b.GetInternal("store_seq"); err != nil || string(v) != val {
			t.Errorf("got %q, %v; want %q", v, err, val)
		}
	}
	if err := b.SetInternal("other", []byte{0, 1, 'x', '\''}); err != nil {
		t.Fatal(err)
	}
	if v, _ := b.GetInternal("other"); string(v) != "\x00\x01x'" {
		t.Errorf("binary value %q", v)
	}
}
