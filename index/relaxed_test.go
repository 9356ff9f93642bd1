package index_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
)

var relaxedArts = []news.Article{
	{ID: "both", Title: "清水县脱贫摘帽", Body: "天水市清水县宣布脱贫摘帽，全县贫困人口清零。"},
	{ID: "one", Title: "清水县修路", Body: "清水县宣布新修公路十条。"},
	{ID: "none", Title: "兰州新区招商", Body: "兰州新区签约项目。"},
}

// TestRelaxedFallback: a question no article answers word for word gets the
// articles with the most of its words, marked relaxed; a query that matches
// is not relaxed; Strict turns the fallback off.
func TestRelaxedFallback(t *testing.T) {
	ix := MustOpen(t, relaxedArts)
	ctx := context.Background()
	for _, q := range []string{"天水市清水县在2019年底宣布脱贫摘帽了吗？", "天水市清水縣在2019年底宣佈脫貧摘帽了嗎？"} {
		res, err := ix.Search(ctx, news.SearchRequest{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Relaxed || len(res.Hits) < 2 || res.Hits[0].ID != "both" || res.Hits[1].ID != "one" {
			t.Errorf("%s: relaxed %v, hits %+v; want both, then one", q, res.Relaxed, res.Hits)
		}
		for _, h := range res.Hits {
			if h.ID == "none" {
				t.Errorf("%s: an article with none of the words matched", q)
			}
		}
	}
	res, err := ix.Search(ctx, news.SearchRequest{Query: "清水县 脱贫"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Relaxed || res.Total != 1 {
		t.Errorf("a query that matches: relaxed %v, total %d; want false, 1", res.Relaxed, res.Total)
	}

	strict, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Segmenter: testseg.Current(t), Ranking: index.Ranking{Strict: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer strict.Close()
	if err := strict.Put(ctx, relaxedArts); err != nil {
		t.Fatal(err)
	}
	res, err = strict.Search(ctx, news.SearchRequest{Query: "天水市清水县在2019年底宣布脱贫摘帽了吗？"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Relaxed || res.Total != 0 {
		t.Errorf("strict: relaxed %v, total %d; want false, 0", res.Relaxed, res.Total)
	}
}
