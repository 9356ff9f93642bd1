package query

import (
	"strings"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// RankTerms returns the words a clause's text ranks by, as the words fields
// hold them (jieba's search mode cut by seg: 长江大桥 gives 长江, 长江大桥,
// 大桥), in order and repeats kept: the words jieba's keyword extraction
// weighs, leaving out stop words and single characters (了, 什么, 年, 月 of
// a question), and, unless subwords, the words inside a longer word of the
// text (国务 and 务院 of 国务院: the longer word already ranks every article
// that holds it). nil if that leaves none: the caller then ranks by every
// word.
func RankTerms(seg *segment.Segmenter, text string, subwords bool) []string {
	var out []string
	for _, t := range tokens.Words(seg, textnorm.New(text)) {
		w := string(t.Term)
		if utf8.RuneCountInString(w) < 2 || seg != nil && seg.IsStop(w) {
			continue
		}
		out = append(out, w)
	}
	if !subwords {
		out = outerTerms(out)
	}
	if len(out) == 0 {
		return nil
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

// Relaxable reports whether q could be relaxed (see RelaxedLiterals): it
// requires two literals or more.
func (q *Query) Relaxable() bool {
	n := 0
	for _, g := range q.Groups {
		for _, c := range g {
			n += len(c.Lits)
		}
	}
	return n >= 2
}

// RelaxedLiterals returns the literals a relaxed search counts, of any
// group: every positive literal, less those of one character when there
// are longer ones (年, 月 of a date: in most articles, and costly to find).
// A relaxed search finds the articles with at least MinShould of them.
func (q *Query) RelaxedLiterals() []string {
	lits := q.Literals()
	informative := false // literals of more than one character
	for _, lit := range lits {
		if utf8.RuneCountInString(lit) > 1 {
			informative = true
			break
		}
	}
	if !informative {
		return lits
	}
	out := lits[:0:0]
	for _, lit := range lits {
		if utf8.RuneCountInString(lit) > 1 {
			out = append(out, lit)
		}
	}
	return out
}

// RelaxedShare is the share of a query's literals a relaxed search requires
// (at least one). Tuned on the odd-numbered half of the CCTV question set:
// 1/3 scored MRR@10 0.665, 1/2 0.377, 2/3 0.289; less than 1/3 no better.
const RelaxedShare = 1.0 / 3

// MinShould is how many of n literals a relaxed search requires: at least
// one.
func MinShould(n int) int {
	return max(1, int(float64(n)*RelaxedShare))
}
