package index

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// gramPhraseQuery matches a run of grams at fixed unit offsets in one bigram
// field: the exact string of a literal of two bigrams or more (常务会议 is
// 常务, 务会 and 会议 at 0, 1 and 2). It finds what Bleve's phrase query
// finds, at less cost, because the bigram fields only match (they score 0:
// no frequencies or norms):
//
//   - the term readers leapfrog from the rarest, and each is moved only as far
//     as a candidate needs; Bleve's phrase searcher also computes the next
//     candidate ahead of every match (the conjunction under it);
//   - a candidate's positions are compared where the readers decoded them,
//     with no DocumentMatch per term and no location lists built for it;
//     a match carries its locations only when a parent asks for term vectors
//     (the proximity factor does).
//
// At 1M articles, 国务院 常务会议 (a common literal and a rare one) spent most
// of its time in the common literal's phrase searcher.
type gramPhraseQuery struct {
	field string
	terms []string
	rel   []uint64 // each term's offset in units from the first
}

// Searcher implements query.Query.
func (q *gramPhraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s := &gramPhraseSearcher{field: q.field, vectors: opts.IncludeTermVectors, explain: opts.Explain, only: onlyFrom(ctx)}
	for i, t := range q.terms {
		tfr, err := r.TermFieldReader(ctx, []byte(t), q.field, false, false, true)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.readers = append(s.readers, gramReader{docStream: docStream{tfr: tfr, doc: &bindex.TermFieldDoc{}}, term: t, rel: q.rel[i]})
	}
	// Rarest first: the first reader proposes candidates, the others confirm.
	slices.SortStableFunc(s.readers, func(a, b gramReader) int { return cmp.Compare(a.tfr.Count(), b.tfr.Count()) })
	return s, nil
}

type gramReader struct {
	docStream // a reader with positions
	term      string
	rel       uint64
	pos       []uint64 // positions in doc, sorted (scratch)
}

// gramPhraseSearcher is the searcher of gramPhraseQuery.
type gramPhraseSearcher struct {
	field   string
	vectors bool
	explain bool
	readers []gramReader
	started bool
	done    bool
	id      bindex.IndexInternalID // the candidate being checked
	starts  []uint64               // matched start positions of the first term (scratch)
	only    *docSet                // if set, the only articles to consider (see onlyQuery)
	next    bindex.IndexInternalID // scratch
}

// move puts reader i on the first document at or after id (the next one if id
// is nil). A reader never moves backwards: Bleve's readers restart from the
// beginning when asked to.
func (s *gramPhraseSearcher) move(i int, id bindex.IndexInternalID) error {
	g := &s.readers[i]
	var err error
	if id == nil {
		err = g.step()
	} else {
		err = g.seek(id)
	}
	if g.done {
		s.done = true
	}
	return err
}

// Next implements search.Searcher.
func (s *gramPhraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	if s.only != nil {
		// The next article allowed, not the next of the rarest gram: a
		// parent's look-ahead then costs no walk through the articles
		// between.
		from := uint64(0)
		if s.started && s.readers[0].at {
			from = s.readers[0].doc.ID.Value() + 1
		}
		t, ok := s.only.from(from)
		if !ok {
			s.done = true
			return nil, nil
		}
		s.next = bindex.NewIndexInternalID(s.next, t)
		return s.Advance(ctx, s.next)
	}
	s.started = true
	if err := s.move(0, nil); err != nil {
		return nil, err
	}
	return s.find(ctx)
}

// Advance implements search.Searcher.
func (s *gramPhraseSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	if s.started && s.readers[0].at && s.readers[0].doc.ID.Compare(id) >= 0 {
		// The readers stand on the last match returned, at or after id: it
		// is the first match at or after id that a searcher moving forward
		// can give (as Bleve's term searcher, which would restart).
		return s.match(ctx), nil
	}
	s.started = true
	if err := s.move(0, id); err != nil {
		return nil, err
	}
	return s.find(ctx)
}

// find returns the first match at or after where the first reader stands.
func (s *gramPhraseSearcher) find(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for !s.done {
		s.id = append(s.id[:0], s.readers[0].doc.ID...)
		if s.only != nil {
			t, ok := s.only.from(s.id.Value())
			if !ok {
				s.done = true
				return nil, nil
			}
			if t != s.id.Value() {
				s.next = bindex.NewIndexInternalID(s.next, t)
				if err := s.move(0, s.next); err != nil {
					return nil, err
				}
				continue
			}
		}
		agreed := true
		for i := 1; i < len(s.readers); i++ {
			if err := s.move(i, s.id); err != nil {
				return nil, err
			}
			if s.done {
				return nil, nil
			}
			if s.readers[i].doc.ID.Compare(s.id) > 0 {
				if err := s.move(0, s.readers[i].doc.ID); err != nil {
					return nil, err
				}
				agreed = false
				break
			}
		}
		if !agreed {
			continue
		}
		if s.matchPositions() {
			return s.match(ctx), nil
		}
		if err := s.move(0, nil); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// matchPositions reports whether every term stands at its offset from some
// position of the first, keeping those starts (in the first term's frame).
func (s *gramPhraseSearcher) matchPositions() bool {
	for i := range s.readers {
		s.readers[i].loadPositions()
	}
	s.starts = matchStarts(s.starts[:0], s.readers)
	return len(s.starts) > 0
}

// loadPositions reads the positions of the document the reader stands on
// into pos, sorted.
func (g *gramReader) loadPositions() {
	g.pos = g.pos[:0]
	for _, v := range g.doc.Vectors {
		g.pos = append(g.pos, v.Pos)
	}
	if !slices.IsSorted(g.pos) {
		slices.Sort(g.pos)
	}
}

// matchStarts appends to dst the start positions (in units, in the frame of
// the first reader's term) where every reader's gram stands at its offset,
// given their sorted positions.
func matchStarts(dst []uint64, rs []gramReader) []uint64 {
	first := &rs[0]
next:
	for _, p := range first.pos {
		if p < first.rel {
			continue
		}
		base := p - first.rel // the phrase's first unit
		for i := 1; i < len(rs); i++ {
			if _, ok := slices.BinarySearch(rs[i].pos, base+rs[i].rel); !ok {
				continue next
			}
		}
		dst = append(dst, base)
	}
	return dst
}

// match returns the DocumentMatch of the candidate: score 0, and the
// locations of the matched grams if term vectors were asked for.
func (s *gramPhraseSearcher) match(ctx *search.SearchContext) *search.DocumentMatch {
	d := ctx.DocumentMatchPool.Get()
	d.IndexInternalID = append(d.IndexInternalID[:0], s.id...)
	d.Score = 0
	if s.explain {
		d.Expl = &search.Explanation{Value: 0, Message: "grams " + s.field + ":" + strings.Join(s.terms(), " ") + " matched; they do not score"}
	}
	if s.vectors {
		for _, base := range s.starts {
			for _, g := range s.readers {
				d.FieldTermLocations = append(d.FieldTermLocations, search.FieldTermLocation{
					Field:    s.field,
					Term:     g.term,
					Location: search.Location{Pos: base + g.rel},
				})
			}
		}
	}
	return d
}

// terms lists the grams in order of their offsets.
func (s *gramPhraseSearcher) terms() []string {
	rs := slices.Clone(s.readers)
	slices.SortFunc(rs, func(a, b gramReader) int { return int(a.rel) - int(b.rel) })
	out := make([]string, len(rs))
	for i, g := range rs {
		out[i] = g.term
	}
	return out
}

// Close implements search.Searcher.
func (s *gramPhraseSearcher) Close() error {
	var first error
	for _, g := range s.readers {
		if err := g.tfr.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Weight implements search.Searcher: the grams do not score.
func (s *gramPhraseSearcher) Weight() float64 { return 0 }

// SetQueryNorm implements search.Searcher.
func (s *gramPhraseSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher: at most as many articles as the rarest gram's.
func (s *gramPhraseSearcher) Count() uint64 {
	if len(s.readers) == 0 {
		return 0
	}
	return s.readers[0].tfr.Count()
}

// Min implements search.Searcher.
func (s *gramPhraseSearcher) Min() int { return 0 }

// Size implements search.Searcher (an estimate of its memory).
func (s *gramPhraseSearcher) Size() int {
	n := 64 + len(s.id) + 8*cap(s.starts)
	for _, g := range s.readers {
		n += g.tfr.Size() + len(g.term) + 8*cap(g.pos)
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher: it holds none between calls.
func (s *gramPhraseSearcher) DocumentMatchPoolSize() int { return 1 }
