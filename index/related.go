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
// distinctive words by jieba's TF-IDF (RelatedWords), each weighted by its
// TF-IDF, looked up in the jieba words of titles (boosted as in Search) and
// bodies; an article that shares more of them ranks higher. a itself, the
// article it is a copy of and every near-duplicate of either never appear,
// and of a group of near-duplicates among the results only the best ranked
// does (OnePerGroup). Titles and snippets mark the shared words. n outside 0
// to MaxRelated is an EINVALID error; an article without distinctive words
// has no related articles.
func (ix *Index) Related(ctx context.Context, a news.Article, n int) ([]news.Hit, error) {
	n, err := CheckRelated(n)
	if err != nil {
		return nil, err
	}
	kws, err := RelatedWords(ctx, a, ix.wordStats)
	if err != nil {
		return nil, err
	}
	var (
		should  []query.Query
		clauses []Clause
	)
	for _, kw := range kws {
		should = append(should, ix.wordQuery(kw.Word, fTitle, titleBoost*kw.Weight), ix.wordQuery(kw.Word, fBody, bodyBoost*kw.Weight))
		clauses = append(clauses, Clause{Text: kw.Word, Lits: []string{kw.Word}})
	}
	if len(should) == 0 {
		return []news.Hit{}, nil
	}

	group := RelatedGroup(a)
	not := []query.Query{query.NewDocIDQuery([]string{a.ID, group})}
	for _, id := range []string{a.ID, group} {
		t := query.NewTermQuery(id)
		t.SetField(fDupOf)
		not = append(not, t)
	}
	q := query.NewBooleanQuery([]query.Query{query.NewDisjunctionQuery(should)}, nil, not)
	// Room for the copies that are dropped below.
	sr := bleve.NewSearchRequestOptions(q, RelatedCandidates(n), 0, false)
	sr.Fields = storedFields
	sr.SortBy(ix.byScore)
	res, err := ix.searchBleve(ctx, sr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, news.Errorf(news.EUNAVAILABLE, "finding related articles was cancelled or timed out")
		}
		return nil, fmt.Errorf("related to %s: %w", a.ID, err)
	}
	ids, dupOf := make([]string, len(res.Hits)), make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
		dupOf[i], _ = h.Fields[fDupOf].(string)
	}
	hits := make([]news.Hit, 0, n)
	for _, i := range OnePerGroup(ids, dupOf, group, n) {
		hits = append(hits, hitFromDoc(res.Hits[i]))
	}
	if err := ix.snippets(ctx, &Query{Groups: [][]Clause{clauses}}, hits); err != nil {
		return nil, err
	}
	return hits, nil
}

// CheckRelated returns the number of related articles to find for the
// parameter n of Related: DefaultRelated for 0, n itself from 1 to
// MaxRelated, and an EINVALID error otherwise.
func CheckRelated(n int) (int, error) {
	switch {
	case n == 0:
		return DefaultRelated, nil
	case n < 0 || n > MaxRelated:
		return 0, news.Errorf(news.EINVALID, "n must be between 1 and %d, not %d", MaxRelated, n)
	}
	return n, nil
}

// RelatedGroup names the group of near-duplicates a belongs to: the ID of
// its original (DuplicateOf), or its own if it is none's copy.
func RelatedGroup(a news.Article) string {
	if a.DuplicateOf != "" {
		return a.DuplicateOf
	}
	return a.ID
}

// RelatedCandidates is how many of the best matches to ask for to find n
// related articles: room for the near-duplicates OnePerGroup drops.
func RelatedCandidates(n int) int { return 3 * n }

// OnePerGroup chooses what Related shows from candidates ranked best first,
// the i-th being the article ids[i], a near-duplicate of dupOf[i] ("" if it
// copies none): up to n of them, one per group of near-duplicates (a group
// is named by its original), and none of the group own (that of the article
// whose neighbours these are). A group is shown where its best ranked
// candidate ranks, by its original if that is among the candidates too, by
// that candidate otherwise. It returns the chosen candidates' indexes, in
// the order they are shown.
func OnePerGroup(ids, dupOf []string, own string, n int) []int {
	out := make([]int, 0, min(n, len(ids)))
	at := map[string]int{own: -1} // group -> index in out; -1: a's own
	for i, id := range ids {
		g := id
		if dupOf[i] != "" {
			g = dupOf[i]
		}
		if k, ok := at[g]; ok {
			if k >= 0 && id == g {
				out[k] = i
			}
			continue
		}
		if len(out) < n {
			at[g] = len(out)
			out = append(out, i)
		}
	}
	return out
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

// WordStats tells RelatedWords how common words are in an index: docs, the
// number of articles it holds, and counts, how many of them contain each of
// words in their bodies (as nearly as the index can tell), in the order of
// words. nil counts take no word for common: an index may return nil when
// it holds fewer articles than RelatedWords would drop words at.
type WordStats func(ctx context.Context, words []string) (docs int, counts []int, err error)

// RelatedWords returns the query of Related: up to a dozen of a's most
// distinctive words by jieba's TF-IDF (segment.Keyword: each with its
// weight, divided by the heaviest's, so the first weighs 1), heaviest first, leaving out numbers (dates and counts, not
// topics) and, once stats reports fifty articles or more, the words that
// more than one in five of them contain (boilerplate such as a channel's
// dateline, and words too common to say what a story is about). stats is
// called once, and only if there are words to check. Without a segmenter
// it returns analysis.ErrNoSegmenter; errors of stats are returned as they
// are.
func RelatedWords(ctx context.Context, a news.Article, stats WordStats) ([]segment.Keyword, error) {
	seg := analysis.Segmenter()
	if seg == nil {
		return nil, analysis.ErrNoSegmenter
	}
	k := relatedKeywords
	kws := slices.DeleteFunc(seg.Keywords(textnorm.String(a.Title+"\n"+a.Body), 2*k), func(kw segment.Keyword) bool {
		return kw.Weight <= 0 || strings.Trim(kw.Word, "0123456789 ") == ""
	})
	slices.SortStableFunc(kws, func(a, b segment.Keyword) int { return cmp.Compare(b.Weight, a.Weight) })
	if len(kws) == 0 {
		return kws, nil
	}
	words := make([]string, len(kws))
	for i, kw := range kws {
		words[i] = kw.Word
	}
	n, counts, err := stats(ctx, words)
	if err != nil {
		return nil, err
	}
	if n >= commonMinDocs && counts != nil {
		if len(counts) != len(kws) {
			return nil, fmt.Errorf("word statistics: %d counts for %d words", len(counts), len(kws))
		}
		kept := kws[:0]
		for i, kw := range kws {
			if counts[i]*commonShare <= n {
				kept = append(kept, kw)
			}
		}
		kws = kept
	}
	kws = kws[:min(k, len(kws))]
	if len(kws) > 0 {
		top := kws[0].Weight
		for i := range kws {
			kws[i].Weight /= top
		}
	}
	return kws, nil
}

// wordStats is the WordStats of ix: its document count and, once that is
// commonMinDocs or more, the number of documents with each word in the
// body's words field.
func (ix *Index) wordStats(ctx context.Context, words []string) (int, []int, error) {
	n, err := ix.docCount()
	if err != nil {
		return 0, nil, err
	}
	if n < commonMinDocs {
		return int(n), nil, nil
	}
	counts, err := ix.termCounts(ctx, fBody, words)
	if err != nil {
		return 0, nil, err
	}
	return int(n), counts, nil
}
