package query

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Limits of the query language.
const (
	MaxRunes   = 256 // longer queries are rejected
	MaxClauses = 32  // words, phrases and exclusions together
)

// Query is a parsed query: every group must match (AND), a group matches when
// any of its clauses does (OR), and no Not clause may match.
//
// The language: words separated by spaces are ANDed; "a quoted phrase" (also
// “…” or 「…」) must occur as written, punctuation style aside; -word or
// -"phrase" excludes; OR between two clauses makes them alternatives. An
// unquoted word is cut by jieba and each of its words must occur as an exact
// string; a name jieba splits into single characters (丁/薛祥) is kept whole.
type Query struct {
	Groups [][]Clause
	Not    []Clause
}

// Clause is a word or phrase of a query.
type Clause struct {
	Text   string   // as typed, without quotes or minus
	Phrase bool     // quoted
	Lits   []string // normalized strings that must all occur (see literals)
}

// IsEmpty reports whether q matches everything.
func (q *Query) IsEmpty() bool { return len(q.Groups) == 0 && len(q.Not) == 0 }

// Literals returns every positive literal of q, in order, for highlighting
// and proximity.
func (q *Query) Literals() []string {
	var out []string
	for _, g := range q.Groups {
		for _, c := range g {
			out = append(out, c.Lits...)
		}
	}
	return out
}

var quotePairs = map[rune]rune{'"': '"', '“': '”', '「': '」', '『': '』', '＂': '＂'}

// Parse parses s, cutting unquoted words with seg (nil keeps each run of
// Chinese characters whole). It returns an EINVALID *news.Error for a query
// that is too long or has too many clauses; an unclosed quote runs to the
// end.
func Parse(s string, seg *segment.Segmenter) (*Query, error) {
	s = textnorm.Clean(s)
	if n := utf8.RuneCountInString(s); n > MaxRunes {
		return nil, news.Errorf(news.EINVALID, "query is %d characters long; the limit is %d", n, MaxRunes)
	}
	type tok struct {
		text           string
		phrase, negate bool
		or             bool
	}
	var toks []tok
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		if unicode.IsSpace(r) {
			i++
			continue
		}
		neg := false
		if (r == '-' || r == '－') && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			neg = true
			i++
			r = rs[i]
		}
		if close, ok := quotePairs[r]; ok {
			j := i + 1
			for j < len(rs) && rs[j] != close {
				j++
			}
			toks = append(toks, tok{text: string(rs[i+1 : min(j, len(rs))]), phrase: true, negate: neg})
			i = j + 1
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) {
			if _, ok := quotePairs[rs[j]]; ok && j > i {
				break
			}
			j++
		}
		w := string(rs[i:j])
		toks = append(toks, tok{text: w, negate: neg, or: !neg && (w == "OR" || w == "|")})
		i = j
	}
	q := &Query{}
	pendingOr := false
	n := 0
	for _, t := range toks {
		if t.or {
			pendingOr = len(q.Groups) > 0
			continue
		}
		if strings.TrimSpace(textnorm.String(t.text)) == "" {
			continue
		}
		n++
		if n > MaxClauses {
			return nil, news.Errorf(news.EINVALID, "query has more than %d words and phrases", MaxClauses)
		}
		c := Clause{Text: t.text, Phrase: t.phrase}
		c.Lits = literals(c, seg)
		switch {
		case t.negate:
			q.Not = append(q.Not, c)
		case pendingOr:
			q.Groups[len(q.Groups)-1] = append(q.Groups[len(q.Groups)-1], c)
		default:
			q.Groups = append(q.Groups, []Clause{c})
		}
		pendingOr = false
	}
	return q, nil
}

// literals returns the strings a clause requires. A phrase is one literal.
// A word is cut by jieba (see glue), and each of its pieces must occur.
func literals(c Clause, seg *segment.Segmenter) []string {
	norm := textnorm.String(c.Text)
	if c.Phrase {
		return []string{norm}
	}
	var out []string
	for _, piece := range strings.Split(norm, " ") {
		rs := []rune(piece)
		for i := 0; i < len(rs); {
			j := i
			cls := textnorm.Class(rs[i])
			for j < len(rs) && textnorm.Class(rs[j]) == cls {
				j++
			}
			run := string(rs[i:j])
			i = j
			if cls != textnorm.Han || seg == nil {
				out = append(out, run)
				continue
			}
			var words []string
			for _, w := range seg.Cut(run) {
				words = append(words, w.Text)
			}
			out = append(out, glue(words, seg.IsStop)...)
		}
	}
	return out
}

// glue turns jieba's pieces of one run of Chinese characters into the words
// a query requires. jieba's HMM cuts unknown names into single characters
// (丁/薛祥, 张/又/侠) and a lone character would match far too much, so:
// consecutive single characters merge; a lone single character that is not a
// stop word joins the word after it (or before it, at the end), even a stop
// word, which it then keeps (向着/新 stays 向着新, never a bare 新); a lone
// stop word joins its neighbour when the run has only two pieces (碳中/和)
// and is dropped otherwise (中国/和/美国); other stop words are dropped
// unless nothing else is left.
func glue(pieces []string, isStop func(string) bool) []string {
	single := func(w string) bool { return utf8.RuneCountInString(w) == 1 }
	// Merge runs of single characters.
	var ws []string
	for i := 0; i < len(pieces); {
		j := i
		for j < len(pieces) && single(pieces[j]) {
			j++
		}
		if j-i >= 2 {
			ws = append(ws, strings.Join(pieces[i:j], ""))
			i = j
			continue
		}
		ws = append(ws, pieces[i])
		i++
	}
	if len(ws) == 1 {
		return ws
	}
	type word struct {
		text string
		stop bool // a stop word on its own: dropped below
	}
	var out []word
	carry := ""
	for i, w := range ws {
		if single(w) && (!isStop(w) || len(ws) == 2) {
			if i+1 < len(ws) {
				carry += w
				continue
			}
			if carry == "" && len(out) > 0 {
				out[len(out)-1] = word{out[len(out)-1].text + w, false}
				continue
			}
		}
		if carry != "" {
			out = append(out, word{carry + w, false})
			carry = ""
			continue
		}
		out = append(out, word{w, isStop(w)})
	}
	var kept []string
	for _, w := range out {
		if !w.stop {
			kept = append(kept, w.text)
		}
	}
	if len(kept) == 0 {
		return ws
	}
	return kept
}
