package searcher

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// GramPhrase matches a run of grams at fixed unit offsets in one bigram
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
//     (Proximity does).
//
// At 1M articles, 国务院 常务会议 (a common literal and a rare one) spent most
// of its time in the common literal's phrase searcher.
type GramPhrase struct {
	field string
	terms []string
	rel   []uint64 // each term's offset in units from the first
	only  *DocSet
}

// NewGramPhrase returns the phrase of terms in field, term i at rel[i]
// units from the first (rel[0] is 0); gaps between offsets are units
// without a gram (separators). terms and rel must have the same length, at
// least one.
func NewGramPhrase(field string, terms []string, rel []uint64) *GramPhrase {
	return &GramPhrase{field: field, terms: terms, rel: rel}
}

// Only returns the phrase restricted to the articles of set: its searcher
// skips every other article, for an Only query above it.
func (q *GramPhrase) Only(set *DocSet) *GramPhrase {
	c := *q
	c.only = set
	return &c
}

// Field returns the field q reads.
func (q *GramPhrase) Field() string { return q.field }

// Searcher implements query.Query.
func (q *GramPhrase) Searcher(ctx context.Context, r bindex.IndexReader, _ mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	s := &gramPhraseSearcher{field: q.field, vectors: opts.IncludeTermVectors, explain: opts.Explain}
	if q.only != nil {
		nums, err := q.only.in(r)
		if err != nil {
			return nil, err
		}
		s.only = nums
	}
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

// gramPhraseSearcher is the searcher of GramPhrase.
type gramPhraseSearcher struct {
	field   string
	vectors bool
	explain bool
	readers []gramReader
	started bool
	done    bool
	id      bindex.IndexInternalID // the candidate being checked
	starts  []uint64               // matched start positions of the first term (scratch)
	only    docNums                // if set, the only articles to consider
	next    bindex.IndexInternalID // scratch
	pos     [][]uint64             // scratch for starts
	rel     []uint64               // scratch for starts
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
// position of the first, keeping those starts.
func (s *gramPhraseSearcher) matchPositions() bool {
	for i := range s.readers {
		s.readers[i].loadPositions()
	}
	s.starts = readerStarts(s.starts[:0], s.readers, &s.pos, &s.rel)
	return len(s.starts) > 0
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
	slices.SortFunc(rs, func(a, b gramReader) int { return cmp.Compare(a.rel, b.rel) })
	out := make([]string, len(rs))
	for i, g := range rs {
		out[i] = g.term
	}
	return out
}

// Close implements search.Searcher.
func (s *gramPhraseSearcher) Close() error {
	var err error
	for _, g := range s.readers {
		err = closeAll(err, g.tfr)
	}
	return err
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
