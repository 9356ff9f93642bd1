package eval

import (
	"math"
	"slices"
)

// Cutoffs of the metrics.
const (
	// Depth is how many hits of each query are read: Recall@100 needs 100,
	// which is also the largest page the index returns (index.MaxSize).
	Depth = 100
	top   = 10
)

// Qrels are relevance judgements: query ID → document ID → relevance. A
// relevance above 0 marks a relevant document; 0 or less, a judged
// non-relevant one.
type Qrels map[string]map[string]int

// Metrics are the scores of one query, or their mean over queries.
type Metrics struct {
	// Queries is how many queries the scores are the mean of (1 for one).
	Queries int `json:"queries"`
	// MRR10 is the reciprocal rank of the first relevant hit in the top 10
	// (0 if none), averaged over queries.
	MRR10 float64 `json:"mrr@10"`
	// Recall10 and Recall100 are the share of a query's relevant documents
	// found in the top 10 and the top 100.
	Recall10  float64 `json:"recall@10"`
	Recall100 float64 `json:"recall@100"`
	// NDCG10 is the normalized discounted cumulative gain of the top 10 with
	// linear gains (a hit of relevance r at rank i adds r/log2(i+1)), as
	// trec_eval computes it: the ideal ranking is all judged relevant
	// documents in decreasing relevance.
	NDCG10 float64 `json:"ndcg@10"`
	// NoHits is how many queries returned nothing at all.
	NoHits int `json:"no_hits"`
}

// Score scores one ranked list of document IDs (best first) against the
// judgements of its query. A query with no relevant document scores 0
// everywhere (Run leaves such queries out). IDs repeated in ranked count once,
// at their first rank.
func Score(ranked []string, rels map[string]int) Metrics {
	m := Metrics{Queries: 1}
	if len(ranked) == 0 {
		m.NoHits = 1
	}
	var relevant []int
	for _, r := range rels {
		if r > 0 {
			relevant = append(relevant, r)
		}
	}
	if len(relevant) == 0 {
		return m
	}
	seen := make(map[string]bool, len(ranked))
	found10, found100 := 0, 0
	dcg := 0.0
	rank := 0
	for _, id := range ranked {
		if seen[id] {
			continue
		}
		seen[id] = true
		rank++
		if rank > Depth {
			break
		}
		r := rels[id]
		if r <= 0 {
			continue
		}
		found100++
		if rank <= top {
			found10++
			dcg += float64(r) / math.Log2(float64(rank)+1)
			if m.MRR10 == 0 {
				m.MRR10 = 1 / float64(rank)
			}
		}
	}
	// The ideal ranking: relevances in decreasing order.
	slices.SortFunc(relevant, func(a, b int) int { return b - a })
	idcg := 0.0
	for i, r := range relevant[:min(len(relevant), top)] {
		idcg += float64(r) / math.Log2(float64(i+1)+1)
	}
	m.Recall10 = float64(found10) / float64(len(relevant))
	m.Recall100 = float64(found100) / float64(len(relevant))
	m.NDCG10 = dcg / idcg
	return m
}

// Mean averages per-query metrics (weighted by their Queries) and sums NoHits.
func Mean(ms []Metrics) Metrics {
	var out Metrics
	for _, m := range ms {
		w := float64(m.Queries)
		out.MRR10 += m.MRR10 * w
		out.Recall10 += m.Recall10 * w
		out.Recall100 += m.Recall100 * w
		out.NDCG10 += m.NDCG10 * w
		out.Queries += m.Queries
		out.NoHits += m.NoHits
	}
	if out.Queries > 0 {
		n := float64(out.Queries)
		out.MRR10 /= n
		out.Recall10 /= n
		out.Recall100 /= n
		out.NDCG10 /= n
	}
	return out
}
