package index_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
)

// relatedArticles: r1 is about solar and wind power in Gansu; r2 about the
// same in Jiuquan, r3 about new-energy cars, r4 about calligraphy. r5 is a
// copy of r1, r6 a copy of r2.
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
	arts = append(arts, c1, c2)
	// Stories on other topics, so that the words above are as rare as in a
	// real index.
	for i, title := range []string{
		"全国冬小麦播种基本完成", "女排联赛总决赛落幕", "北方地区迎来大范围降温", "春运火车票开始发售",
		"多地中小学开展安全教育", "国产大飞机完成首次商业飞行", "长江流域禁渔成效显著", "城市社区养老服务持续完善",
		"高校毕业生就业形势总体稳定", "博物馆之夜活动吸引市民", "跨境电商进口额同比上升", "黄河入海口迎来候鸟迁徙",
	} {
		arts = append(arts, news.Article{ID: fmt.Sprintf("f%02d", i), Title: title, Body: title + "。有关部门介绍了具体情况。"})
	}
	return arts
}

func relatedIDs(tb testing.TB, ix *index.Index, a news.Article, n int) []string {
	tb.Helper()
	hits, err := ix.Related(context.Background(), a, n)
	if err != nil {
		tb.Fatalf("Related(%s): %v", a.ID, err)
	}
	out := []string{}
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func TestRelated(t *testing.T) {
	arts := relatedArticles()
	ix := MustOpen(t, arts)
	byID := map[string]news.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	for _, tc := range []struct {
		id    string
		first []string // the first hits, in order
		never []string // the article, its copies and original, one of each copied pair
	}{
		{"r1", []string{"r2", "r3"}, []string{"r1", "r5", "r6", "r4"}},
		{"r5", []string{"r2", "r3"}, []string{"r1", "r5", "r6", "r4"}},
		{"r2", []string{"r1"}, []string{"r2", "r6", "r5"}},
		{"r4", []string{}, []string{"r4"}},
	} {
		got := relatedIDs(t, ix, byID[tc.id], 0)
		if len(got) < len(tc.first) || !slices.Equal(got[:len(tc.first)], tc.first) {
			t.Errorf("Related(%s) = %v, want %v first", tc.id, got, tc.first)
		}
		for _, id := range tc.never {
			if slices.Contains(got, id) {
				t.Errorf("Related(%s) = %v, must not contain %s", tc.id, got, id)
			}
		}
	}

	hits, err := ix.Related(context.Background(), byID["r1"], 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || !strings.Contains(hits[0].Title, "<mark>") || !strings.Contains(hits[0].Snippet, "<mark>") {
		t.Errorf("Related(r1, 1) = %+v, want one hit with marked title and snippet", hits)
	}
	if got := relatedIDs(t, ix, news.Article{ID: "x"}, 0); len(got) != 0 {
		t.Errorf("Related of an empty article = %v, want none", got)
	}
	for _, n := range []int{-1, index.MaxRelated + 1} {
		if _, err := ix.Related(context.Background(), byID["r1"], n); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("Related(r1, %d): %v, want an %s error", n, err, news.EINVALID)
		}
	}
}
