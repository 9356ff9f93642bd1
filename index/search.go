package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/internal/highlight"
	"github.com/xinwen/xinwen/internal/news"
	xq "github.com/xinwen/xinwen/internal/query"
)

// Prefixes of the values of the facet field.
const (
	facetSection  = "s:"
	facetProvince = "p:"
	facetCity     = "c:"
	facetDay      = "d:"
)

// Search answers req. Bad parameters are EINVALID errors that say what to
// change (see query.Validate); a search whose context ends is EUNAVAILABLE.
// It does not cache: put an internal/cache.Cache in front of it.
//
// A query no article fully matches (a question, a long phrase) is searched
// again requiring a share of its literals (query.MinShould), unless
// Ranking.Strict; the result then says Relaxed.
func (ix *Index) Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	start := time.Now()
	c := &compiler{ix: ix, seg: ix.opts.Segmenter.Load()}
	q, err := xq.Parse(req.Query, c.seg)
	if err != nil {
		return nil, err
	}
	page, err := xq.Validate(req, q, ix.maxWindow())
	if err != nil {
		return nil, err
	}
	res, sr, err := ix.answer(ctx, c, q, req, page)
	if err != nil {
		return nil, err
	}
	relaxed := false
	if res.Total == 0 && !ix.opts.Ranking.Strict && ix.analysis != AnalysisCJK && q.Relaxable() {
		c.relax, relaxed = true, true
		if res, sr, err = ix.answer(ctx, c, q, req, page); err != nil {
			return nil, err
		}
	}
	out := &news.SearchResult{
		Total:   res.Total,
		Page:    page.Number,
		Size:    sr.Size,
		Hits:    make([]news.Hit, 0, len(res.Hits)),
		Relaxed: relaxed,
	}
	if req.Cursor != "" {
		out.Page = 0
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hitFromDoc(h))
	}
	if err := highlight.Hits(ctx, ix.opts.Texts, q.Literals(), out.Hits); err != nil {
		return nil, err
	}
	if err := ix.copies(ctx, out.Hits); err != nil {
		return nil, err
	}
	if n := len(res.Hits); n > 0 && n == sr.Size && uint64(sr.From+n) < res.Total {
		last := res.Hits[n-1]
		after := slices.Clone(last.Sort)
		for i, so := range sr.Sort {
			if so.RequiresScoring() {
				// Bleve's sort value for the score is the placeholder
				// "_score"; searching after it needs the score itself.
				after[i] = strconv.FormatFloat(last.Score, 'g', -1, 64)
			}
		}
		out.NextCursor = encodeCursor(page.Sort, after)
	}
	if sr.Facets != nil {
		out.Facets = facets(res.Facets, ix.opts.Now())
		out.Facets.Cap(ix.opts.MaxFacetSize)
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// answer compiles q as c says and runs it for req (see execute), returning
// the Bleve result and the request it answers.
func (ix *Index) answer(ctx context.Context, c *compiler, q *xq.Query, req news.SearchRequest, page xq.Page) (*bleve.SearchResult, *bleve.SearchRequest, error) {
	sr, err := ix.request(c, q, req, page)
	if err != nil {
		return nil, nil, err
	}
	res, err := ix.execute(ctx, c, q, req, page, sr)
	return res, sr, err
}

// maxWindow is the deepest result reachable by page number: Options.MaxWindow,
// or query.MaxWindow if that is not set.
func (ix *Index) maxWindow() int {
	if n := ix.opts.MaxWindow; n > 0 {
		return n
	}
	return xq.MaxWindow
}

// request builds the Bleve request of q compiled by c, for req and its
// validated page.
func (ix *Index) request(c *compiler, q *xq.Query, req news.SearchRequest, page xq.Page) (*bleve.SearchRequest, error) {
	var order []string
	switch page.Sort {
	case news.SortRelevance:
		order = ix.byScore
	case news.SortDate:
		order = ix.byDate
	}
	mq, err := c.matchQuery(q)
	if err != nil {
		return nil, err
	}
	musts := append([]query.Query{mq}, filterQueries(req)...)
	// Near-duplicate copies are collapsed into their original: they are
	// left out here and counted per hit afterwards (see copies).
	isDup := query.NewTermQuery("1")
	isDup.SetField(fIsDup)
	qq := query.NewBooleanQuery(musts, nil, []query.Query{isDup})
	sr := bleve.NewSearchRequestOptions(qq, page.Size, (page.Number-1)*page.Size, false)
	sr.Fields = storedFields
	sr.SortBy(order)
	if req.Cursor != "" {
		after, err := decodeCursor(req.Cursor, page.Sort, len(order))
		if err != nil {
			return nil, err
		}
		sr.From = 0
		sr.SearchAfter = after
	}
	if req.Facets {
		// Every distinct value: days are summed into years, months and
		// ranges after the search.
		sr.AddFacet(fFacet, bleve.NewFacetRequest(fFacet, 1<<20))
	}
	return sr, nil
}

// filterQueries returns the clauses of req's filters on section, region
// and date: they match without scoring (boost 0).
func filterQueries(req news.SearchRequest) []query.Query {
	var out []query.Query
	term := func(field, v string) {
		if v = strings.TrimSpace(v); v != "" {
			t := query.NewTermQuery(v)
			t.SetField(field)
			t.SetBoost(0)
			out = append(out, t)
		}
	}
	term(fSectionPath, xq.NormalizeSection(req.Section))
	term(fRegion, req.Region)
	term(fProvince, req.Province)
	term(fCity, req.City)
	term(fCounty, req.County)
	if !req.From.IsZero() || !req.To.IsZero() {
		inclusive, exclusive := true, false
		dr := query.NewDateRangeInclusiveQuery(req.From, req.To, &inclusive, &exclusive)
		dr.SetField(fPublished)
		dr.SetBoost(0)
		out = append(out, dr)
	}
	return out
}

// bleveSearch runs sr on the index, on every shard of a sharded one. A
// shard that fails fails the search (a partial answer would be silently
// wrong); a search whose context ends is an EUNAVAILABLE error.
func (ix *Index) bleveSearch(ctx context.Context, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err == nil {
		err = searchFailed(res)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, news.Errorf(news.EUNAVAILABLE, "search cancelled or timed out")
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// searchFailed returns an error if any shard failed a search whose merged
// result res is.
func searchFailed(res *bleve.SearchResult) error {
	if res == nil || res.Status == nil || res.Status.Failed == 0 {
		return nil
	}
	for name, err := range res.Status.Errors {
		return fmt.Errorf("search of %s: %w", name, err)
	}
	return fmt.Errorf("search failed on %d of %d shards", res.Status.Failed, res.Status.Total)
}

// cursor is where the next page starts: the sort values of the last hit,
// as bytes (date keys are not UTF-8; see pubKey).
type cursor struct {
	Sort  string   `json:"s"`
	After [][]byte `json:"a"`
}

func encodeCursor(sortBy string, after []string) string {
	c := cursor{Sort: sortBy}
	for _, a := range after {
		c.After = append(c.After, []byte(a))
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sortBy string, n int) ([]string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || len(c.After) != n {
		return nil, news.Errorf(news.EINVALID, "cursor is not one this server gave out; start again from the first page")
	}
	if c.Sort != sortBy {
		return nil, news.Errorf(news.EINVALID, "cursor was made for sort %q, not %q; start again from the first page", c.Sort, sortBy)
	}
	after := make([]string, len(c.After))
	for i, a := range c.After {
		after[i] = string(a)
	}
	return after, nil
}

func hitFromDoc(h *search.DocumentMatch) news.Hit {
	str := func(k string) string {
		if v, ok := h.Fields[k].(string); ok {
			return v
		}
		return ""
	}
	hit := news.Hit{
		ID:    h.ID,
		Score: h.Score,
		Title: str(fTitle),
		URL:   str(fURL),
		Region: news.Region{
			Province: str(fProvince),
			City:     str(fCity),
			County:   str(fCounty),
			Code:     str(fRegionCode),
		},
		Source:  str(fSource),
		Section: []string{},
	}
	if s := str(fSection); s != "" {
		hit.Section = strings.Split(s, news.SectionSep)
	}
	if s := str(fPublished); s != "" {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			hit.PublishedAt = t.In(news.CST)
		}
	}
	return hit
}

// facets turns the counts of the facet field's values into the facets of a
// result (see news.NewFacets). now decides the relative date ranges.
func facets(fr search.FacetResults, now time.Time) *news.Facets {
	sections, provinces, cities, days := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	if f, ok := fr[fFacet]; ok && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			for _, d := range []struct {
				prefix string
				m      map[string]int
			}{{facetSection, sections}, {facetProvince, provinces}, {facetCity, cities}, {facetDay, days}} {
				if v, ok := strings.CutPrefix(t.Term, d.prefix); ok {
					d.m[v] += t.Count
					break
				}
			}
		}
	}
	return news.NewFacets(sections, provinces, cities, days, now)
}

// copies sets how many near-duplicate copies each hit has.
func (ix *Index) copies(ctx context.Context, hits []news.Hit) error {
	if len(hits) == 0 {
		return nil
	}
	var qs []query.Query
	for _, h := range hits {
		t := query.NewTermQuery(h.ID)
		t.SetField(fDupOf)
		qs = append(qs, t)
	}
	sr := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), 0, 0, false)
	sr.AddFacet(fDupOf, bleve.NewFacetRequest(fDupOf, len(hits)))
	res, err := ix.bleveSearch(ctx, sr)
	if err != nil {
		return fmt.Errorf("count copies: %w", err)
	}
	if res.Total == 0 {
		return nil
	}
	counts := map[string]int{}
	if f, ok := res.Facets[fDupOf]; ok && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			counts[t.Term] = t.Count
		}
	}
	for i := range hits {
		hits[i].Duplicates = counts[hits[i].ID]
	}
	return nil
}
