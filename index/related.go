package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/internal/highlight"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/related"
)

// Related returns up to n articles most like a (related.Default if n is 0),
// best first, as hits like those of Search. It looks for a's most
// distinctive words (related.Words), each weighted by its TF-IDF, in the
// jieba words of titles (boosted as in Search) and bodies; an article that
// shares more of them ranks higher. a itself, the article it is a copy of
// and every near-duplicate of either never appear, and of a group of
// near-duplicates among the results only the best ranked does
// (related.OnePerGroup). Titles and snippets mark the shared words. n
// outside 0 to related.Max is an EINVALID error; an article without
// distinctive words has no related articles.
func (ix *Index) Related(ctx context.Context, a news.Article, n int) ([]news.Hit, error) {
	n, err := related.Count(n)
	if err != nil {
		return nil, err
	}
	kws, err := related.Words(ctx, ix.opts.Segmenter.Load(), a, ix.wordStats)
	if err != nil {
		return nil, err
	}
	var (
		should []query.Query
		lits   []string
	)
	for _, kw := range kws {
		should = append(should, ix.wordQuery(kw.Word, fTitle, titleBoost*kw.Weight), ix.wordQuery(kw.Word, fBody, bodyBoost*kw.Weight))
		lits = append(lits, kw.Word)
	}
	if len(should) == 0 {
		return []news.Hit{}, nil
	}

	group := related.Group(a)
	not := []query.Query{query.NewDocIDQuery([]string{a.ID, group})}
	for _, id := range []string{a.ID, group} {
		t := query.NewTermQuery(id)
		t.SetField(fDupOf)
		not = append(not, t)
	}
	q := query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(should)}, nil, not)
	// Room for the copies that are dropped below.
	sr := bleve.NewSearchRequestOptions(q, related.Candidates(n), 0, false)
	sr.Fields = storedFields
	sr.SortBy(ix.byScore)
	res, err := ix.bleveSearch(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("related to %s: %w", a.ID, err)
	}
	ids, dupOf := make([]string, len(res.Hits)), make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
		dupOf[i], _ = h.Fields[fDupOf].(string)
	}
	hits := make([]news.Hit, 0, n)
	for _, i := range related.OnePerGroup(ids, dupOf, group, n) {
		hits = append(hits, hitFromDoc(res.Hits[i]))
	}
	if err := highlight.Hits(ctx, ix.opts.Texts, lits, hits); err != nil {
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
	return matchWords(word, field, boost)
}

// wordStats is the related.WordStats of ix: its document count and, once
// that is related.CommonMinDocs or more, the number of documents with each
// word in the body's words field.
func (ix *Index) wordStats(ctx context.Context, words []string) (int, []int, error) {
	n, err := ix.docCount()
	if err != nil {
		return 0, nil, err
	}
	if n < related.CommonMinDocs {
		return int(n), nil, nil
	}
	counts, err := ix.termCounts(ctx, fBody, words)
	if err != nil {
		return 0, nil, err
	}
	return int(n), counts, nil
}
