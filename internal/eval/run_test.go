package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/eval"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
)

func day(d int) time.Time { return time.Date(2024, 3, d, 19, 0, 0, 0, news.CST) }

var tiny = []news.Article{
	{ID: "a1", Title: "国务院常务会议部署稳就业工作", Body: "国务院总理主持召开国务院常务会议，部署进一步稳就业的措施。", Section: []string{"国内"}, PublishedAt: day(1)},
	{ID: "a2", Title: "天水市清水县宣布脱贫摘帽", Body: "甘肃省天水市清水县经省政府批准退出贫困县序列。", Section: []string{"国内"}, PublishedAt: day(2)},
	{ID: "a3", Title: "新质生产力引领高质量发展", Body: "各地加快培育新质生产力，推动高质量发展。", Section: []string{"国内"}, PublishedAt: day(3)},
	{ID: "a4", Title: "王毅会见法国外长", Body: "外交部长王毅在北京会见法国外长，双方就双边关系交换意见。", Section: []string{"国际"}, PublishedAt: day(4)},
	{ID: "a5", Title: "春耕生产有序推进", Body: "各地抢抓农时，春耕生产有序推进，粮食生产开局良好。", Section: []string{"国内"}, PublishedAt: day(5)},
}

// writeCollection writes a corpus, queries and judgements into dir.
func writeCollection(t *testing.T, dir string, arts []news.Article, qs []eval.Query, qrels eval.Qrels) (string, string, string) {
	t.Helper()
	paths := []string{filepath.Join(dir, "corpus.jsonl"), filepath.Join(dir, "tiny.queries.tsv"), filepath.Join(dir, "tiny.qrels.tsv")}
	var c, q, r bytes.Buffer
	if err := eval.WriteCorpus(&c, arts); err != nil {
		t.Fatal(err)
	}
	if err := eval.WriteQueries(&q, qs); err != nil {
		t.Fatal(err)
	}
	if err := eval.WriteQrels(&r, qs, qrels); err != nil {
		t.Fatal(err)
	}
	for i, b := range []*bytes.Buffer{&c, &q, &r} {
		if err := os.WriteFile(paths[i], b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths[0], paths[1], paths[2]
}

var tinyQueries = []eval.Query{
	{ID: "simp-1", Text: "清水县 脱贫"},
	{ID: "simp-2", Text: "新质生产力"},
	{ID: "trad-1", Text: "清水縣 脫貧"},
	{ID: "trad-2", Text: "新質生產力"},
	{ID: "none-1", Text: "火星探测"},
	{ID: "unjudged-1", Text: "王毅"},
}

var tinyQrels = eval.Qrels{
	"simp-1": {"a2": 1}, "simp-2": {"a3": 1},
	"trad-1": {"a2": 1}, "trad-2": {"a3": 1},
	"none-1":     {"a5": 1},
	"unjudged-1": {"a4": 0},
}

func TestRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	corpus, queries, qrels := writeCollection(t, dir, tiny, tinyQueries, tinyQrels)
	c, err := eval.Load(ctx, corpus, queries, qrels)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(c.Docs), len(tiny); got != want {
		t.Fatalf("loaded %d documents, want %d", got, want)
	}
	if c.Docs[1].Section[0] != "国内" || !c.Docs[1].PublishedAt.Equal(day(2)) {
		t.Errorf("section and date not read back: %+v", c.Docs[1])
	}
	// A third system filters every query to 国际: the relevant stories,
	// all 国内, drop out. Its Request hook must be used.
	systems := append(eval.Baselines(), eval.System{
		Name:    "xinwen-intl",
		Options: index.Options{Analysis: index.AnalysisXinwen},
		Request: func(q eval.Query) news.SearchRequest {
			return news.SearchRequest{Query: q.Text, Section: "国际", Size: 10}
		},
	})
	rep, err := eval.Run(ctx, c, systems, eval.Config{Segmenter: testseg.Current(t), Dir: filepath.Join(dir, "idx"), PerQuery: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rep.Collection, "tiny"; got != want {
		t.Errorf("collection %q, want %q", got, want)
	}
	if rep.Queries != 5 || rep.Unjudged != 1 {
		t.Errorf("%d judged and %d unjudged queries, want 5 and 1", rep.Queries, rep.Unjudged)
	}
	if got, want := strings.Join(rep.Groups, ","), "simp,trad,none"; got != want {
		t.Errorf("groups %s, want %s", got, want)
	}
	sys := map[string]eval.SystemReport{}
	for _, s := range rep.Systems {
		sys[s.Name] = s
	}
	// Both engines find the simplified queries' stories first; only
	// Xinwen folds traditional characters; nobody finds 火星探测.
	for _, tc := range []struct {
		system, group string
		mrr           float64
		noHits        int
	}{
		{"xinwen", "simp", 1, 0}, {"cjk", "simp", 1, 0},
		{"xinwen", "trad", 1, 0}, {"cjk", "trad", 0, 2},
		{"xinwen", "none", 0, 1}, {"cjk", "none", 0, 1},
		{"xinwen-intl", "simp", 0, 2},
	} {
		m := sys[tc.system].ByGroup[tc.group]
		if m.MRR10 != tc.mrr || m.NoHits != tc.noHits || m.Queries != 2 && tc.group != "none" {
			t.Errorf("%s on %s: %+v, want MRR@10 %v and %d without hits", tc.system, tc.group, m, tc.mrr, tc.noHits)
		}
	}
	if got, want := sys["xinwen"].All.MRR10, 0.8; got != want {
		t.Errorf("xinwen MRR@10 over all %v, want %v", got, want)
	}
	if got := sys["xinwen"].PerQuery[0]; got.ID != "simp-1" || got.Rank != 1 || got.Top != "a2" {
		t.Errorf("first per-query outcome %+v", got)
	}
	if sys["xinwen"].IndexSec <= 0 || sys["bm25-bigrams"].IndexSec <= 0 || sys["cjk"].IndexSec != 0 || sys["xinwen-intl"].IndexSec != 0 {
		t.Errorf("index seconds: the first system of each analysis builds, the others reuse: %v %v %v %v",
			sys["xinwen"].IndexSec, sys["bm25-bigrams"].IndexSec, sys["cjk"].IndexSec, sys["xinwen-intl"].IndexSec)
	}

	var table bytes.Buffer
	if err := rep.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"collection tiny: 5 documents, 5 judged queries (1 without judgements left out)", "MRR@10", "trad (2)", "xinwen-intl"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Fatal(err)
	}

	// A second run on the same documents reuses both indexes.
	rep2, err := eval.Run(ctx, c, eval.Baselines(), eval.Config{Segmenter: testseg.Current(t), Dir: filepath.Join(dir, "idx")})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range rep2.Systems {
		if s.IndexSec != 0 || s.All != rep.Systems[i].All {
			t.Errorf("rerun of %s: built in %vs, %+v; want reuse and %+v", s.Name, s.IndexSec, s.All, rep.Systems[i].All)
		}
	}
	// Other documents: the index is rebuilt, and the new story is found.
	c.Docs = append(c.Docs, news.Article{ID: "a6", Title: "火星探测器着陆", Body: "火星探测任务取得成功。"})
	rep3, err := eval.Run(ctx, c, eval.Baselines()[:1], eval.Config{Segmenter: testseg.Current(t), Dir: filepath.Join(dir, "idx")})
	if err != nil {
		t.Fatal(err)
	}
	if rep3.Systems[0].IndexSec == 0 || rep3.Systems[0].ByGroup["none"].NoHits != 0 {
		t.Errorf("after a corpus change: %+v", rep3.Systems[0])
	}
	// In two shards: another layout, so the index is rebuilt, as shards;
	// the same stories are found.
	rep4, err := eval.Run(ctx, c, eval.Baselines()[:1], eval.Config{Segmenter: testseg.Current(t), Dir: filepath.Join(dir, "idx"), Shards: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep4.Systems[0].IndexSec == 0 || rep4.Systems[0].All.Recall100 != rep3.Systems[0].All.Recall100 {
		t.Errorf("in two shards: %+v, before %+v", rep4.Systems[0], rep3.Systems[0])
	}
	if _, err := os.Stat(filepath.Join(dir, "idx", "xinwen", "xinwen-shards")); err != nil {
		t.Errorf("not built in shards: %v", err)
	}
}

func TestRunRefusesForeignIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, err := index.Open(filepath.Join(dir, "xinwen"), index.Options{Segmenter: testseg.Current(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(ctx, tiny[:1]); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	c := &eval.Collection{Name: "t", Docs: tiny, Queries: tinyQueries, Qrels: tinyQrels}
	_, err = eval.Run(ctx, c, eval.Baselines()[:1], eval.Config{Segmenter: testseg.Current(t), Dir: dir})
	if news.ErrorCode(err) != news.ECONFLICT {
		t.Fatalf("got %v, want a conflict: an index eval did not build is never removed", err)
	}
	if n, _ := os.ReadDir(filepath.Join(dir, "xinwen")); len(n) == 0 {
		t.Error("the foreign index was removed")
	}
}

func TestRunErrors(t *testing.T) {
	ctx := context.Background()
	c := &eval.Collection{Name: "t", Docs: tiny, Queries: tinyQueries, Qrels: eval.Qrels{"other": {"a1": 1}}}
	if _, err := eval.Run(ctx, c, eval.Baselines(), eval.Config{Segmenter: testseg.Current(t)}); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("no judged query: %v, want EINVALID", err)
	}
	c.Qrels = tinyQrels
	twice := []eval.System{eval.Baselines()[0], eval.Baselines()[0]}
	if _, err := eval.Run(ctx, c, twice, eval.Config{Segmenter: testseg.Current(t)}); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("a repeated system name: %v, want EINVALID", err)
	}
	if _, err := eval.ParseSystems("xinwen,bm25", eval.Baselines()); err == nil || !strings.Contains(err.Error(), "choose from xinwen, bm25-bigrams, cjk") {
		t.Errorf("unknown system: %v", err)
	}
	got, err := eval.ParseSystems(" cjk, xinwen", eval.Baselines())
	if err != nil || len(got) != 2 || got[0].Name != "cjk" {
		t.Errorf("ParseSystems: %v %v", got, err)
	}
}
