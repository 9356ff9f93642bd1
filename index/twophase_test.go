package index_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
)

// page is what compareTwoPhases compares of a result.
type page struct {
	total  uint64
	hits   []news.Hit
	facets *news.Facets
	next   string
}

// compareTwoPhases searches each query as ix runs it (in two phases where it
// can; set the threshold with index.SetTwoPhaseMin) and in one phase, and
// reports every difference: the totals and facets, and the hits with their
// scores (to 1e-9) in order, on the first page, a deeper page, a page of
// 50, the next page through the cursor and newest first. It returns how
// many hits it compared.
func compareTwoPhases(t *testing.T, ix *index.Index, queries []string) int {
	t.Helper()
	search := func(req news.SearchRequest) page {
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("search %+v: %v", req, err)
		}
		return page{res.Total, res.Hits, res.Facets, res.NextCursor}
	}
	same := func(what string, got, want page) {
		if got.total != want.total || len(got.hits) != len(want.hits) {
			t.Errorf("%s: %d hits of %d; in one phase %d of %d", what, len(got.hits), got.total, len(want.hits), want.total)
			return
		}
		for i := range got.hits {
			g, w := got.hits[i], want.hits[i]
			if g.ID != w.ID || math.Abs(g.Score-w.Score) > 1e-9*math.Abs(w.Score) {
				t.Errorf("%s: hit %d is %s (%g); in one phase %s (%g)", what, i, g.ID, g.Score, w.ID, w.Score)
				return
			}
		}
		if !reflect.DeepEqual(got.facets, want.facets) {
			t.Errorf("%s: facets differ from one phase", what)
		}
		if (got.next == "") != (want.next == "") {
			t.Errorf("%s: next cursor %q; in one phase %q", what, got.next, want.next)
		}
	}
	compared := 0
	for _, q := range queries {
		for _, req := range []news.SearchRequest{
			{Query: q, Size: 10, Facets: true},
			{Query: q, Size: 10, Page: 4},
			{Query: q, Size: 50},
			{Query: q, Size: 10, Sort: news.SortDate, Facets: true},
		} {
			restore := index.OnePhase(ix)
			want := search(req)
			restore()
			got := search(req)
			what := fmt.Sprintf("%s (page %d of %d, sort %q)", q, req.Page, req.Size, req.Sort)
			same(what, got, want)
			compared += len(got.hits)
			if want.next == "" || got.next == "" {
				continue
			}
			// The next page through the cursor (in one phase: the
			// cursor holds a score with the proximity factor).
			req.Page, req.Cursor = 0, want.next
			restore = index.OnePhase(ix)
			want = search(req)
			restore()
			req.Cursor = got.next
			got = search(req)
			same(what+", next page", got, want)
		}
	}
	return compared
}

// TestTwoPhaseSmall compares two phases with one on 3,500 generated
// articles, with no corpus: 2,000 shuffles of a dozen words and filler, so
// that common pairs match hundreds of articles at every distance; and 1,500
// of the same length that hold 冬小麦 and 播种面积 once each at random
// places, so that every one scores the same BM25 and only the proximity
// factor orders them: a page then needs every step of the two phases (more
// hits scored again, more kept in phase 1, the bound).
func TestTwoPhaseSmall(t *testing.T) {
	words := []string{"国务院", "常务会议", "乡村振兴", "高质量发展", "新质生产力", "长江经济带", "粤港澳大湾区", "人工智能", "大模型", "脱贫攻坚", "清水县", "天水市"}
	fill := []string{"今年以来", "各地", "持续推进", "有关部门", "表示", "会议指出", "据介绍", "进一步"}
	rng := rand.New(rand.NewPCG(7, 11))
	var arts []news.Article
	for i := range 2000 {
		var b strings.Builder
		for range 10 + rng.IntN(30) {
			if rng.IntN(3) == 0 {
				b.WriteString(words[rng.IntN(len(words))])
			} else {
				b.WriteString(fill[rng.IntN(len(fill))])
			}
			if rng.IntN(5) == 0 {
				b.WriteString("，")
			}
		}
		arts = append(arts, news.Article{
			ID:          fmt.Sprintf("g%04d", i),
			Title:       words[rng.IntN(len(words))] + fill[rng.IntN(len(fill))],
			Body:        b.String(),
			Section:     []string{[]string{"国内", "经济", "科技"}[rng.IntN(3)]},
			PublishedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, news.CST).Add(time.Duration(rng.IntN(500*24)) * time.Hour),
		})
	}
	for i := range 1500 {
		slots := make([]string, 30)
		for k := range slots {
			slots[k] = "各地，"
		}
		a, b := rng.IntN(30), rng.IntN(30)
		for b == a {
			b = rng.IntN(30)
		}
		slots[a], slots[b] = "冬小麦，", "播种面积，"
		arts = append(arts, news.Article{
			ID:          fmt.Sprintf("f%04d", i),
			Title:       "农业农村部消息",
			Body:        strings.Join(slots, ""),
			PublishedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, news.CST).Add(time.Duration(i) * time.Hour),
		})
	}
	ix := MustOpen(t, arts)
	index.SetTwoPhaseMin(ix, 0) // two phases wherever they can run
	queries := []string{
		"国务院 常务会议", "乡村振兴 高质量发展", "人工智能 大模型 -清水县", "清水县 天水市 脱贫攻坚",
		"新质生产力 OR 长江经济带 发展", `"会议指出" 国务院`, "天水市清水县的脱贫攻坚有什么成效？",
		"冬小麦 播种面积", "播种面积 冬小麦",
	}
	if n := compareTwoPhases(t, ix, queries); n == 0 {
		t.Fatal("no hits compared")
	}
}
