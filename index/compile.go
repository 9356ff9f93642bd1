package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/index/analysis/words"
	"github.com/xinwen/xinwen/index/searcher"
	xq "github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// Boosts of the ranking clauses.
const (
	titleBoost = 3.0
	bodyBoost  = 1.0
)

// maxExpansion caps how many terms a lone character inside a phrase expands to.
const maxExpansion = 4096

// The proximity factor, as tuned on the odd-numbered halves of the CCTV
// known-item and question sets (see BENCHMARKS.md): boosts from 2 to 8
// scored within 0.001 of each other in MRR@10, windows of 3 and 30 units as
// 10, and a linear decay within 0.002 of 1/(1+gap).
const (
	proximityBoost  = 4.0 // a match's score is multiplied by up to 1 + proximityBoost
	proximityWindow = 10  // units between two literals beyond which they are not near
)

// gramFields are the bigram fields literals are found in, and the
// proximity factor reads.
var gramFields = []string{fTitleGrams, fBodyGrams}

// compiler turns a parsed query into Bleve queries for one search: the
// segmenter it was parsed with, and how to compile it.
type compiler struct {
	ix  *Index
	seg *segment.Segmenter
	// relax matches a share of the literals, not all (see relaxedMust).
	relax bool
	// noProximity leaves the proximity factor out (phase 1 of execute).
	noProximity bool
	// only, if set, restricts the gram phrases to these articles (phase 2
	// of execute; see searcher.Only).
	only *searcher.DocSet
}

// matchQuery returns the Bleve query that finds what q asks for (no filters):
// a conjunction of exact-string constraints on the bigram fields, plus
// optional jieba-word clauses on title and body that only rank (see
// rankQueries), the score raised where the literals stand close together
// (see withProximity). Its errors are those of reading the index's term
// dictionaries (see expand).
func (c *compiler) matchQuery(q *xq.Query) (query.Query, error) {
	if q.IsEmpty() {
		return bleve.NewMatchAllQuery(), nil
	}
	if c.ix.analysis == AnalysisCJK {
		return cjkQuery(q, c.ix.opts.Ranking.AnyBigram), nil
	}
	var must []query.Query
	var err error
	if c.relax {
		must, err = c.relaxedMust(q)
	} else {
		must, err = c.requiredQueries(q)
	}
	if err != nil {
		return nil, err
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	not, err := c.notQueries(q)
	if err != nil {
		return nil, err
	}
	return c.withProximity(q, query.NewBooleanQuery(must, c.rankClauses(q), not)), nil
}

// requiredQueries returns what every match of q has, a query per group:
// its clause, or the disjunction of its alternatives.
func (c *compiler) requiredQueries(q *xq.Query) ([]query.Query, error) {
	var must []query.Query
	for _, g := range q.Groups {
		var alts []query.Query
		for _, cl := range g {
			cq, err := c.clauseQuery(cl)
			if err != nil {
				return nil, err
			}
			alts = append(alts, cq)
		}
		if len(alts) == 1 {
			must = append(must, alts[0])
		} else {
			must = append(must, query.NewDisjunctionQuery(alts))
		}
	}
	return must, nil
}

// notQueries returns a query for each excluded clause of q.
func (c *compiler) notQueries(q *xq.Query) ([]query.Query, error) {
	var not []query.Query
	for _, cl := range q.Not {
		cq, err := c.clauseQuery(cl)
		if err != nil {
			return nil, err
		}
		not = append(not, cq)
	}
	return not, nil
}

// rankClauses returns the ranking clauses of every clause of q's groups.
func (c *compiler) rankClauses(q *xq.Query) []query.Query {
	var should []query.Query
	for _, g := range q.Groups {
		for _, cl := range g {
			should = append(should, c.rankQueries(cl.Text)...)
		}
	}
	return should
}

// relaxedMust is what every match of q's relaxed search has: at least
// xq.MinShould of q's relaxed literals (see xq.Query.RelaxedLiterals), of
// any group. The matches rank by how many they have and by the words;
// exclusions still exclude.
func (c *compiler) relaxedMust(q *xq.Query) ([]query.Query, error) {
	lits, err := c.relaxedLiterals(q)
	if err != nil {
		return nil, err
	}
	some := query.NewDisjunctionQuery(lits)
	some.SetMin(float64(xq.MinShould(len(lits))))
	return []query.Query{some}, nil
}

// relaxedLiterals returns a query for each literal a relaxed search counts.
func (c *compiler) relaxedLiterals(q *xq.Query) ([]query.Query, error) {
	var out []query.Query
	for _, lit := range q.RelaxedLiterals() {
		lq, err := c.literalAnywhere(lit)
		if err != nil {
			return nil, err
		}
		out = append(out, lq)
	}
	return out, nil
}

// rankQueries returns the clauses that rank articles by the jieba words of a
// clause's text (BM25 on the word fields), on title (titleBoost) and body:
// the words of xq.RankTerms (with Ranking.Subwords, the words inside
// longer words too), or every word (a match query of the text) with
// Ranking.AllWords or when RankTerms leaves none. They only rank: the exact
// clauses on the bigram fields decide what matches. Weighting the words by
// jieba's IDF as well was measured and left out: it scored no better, as
// BM25 already weighs by rarity (Bleve counts the IDF twice, in the query
// weight and in the term's score).
func (c *compiler) rankQueries(text string) []query.Query {
	var terms []string
	if !c.ix.opts.Ranking.AllWords {
		terms = xq.RankTerms(c.seg, text, c.ix.opts.Ranking.Subwords)
	}
	if len(terms) == 0 {
		return []query.Query{matchWords(text, fTitle, titleBoost), matchWords(text, fBody, bodyBoost)}
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

// matchWords ranks by every jieba word of text in a words field.
func matchWords(text, field string, boost float64) query.Query {
	m := query.NewMatchQuery(text)
	m.SetField(field)
	m.Analyzer = words.Name
	m.SetBoost(boost)
	return m
}

// withProximity wraps qq, the query of q, in a searcher.Proximity when q has
// two literals or more that stand somewhere (a literal of one character,
// found by prefix, has no position of its own), unless the compiler leaves
// it out or Ranking.NoProximity; otherwise it returns qq.
func (c *compiler) withProximity(q *xq.Query, qq query.Query) query.Query {
	if c.noProximity {
		return qq
	}
	lits := c.ix.proximityLits(q)
	if len(lits) < 2 {
		return qq
	}
	return searcher.NewProximity(qq, lits, gramFields, proximityBoost, proximityWindow)
}

// proximityLits returns the literals of q the proximity factor reads,
// none with Ranking.NoProximity.
func (ix *Index) proximityLits(q *xq.Query) []searcher.Literal {
	if ix.opts.Ranking.NoProximity {
		return nil
	}
	var lits []searcher.Literal
	for _, lit := range q.Literals() {
		if l, ok := searcher.NewLiteral(lit); ok {
			lits = append(lits, l)
		}
	}
	return lits
}

// clauseQuery requires every literal of cl in the title or the body.
func (c *compiler) clauseQuery(cl xq.Clause) (query.Query, error) {
	var qs []query.Query
	for _, lit := range cl.Lits {
		lq, err := c.literalAnywhere(lit)
		if err != nil {
			return nil, err
		}
		qs = append(qs, lq)
	}
	if len(qs) == 1 {
		return qs[0], nil
	}
	return query.NewConjunctionQuery(qs), nil
}

// literalAnywhere matches lit in the title or the body: through the words
// fields where a Chinese literal can be (searcher.Exact), else by its grams.
func (c *compiler) literalAnywhere(lit string) (query.Query, error) {
	title, err := c.literalQuery(lit, fTitleGrams)
	if err != nil {
		return nil, err
	}
	body, err := c.literalQuery(lit, fBodyGrams)
	if err != nil {
		return nil, err
	}
	if w, ok := hanWord(lit); ok {
		tg, ok1 := title.(*searcher.GramPhrase)
		bg, ok2 := body.(*searcher.GramPhrase)
		if ok1 && ok2 {
			return searcher.NewExact(w, searcher.ExactField{Words: fTitle, Grams: tg}, searcher.ExactField{Words: fBody, Grams: bg}), nil
		}
	}
	return query.NewDisjunctionQuery([]query.Query{title, body}), nil
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
// anything longer: a searcher.GramPhrase, or Bleve's multi-phrase query
// where a lone character inside it expands to the terms it starts.
func (c *compiler) literalQuery(lit, field string) (query.Query, error) {
	_, kept := tokens.LiteralGrams(lit)
	if len(kept) == 0 {
		return query.NewMatchNoneQuery(), nil
	}
	if len(kept) == 1 {
		g := kept[0]
		if g.Single {
			p := query.NewPrefixQuery(g.Term)
			p.SetField(field)
			return p, nil
		}
		tq := query.NewTermQuery(g.Term)
		tq.SetField(field)
		return tq, nil
	}
	base := kept[0].Unit
	span := kept[len(kept)-1].Unit - base + 1
	terms := make([][]string, span)
	multi := false
	for _, g := range kept {
		pos := g.Unit - base
		if g.Single {
			exp, err := c.ix.expand(field, g.Term)
			if err != nil {
				return nil, err
			}
			if len(exp) == 0 {
				return query.NewMatchNoneQuery(), nil
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
		return query.NewMultiPhraseQuery(terms, field), nil
	}
	var flat []string
	var rel []uint64
	for i, ts := range terms {
		if len(ts) > 0 {
			flat = append(flat, ts[0])
			rel = append(rel, uint64(i))
		}
	}
	gp := searcher.NewGramPhrase(field, flat, rel)
	if c.only != nil {
		gp = gp.Only(c.only)
	}
	return gp, nil
}

// expand lists the terms of field that start with the character ch.
func (ix *Index) expand(field, ch string) ([]string, error) {
	d, err := ix.fieldDict(field, []byte(ch))
	if err != nil {
		return nil, fmt.Errorf("terms starting with %s: %w", ch, err)
	}
	defer d.Close()
	var out []string
	for len(out) < maxExpansion {
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("terms starting with %s: %w", ch, err)
		}
		if e == nil {
			break
		}
		out = append(out, e.Term)
	}
	return out, nil
}

// cjkQuery is how an index built with Bleve's cjk analyzer answers q: each
// clause is a match query with operator AND (all its bigrams) or a match
// phrase, on title (boosted) or body. With anyBigram, the classic baseline
// of Chinese retrieval instead: plain BM25 over the bigrams of every clause,
// any bigram matching (OR), title and body alike. Exclusions exclude their
// clause in both.
func cjkQuery(q *xq.Query, anyBigram bool) query.Query {
	clause := func(c xq.Clause) query.Query {
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
	var must, should, not []query.Query
	for _, g := range q.Groups {
		var alts []query.Query
		for _, c := range g {
			if anyBigram {
				for _, f := range []string{fTitle, fBody} {
					m := query.NewMatchQuery(c.Text)
					m.SetField(f)
					should = append(should, m)
				}
				continue
			}
			alts = append(alts, clause(c))
		}
		switch len(alts) {
		case 0:
		case 1:
			must = append(must, alts[0])
		default:
			must = append(must, query.NewDisjunctionQuery(alts))
		}
	}
	for _, c := range q.Not {
		not = append(not, clause(c))
	}
	if len(must) == 0 && len(should) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	return query.NewBooleanQuery(must, should, not)
}
