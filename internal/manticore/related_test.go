package manticore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/index/analysis/words"
	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/manticore/searchdtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// relatedArticles are those of the embedded index's related test: r1 is
// about solar and wind power in Gansu, r2 about the same in Jiuquan, r3
// about new-energy cars, r4 about calligraphy; r5 is a copy of r1, r6 of
// r2; r7, on wind power in Gansu too, is taken for a copy of r5 (the store
// links a copy to the earliest article it is near, which may be a copy
// itself); and stories on other topics.
func relatedArticles() []news.Article {
	arts := []news.Article{
		{ID: "r1", Title: "甘肃光伏风电装机容量创新高", Body: "甘肃新能源装机容量突破五千万千瓦，光伏和风电发电量持续增长。酒泉风电基地和光伏电站建设加快，新能源外送通道不断完善。"},
		{ID: "r2", Title: "酒泉风电光伏基地建设提速", Body: "酒泉千万千瓦级风电基地二期工程加快建设，一批光伏电站并网发电，新能源装机容量稳步提升。"},
		{ID: "r3", Title: "新能源汽车出口增长", Body: "今年以来，我国新能源汽车出口量持续增长，动力电池产业链优势明显。"},
		{ID: "r4", Title: "故宫博物院举办书画展", Body: "展览展出明清书画精品一百余件，观众可近距离欣赏文物。"},
	}
	c1, c2 := arts[0], arts[1]
	c1.ID, c1.DuplicateOf = "r5", "r1"
	c2.ID, c2.DuplicateOf = "r6", "r2"
	arts = append(arts, c1, c2, news.Article{ID: "r7", Title: "甘肃风电项目开工", Body: "甘肃一批风电项目集中开工。", DuplicateOf: "r5"})
	for i, title := range []string{
		"全国冬小麦播种基本完成", "女排联赛总决赛落幕", "北方地区迎来大范围降温", "春运火车票开始发售",
		"多地中小学开展安全教育", "国产大飞机完成首次商业飞行", "长江流域禁渔成效显著", "城市社区养老服务持续完善",
		"高校毕业生就业形势总体稳定", "博物馆之夜活动吸引市民", "跨境电商进口额同比上升", "黄河入海口迎来候鸟迁徙",
	} {
		arts = append(arts, news.Article{ID: fmt.Sprintf("f%02d", i), Title: title, Body: title + "。有关部门介绍了具体情况。"})
	}
	return arts
}

func hitIDs(hits []news.Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

// TestRelated finds related articles on a two-node cluster and, in managed
// mode, on a node standing for a sharded table, and compares them with the
// embedded index's on the same articles.
//
// What can be compared: fewer than fifty articles, so that neither drops a
// word as common and both look for the same words; and for every article
// fewer matches than the candidates asked for (index.RelatedCandidates of
// index.MaxRelated) and groups of near-duplicates than MaxRelated, so that
// the articles shown do not depend on the ranking, which differs (BM25F
// with each shard's statistics against a sum of BM25 per field): then both
// show the same set. The order is compared only on the first hit of the
// articles whose nearest neighbour is plain (r1 and its copy r5: r2; r2:
// r1), which any ranking by shared words gets right.
func TestRelated(t *testing.T) {
	arts := relatedArticles()
	texts := backendtest.MemTexts{}
	for _, a := range arts {
		texts[a.ID] = a
	}
	ctx := context.Background()
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Texts: texts})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []struct {
		name  string
		start func(t *testing.T) *searchdtest.Cluster
		table string
	}{
		{"client-side sharding", func(t *testing.T) *searchdtest.Cluster { return searchdtest.Start(t, 2) }, ""},
		{"managed", func(t *testing.T) *searchdtest.Cluster { return searchdtest.StartManaged(t, "articles") }, "articles"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			c := mode.start(t)
			cl, err := manticore.Open(c.Addrs(), manticore.Options{Texts: texts, Table: mode.table})
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			if err := cl.Put(ctx, arts); err != nil {
				t.Fatal(err)
			}
			for _, a := range arts {
				want, err := ix.Related(ctx, a, index.MaxRelated)
				if err != nil {
					t.Fatal(err)
				}
				got, err := cl.Related(ctx, a, index.MaxRelated)
				if err != nil {
					t.Fatalf("Related(%s): %v", a.ID, err)
				}
				g, w := hitIDs(got), hitIDs(want)
				gs, ws := slices.Sorted(slices.Values(g)), slices.Sorted(slices.Values(w))
				if !slices.Equal(gs, ws) {
					t.Errorf("Related(%s) = %v, the embedded index's %v", a.ID, g, w)
				}
				// The hits both show are the same but for the score.
				byID := map[string]news.Hit{}
				for _, h := range want {
					byID[h.ID] = h
				}
				for _, h := range got {
					if w, ok := byID[h.ID]; ok {
						h.Score, w.Score = 0, 0
						if !reflect.DeepEqual(h, w) {
							t.Errorf("Related(%s): hit\n%+v\nembedded\n%+v", a.ID, h, w)
						}
					}
				}
			}
			byID := map[string]news.Article{}
			for _, a := range arts {
				byID[a.ID] = a
			}
			for _, tc := range []struct {
				id    string
				first string
				never []string // the article, its original and copies, the second of a copied pair
			}{
				{"r1", "r2", []string{"r1", "r5", "r6"}},
				{"r5", "r2", []string{"r1", "r5", "r6", "r7"}},
				{"r2", "r1", []string{"r2", "r6", "r5"}},
			} {
				got := hitIDs(mustRelated(t, cl, byID[tc.id], 0))
				if len(got) == 0 || got[0] != tc.first || len(got) > index.DefaultRelated {
					t.Errorf("Related(%s) = %v, want %s first and at most %d", tc.id, got, tc.first, index.DefaultRelated)
				}
				for _, id := range tc.never {
					if slices.Contains(got, id) {
						t.Errorf("Related(%s) = %v, must not contain %s", tc.id, got, id)
					}
				}
			}
			hits := mustRelated(t, cl, byID["r1"], 1)
			if len(hits) != 1 || !strings.Contains(hits[0].Title, "<mark>") || !strings.Contains(hits[0].Snippet, "<mark>") {
				t.Errorf("Related(r1, 1) = %+v, want one hit with marked title and snippet", hits)
			}
			if got := mustRelated(t, cl, news.Article{ID: "x"}, 0); got == nil || len(got) != 0 {
				t.Errorf("Related of an empty article = %#v, want an empty list", got)
			}
			for _, n := range []int{-1, index.MaxRelated + 1} {
				if _, err := cl.Related(ctx, byID["r1"], n); news.ErrorCode(err) != news.EINVALID {
					t.Errorf("Related(r1, %d): %v, want an %s error", n, err, news.EINVALID)
				}
			}
		})
	}
}

func mustRelated(t *testing.T, b *manticore.Backend, a news.Article, n int) []news.Hit {
	t.Helper()
	hits, err := b.Related(context.Background(), a, n)
	if err != nil {
		t.Fatalf("Related(%s, %d): %v", a.ID, n, err)
	}
	return hits
}

// TestRelatedNodeDown checks that with a node down, related articles come
// from the other shard, whichever node coordinates, and that with none
// answering the error is an EUNAVAILABLE.
func TestRelatedNodeDown(t *testing.T) {
	c := searchdtest.Start(t, 2)
	arts := relatedArticles()
	texts := backendtest.MemTexts{}
	for _, a := range arts {
		texts[a.ID] = a
	}
	cl, err := manticore.Open(c.Addrs(), manticore.Options{Texts: texts})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	if err := cl.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	r1 := texts["r1"]
	all := hitIDs(mustRelated(t, cl, r1, index.MaxRelated))
	c.Kill(1)
	for range 2 { // whichever node the round robin starts from
		got := hitIDs(mustRelated(t, cl, r1, index.MaxRelated))
		var want []string
		for _, id := range all {
			if manticore.ShardOf(id, 2) == 0 {
				want = append(want, id)
			}
		}
		if len(want) == 0 || len(want) == len(all) {
			t.Fatalf("Related(r1) = %v: the test needs hits on both shards", all)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("node 2 down: Related(r1) = %v, want those of shard 1: %v", got, want)
		}
	}
	c.Kill(0)
	if _, err := cl.Related(ctx, r1, 0); news.ErrorCode(err) != news.EUNAVAILABLE {
		t.Errorf("no node: Related: %v, want an %s error", err, news.EUNAVAILABLE)
	}
}

// TestRelatedWordStats checks the cluster's counts of how many articles
// have a word, on the demo articles: the number of articles; exactly the
// articles whose title or body has it among their words, for a word of
// three characters or more; and at least the articles whose body has it,
// for the others (a keyword of any field counts, and two characters are
// also a bigram).
func TestRelatedWordStats(t *testing.T) {
	c := searchdtest.Start(t, 2)
	arts := backendtest.DemoArticles(t)
	cl, err := manticore.Open(c.Addrs(), manticore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	if err := cl.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	inTitle, inBody := map[string]int{}, map[string]int{}
	for _, a := range arts {
		ws := map[string]bool{}
		for _, tok := range words.Tokens(textnorm.New(a.Body)) {
			if w := string(tok.Term); !ws[w] {
				ws[w] = true
				inBody[w]++
			}
		}
		for _, tok := range words.Tokens(textnorm.New(a.Title)) {
			if w := string(tok.Term); !ws[w] {
				ws[w] = true
				inTitle[w]++ // in the title, not the body
			}
		}
	}
	stats := manticore.WordStats(cl)
	checked := 0
	for _, a := range arts[:20] {
		// The words Related would check: RelatedWords calls stats with them.
		_, err := index.RelatedWords(ctx, a, func(ctx context.Context, ws []string) (int, []int, error) {
			docs, counts, err := stats(ctx, ws)
			if err != nil {
				return 0, nil, err
			}
			if docs != len(arts) {
				t.Errorf("%d articles, want %d", docs, len(arts))
			}
			for i, w := range ws {
				body, either := inBody[w], inBody[w]+inTitle[w]
				if utf8.RuneCountInString(w) >= 3 && counts[i] != either || counts[i] < body {
					t.Errorf("%s: %d articles; in the body of %d, in the title or body of %d", w, counts[i], body, either)
				}
				checked++
			}
			return docs, counts, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < 100 {
		t.Errorf("only %d words checked", checked)
	}
}
