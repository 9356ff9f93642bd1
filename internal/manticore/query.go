package manticore

import (
	"strings"

	"github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// Fields a match reads.
const (
	gramFields = "@(title_g,body_g)"
	wordFields = "@(title_w,body_w)"
	everyField = "@every"
	everyWord  = "all"   // in every document's every field: a positive for queries of exclusions only
	noneWord   = "_none" // no document has it: an underscore is followed by hex digits only
)

// matchExpr returns the extended-syntax full-text query that finds what q
// asks for, exactly as the embedded index does: every group must match,
// a group matches when one of its clauses does, a clause when each of its
// literals occurs in the title or the body (a phrase of consecutive bigrams
// with gaps, a prefix for a lone character), and no excluded clause may
// match. The jieba words of the query's clauses rank but are optional:
// the words the embedded index ranks by (query.RankTerms as seg cuts them;
// every word of a clause that has none of those). It returns "" for a query
// that matches everything.
func matchExpr(q *query.Query, seg *segment.Segmenter) string {
	if q.IsEmpty() {
		return ""
	}
	var parts []string
	for _, g := range q.Groups {
		alts := make([]string, 0, len(g))
		for _, c := range g {
			alts = append(alts, clauseExpr(c))
		}
		parts = append(parts, "("+strings.Join(alts, " | ")+")")
	}
	if len(parts) == 0 {
		parts = append(parts, "("+everyField+" "+everyWord+")")
	}
	for _, c := range q.Not {
		parts = append(parts, "-"+clauseExpr(c))
	}
	// Ranking: the query's words in the words fields, made optional by an
	// alternative that every document matches (MAYBE is unreliable in
	// Sphinx 2.2).
	var ws []string
	seen := map[string]bool{}
	for _, g := range q.Groups {
		for _, c := range g {
			terms := query.RankTerms(seg, c.Text, false)
			if terms == nil {
				for _, t := range tokens.Words(seg, textnorm.New(c.Text)) {
					terms = append(terms, string(t.Term))
				}
			}
			for _, t := range terms {
				if k := keyword(t); !seen[k] {
					seen[k] = true
					ws = append(ws, k)
				}
			}
		}
	}
	if len(ws) > 0 {
		parts = append(parts, "(("+wordFields+" ("+strings.Join(ws, " | ")+")) | ("+everyField+" "+everyWord+"))")
	}
	return strings.Join(parts, " ")
}

// clauseExpr requires every literal of c in the title or the body.
func clauseExpr(c query.Clause) string {
	lits := make([]string, 0, len(c.Lits))
	for _, lit := range c.Lits {
		lits = append(lits, "("+gramFields+" "+literalExpr(lit)+")")
	}
	if len(lits) == 0 {
		return "(" + gramFields + " " + noneWord + ")"
	}
	return "(" + strings.Join(lits, " ") + ")"
}

// literalExpr matches the exact normalized string lit in a bigram field,
// like the embedded index's literal query: a keyword for one bigram or Latin
// word, a prefix for a lone character, and a phrase of consecutive bigrams,
// with the gap stopword where a unit has none, for anything longer.
func literalExpr(lit string) string {
	// A lone character at the end of a longer Chinese run is covered by the
	// bigram before it (it is a gap in the phrase); only the characters of
	// one-character runs remain, as prefixes.
	_, kept := tokens.LiteralGrams(lit)
	term := func(g tokens.Gram) string {
		if g.Single {
			return keyword(g.Term) + "*"
		}
		return keyword(g.Term)
	}
	switch len(kept) {
	case 0:
		return noneWord
	case 1:
		return term(kept[0])
	}
	var ks []string
	next := kept[0].Unit
	for _, g := range kept {
		for ; next < g.Unit; next++ {
			ks = append(ks, gapWord)
		}
		ks = append(ks, term(g))
		next = g.Unit + 1
	}
	return `"` + strings.Join(ks, " ") + `"`
}
