package related_test

import (
	"context"
	"slices"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/related"
	"github.com/xinwen/xinwen/internal/testseg"
)

func TestOnePerGroup(t *testing.T) {
	for _, tc := range []struct {
		name       string
		ids, dupOf []string
		own        string
		n          int
		want       []int
	}{
		{"one per group, at its best rank, by its original", []string{"a2", "b", "a", "c"}, []string{"a", "", "", ""}, "x", 5, []int{2, 1, 3}},
		{"a copy stands for its group when the original is not there", []string{"a2", "b"}, []string{"a", ""}, "x", 5, []int{0, 1}},
		{"never the own group", []string{"x2", "b", "x"}, []string{"x", "", ""}, "x", 5, []int{1}},
		{"at most n", []string{"a", "b", "c"}, []string{"", "", ""}, "x", 2, []int{0, 1}},
		{"none", nil, nil, "x", 5, []int{}},
	} {
		if got := related.OnePerGroup(tc.ids, tc.dupOf, tc.own, tc.n); !slices.Equal(got, tc.want) {
			t.Errorf("%s: OnePerGroup = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]int{0: related.Default, 1: 1, related.Max: related.Max} {
		if got, err := related.Count(n); err != nil || got != want {
			t.Errorf("Count(%d) = %d, %v; want %d", n, got, err, want)
		}
	}
	for _, n := range []int{-1, related.Max + 1} {
		if _, err := related.Count(n); news.ErrorCode(err) != news.EINVALID {
			t.Errorf("Count(%d): %v, want EINVALID", n, err)
		}
	}
}

// TestWords: the distinctive words, heaviest first, weights divided by the
// first's, numbers left out, and words too common in the backend dropped
// once it holds CommonMinDocs articles.
func TestWords(t *testing.T) {
	seg := testseg.Segmenter(t)
	a := news.Article{Title: "清水县脱贫攻坚取得成效", Body: "2020年，清水县脱贫攻坚取得决定性胜利。清水县的产业发展带动群众增收，脱贫群众生活改善。"}
	few := func(_ context.Context, ws []string) (int, []int, error) { return 10, nil, nil }
	kws, err := related.Words(context.Background(), seg, a, few)
	if err != nil || len(kws) == 0 {
		t.Fatalf("Words: %v, %v", kws, err)
	}
	if kws[0].Weight != 1 {
		t.Errorf("the first word weighs %g, want 1", kws[0].Weight)
	}
	var words []string
	for i, kw := range kws {
		words = append(words, kw.Word)
		if i > 0 && kw.Weight > kws[i-1].Weight {
			t.Errorf("%v: not heaviest first", kws)
		}
		if kw.Word == "2020" {
			t.Errorf("a number among the words: %v", kws)
		}
	}
	if !slices.Contains(words, "清水县") {
		t.Errorf("words %q, want 清水县 among them", words)
	}
	common := func(_ context.Context, ws []string) (int, []int, error) {
		counts := make([]int, len(ws))
		for i, w := range ws {
			if w == "清水县" {
				counts[i] = 60 // in more than one in five of 100
			}
		}
		return 100, counts, nil
	}
	kws, err = related.Words(context.Background(), seg, a, common)
	if err != nil {
		t.Fatal(err)
	}
	for _, kw := range kws {
		if kw.Word == "清水县" {
			t.Errorf("a word in 60 of 100 articles was kept: %v", kws)
		}
	}
	if _, err := related.Words(context.Background(), nil, a, few); err == nil {
		t.Error("Words without a segmenter: no error")
	}
}
