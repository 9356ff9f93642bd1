package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Limits of related articles.
const (
	DefaultRelated = 5
	MaxRelated     = 20
)

// How an article's words are chosen to look for its neighbours.
const (
	relatedKeywords = 12 // at most this many
	// Words in more than one in commonShare of the bodies (once the index has
	// commonMinDocs articles) are dropped: boilerplate such as a channel's
	// dateline, and words too common to say what a story is about.
	commonShare   = 5
	commonMinDocs = 50
)

// Related returns up to n articles most like a (DefaultRelated if n is 0),
// best first, as hits like those of Search. The query is a's most
// distinctive words by jieba's TF-IDF, each weighted by its TF-IDF, looked
// up in the jieba words of titles (boosted as in Search) and bodies; an
// article that shares more of them ranks higher. a itself, the article it is
// a copy of and every near-duplicate of either never appear, and of a group
// of near-duplicates among the results only the best ranked does. Titles
// and snippets mark the shared words. n outside 0 to MaxRelated is an
// EINVALID error; an article without distinctive words has no related
// articles.
func (ix *Index) Related(ctx context.Context, a news.Article, n int) ([]news.Hit, error) {
	switch {
	case n == 0:
		n = DefaultRelated
	case n < 0 || n > MaxRelated:
		return nil, news.Errorf(news.EINVALID, "n must be between 1 and %d, not %d", MaxRelated, n)
	}
	kws, err := ix.keywords(ctx, a, relatedKeywords)
	if err != nil {
		return nil, err
	}
	top := 0.0
	for _, kw := range kws {
		top = max(top, kw.Weight)
	}
	var (
		should  []query.Query
		clauses []Clause
	)
	for _, kw := range kws {
		w := kw.Weight / top
		should = append(should, ix.wordQuery(kw.Word, fTitle, titleBoost*w), ix.wordQuery(kw.Word, fBody, bodyBoost*w))
		clauses = append(clauses, Clause{Text: kw.Word, Lits: []string{kw.Word}})
	}
	if len(should) == 0 {
		return []news.Hit{}, nil
	}

	// The group of near-duplicates a belongs to is named by its original.
	group := a.ID
	if a.DuplicateOf != "" {
		group = a.DuplicateOf
	}
	not := []query.Query{query.NewDocIDQuery([]string{a.ID, group})}
	for _, id := range []string{a.ID, group} {
		t := query.NewTermQuery(id)
		t.SetField(fDupOf)
		not = append(not, t)
	}
	q := query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(should)}, nil, not)
	// Room for the copies that are dropped below.
	sr := bleve.NewSearchRequestOptions(q, 3*n, 0, false)
	sr.Fields = storedFields
	sr.SortBy([]string{"-_score", "-" + fPubKey, "_id"})
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, news.Errorf(news.EUNAVAILABLE, "finding related articles was cancelled or timed out")
		}
		return nil, fmt.Errorf("related to %s: %w", a.ID, err)
	}
	// One hit per group of near-duplicates: the best ranked, or the
	// original if it ranks among the results too.
	hits := make([]news.Hit, 0, n)
	at := map[string]int{group: -1} // group -> index in hits; -1: a's own
	for _, h := range res.Hits {
		g := h.ID
		if d, ok := h.Fields[fDupOf].(string); ok && d != "" {
			g = d
		}
		if i, ok := at[g]; ok {
			if i >= 0 && h.ID == g {
				hits[i] = hitFromDoc(h)
			}
			continue
		}
		if len(hits) < n {
			at[g] = len(hits)
			hits = append(hits, hitFromDoc(h))
		}
	}
	if err := ix.snippets(ctx, &Query{Groups: [][]Clause{clauses}}, hits); err != nil {
		return nil, err
	}
	return hits, nil
}

// wordQuery ranks articles by a word in a title or body field: through the
// jieba analyzer, or the field's own in a cjk baseline index.
func (ix *Index) wordQuery(word, field string, boost float64) query.Query {
	if ix.analysis == AnalysisCJK {
		m := query.NewMatchQuery(word)
		m.SetField(field)
		m.SetBoost(boost)
		return m
	}
	return rankQuery(word, field, boost)
}

// keywords returns up to k of a's most distinctive words by jieba's TF-IDF,
// heaviest first, leaving out numbers (dates and counts, not topics) and
// words that are common in the index.
func (ix *Index) keywords(ctx context.Context, a news.Article, k int) ([]segment.Keyword, error) {
	seg := analysis.Segmenter()
	if seg == nil {
		return nil, analysis.ErrNoSegmenter
	}
	kws := slices.DeleteFunc(seg.Keywords(textnorm.String(a.Title+"\n"+a.Body), 2*k), func(kw segment.Keyword) bool {
		return kw.Weight <= 0 || strings.Trim(kw.Word, "0123456789 ") == ""
	})
	slices.SortStableFunc(kws, func(a, b segment.Keyword) int { return cmp.Compare(b.Weight, a.Weight) })
	n, err := ix.bleve.DocCount()
	if err != nil {
		return nil, err
	}
	if n >= commonMinDocs && len(kws) > 0 {
		adv, err := ix.bleve.Advanced()
		if err != nil {
			return nil, err
		}
		r, err := adv.Reader()
		if err != nil {
			return nil, err
		}
		defer r.Close()
		kept := kws[:0]
		for _, kw := range kws {
			tfr, err := r.TermFieldReader(ctx, []byte(kw.Word), fBody, false, false, false)
			if err != nil {
				return nil, err
			}
			df := tfr.Count()
			tfr.Close()
			if df*commonShare <= n {
				kept = append(kept, kw)
			}
		}
		kws = kept
	}
	return kws[:min(k, len(kws))], nil
}
