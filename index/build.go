package index

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/index/analysis/grams"
	"github.com/xinwen/xinwen/index/analysis/words"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Boosts of the ranking clauses.
const (
	titleBoost = 3.0
	bodyBoost  = 1.0
)

// maxExpansion caps how many terms a lone character inside a phrase expands to.
const maxExpansion = 4096

// matchQuery returns the Bleve query that finds what q asks for (no filters):
// a conjunction of exact-string constraints on the bigram fields, plus
// optional jieba-word clauses on title and body that only rank (see
// rankQueries), the score raised where the literals stand close together
// (see withProximity).
func (ix *Index) matchQuery(q *Query) query.Query {
	if q.IsEmpty() {
		return bleve.NewMatchAllQuery()
	}
	if ix.analysis == AnalysisCJK {
		return cjkQuery(q)
	}
	if q.relax {
		return ix.relaxedQuery(q)
	}
	must := ix.requiredQueries(q)
	var should, not []query.Query
	for _, g := range q.Groups {
		for _, c := range g {
			should = append(should, ix.rankQueries(c.Text)...)
		}
	}
	for _, c := range q.Not {
		not = append(not, ix.clauseQuery(c))
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	return ix.withProximity(q, query.NewBooleanQuery(must, should, not))
}

// requiredQueries returns what every match of q has, a query per group:
// its clause, or the disjunction of its alternatives.
func (ix *Index) requiredQueries(q *Query) []query.Query {
	var must []query.Query
	for _, g := range q.Groups {
		var alts []query.Query
		for _, c := range g {
			alts = append(alts, ix.clauseQuery(c))
		}
		if len(alts) == 1 {
			must = append(must, alts[0])
		} else {
			must = append(must, query.NewDisjunctionQuery(alts))
		}
	}
	return must
}

// relaxedQuery finds articles with at least a share of q's literals (see
// relaxedShare), any group, ranked by how many they have and by the words;
// exclusions still exclude.
func (ix *Index) relaxedQuery(q *Query) query.Query {
	var should, not []query.Query
	lits := ix.relaxedLiterals(q)
	for _, g := range q.Groups {
		for _, c := range g {
			should = append(should, ix.rankQueries(c.Text)...)
		}
	}
	for _, c := range q.Not {
		not = append(not, ix.clauseQuery(c))
	}
	some := query.NewDisjunctionQuery(lits)
	some.SetMin(float64(minShould(len(lits))))
	return ix.withProximity(q, query.NewBooleanQuery([]query.Query{some}, should, not))
}

// relaxedLiterals returns a query for each literal a relaxed search counts.
func (ix *Index) relaxedLiterals(q *Query) []query.Query {
	var lits []query.Query
	informative := 0 // literals of more than one character
	for _, g := range q.Groups {
		for _, c := range g {
			for _, lit := range c.Lits {
				if utf8.RuneCountInString(lit) > 1 {
					informative++
				}
			}
		}
	}
	for _, g := range q.Groups {
		for _, c := range g {
			for _, lit := range c.Lits {
				if informative > 0 && utf8.RuneCountInString(lit) == 1 {
					continue // 年, 月 of a date: in most articles, and costly to find
				}
				lits = append(lits, ix.literalAnywhere(lit))
			}
		}
	}
	return lits
}

// relaxedShare is the share of a query's literals a relaxed search requires
// (at least one). Tuned on the odd-numbered half of the CCTV question set:
// 1/3 scored MRR@10 0.665, 1/2 0.377, 2/3 0.289; less than 1/3 no better.
const relaxedShare = 1.0 / 3

// minShould is how many of n literals a relaxed search requires: at least one.
func minShould(n int) int {
	return max(1, int(float64(n)*relaxedShare))
}

func rankQuery(text, field string, boost float64) query.Query {
	m := query.NewMatchQuery(text)
	m.SetField(field)
	m.Analyzer = words.Name
	m.SetBoost(boost)
	return m
}

// clauseQuery requires every literal of c in the title or the body.
func (ix *Index) clauseQuery(c Clause) query.Query {
	var qs []query.Query
	for _, lit := range c.Lits {
		qs = append(qs, ix.literalAnywhere(lit))
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// literalAnywhere matches lit in the title or the body.
func (ix *Index) literalAnywhere(lit string) query.Query {
	title, body := ix.literalQuery(lit, fTitleGrams), ix.literalQuery(lit, fBodyGrams)
	if w, ok := hanWord(lit); ok && !ix.opts.GramsOnly {
		tg, ok1 := title.(*gramPhraseQuery)
		bg, ok2 := body.(*gramPhraseQuery)
		if ok1 && ok2 {
			return &exactQuery{word: w, title: tg, body: bg}
		}
	}
	return query.NewDisjunctionQuery([]query.Query{title, body})
}

// hanWord returns lit normalized if it is one run of Chinese characters,
// as a word field would hold it.
func hanWord(lit string) (string, bool) {
	t := textnorm.New(lit)
	if len(t.Runes) < 2 {
		return "", false
	}
	for _, r := range t.Runes {
		if textnorm.Class(r) != textnorm.Han {
			return "", false
		}
	}
	return string(t.Runes), true
}

// literalQuery matches the exact normalized string lit in a bigram field:
// a term for one bigram or Latin word, a prefix for a lone character, and a
// phrase of consecutive bigrams (with gaps where separators stand) for
// anything longer.
func (ix *Index) literalQuery(lit, field string) query.Query {
	t := textnorm.New(lit)
	gs := grams.Grams(t)
	// A lone character at the end of a longer Chinese run is covered by the
	// bigram before it; only the characters of one-character runs remain.
	kept := gs[:0:0]
	for _, g := range gs {
		if g.Single && g.From > 0 && textnorm.Class(t.Runes[g.From-1]) == textnorm.Han {
			continue
		}
		kept = append(kept, g)
	}
	if len(kept) == 0 {
		return query.NewMatchNoneQuery()
	}
	if len(kept) == 1 {
		g := kept[0]
		if g.Single {
			p := query.NewPrefixQuery(g.Term)
			p.SetField(field)
			return p
		}
		tq := query.NewTermQuery(g.Term)
		tq.SetField(field)
		return tq
	}
	base := kept[0].Unit
	span := kept[len(kept)-1].Unit - base + 1
	terms := make([][]string, span)
	multi := false
	for _, g := range kept {
		pos := g.Unit - base
		if g.Single {
			exp := ix.expand(field, g.Term)
			if len(exp) == 0 {
				return query.NewMatchNoneQuery()
			}
			terms[pos] = exp
			multi = true
			continue
		}
		terms[pos] = []string{g.Term}
	}
	if multi {
		for i := range terms {
			if terms[i] == nil {
				terms[i] = []string{""}
			}
		}
		mp := query.NewMultiPhraseQuery(terms, field)
		return mp
	}
	if ix.blevePhrase.Load() {
		flat := make([]string, span)
		for i, ts := range terms {
			if len(ts) > 0 {
				flat[i] = ts[0]
			}
		}
		return query.NewPhraseQuery(flat, field)
	}
	gp := &gramPhraseQuery{field: field}
	for i, ts := range terms {
		if len(ts) > 0 {
			gp.terms = append(gp.terms, ts[0])
			gp.rel = append(gp.rel, uint64(i))
		}
	}
	return gp
}

// expand lists the terms of field that start with the character c.
func (ix *Index) expand(field, c string) []string {
	d, err := ix.fieldDict(field, []byte(c))
	if err != nil {
		return []string{c}
	}
	defer d.Close()
	var out []string
	for e, err := d.Next(); err == nil && e != nil && len(out) < maxExpansion; e, err = d.Next() {
		out = append(out, e.Term)
	}
	return out
}

// cjkQuery is how an index built with Bleve's cjk analyzer answers q: each
// clause is a match query with operator AND (all its bigrams) or a match
// phrase, on title (boosted) or body.
func cjkQuery(q *Query) query.Query {
	clause := func(c Clause) query.Query {
		var alts []query.Query
		for _, f := range []struct {
			name  string
			boost float64
		}{{fTitle, titleBoost}, {fBody, bodyBoost}} {
			if c.Phrase {
				p := query.NewMatchPhraseQuery(c.Text)
				p.SetField(f.name)
				p.SetBoost(f.boost)
				alts = append(alts, p)
				continue
			}
			m := query.NewMatchQuery(c.Text)
			m.SetField(f.name)
			m.SetOperator(query.MatchQueryOperatorAnd)
			m.SetBoost(f.boost)
			alts = append(alts, m)
		}
		return query.NewDisjunctionQuery(alts)
	}
	var must, not []query.Query
	for _, g := range q.Groups {
		var alts []query.Query
		for _, c := range g {
			alts = append(alts, clause(c))
		}
		if len(alts) == 1 {
			must = append(must, alts[0])
		} else {
			must = append(must, query.NewDisjunctionQuery(alts))
		}
	}
	for _, c := range q.Not {
		not = append(not, clause(c))
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	return query.NewBooleanQuery(must, nil, not)
}
