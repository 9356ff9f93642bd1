package index

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/index/analysis/grams"
	"github.com/xinwen/xinwen/index/analysis/words"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// The proximity factor, as tuned on the odd-numbered halves of the CCTV
// known-item and question sets (see BENCHMARKS.md): boosts from 2 to 8
// scored within 0.001 of each other in MRR@10, windows of 3 and 30 units as
// 10, and a linear decay within 0.002 of 1/(1+gap).
const (
	proximityBoost  = 4.0 // a match's score is multiplied by up to 1 + proximityBoost
	proximityWindow = 10  // units between two literals beyond which they are not near
)

// rankQueries returns the clauses that rank articles by the jieba words of a
// clause's text (BM25 on the word fields), on title (titleBoost) and body.
// The words are those jieba's keyword extraction weighs: stop words and
// single characters (了, 什么, 年, 月 of a question) are left out unless
// nothing else is left, or with Options.RankAllWords; so are words inside a
// longer word of the query (国务 of 国务院) unless Options.RankSubwords.
// They only rank: the exact clauses on the bigram fields decide what
// matches. Weighting the words by jieba's IDF as well was measured and left
// out: it scored no better, as BM25 already weighs by rarity (Bleve counts
// the IDF twice, in the query weight and in the term's score).
func (ix *Index) rankQueries(text string) []query.Query {
	if ix.opts.RankAllWords {
		return []query.Query{rankQuery(text, fTitle, titleBoost), rankQuery(text, fBody, bodyBoost)}
	}
	terms := rankTerms(text)
	if !ix.opts.RankSubwords {
		terms = outerTerms(terms)
	}
	if len(terms) == 0 {
		return []query.Query{rankQuery(text, fTitle, titleBoost), rankQuery(text, fBody, bodyBoost)}
	}
	out := make([]query.Query, 0, 2)
	for _, f := range []struct {
		name  string
		boost float64
	}{{fTitle, titleBoost}, {fBody, bodyBoost}} {
		tqs := make([]query.Query, len(terms))
		for i, term := range terms {
			tq := query.NewTermQuery(term)
			tq.SetField(f.name)
			tq.SetBoost(f.boost)
			tqs[i] = tq
		}
		d := query.NewDisjunctionQuery(tqs)
		d.SetMin(1)
		out = append(out, d)
	}
	return out
}

// rankTerms returns the terms of text as the words analyzer cuts it (search
// mode: 长江大桥 gives 长江, 长江大桥, 大桥), in order and repeats kept, as a
// match query would look them up, without stop words and terms of one
// character; nil if that leaves none.
func rankTerms(text string) []string {
	seg := analysis.Segmenter()
	var out []string
	for _, t := range words.Tokens(textnorm.New(text)) {
		w := string(t.Term)
		if utf8.RuneCountInString(w) < 2 || seg != nil && seg.IsStop(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// outerTerms drops the terms that stand inside a longer term of terms: of
// jieba's search-mode cut 国务, 务院, 国务院 it keeps 国务院.
func outerTerms(terms []string) []string {
	out := terms[:0:0]
	for _, w := range terms {
		inside := false
		for _, v := range terms {
			if len(v) > len(w) && strings.Contains(v, w) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, w)
		}
	}
	return out
}

// withProximity wraps qq, the query of q, in a proximityQuery when q has two
// literals or more that stand somewhere (a literal of one character, found
// by prefix, has no position of its own), unless Options.RankNoProximity;
// otherwise it returns qq.
func (ix *Index) withProximity(q *Query, qq query.Query) query.Query {
	if q.noProximity {
		return qq
	}
	lits := ix.proximityLits(q)
	if len(lits) < 2 {
		return qq
	}
	return &proximityQuery{inner: qq, lits: lits, boost: proximityBoost, window: proximityWindow}
}

// proximityLits returns the literals of q the proximity factor reads,
// none with Options.RankNoProximity.
func (ix *Index) proximityLits(q *Query) []proxLit {
	if ix.opts.RankNoProximity {
		return nil
	}
	var lits []proxLit
	for _, lit := range q.Literals() {
		if pl, ok := newProxLit(lit); ok {
			lits = append(lits, pl)
		}
	}
	return lits
}

// proxLit is a literal as the bigram fields hold it: its grams, their unit
// offsets from its first, and the units it spans.
type proxLit struct {
	terms []string
	rel   []uint64
	span  uint64
}

// newProxLit returns the grams literalQuery looks for to find lit; false if
// it finds lit by prefix (a character alone or between separators).
func newProxLit(lit string) (proxLit, bool) {
	t := textnorm.New(lit)
	gs := grams.Grams(t)
	var pl proxLit
	for _, g := range gs {
		if g.Single {
			if g.From > 0 && textnorm.Class(t.Runes[g.From-1]) == textnorm.Han {
				continue // the bigram before it covers it
			}
			return proxLit{}, false
		}
		pl.terms = append(pl.terms, g.Term)
		pl.rel = append(pl.rel, uint64(g.Unit-gs[0].Unit))
	}
	if len(pl.terms) == 0 {
		return proxLit{}, false
	}
	units := t.Units()
	pl.span = uint64(units[len(units)-1]-units[gs[0].From]) + 1
	return pl, true
}

// proximityQuery is inner with the score of each match multiplied by
// 1 + boost × closeness, closeness being how near consecutive literals of
// the query stand, in the title or in the body: for each pair, in query
// order, the gap is the number of units between the end of one and the
// start of the other (one more when they stand in reverse order), the
// smaller of title and body; a pair scores 1/(1+gap), 0 beyond window, and
// closeness is the mean over the pairs (0 to 1: 1 when the literals stand
// one after the other, as typed).
//
// It reads the positions inner's exact clauses found on the bigram fields,
// so no postings are read twice; it asks inner's searchers for term vectors,
// which single-bigram literals (term queries) otherwise skip. Bleve does not
// walk into it (query.ExtractFields): fine for one index, but an IndexAlias
// over several would not see inner's fields for its BM25 statistics.
type proximityQuery struct {
	inner  query.Query
	lits   []proxLit
	boost  float64
	window int
	// factorOnly makes a match's score the factor itself, 1 + boost ×
	// closeness, whatever inner scores (phase 2 of runRanked).
	factorOnly bool
}

// Searcher implements query.Query.
func (q *proximityQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
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
	var pos [2][][]uint64 // positions of each gram in title and body
	for f := range pos {
		pos[f] = make([][]uint64, len(idx))
	}
	starts := make([][2][]uint64, len(q.lits)) // where each literal starts, in title and body
	return searcher.NewFilteringSearcher(ctx, inner, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		for f := range pos {
			for i := range pos[f] {
				pos[f][i] = pos[f][i][:0]
			}
		}
		for _, l := range d.FieldTermLocations {
			f := 0
			switch l.Field {
			case fTitleGrams:
			case fBodyGrams:
				f = 1
			default:
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
				starts[li][f] = literalStarts(starts[li][f][:0], l, pos[f], idx)
			}
		}
		c := q.closeness(starts)
		switch {
		case q.factorOnly:
			d.Score = 1 + q.boost*c
		case c > 0:
			d.Score *= 1 + q.boost*c
		}
		return true
	}), nil
}

// literalStarts appends to dst the positions where all of l's grams stand
// at their offsets, given the sorted positions of every gram.
func literalStarts(dst []uint64, l proxLit, pos [][]uint64, idx map[string]int) []uint64 {
next:
	for _, p := range pos[idx[l.terms[0]]] {
		for k := 1; k < len(l.terms); k++ {
			if _, ok := slices.BinarySearch(pos[idx[l.terms[k]]], p+l.rel[k]); !ok {
				continue next
			}
		}
		dst = append(dst, p)
	}
	return dst
}

// closeness is the mean over consecutive literals of 1/(1+gap) (see
// proximityQuery), given where each literal starts in title and body.
func (q *proximityQuery) closeness(starts [][2][]uint64) float64 {
	sum := 0.0
	for i := 0; i+1 < len(q.lits); i++ {
		g := -1
		for f := range 2 {
			if fg := gap(q.lits[i], q.lits[i+1], starts[i][f], starts[i+1][f]); fg >= 0 && (g < 0 || fg < g) {
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
func gap(a, b proxLit, as, bs []uint64) int {
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
