package searcher

import (
	"cmp"
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// ExactField is a text field indexed twice: Words, the field of its jieba
// words, and Grams, the phrase of a literal's grams in its bigram field.
type ExactField struct {
	Words string
	Grams *GramPhrase
}

// Exact matches a Chinese literal of three characters or more (one run of
// Han characters, 国务院) in any of its fields: what the disjunction of its
// gram phrases matches, found at less cost when no term vectors are asked
// for.
//
// A jieba word is a substring of the text it was cut from, so an article
// whose words field holds the literal as a word contains it: no positions to
// check. Only the articles that have every gram of the literal but not the
// word (jieba cut the text another way) need the gram positions, and so the
// readers of common grams (会议, 国务) are no longer walked to every candidate
// and their positions decoded. Where term vectors are asked for (Proximity
// reads the literals' positions), and for a literal no article holds as a
// word, it is the disjunction of the gram phrases.
type Exact struct {
	word   string
	fields []ExactField
}

// NewExact returns the query of the literal word (normalized: the term a
// words field holds) in any of fields.
func NewExact(word string, fields ...ExactField) *Exact {
	return &Exact{word: word, fields: fields}
}

// phrases is the disjunction of the fields' gram phrases.
func (q *Exact) phrases() query.Query {
	qs := make([]query.Query, len(q.fields))
	for i, f := range q.fields {
		qs[i] = f.Grams
	}
	return query.NewDisjunctionQuery(qs)
}

// Searcher implements query.Query.
func (q *Exact) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	if opts.IncludeTermVectors {
		return q.phrases().Searcher(ctx, r, m, opts)
	}
	s := &exactSearcher{explain: opts.Explain, word: q.word}
	var held uint64
	for _, f := range q.fields {
		tfr, err := r.TermFieldReader(ctx, []byte(q.word), f.Words, false, false, false)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.words = append(s.words, docStream{tfr: tfr, doc: &bindex.TermFieldDoc{}})
		held += tfr.Count()
	}
	if held == 0 {
		// Not a word of any article (新质生产力 is not in jieba's
		// dictionary): the positions decide every candidate.
		s.Close()
		return q.phrases().Searcher(ctx, r, m, opts)
	}
	open := func(term, field string) (bindex.TermFieldReader, error) {
		return r.TermFieldReader(ctx, []byte(term), field, false, false, true)
	}
	for _, f := range q.fields {
		gp := f.Grams
		g := &gramMatch{field: gp.field, open: open}
		s.grams = append(s.grams, g)
		docs := make([]docStream, len(gp.terms))
		for k, t := range gp.terms {
			ids, err := r.TermFieldReader(ctx, []byte(t), gp.field, false, false, false)
			if err != nil {
				for _, d := range docs[:k] {
					d.tfr.Close()
				}
				s.Close()
				return nil, err
			}
			docs[k] = docStream{tfr: ids, doc: &bindex.TermFieldDoc{}}
		}
		// Rarest first: it proposes the candidates.
		order := make([]int, len(docs))
		for k := range order {
			order[k] = k
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(docs[a].tfr.Count(), docs[b].tfr.Count()) })
		for _, k := range order {
			g.docs = append(g.docs, docs[k])
			g.pos = append(g.pos, gramReader{docStream: docStream{doc: &bindex.TermFieldDoc{}}, term: gp.terms[k], rel: gp.rel[k]})
		}
	}
	return s, nil
}

// gramMatch finds a literal's grams in one bigram field: the articles that
// have them all (docs, rarest first), then whether they stand at their
// offsets (pos, in the same order; their readers are opened when first
// needed: most articles hold the literal as a word).
type gramMatch struct {
	field    string
	open     func(term, field string) (bindex.TermFieldReader, error) // a reader with positions
	docs     []docStream
	pos      []gramReader
	at       bool // docs[0] stands on an article that has every gram
	done     bool
	starts   []uint64   // scratch
	scratchP [][]uint64 // scratch for starts
	scratchR []uint64   // scratch for starts
}

// seek moves to the first article at or after id that has every gram.
func (g *gramMatch) seek(id bindex.IndexInternalID) error {
	if g.done || g.at && id != nil && g.docs[0].doc.ID.Compare(id) >= 0 {
		return nil
	}
	g.at = false
	if err := g.docs[0].seek(id); err != nil {
		return err
	}
	for !g.docs[0].done {
		cand := g.docs[0].doc.ID
		agreed := true
		for k := 1; k < len(g.docs); k++ {
			d := &g.docs[k]
			if err := d.seek(cand); err != nil {
				return err
			}
			if d.done {
				g.done = true
				return nil
			}
			if d.doc.ID.Compare(cand) > 0 {
				if err := g.docs[0].seek(d.doc.ID); err != nil {
					return err
				}
				agreed = false
				break
			}
		}
		if agreed {
			g.at = true
			return nil
		}
	}
	g.done = true
	return nil
}

// head is the article seek found, or nil.
func (g *gramMatch) head() bindex.IndexInternalID {
	if !g.at {
		return nil
	}
	return g.docs[0].doc.ID
}

// literalAt reports whether the grams stand at their offsets in article id,
// which has them all. Calls come in increasing order of id.
func (g *gramMatch) literalAt(id bindex.IndexInternalID) (bool, error) {
	for k := range g.pos {
		p := &g.pos[k]
		if p.tfr == nil {
			tfr, err := g.open(p.term, g.field)
			if err != nil {
				return false, err
			}
			p.tfr = tfr
		}
		if err := p.seek(id); err != nil {
			return false, err
		}
		if !p.on(id) {
			return false, nil
		}
		p.loadPositions()
	}
	g.starts = readerStarts(g.starts[:0], g.pos, &g.scratchP, &g.scratchR)
	return len(g.starts) > 0, nil
}

// exactSearcher is the searcher of Exact without term vectors. Every
// stream moves forward only; a candidate is the smallest article any of them
// stands on.
type exactSearcher struct {
	word    string
	explain bool
	words   []docStream // the literal as a word, in each field
	grams   []*gramMatch
	started bool
	matched bool                   // cur is the last match returned
	cur     bindex.IndexInternalID // the candidate
	next    bindex.IndexInternalID // scratch: the article after cur
}

// Next implements search.Searcher.
func (s *exactSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		return s.find(ctx, nil)
	}
	if s.cur == nil {
		return nil, nil
	}
	s.next = bindex.NewIndexInternalID(s.next, s.cur.Value()+1)
	return s.find(ctx, s.next)
}

// Advance implements search.Searcher.
func (s *exactSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if s.matched && s.cur.Compare(id) >= 0 {
		// The last match returned is the first at or after id that a
		// searcher moving forward can give.
		return s.match(ctx), nil
	}
	return s.find(ctx, id)
}

// find returns the first match at or after id (from the start if id is nil).
func (s *exactSearcher) find(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	s.started, s.matched = true, false
	for {
		var c bindex.IndexInternalID
		for i := range s.words {
			w := &s.words[i]
			if err := w.seek(id); err != nil {
				return nil, err
			}
			if w.at && (c == nil || w.doc.ID.Compare(c) < 0) {
				c = w.doc.ID
			}
		}
		for _, g := range s.grams {
			if err := g.seek(id); err != nil {
				return nil, err
			}
			if h := g.head(); h != nil && (c == nil || h.Compare(c) < 0) {
				c = h
			}
		}
		if c == nil {
			s.cur = nil
			return nil, nil
		}
		s.cur = append(s.cur[:0], c...)
		for i := range s.words {
			if s.words[i].on(s.cur) {
				return s.found(ctx), nil
			}
		}
		for _, g := range s.grams {
			if h := g.head(); h != nil && h.Equals(s.cur) {
				ok, err := g.literalAt(s.cur)
				if err != nil {
					return nil, err
				}
				if ok {
					return s.found(ctx), nil
				}
			}
		}
		s.next = bindex.NewIndexInternalID(s.next, s.cur.Value()+1)
		id = s.next
	}
}

func (s *exactSearcher) found(ctx *search.SearchContext) *search.DocumentMatch {
	s.matched = true
	return s.match(ctx)
}

// match returns the DocumentMatch of cur: the literal does not score.
func (s *exactSearcher) match(ctx *search.SearchContext) *search.DocumentMatch {
	d := ctx.DocumentMatchPool.Get()
	d.IndexInternalID = append(d.IndexInternalID[:0], s.cur...)
	d.Score = 0
	if s.explain {
		d.Expl = &search.Explanation{Value: 0, Message: "literal " + s.word + " matched; it does not score"}
	}
	return d
}

// Close implements search.Searcher.
func (s *exactSearcher) Close() error {
	var err error
	for _, w := range s.words {
		err = closeAll(err, w.tfr)
	}
	for _, g := range s.grams {
		for _, d := range g.docs {
			err = closeAll(err, d.tfr)
		}
		for _, p := range g.pos {
			err = closeAll(err, p.tfr)
		}
	}
	return err
}

// Weight implements search.Searcher: the literal does not score.
func (s *exactSearcher) Weight() float64 { return 0 }

// SetQueryNorm implements search.Searcher.
func (s *exactSearcher) SetQueryNorm(float64) {}

// Count implements search.Searcher: at most the articles of the rarest gram
// in each field (a word implies its grams).
func (s *exactSearcher) Count() uint64 {
	var n uint64
	for _, g := range s.grams {
		if len(g.docs) > 0 {
			n += g.docs[0].tfr.Count()
		}
	}
	return n
}

// Min implements search.Searcher.
func (s *exactSearcher) Min() int { return 0 }

// Size implements search.Searcher (an estimate of its memory).
func (s *exactSearcher) Size() int {
	n := 128 + len(s.word) + len(s.cur) + len(s.next)
	for _, w := range s.words {
		n += w.tfr.Size()
	}
	for _, g := range s.grams {
		n += 8 * cap(g.starts)
		for _, d := range g.docs {
			n += d.tfr.Size()
		}
		for _, p := range g.pos {
			n += len(p.term) + 8*cap(p.pos)
			if p.tfr != nil {
				n += p.tfr.Size()
			}
		}
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher: it holds none between calls.
func (s *exactSearcher) DocumentMatchPoolSize() int { return 1 }
