package region

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// bmp is the number of runes in the Basic Multilingual Plane, where every
// character of a place name lies; the trie root is a table of that size.
const bmp = 0x10000

// term is what a matched string stands for.
type term struct {
	key     string
	places  []*Place // candidates; nil for a blocked word, a stop word or a foreign name
	foreign bool     // a country or world region
	full    bool     // key is a full name or an abbreviation with its suffix (延边州)
	weak    bool     // key needs other evidence of its province or city to count
}

// mention is one match of a term in a text, at byte offsets [start, end).
type mention struct {
	t          *term
	start, end int
}

// matcher finds the leftmost-longest names in a text with a rune trie. Every
// position is tried once, and a match consumes its text, so a name never
// matches across a longer name (浙江西部 is 浙江 then 西部, not 江西) and a
// blocked word (新华社, 北京时间) hides the names inside it.
type matcher struct {
	root  []int32 // first rune (BMP) -> node, 0 if none
	nodes []node
	edges []edge
	terms []*term
}

type node struct {
	edgeStart, edgeEnd int32 // children in edges[edgeStart:edgeEnd], sorted by rune
	term               int32 // index into terms, -1 if no name ends here
}

type edge struct {
	r     rune
	child int32
}

// newMatcher builds the matcher of g's names plus the blocked and foreign
// words. It returns an error if one of those is also the name of a place
// that counts (a stop word may be a foreign name: 黑山 is Montenegro).
func newMatcher(g *Gazetteer) (*matcher, error) {
	terms := map[string]*term{}
	for key, ps := range g.byName {
		terms[key] = newTerm(key, ps)
	}
	for _, w := range blockedWords {
		if terms[w] != nil {
			return nil, fmt.Errorf("blocked word %s is a place name", w)
		}
		terms[w] = &term{key: w}
	}
	for _, w := range foreignNames {
		if t := terms[w]; t != nil && t.places != nil {
			return nil, fmt.Errorf("foreign name %s is a place name", w)
		}
		terms[w] = &term{key: w, foreign: true}
	}
	return buildTrie(terms), nil
}

// newTerm decides what key means given the places it names: a full name
// beats a short name, a province beats the cities and counties that share its
// short name (海南 is the province, not 海南州), and a place beats its own
// namesakes below it (临夏 is the prefecture, not the city or county inside).
func newTerm(key string, ps []*Place) *term {
	t := &term{key: key}
	for _, p := range ps {
		if p.Short != key {
			t.places = append(t.places, p)
		}
	}
	t.full = len(t.places) > 0
	if !t.full {
		t.places = append([]*Place(nil), ps...)
	}
	var provs []*Place
	for _, p := range t.places {
		if p.Level == LevelProvince {
			provs = append(provs, p)
		}
	}
	if len(provs) > 0 {
		t.places = provs
	}
	t.places = collapse(t.places)
	switch {
	case stopWords[key]:
		t.places = nil // matched, so that it hides the names inside it, then dropped
	case weakWords[key]:
		t.weak = true
	case len(t.places) == 1 && t.places[0].Level == LevelCounty:
		// A county's short name, or a two-character full name (和县, 城区),
		// is too often an ordinary word to decide a region alone.
		t.weak = !t.full || utf8.RuneCountInString(key) <= 2
	}
	return t
}

// collapse returns [a] if a contains all of ps, else ps.
func collapse(ps []*Place) []*Place {
	if len(ps) < 2 {
		return ps
	}
	for _, a := range ps {
		all := true
		for _, p := range ps {
			if !p.within(a) {
				all = false
				break
			}
		}
		if all {
			return []*Place{a}
		}
	}
	return ps
}

func buildTrie(terms map[string]*term) *matcher {
	keys := make([]string, 0, len(terms))
	for k := range terms {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// Build with per-node maps, then flatten into sorted edge lists.
	type bnode struct {
		kids map[rune]int
		term int32
	}
	b := []bnode{{kids: map[rune]int{}, term: -1}}
	m := &matcher{}
	for _, k := range keys {
		n := 0
		for _, r := range k {
			c, ok := b[n].kids[r]
			if !ok {
				c = len(b)
				b = append(b, bnode{kids: map[rune]int{}, term: -1})
				b[n].kids[r] = c
			}
			n = c
		}
		b[n].term = int32(len(m.terms))
		m.terms = append(m.terms, terms[k])
	}
	m.nodes = make([]node, len(b))
	m.root = make([]int32, bmp)
	for i, bn := range b {
		rs := make([]rune, 0, len(bn.kids))
		for r := range bn.kids {
			rs = append(rs, r)
		}
		slices.Sort(rs)
		start := int32(len(m.edges))
		for _, r := range rs {
			m.edges = append(m.edges, edge{r, int32(bn.kids[r])})
			if i == 0 && int(r) < len(m.root) {
				m.root[r] = int32(bn.kids[r])
			}
		}
		m.nodes[i] = node{edgeStart: start, edgeEnd: int32(len(m.edges)), term: bn.term}
	}
	return m
}

// child returns the node reached from n by r, or 0.
func (m *matcher) child(n int32, r rune) int32 {
	if n == 0 && int(r) < len(m.root) {
		return m.root[r]
	}
	es := m.edges[m.nodes[n].edgeStart:m.nodes[n].edgeEnd]
	lo, hi := 0, len(es)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if es[mid].r < r {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(es) && es[lo].r == r {
		return es[lo].child
	}
	return 0
}

// scan calls fn for each leftmost-longest place or foreign mention in s, skipping
// blocked words and names used as something else: a street (中山路), a ship
// (山东舰), a delegation or team (江苏代表团, 上海队) or a spirit (延安精神).
func (m *matcher) scan(s string, fn func(mention)) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if int(r) < len(m.root) && m.root[r] == 0 {
			i += size // the common case: no name starts here
			continue
		}
		n, j := int32(0), i
		best, bestEnd := int32(-1), 0
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			n = m.child(n, r)
			if n == 0 {
				break
			}
			j += size
			if t := m.nodes[n].term; t >= 0 {
				best, bestEnd = t, j
			}
		}
		if best < 0 {
			i += size
			continue
		}
		t := m.terms[best]
		if (t.places != nil || t.foreign) && !notAPlace(t.key, s[bestEnd:]) {
			fn(mention{t: t, start: i, end: bestEnd})
		}
		i = bestEnd
	}
}
