package index_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/suggest"
	"github.com/xinwen/xinwen/internal/testseg"
)

// TestSharded indexes the same CCTV stories into one index and into two
// shards and checks that they find the same articles: totals, every hit
// (paged with the cursor), the order by date, facets, lone characters; and
// that a sharded index keeps its layout, replaces and deletes articles in
// the right shard, and refuses a damaged shard count.
func TestSharded(t *testing.T) {
	arts := cctv(t)[:3000]
	texts := memTexts{}
	for _, a := range arts {
		texts[a.ID] = a
	}
	now := func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, news.CST) }
	dir := t.TempDir()
	open := func(name string, shards int) *index.Index {
		t.Helper()
		ix, err := index.Open(filepath.Join(dir, name), index.Options{Segmenter: testseg.Current(t), Texts: texts, Now: now, Shards: shards})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	one, two := open("one", 0), open("two", 2)
	defer one.Close()
	index.SetTwoPhaseMin(two, 0) // two phases wherever they can run
	ctx := context.Background()
	for _, ix := range []*index.Index{one, two} {
		if err := ix.Put(ctx, arts); err != nil {
			t.Fatal(err)
		}
	}
	if one.Shards() != 1 || two.Shards() != 2 {
		t.Fatalf("shards %d and %d, want 1 and 2", one.Shards(), two.Shards())
	}
	for k := range 2 {
		if _, err := os.Stat(filepath.Join(dir, "two", "shard-"+string(rune('0'+k)))); err != nil {
			t.Fatal(err)
		}
	}

	for _, q := range []string{
		"国务院 常务会议", "习近平 会见", "乡村振兴 -国务院", "新质生产力 OR 高质量发展", `"中国式现代化"`,
		"蝶", "联合国 秘书长", "天水市清水县在2019年底宣布了什么",
	} {
		if got, want := allIDs(t, two, q), allIDs(t, one, q); !slices.Equal(got, want) {
			t.Errorf("%s: two shards find %d stories, one index %d", q, len(got), len(want))
		}
		req := news.SearchRequest{Query: q, Sort: news.SortDate, Size: 30, Facets: true}
		got, want := backendtest.MustSearch(t, two, req), backendtest.MustSearch(t, one, req)
		if got.Total != want.Total || !slices.Equal(backendtest.IDs(got), backendtest.IDs(want)) {
			t.Errorf("%s by date: two shards %d %v, one index %d %v", q, got.Total, head(backendtest.IDs(got)), want.Total, head(backendtest.IDs(want)))
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%s: facets differ: two shards %+v, one index %+v", q, got.Facets, want.Facets)
		}
		ranked := backendtest.MustSearch(t, two, news.SearchRequest{Query: q, Size: 10})
		if ranked.Total != want.Total || len(ranked.Hits) == 0 {
			t.Errorf("%s ranked: %d hits of %d", q, len(ranked.Hits), ranked.Total)
		}
		// Searched in one phase, the shards rank the same.
		restore := index.OnePhase(two)
		onePhase := backendtest.MustSearch(t, two, news.SearchRequest{Query: q, Size: 10})
		restore()
		if !slices.Equal(backendtest.IDs(ranked), backendtest.IDs(onePhase)) {
			t.Errorf("%s ranked: two shards %v; in one phase %v", q, backendtest.IDs(ranked), backendtest.IDs(onePhase))
		}
		for i := range min(len(ranked.Hits), len(onePhase.Hits)) {
			if g, w := ranked.Hits[i].Score, onePhase.Hits[i].Score; math.Abs(g-w) > 1e-9*math.Abs(w) {
				t.Errorf("%s ranked: hit %d scores %g; in one phase %g", q, i, g, w)
			}
		}
	}
	// The shards' dictionaries merge into the whole index's terms, each
	// once (lone characters inside phrases expand to them).
	for _, c := range []struct{ field, prefix string }{{"body_g", "国"}, {"title", ""}, {"body", "中"}} {
		got, err := index.DictTerms(two, c.field, c.prefix)
		if err != nil {
			t.Fatal(err)
		}
		want, err := index.DictTerms(one, c.field, c.prefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 10 || !slices.Equal(got, want) {
			t.Errorf("%s terms from %q: two shards %d terms, one index %d", c.field, c.prefix, len(got), len(want))
		}
	}
	// Suggestions count words over every shard: the same as one index's.
	for _, p := range []string{"国", "中国", "习"} {
		got, err := suggest.New(two, suggest.Options{Segmenter: testseg.Current(t)}).Suggest(ctx, p, 8)
		if err != nil {
			t.Fatal(err)
		}
		want, err := suggest.New(one, suggest.Options{Segmenter: testseg.Current(t)}).Suggest(ctx, p, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("suggestions for %s: two shards %v, one index %v", p, got, want)
		}
	}
	if rel, err := two.Related(ctx, arts[0], 5); err != nil || len(rel) == 0 || slices.Contains(backendtest.IDs(&news.SearchResult{Hits: rel}), arts[0].ID) {
		t.Errorf("related articles of %s: %v, %v", arts[0].ID, backendtest.IDs(&news.SearchResult{Hits: rel}), err)
	}

	// Replaced and deleted articles leave no copy in another shard.
	changed := arts[1]
	changed.Title = "分片测试标题独一无二"
	if err := two.Put(ctx, []news.Article{changed}); err != nil {
		t.Fatal(err)
	}
	if n, _ := two.Count(); n != uint64(len(arts)) {
		t.Errorf("after replacing one: %d articles, want %d", n, len(arts))
	}
	if ids := allIDs(t, two, "分片测试标题独一无二"); !slices.Equal(ids, []string{changed.ID}) {
		t.Errorf("the replaced title finds %v", ids)
	}
	var gone []string
	for _, a := range arts[:40] {
		gone = append(gone, a.ID)
	}
	if err := two.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if n, _ := two.Count(); n != uint64(len(arts)-len(gone)) {
		t.Errorf("after deleting %d: %d articles, want %d", len(gone), n, len(arts)-len(gone))
	}

	// Reopened without the option, it is still two shards.
	if err := two.Close(); err != nil {
		t.Fatal(err)
	}
	again := open("two", 0)
	if again.Shards() != 2 {
		t.Errorf("reopened: %d shards, want 2", again.Shards())
	}
	if n, _ := again.Count(); n != uint64(len(arts)-len(gone)) {
		t.Errorf("reopened: %d articles, want %d", n, len(arts)-len(gone))
	}
	again.Close()

	if err := os.WriteFile(filepath.Join(dir, "two", "xinwen-shards"), []byte("zwei\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(filepath.Join(dir, "two"), index.Options{Segmenter: testseg.Current(t)}); err == nil || !strings.Contains(err.Error(), "xinwen-shards") {
		t.Errorf("a damaged shard count: %v, want an error naming the file", err)
	}
	if _, err := index.Open(filepath.Join(dir, "three"), index.Options{Segmenter: testseg.Current(t), Shards: index.MaxShards + 1}); err == nil {
		t.Error("too many shards: no error")
	}
}
