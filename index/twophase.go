package index

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/index/searcher"
	"github.com/xinwen/xinwen/internal/news"
	xq "github.com/xinwen/xinwen/internal/query"
)

// The proximity factor needs the positions of the query's literals in every
// article it scores, and reading positions is most of the cost of a search
// over a large index (see searcher.Exact, which matches without them). So a
// search with the factor runs in two phases, and gives exactly the result
// of one search with it:
//
//  1. Match, count and facet without the factor: every score is the words'
//     BM25 alone. The best firstPhaseKept hits are kept (more for deep
//     pages).
//  2. Compute the factor alone for the best firstPhaseScored of them, from
//     their literals' positions only (see factors), and multiply: the
//     score one search would give, to the last bit.
//
// The factor multiplies a score by at most 1 + proximityBoost, so no article
// left out of phase 2 can score more than 1 + proximityBoost times the best
// phase-1 score among them. When the last hit of the page scores more than
// that, the page is exact. Otherwise phase 2 scores four times as many hits
// again, and then phase 1 keeps eight times as many; past maxTwoPhaseHits
// the search runs in one phase.
//
// On the CCTV known-item set (24,102 stories), a page of 10 needed at most
// 121 hits scored again; the questions, relaxed searches with close scores
// (see relaxedQuery), 154 at the median and 758 at most.
//
// Sorted by date, the order does not depend on the score: phase 1 gives the
// page, and phase 2 only computes its hits' scores.
//
// A search runs in one phase where that costs little: when the query's
// rarest required literal has few candidates (twoPhaseMin), and when
// filters narrow it. The filter then bounds what one phase scores, and a
// second search costs more than it saves: 乡村振兴 in a section and a year
// at 1M articles took 6.0 ms in two phases, 4.2 in one.
const (
	twoPhaseMin      = 1000
	firstPhaseScored = 200
	firstPhaseKept   = 800
	maxTwoPhaseHits  = 6400
)

// execute runs sr, the request of q compiled by c for req with the
// proximity factor where it applies, and returns what sr returns, in two
// phases where it can (see firstPhaseScored).
func (ix *Index) execute(ctx context.Context, c *compiler, q *xq.Query, req news.SearchRequest, page xq.Page, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	if len(filterQueries(req)) > 0 || len(ix.proximityLits(q)) < 2 || ix.analysis == AnalysisCJK {
		return ix.bleveSearch(ctx, sr)
	}
	if n, err := ix.fewestCandidates(ctx, q); err != nil {
		return nil, err
	} else if n < ix.twoPhaseMin {
		return ix.bleveSearch(ctx, sr)
	}
	flat := *c
	flat.noProximity = true
	sr1, err := ix.request(&flat, q, req, page)
	if err != nil {
		return nil, err
	}
	if sr.Size == 0 {
		return ix.bleveSearch(ctx, sr1) // a count: no scores to give
	}
	if byScore(sr) && len(sr.SearchAfter) > 0 {
		return ix.bleveSearch(ctx, sr) // the cursor holds a score with the factor
	}
	if !byScore(sr) {
		return ix.scoreOnly(ctx, c, q, sr1)
	}
	k := sr.From + sr.Size
	sr1.From, sr1.Fields = 0, nil
	var facets search.FacetResults
	scoring, desc := sr.Sort.CacheIsScore(), sr.Sort.CacheDescending()
	m := max(firstPhaseScored, k) // hits of phase 1 scored again
	for n := max(firstPhaseKept, 4*k); n <= maxTwoPhaseHits; n *= 8 {
		sr1.Size = n + 1 // one more: the bound
		res1, err := ix.bleveSearch(ctx, sr1)
		if err != nil {
			return nil, err
		}
		if sr1.Facets != nil {
			facets, sr1.Facets = res1.Facets, nil // counted once
		}
		if len(res1.Hits) == 0 {
			return res1, nil
		}
		var best search.DocumentMatchCollection // scored again, best first
		for scored := 0; ; {
			m = min(m, n, len(res1.Hits))
			f, err := ix.factors(ctx, c, q, res1.Hits[scored:m])
			if err != nil {
				return nil, err
			}
			for _, h := range res1.Hits[scored:m] {
				if fh, ok := f[h.ID]; ok {
					h.Score *= fh
					best = append(best, h)
				} // else gone since phase 1
			}
			scored = m
			slices.SortStableFunc(best, func(a, b *search.DocumentMatch) int { return sr.Sort.Compare(scoring, desc, a, b) })
			exact := len(res1.Hits) <= m // every match was scored again
			if !exact && len(best) >= k {
				bound := (1 + proximityBoost) * res1.Hits[m].Score
				exact = best[k-1].Score > bound
			}
			if exact {
				page := best[min(sr.From, len(best)):min(k, len(best))]
				if err := ix.loadFields(ctx, page, sr.Fields); err != nil {
					return nil, err
				}
				out := *res1
				out.Hits, out.Facets = page, facets
				if len(best) > 0 {
					out.MaxScore = best[0].Score
				}
				return &out, nil
			}
			if m >= n || m >= len(res1.Hits) {
				break
			}
			m *= 4
		}
	}
	return ix.bleveSearch(ctx, sr)
}

// factors returns 1 + proximityBoost × closeness (see searcher.Proximity)
// for each of hits that still matches q as c compiles it, by ID: the factor
// alone, from the positions of q's literals in those articles only.
func (ix *Index) factors(ctx context.Context, c *compiler, q *xq.Query, hits []*search.DocumentMatch) (map[string]float64, error) {
	out := make(map[string]float64, len(hits))
	if len(hits) == 0 {
		return out, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	only := *c
	only.only = searcher.NewDocSet(ids)
	var inner query.Query
	if c.relax {
		lits, err := only.relaxedLiterals(q)
		if err != nil {
			return nil, err
		}
		inner = query.NewDisjunctionQuery(lits)
	} else {
		must, err := only.requiredQueries(q)
		if err != nil {
			return nil, err
		}
		inner = query.NewConjunctionQuery(must)
	}
	pq := searcher.NewProximity(inner, ix.proximityLits(q), gramFields, proximityBoost, proximityWindow).FactorOnly()
	sr := bleve.NewSearchRequestOptions(searcher.NewOnly(only.only, pq), len(ids), 0, false)
	res, err := ix.bleveSearch(ctx, sr)
	if err != nil {
		return nil, err
	}
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out, nil
}

// loadFields reads the stored fields of hits.
func (ix *Index) loadFields(ctx context.Context, hits []*search.DocumentMatch, fields []string) error {
	if len(hits) == 0 || len(fields) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	sr := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	sr.Fields = fields
	res, err := ix.bleveSearch(ctx, sr)
	if err != nil {
		return err
	}
	byID := make(map[string]map[string]any, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h.Fields
	}
	for _, h := range hits {
		h.Fields = byID[h.ID]
	}
	return nil
}

// fewestCandidates returns, of the literals every match has, the fewest
// articles that have a literal's rarest gram (in title or body), an upper
// bound on the articles the proximity factor scores in one phase; the
// number of articles if no literal is required. It stops at the first
// below twoPhaseMin.
func (ix *Index) fewestCandidates(ctx context.Context, q *xq.Query) (int, error) {
	fewest := -1
	for _, g := range q.Groups {
		if len(g) != 1 {
			continue // alternatives: none is required
		}
		for _, lit := range g[0].Lits {
			l, ok := searcher.NewLiteral(lit)
			if !ok {
				continue
			}
			n := 0
			for _, f := range gramFields {
				counts, err := ix.termCounts(ctx, f, l.Terms())
				if err != nil {
					return 0, err
				}
				n += slices.Min(counts)
			}
			if fewest < 0 || n < fewest {
				fewest = n
			}
			if fewest < ix.twoPhaseMin {
				return fewest, nil // few enough: no need to count the rest
			}
		}
	}
	if fewest < 0 {
		n, err := ix.docCount()
		return int(n), err
	}
	return fewest, nil
}

// scoreOnly runs sr1, the request without the proximity factor sorted by
// date, and multiplies its hits' scores by their factors.
func (ix *Index) scoreOnly(ctx context.Context, c *compiler, q *xq.Query, sr1 *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res1, err := ix.bleveSearch(ctx, sr1)
	if err != nil {
		return nil, err
	}
	f, err := ix.factors(ctx, c, q, res1.Hits)
	if err != nil {
		return nil, err
	}
	for _, h := range res1.Hits {
		if fh, ok := f[h.ID]; ok {
			h.Score *= fh
		}
	}
	return res1, nil
}

// byScore reports whether sr sorts by score first.
func byScore(sr *bleve.SearchRequest) bool {
	return len(sr.Sort) > 0 && sr.Sort[0].RequiresScoring()
}
