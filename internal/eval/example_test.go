package eval_test

import (
	"fmt"
	"strings"

	"github.com/xinwen/xinwen/internal/eval"
)

// A query's ranked hits scored against its judgements: the first relevant
// story is second, one of the two relevant stories is in the top 10.
func ExampleScore() {
	m := eval.Score([]string{"d7", "d3", "d9"}, map[string]int{"d3": 1, "d4": 1})
	fmt.Printf("MRR@10 %.2f, Recall@10 %.2f, nDCG@10 %.3f\n", m.MRR10, m.Recall10, m.NDCG10)
	// Output: MRR@10 0.50, Recall@10 0.50, nDCG@10 0.387
}

// Judgements in either layout, TREC's (with an iteration) or three columns.
func ExampleReadQrels() {
	q, err := eval.ReadQrels(strings.NewReader("title-1 0 VIDE123 1\ntitle-2\tVIDE456\t1\n"))
	fmt.Println(q, err)
	// Output: map[title-1:map[VIDE123:1] title-2:map[VIDE456:1]] <nil>
}
