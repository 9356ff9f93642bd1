package manticore_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/manticore/searchdtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/related"
	"github.com/xinwen/xinwen/internal/testseg"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// relatedArticles are backendtest.RelatedArticles and r7, on wind power in
// Gansu too, taken for a copy of r5 (the store links a copy to the earliest
// article it is near, which may be a copy itself).
func relatedArticles() []news.Article {
	return append(backendtest.RelatedArticles(), news.Article{ID: "r7", Title: "甘肃风电项目开工", Body: "甘肃一批风电项目集中开工。", DuplicateOf: "r5"})
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
// fewer matches than the candidates asked for (related.Candidates of
// related.Max) and groups of near-duplicates than MaxRelated, so that
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
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Segmenter: testseg.Current(t), Texts: texts})
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
			cl := openWith(t, c, manticore.Options{Segmenter: testseg.Current(t), Texts: texts, Table: mode.table}, arts)
			for _, a := range arts {
				want, err := ix.Related(ctx, a, related.Max)
				if err != nil {
					t.Fatal(err)
				}
				got, err := cl.Related(ctx, a, related.Max)
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
				if len(got) == 0 || got[0] != tc.first || len(got) > related.Default {
					t.Errorf("Related(%s) = %v, want %s first and at most %d", tc.id, got, tc.first, related.Default)
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
			for _, n := range []int{-1, related.Max + 1} {
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
	cl := openWith(t, c, manticore.Options{Segmenter: testseg.Current(t), Texts: texts}, arts)
	ctx := context.Background()
	r1 := texts["r1"]
	all := hitIDs(mustRelated(t, cl, r1, related.Max))
	c.Kill(1)
	for range 2 { // whichever node the round robin starts from
		got := hitIDs(mustRelated(t, cl, r1, related.Max))
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
	cl := openWith(t, c, manticore.Options{Segmenter: testseg.Current(t)}, arts)
	ctx := context.Background()
	inTitle, inBody := map[string]int{}, map[string]int{}
	for _, a := range arts {
		ws := map[string]bool{}
		for _, tok := range tokens.Words(testseg.Segmenter(t), textnorm.New(a.Body)) {
			if w := string(tok.Term); !ws[w] {
				ws[w] = true
				inBody[w]++
			}
		}
		for _, tok := range tokens.Words(testseg.Segmenter(t), textnorm.New(a.Title)) {
			if w := string(tok.Term); !ws[w] {
				ws[w] = true
				inTitle[w]++ // in the title, not the body
			}
		}
	}
	stats := manticore.WordStats(cl)
	checked := 0
	for _, a := range arts[:20] {
		// The words Related would check: related.Words calls stats with them.
		_, err := related.Words(ctx, testseg.Segmenter(t), a, func(ctx context.Context, ws []string) (int, []int, error) {
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

// openWith opens a backend on cluster c with opts, closed when the test
// ends, and puts arts into it.
func openWith(t *testing.T, c *searchdtest.Cluster, opts manticore.Options, arts []news.Article) *manticore.Backend {
	t.Helper()
	cl, err := manticore.Open(c.Addrs(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	if err := cl.Put(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return cl
}
