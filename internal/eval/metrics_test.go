package eval_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/xinwen/xinwen/internal/eval"
)

// docs returns n IDs n0, n1, ... that no judgement names.
func docs(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ranked []string
		rels   map[string]int
		want   eval.Metrics
	}{{
		// First relevant at rank 2; two of three relevant found at ranks 2
		// and 4. DCG = 1/log2(3) + 1/log2(5) = 0.630930 + 0.430677;
		// IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.130930.
		name:   "binary",
		ranked: []string{"d3", "d1", "d7", "d2"},
		rels:   map[string]int{"d1": 1, "d2": 1, "d9": 1, "d7": 0},
		want:   eval.Metrics{Queries: 1, MRR10: 0.5, Recall10: 2.0 / 3, Recall100: 2.0 / 3, NDCG10: 1.061607 / 2.130930},
	}, {
		// Graded: b (2) at rank 2, c (1) at rank 3, d (3) missing.
		// DCG = 2/log2(3) + 1/log2(4) = 1.261860 + 0.5;
		// IDCG = 3 + 2/log2(3) + 1/log2(4) = 4.761860.
		name:   "graded",
		ranked: []string{"a", "b", "c"},
		rels:   map[string]int{"a": 0, "b": 2, "c": 1, "d": 3},
		want:   eval.Metrics{Queries: 1, MRR10: 0.5, Recall10: 2.0 / 3, Recall100: 2.0 / 3, NDCG10: 1.761860 / 4.761860},
	}, {
		name:   "first at rank 1",
		ranked: []string{"k", "x"},
		rels:   map[string]int{"k": 1},
		want:   eval.Metrics{Queries: 1, MRR10: 1, Recall10: 1, Recall100: 1, NDCG10: 1},
	}, {
		name:   "rank 11 counts for recall@100 only",
		ranked: append(docs("n", 10), "k"),
		rels:   map[string]int{"k": 1},
		want:   eval.Metrics{Queries: 1, Recall100: 1},
	}, {
		name:   "rank 10 is in the top 10",
		ranked: append(docs("n", 9), "k"),
		rels:   map[string]int{"k": 1},
		want:   eval.Metrics{Queries: 1, MRR10: 0.1, Recall10: 1, Recall100: 1, NDCG10: 1 / math.Log2(11)},
	}, {
		name:   "rank 101 is beyond the depth",
		ranked: append(docs("n", 100), "k"),
		rels:   map[string]int{"k": 1},
		want:   eval.Metrics{Queries: 1},
	}, {
		name:   "repeated IDs count once",
		ranked: []string{"x", "x", "k"},
		rels:   map[string]int{"k": 1},
		want:   eval.Metrics{Queries: 1, MRR10: 0.5, Recall10: 1, Recall100: 1, NDCG10: 1 / math.Log2(3)},
	}, {
		name: "no hits",
		rels: map[string]int{"k": 1},
		want: eval.Metrics{Queries: 1, NoHits: 1},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := eval.Score(tc.ranked, tc.rels)
			if !close(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestMean(t *testing.T) {
	got := eval.Mean([]eval.Metrics{
		{Queries: 1, MRR10: 1, Recall10: 1, Recall100: 1, NDCG10: 1},
		{Queries: 1, MRR10: 0.5, Recall10: 0, Recall100: 1, NDCG10: 0.25, NoHits: 0},
		{Queries: 2, MRR10: 0.25, Recall10: 0.5, Recall100: 0.5, NDCG10: 0.5, NoHits: 1}, // already a mean of two
	})
	want := eval.Metrics{Queries: 4, MRR10: 0.5, Recall10: 0.5, Recall100: 0.75, NDCG10: 0.5625, NoHits: 1}
	if !close(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := eval.Mean(nil); got != (eval.Metrics{}) {
		t.Errorf("mean of nothing: %+v", got)
	}
}

func close(a, b eval.Metrics) bool {
	eq := func(x, y float64) bool { return math.Abs(x-y) < 1e-5 }
	return a.Queries == b.Queries && a.NoHits == b.NoHits && eq(a.MRR10, b.MRR10) &&
		eq(a.Recall10, b.Recall10) && eq(a.Recall100, b.Recall100) && eq(a.NDCG10, b.NDCG10)
}
