package searcher

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/xinwen/xinwen/internal/tokens"
)

// Literal is a query literal as the bigram fields hold it: its grams, their
// unit offsets from its first, and the units it spans.
type Literal struct {
	terms []string
	rel   []uint64
	span  uint64
}

// NewLiteral returns the grams that find lit as a phrase (see
// tokens.LiteralGrams); false if lit is found by prefix (a character alone
// or between separators), which gives it no position of its own.
func NewLiteral(lit string) (Literal, bool) {
	t, gs := tokens.LiteralGrams(lit)
	var l Literal
	for _, g := range gs {
		if g.Single {
			return Literal{}, false
		}
		l.terms = append(l.terms, g.Term)
		l.rel = append(l.rel, uint64(g.Unit-gs[0].Unit))
	}
	if len(l.terms) == 0 {
		return Literal{}, false
	}
	units := t.Units()
	l.span = uint64(units[len(units)-1]-units[gs[0].From]) + 1
	return l, true
}

// Terms returns the grams of l, in order.
func (l Literal) Terms() []string { return l.terms }

// Proximity is inner with the score of each match multiplied by
// 1 + boost × closeness, closeness being how near consecutive literals of
// the query stand, in any one of its bigram fields: for each pair, in query
// order, the gap is the number of units between the end of one and the
// start of the other (one more when they stand in reverse order), the
// smallest over the fields; a pair scores 1/(1+gap), 0 beyond window, and
// closeness is the mean over the pairs (0 to 1: 1 when the literals stand
// one after the other, as typed).
//
// It reads the positions inner's exact clauses found in the bigram fields,
// so no postings are read twice; it asks inner's searchers for term vectors,
// which single-bigram literals (term queries) otherwise skip. Bleve does not
// walk into it (query.ExtractFields): fine for one index, but an IndexAlias
// over several would not see inner's fields for its BM25 statistics.
type Proximity struct {
	inner      query.Query
	lits       []Literal
	fields     []string
	boost      float64
	window     int
	factorOnly bool
}

// NewProximity returns inner with its scores multiplied by the closeness
// of lits (at least two) in fields, the bigram fields inner's literals are
// found in.
func NewProximity(inner query.Query, lits []Literal, fields []string, boost float64, window int) *Proximity {
	return &Proximity{inner: inner, lits: lits, fields: fields, boost: boost, window: window}
}

// FactorOnly returns q making a match's score the factor itself,
// 1 + boost × closeness, whatever inner scores: the second phase of a
// search that ranked its candidates without it.
func (q *Proximity) FactorOnly() *Proximity {
	c := *q
	c.factorOnly = true
	return &c
}

// Searcher implements query.Query.
func (q *Proximity) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	opts.IncludeTermVectors = true
	inner, err := q.inner.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	idx := map[string]int{} // a number for each gram of the literals
	for _, l := range q.lits {
		for _, t := range l.terms {
			if _, ok := idx[t]; !ok {
				idx[t] = len(idx)
			}
		}
	}
	// Buffers reused from match to match: a searcher runs on one goroutine.
	pos := make([][][]uint64, len(q.fields)) // positions of each gram in each field
	for f := range pos {
		pos[f] = make([][]uint64, len(idx))
	}
	at := make([][][]uint64, len(q.lits)) // where each literal starts, in each field
	for i := range at {
		at[i] = make([][]uint64, len(q.fields))
	}
	var litPos [][]uint64 // scratch: one literal's grams' positions
	return searcher.NewFilteringSearcher(ctx, inner, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		for f := range pos {
			for i := range pos[f] {
				pos[f][i] = pos[f][i][:0]
			}
		}
		for _, l := range d.FieldTermLocations {
			f := slices.Index(q.fields, l.Field)
			if f < 0 {
				continue
			}
			if i, ok := idx[l.Term]; ok {
				pos[f][i] = append(pos[f][i], l.Location.Pos)
			}
		}
		for f := range pos {
			for i := range pos[f] {
				slices.Sort(pos[f][i])
			}
		}
		for li, l := range q.lits {
			for f := range pos {
				litPos = litPos[:0]
				for _, t := range l.terms {
					litPos = append(litPos, pos[f][idx[t]])
				}
				at[li][f] = starts(at[li][f][:0], litPos, l.rel)
			}
		}
		c := q.closeness(at)
		switch {
		case q.factorOnly:
			d.Score = 1 + q.boost*c
		case c > 0:
			d.Score *= 1 + q.boost*c
		}
		return true
	}), nil
}

// closeness is the mean over consecutive literals of 1/(1+gap) (see
// Proximity), given where each literal starts in each field.
func (q *Proximity) closeness(at [][][]uint64) float64 {
	sum := 0.0
	for i := 0; i+1 < len(q.lits); i++ {
		g := -1
		for f := range q.fields {
			if fg := gap(q.lits[i], q.lits[i+1], at[i][f], at[i+1][f]); fg >= 0 && (g < 0 || fg < g) {
				g = fg
			}
		}
		if g >= 0 && g <= q.window {
			sum += 1 / float64(1+g)
		}
	}
	return sum / float64(len(q.lits)-1)
}

// gap returns the fewest units between an occurrence of a (starting at one
// of as) and one of b after it, or one more than that with b before a; -1
// if they never stand apart (one missing, or only overlapping).
func gap(a, b Literal, as, bs []uint64) int {
	best := -1
	for _, pa := range as {
		for _, pb := range bs {
			var g int
			switch {
			case pb >= pa+a.span:
				g = int(pb - pa - a.span)
			case pa >= pb+b.span:
				g = int(pa-pb-b.span) + 1
			default:
				continue
			}
			if best < 0 || g < best {
				best = g
			}
		}
	}
	return best
}

// Literals returns the literals whose closeness q reads, in query order.
func (q *Proximity) Literals() []Literal { return q.lits }
