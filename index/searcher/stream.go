package searcher

import (
	"slices"

	bindex "github.com/blevesearch/bleve_index_api"
)

// docStream walks the articles of one term. Opened without frequencies or
// positions, zap jumps through the term's bitmap instead of decoding every
// posting on the way; opened with positions, it is a gram reader's.
type docStream struct {
	tfr  bindex.TermFieldReader
	doc  *bindex.TermFieldDoc
	at   bool // doc is where the stream stands
	done bool // past the last article
}

// seek moves the stream to the first article at or after id (the first of
// all if id is nil). It never moves backwards: Bleve's readers restart from
// the beginning when asked to.
func (d *docStream) seek(id bindex.IndexInternalID) error {
	if d.done || d.at && (id == nil || d.doc.ID.Compare(id) >= 0) {
		return nil
	}
	if id == nil {
		return d.step()
	}
	return d.land(d.tfr.Advance(id, d.doc))
}

// step moves the stream to the next article.
func (d *docStream) step() error {
	if d.done {
		return nil
	}
	return d.land(d.tfr.Next(d.doc))
}

// land records where a move of the reader ended.
func (d *docStream) land(n *bindex.TermFieldDoc, err error) error {
	if err != nil {
		return err
	}
	if n == nil {
		d.at, d.done = false, true
		return nil
	}
	d.doc, d.at = n, true
	return nil
}

// on reports whether the stream stands on id.
func (d *docStream) on(id bindex.IndexInternalID) bool {
	return d.at && d.doc.ID.Equals(id)
}

// gramReader is a gram's reader with positions, and the gram's offset in
// units from the first gram of its literal.
type gramReader struct {
	docStream
	term string
	rel  uint64
	pos  []uint64 // positions in doc, sorted (scratch)
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

// starts appends to dst the positions where a literal starts: each base
// such that gram i stands at base+rel[i] for every i, given each gram's
// sorted positions pos[i]. It is the one position matcher of the package.
func starts(dst []uint64, pos [][]uint64, rel []uint64) []uint64 {
next:
	for _, p := range pos[0] {
		if p < rel[0] {
			continue
		}
		base := p - rel[0] // the literal's first unit
		for i := 1; i < len(pos); i++ {
			if _, ok := slices.BinarySearch(pos[i], base+rel[i]); !ok {
				continue next
			}
		}
		dst = append(dst, base)
	}
	return dst
}

// readerStarts appends to dst where the literal of rs (its gram readers,
// positions loaded) starts; pos and rel are scratch.
func readerStarts(dst []uint64, rs []gramReader, pos *[][]uint64, rel *[]uint64) []uint64 {
	*pos, *rel = (*pos)[:0], (*rel)[:0]
	for i := range rs {
		*pos = append(*pos, rs[i].pos)
		*rel = append(*rel, rs[i].rel)
	}
	return starts(dst, *pos, *rel)
}

// closeAll closes readers, returning the first error.
func closeAll(first error, rs ...bindex.TermFieldReader) error {
	for _, r := range rs {
		if r == nil {
			continue
		}
		if err := r.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
