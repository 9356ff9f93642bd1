package index_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/suggest"
	"github.com/xinwen/xinwen/internal/testseg"
)

// suggestArticles: 新能源 is in three titles and two bodies (weight 3×3+2),
// 新疆 in two titles and one body (3×2+1), 新闻 in one title (3). 国内联播快讯
// is a repeated title, older than the one 国内经济稳中向好.
func suggestArticles() []news.Article {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 19, 0, 0, 0, news.CST) }
	return []news.Article{
		{ID: "s1", Title: "新能源汽车销量增长", Body: "今年前十个月，新能源汽车产销两旺。", PublishedAt: day(1)},
		{ID: "s2", Title: "新能源产业投资加快", Body: "多地加大新能源投资力度。", PublishedAt: day(2)},
		{ID: "s3", Title: "甘肃新能源装机突破四千万千瓦", Body: "风电光伏装机容量持续增长。", PublishedAt: day(3)},
		{ID: "s4", Title: "新疆棉花丰收", Body: "新疆棉花采摘进入高峰。", PublishedAt: day(4)},
		{ID: "s5", Title: "新疆旅游持续升温", Body: "游客数量明显增加。", PublishedAt: day(5)},
		{ID: "s6", Title: "新闻发布会在北京举行", Body: "发布会介绍了有关情况。", PublishedAt: day(6)},
		{ID: "s7", Title: "AI芯片需求旺盛", Body: "人工智能带动芯片需求。", PublishedAt: day(7)},
		{ID: "s8", Title: "APEC会议开幕", Body: "亚太经合组织领导人会议开幕。", PublishedAt: day(8)},
		{ID: "s9", Title: "国内联播快讯", Body: "简讯。", PublishedAt: day(9)},
		{ID: "s10", Title: "国内联播快讯", Body: "简讯。", PublishedAt: day(10)},
		{ID: "s11", Title: "国内经济稳中向好", Body: "经济运行总体平稳。", PublishedAt: day(11)},
	}
}

func mustSuggest(tb testing.TB, s *suggest.Suggester, prefix string, n int) []string {
	tb.Helper()
	out, err := s.Suggest(context.Background(), prefix, n)
	if err != nil {
		tb.Fatalf("Suggest(%q, %d): %v", prefix, n, err)
	}
	return out
}

// inOrder reports whether want occur in got in this order (others may be
// between them).
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

func TestSuggest(t *testing.T) {
	s := suggest.New(MustOpen(t, suggestArticles()), suggest.Options{Segmenter: testseg.Current(t)})
	for _, tc := range []struct {
		prefix string
		want   []string // in this order
	}{
		{"新", []string{"新能源", "新疆", "新闻"}},
		{"新聞", []string{"新闻发布会在北京举行"}}, // traditional folds to simplified
		{"甘肅 新能", []string{"甘肃 新能源"}},
		{"新疆", []string{"新疆旅游持续升温", "新疆棉花丰收"}}, // titles newest first
		{"国内", []string{"国内联播快讯", "国内经济稳中向好"}}, // the repeated title first
		{"A", []string{"ai", "apec"}},          // Latin lower-cased
		{"甘肃 新能", []string{"甘肃 新能源"}},          // the last word completes
		{"“新能", []string{"新能源"}},               // punctuation is a separator
	} {
		got := mustSuggest(t, s, tc.prefix, 0)
		if !inOrder(got, tc.want) {
			t.Errorf("Suggest(%q) = %q, want %q in this order", tc.prefix, got, tc.want)
		}
	}
	for _, prefix := range []string{"", "  ", "，。", "不存在的词"} {
		if got := mustSuggest(t, s, prefix, 0); got == nil || len(got) != 0 {
			t.Errorf("Suggest(%q) = %#v, want an empty list", prefix, got)
		}
	}
	if got := mustSuggest(t, s, "新", 2); len(got) != 2 {
		t.Errorf("Suggest(新, 2) = %q, want 2", got)
	}
	if got := mustSuggest(t, s, "新", 0); len(got) > suggest.Default {
		t.Errorf("Suggest(新) = %q: more than %d", got, suggest.Default)
	}
	// What has been typed is no suggestion, whether a word or a title.
	for _, prefix := range []string{"新疆", "新疆棉花丰收", "APEC"} {
		if got := mustSuggest(t, s, prefix, 0); slices.Contains(got, strings.ToLower(prefix)) {
			t.Errorf("Suggest(%q) = %q, which has the prefix itself", prefix, got)
		}
	}
}

func TestSuggestInvalid(t *testing.T) {
	s := suggest.New(MustOpen(t, suggestArticles()), suggest.Options{Segmenter: testseg.Current(t)})
	for _, tc := range []struct {
		prefix string
		n      int
	}{
		{strings.Repeat("新", suggest.MaxPrefixRunes+1), 0},
		{"新", suggest.Max + 1},
		{"新", -1},
	} {
		_, err := s.Suggest(context.Background(), tc.prefix, tc.n)
		if got := news.ErrorCode(err); got != news.EINVALID {
			t.Errorf("Suggest(%d runes, %d): %v, want an %s error", len([]rune(tc.prefix)), tc.n, err, news.EINVALID)
		}
	}
	if _, err := s.Suggest(context.Background(), strings.Repeat("新", suggest.MaxPrefixRunes), suggest.Max); err != nil {
		t.Errorf("a prefix of %d runes: %v", suggest.MaxPrefixRunes, err)
	}
}

// TestSuggestRefresh checks that articles indexed after the first
// suggestions appear once the refresh interval is over.
func TestSuggestRefresh(t *testing.T) {
	ix := MustOpen(t, suggestArticles())
	s := suggest.New(ix, suggest.Options{Segmenter: testseg.Current(t), Every: time.Millisecond})
	if got := mustSuggest(t, s, "新冠", 0); len(got) != 0 {
		t.Fatalf("Suggest(新冠) = %q before the article", got)
	}
	if err := ix.Put(context.Background(), []news.Article{{ID: "n1", Title: "新冠疫苗接种进展", Body: "接种工作有序推进。"}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := mustSuggest(t, s, "新冠", 0)
		if slices.Contains(got, "新冠疫苗接种进展") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Suggest(新冠) = %q ten seconds after the article was indexed", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkSuggest times building the snapshot (refresh) and suggestions for
// a few prefixes on the 24,102 CCTV stories. Indexing them takes a minute or
// two, so run it alone:
//
//	go test ./index -run '^$' -bench Suggest -benchmem
func BenchmarkSuggest(b *testing.B) {
	ix := MustOpen(b, cctv(b))
	s := suggest.New(ix, suggest.Options{Segmenter: testseg.Current(b)})
	b.Run("refresh", func(b *testing.B) {
		for b.Loop() {
			if err := s.Refresh(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, prefix := range []string{"中", "国", "习近平", "新质", "乡村振", "a", "王毅 会"} {
		b.Run(prefix, func(b *testing.B) {
			if got := mustSuggest(b, s, prefix, 0); len(got) == 0 {
				b.Fatalf("no suggestions for %q", prefix)
			}
			for b.Loop() {
				mustSuggest(b, s, prefix, 0)
			}
		})
	}
}

// TestSuggestAfterMerge: suggestions rank by how many articles use a word
// also once the index's segments are merged, with one index or shards.
// Before, the counts of Bleve's field dictionary turned to 1 after the first
// word only one article has (国人 here), and 国家 (in 40 titles) tied with
// it once the index was merged.
func TestSuggestAfterMerge(t *testing.T) {
	var arts []news.Article
	for i := range 40 {
		arts = append(arts, news.Article{ID: "n" + strconv.Itoa(i), Title: "国家发布数据", Body: "数据显示增长。"})
	}
	// Both words only in titles: wrong counts would tie them, and the tie
	// goes to the first in order, 国人.
	arts = append(arts, news.Article{ID: "once", Title: "国人出游热情高", Body: "假期出游。"})
	for _, shards := range []int{1, 2} {
		ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Segmenter: testseg.Current(t), Shards: shards})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		for i := 0; i < len(arts); i += 10 { // several segments
			if err := ix.Put(context.Background(), arts[i:min(i+10, len(arts))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Optimize(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := mustSuggest(t, suggest.New(ix, suggest.Options{Segmenter: testseg.Current(t)}), "国", 10)
		if len(got) < 2 || got[0] != "国家" || !inOrder(got, []string{"国家", "国人"}) {
			t.Errorf("%d shards, merged: suggestions for 国 %v, want 国家 first and 国人 after it", shards, got)
		}
	}
}
