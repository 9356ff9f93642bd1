package index_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/related"
)

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
	arts := backendtest.RelatedArticles()
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
	for _, n := range []int{-1, related.Max + 1} {
		if _, err := ix.Related(context.Background(), byID["r1"], n); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("Related(r1, %d): %v, want an %s error", n, err, news.EINVALID)
		}
	}
}
