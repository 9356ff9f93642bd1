package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalCorpus writes a small corpus in the common format (id, title, text,
// date) with one distinctive story per topic.
func evalCorpus(t *testing.T, dir string) string {
	t.Helper()
	topics := []string{"清水县脱贫摘帽", "国务院常务会议部署稳就业", "新质生产力引领发展", "春耕生产有序推进", "冰雪运动蓬勃开展", "长江经济带绿色发展"}
	var b strings.Builder
	for i := range 24 {
		tp := topics[i%len(topics)]
		fmt.Fprintf(&b, `{"id":"d%02d","title":"%s第%d期","text":"%s。央视网消息，这是第%d条新闻，内容丰富。","date":"2024-%02d-%02d"}`+"\n",
			i, tp, i, tp, i, 1+i%12, 1+i%28)
	}
	return writeFile(t, filepath.Join(dir, "corpus.jsonl"), b.String())
}

func TestEvalCommand(t *testing.T) {
	dir := t.TempDir()
	corpus := evalCorpus(t, dir)
	// q-4 is searched as of 2024-01-05: of the four stories about 清水县
	// (d00 of 2024-01-01, d06 of 07-07, d12 of 01-13, d18 of 07-19) only
	// d00 exists then.
	queries := writeFile(t, filepath.Join(dir, "tiny.queries.tsv"), "qid\tquery\nq-1\t清水县 脱贫\nq-2\t清水縣 脫貧\nq-3\t火星探测\nq-4\t清水县 脱贫\t2024-01-05\n")
	// The four stories about 清水县 are relevant to both spellings.
	qrels := writeFile(t, filepath.Join(dir, "tiny.qrels.tsv"), "q-1 0 d06 1\nq-1 0 d12 1\nq-1 0 d00 1\nq-1 0 d18 1\n"+
		"q-2\td06\t1\nq-2\td12\t1\nq-2\td00\t1\nq-2\td18\t1\nq-3\td01\t1\nq-4 d00 1\n")

	r := xinwen(t, "eval", "--json", "--per-query", "--quiet", "--systems", "xinwen,cjk", corpus, queries, qrels)
	if r.code != 0 {
		t.Fatalf("eval: exit %d: %s", r.code, r.stderr)
	}
	var rep struct {
		Collection string
		Queries    int
		Systems    []struct {
			Name string
			All  struct {
				MRR float64 `json:"mrr@10"`
			}
			PerQuery []struct {
				ID    string
				Rank  int
				Total int
			} `json:"per_query"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if rep.Collection != "tiny" || rep.Queries != 4 || len(rep.Systems) != 3 {
		t.Fatalf("report: %+v", rep)
	}
	// Xinwen ranks a relevant story first for the simplified and the
	// traditional query; cjk only for the simplified one. Nobody finds
	// 火星探测. The plain bigram baseline, added to the systems named,
	// finds the simplified one; as of 2024-01-05 one story matches.
	for i, want := range []struct {
		name  string
		ranks []int
	}{{"xinwen", []int{1, 1, 0, 1}}, {"cjk", []int{1, 0, 0, 1}}, {"bm25-bigrams", []int{1, -1, -1, 1}}} {
		s := rep.Systems[i]
		if s.Name != want.name || len(s.PerQuery) != 4 {
			t.Fatalf("system %d: %+v", i, s)
		}
		for j, q := range s.PerQuery {
			if want.ranks[j] >= 0 && q.Rank != want.ranks[j] {
				t.Errorf("%s: %s ranks its story %d, want %d", s.Name, q.ID, q.Rank, want.ranks[j])
			}
		}
		if q := s.PerQuery[3]; s.Name != "bm25-bigrams" && q.Total != 1 {
			t.Errorf("%s: %s as of 2024-01-05 matched %d stories, want 1", s.Name, q.ID, q.Total)
		}
	}

	// A directory of collections, as ../shared/eval: each is scored.
	both := filepath.Join(dir, "both")
	for _, name := range []string{"a", "b"} {
		writeFile(t, filepath.Join(both, name+".queries.tsv"), "q-1\t清水县\n")
		writeFile(t, filepath.Join(both, name+".qrels.tsv"), "q-1 d00 1\n")
	}
	r = xinwen(t, "eval", "--quiet", corpus, both)
	if r.code != 0 || !strings.Contains(r.stdout, "collection a:") || !strings.Contains(r.stdout, "collection b:") || !strings.Contains(r.stdout, "bm25-bigrams") {
		t.Errorf("eval of a directory: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	r = xinwen(t, "eval", "--systems", "cjk", "--quiet", corpus, queries, qrels)
	if r.code != 0 || !strings.Contains(r.stdout, "MRR@10") || strings.Contains(r.stdout, "xinwen") {
		t.Errorf("eval --systems cjk: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	made := filepath.Join(dir, "made")
	r = xinwen(t, "eval", "--make", made, "--sample", "5", corpus)
	if r.code != 0 {
		t.Fatalf("eval --make: exit %d: %s", r.code, r.stderr)
	}
	for _, f := range []string{"corpus.jsonl", "known-item.queries.tsv", "known-item.qrels.tsv", "questions.queries.tsv", "questions.qrels.tsv"} {
		if fi, err := os.Stat(filepath.Join(made, f)); err != nil || fi.Size() == 0 {
			t.Errorf("--make wrote no %s: %v", f, err)
		}
	}
	r = xinwen(t, "eval", "--quiet", filepath.Join(made, "corpus.jsonl"), filepath.Join(made, "known-item.queries.tsv"), filepath.Join(made, "known-item.qrels.tsv"))
	if r.code != 0 || !strings.Contains(r.stdout, "collection known-item: 24 documents, 10 judged queries") {
		t.Errorf("eval of the made collection: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	for _, args := range [][]string{
		{"eval"},
		{"eval", corpus, queries},
		{"eval", corpus, t.TempDir()}, // a directory without collections
		{"eval", "--systems", "bm25", corpus, queries, qrels},
		{"eval", "--make", made},
		{"bench"},
		{"bench", "--open"},
		{"bench", "--analyses", "ngram", corpus},
		{"bench", "--checkpoints", "10,ten", corpus},
		{"bench", "--checkpoints", "10", "--cpuprofile", filepath.Join(dir, "p"), corpus},
	} {
		if r := xinwen(t, args...); r.code != 2 || r.stderr == "" {
			t.Errorf("xinwen %v: exit %d (%s), want 2 and a message", args, r.code, r.stderr)
		}
	}
}

func TestBenchCommand(t *testing.T) {
	dir := t.TempDir()
	corpus := evalCorpus(t, dir)
	idx := filepath.Join(dir, "idx")
	r := xinwen(t, "bench", "--json", "--quiet", "--runs", "2", "--scale", "50", "--dir", idx, corpus)
	if r.code != 0 {
		t.Fatalf("bench: exit %d: %s", r.code, r.stderr)
	}
	type report struct {
		Docs    int
		Engines []struct {
			Analysis string
			Docs     int
			Queries  []struct {
				Name  string
				Total uint64
			}
		}
	}
	var rep report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if rep.Docs != 50 || len(rep.Engines) != 2 || rep.Engines[0].Analysis != "xinwen" || rep.Engines[1].Docs != 50 {
		t.Fatalf("report: %+v", rep)
	}
	for _, e := range rep.Engines {
		if q := e.Queries[len(e.Queries)-1]; q.Name != "all-facets" || q.Total != 50 {
			t.Errorf("%s: match-all %+v, want 50 hits", e.Analysis, q)
		}
	}
	// A fresh process measures the indexes left in --dir.
	r = xinwen(t, "bench", "--open", "--dir", idx, "--analyses", "cjk", "--runs", "2", "--quiet")
	if r.code != 0 || !strings.Contains(r.stdout, "peak RSS, searching") || strings.Contains(r.stdout, "xinwen") {
		t.Errorf("bench --open: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The directory holds indexes now: a second run into it is refused.
	if r := xinwen(t, "bench", "--dir", idx, corpus); r.code != 2 || !strings.Contains(r.stderr, "exists") {
		t.Errorf("bench into a used directory: exit %d: %s", r.code, r.stderr)
	}
}

// TestEvalRankingSystems: the ranking switches are systems of their own,
// compared on one index.
func TestEvalRankingSystems(t *testing.T) {
	dir := t.TempDir()
	corpus := evalCorpus(t, dir)
	queries := writeFile(t, filepath.Join(dir, "tiny.queries.tsv"), "q-1\t清水县 脱贫\n")
	qrels := writeFile(t, filepath.Join(dir, "tiny.qrels.tsv"), "q-1 d00 1\nq-1 d06 1\nq-1 d12 1\nq-1 d18 1\n")
	names := []string{"xinwen", "xinwen-allwords", "xinwen-noprox", "xinwen-plain"}
	r := xinwen(t, "eval", "--json", "--quiet", "--systems", strings.Join(names, ","), corpus, queries, qrels)
	if r.code != 0 {
		t.Fatalf("eval: exit %d: %s", r.code, r.stderr)
	}
	var rep struct {
		Systems []struct {
			Name string
			All  struct {
				MRR float64 `json:"mrr@10"`
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if len(rep.Systems) != len(names)+1 || rep.Systems[len(names)].Name != "bm25-bigrams" {
		t.Fatalf("%d systems, want %d and the bigram baseline: %s", len(rep.Systems), len(names), r.stdout)
	}
	rep.Systems = rep.Systems[:len(names)]
	for i, s := range rep.Systems {
		if s.Name != names[i] || s.All.MRR != 1 {
			t.Errorf("system %d: %s MRR@10 %g, want %s 1", i, s.Name, s.All.MRR, names[i])
		}
	}
}
