package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"github.com/xinwen/xinwen/index/analysis"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/xinwen/xinwen/internal/news"
)

// Paging limits.
const (
	DefaultSize = 10
	MaxSize     = 100
	// MaxWindow is the deepest result reachable by page number; beyond it a
	// client pages with the cursor.
	MaxWindow = 10000
)

// Prefixes of the values of the facet field.
const (
	facetSection  = "s:"
	facetProvince = "p:"
	facetCity     = "c:"
	facetDay      = "d:"
)

// How many values each facet returns at most.
const (
	maxSections  = 30
	maxProvinces = 40
	maxCities    = 30
	maxMonths    = 72
)

// Search runs req. Bad parameters are EINVALID errors that say what to change.
//
// Identical requests are answered from a cache until the index changes or a
// minute passes (relative date facets move with the clock); the result and
// its hits are shared, so callers must not modify them.
func (ix *Index) Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	start := time.Now()
	dict := ""
	if seg := analysis.Segmenter(); seg != nil {
		dict = seg.Version() // a dictionary change cuts queries differently
	}
	key := ix.cache.key(ix.gen.Load(), dict, req)
	if res, ok := ix.cache.get(key, start); ok {
		return shared(res, start), nil
	}
	if key == "" {
		return ix.search(ctx, req, start)
	}
	// Identical requests that miss together (a popular query, just after a
	// change to the index) wait for one search instead of each running their
	// own; if that one fails, each runs its own.
	f, leader := ix.flights.join(key)
	if !leader {
		select {
		case <-f.done:
			if f.err == nil {
				return shared(f.res, start), nil
			}
		case <-ctx.Done():
			return nil, news.Errorf(news.EUNAVAILABLE, "search cancelled or timed out")
		}
		return ix.searchAndCache(ctx, req, key, start)
	}
	defer ix.flights.leave(key, f)
	f.res, f.err = ix.searchAndCache(ctx, req, key, start)
	return f.res, f.err
}

func (ix *Index) searchAndCache(ctx context.Context, req news.SearchRequest, key string, start time.Time) (*news.SearchResult, error) {
	res, err := ix.search(ctx, req, start)
	if err == nil {
		ix.cache.put(key, res, start)
	}
	return res, err
}

// shared returns a cached result with its own time taken.
func shared(res *news.SearchResult, start time.Time) *news.SearchResult {
	out := *res
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return &out
}

func (ix *Index) search(ctx context.Context, req news.SearchRequest, start time.Time) (*news.SearchResult, error) {
	if ix.running != nil {
		select {
		case ix.running <- struct{}{}:
			defer func() { <-ix.running }()
		case <-ctx.Done():
			return nil, news.Errorf(news.EUNAVAILABLE, "search cancelled or timed out")
		}
	}
	q, err := ParseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	sr, err := ix.request(q, req)
	if err != nil {
		return nil, err
	}
	res, err := ix.runRanked(ctx, q, req, sr)
	if err != nil {
		return nil, err
	}
	relaxed := false
	if res.Total == 0 && !ix.opts.Strict && ix.analysis != AnalysisCJK && q.relaxable() {
		// No article has every word (a question, a long phrase): answer
		// with those that have the most of them.
		q.relax = true
		if sr, err = ix.request(q, req); err != nil {
			return nil, err
		}
		if res, err = ix.runRanked(ctx, q, req, sr); err != nil {
			return nil, err
		}
		relaxed = true
	}
	out := &news.SearchResult{
		Total:   res.Total,
		Page:    max(req.Page, 1),
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
	if err := ix.snippets(ctx, q, out.Hits); err != nil {
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
		out.NextCursor = encodeCursor(sortKey(req, q), after)
	}
	if sr.Facets != nil {
		out.Facets = facets(res.Facets, ix.opts.Now())
		capFacets(out.Facets, ix.opts.MaxFacetSize)
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

func (ix *Index) run(ctx context.Context, sr *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := ix.searchBleve(ctx, sr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, news.Errorf(news.EUNAVAILABLE, "search cancelled or timed out")
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	return res, nil
}

// request validates req and builds the Bleve request.
func (ix *Index) request(q *Query, req news.SearchRequest) (*bleve.SearchRequest, error) {
	size, page, sortBy, err := Check(req, q, ix.maxWindow())
	if err != nil {
		return nil, err
	}
	var order []string
	switch sortBy {
	case news.SortRelevance:
		order = ix.byScore
	case news.SortDate:
		order = ix.byDate
	}

	musts := append([]query.Query{ix.matchQuery(q)}, filterQueries(req)...)
	// Near-duplicate copies are collapsed into their original: they are
	// left out here and counted per hit afterwards (see copies).
	isDup := query.NewTermQuery("1")
	isDup.SetField(fIsDup)
	qq := query.NewBooleanQuery(musts, nil, []query.Query{isDup})
	sr := bleve.NewSearchRequestOptions(qq, size, (page-1)*size, false)
	sr.Fields = storedFields
	sr.SortBy(order)
	if req.Cursor != "" {
		after, err := decodeCursor(req.Cursor, sortBy, len(order))
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
	term(fSectionPath, normalizeSection(req.Section))
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

// dateRanges are the relative date facets, newest first; days 0 means older
// than a year.
var dateRanges = []struct {
	name string
	days int
}{{"近一周", 7}, {"近一月", 30}, {"近一年", 365}, {"一年以前", 0}}

func sortKey(req news.SearchRequest, q *Query) string {
	if req.Sort == "" {
		if q.IsEmpty() {
			return news.SortDate
		}
		return news.SortRelevance
	}
	return req.Sort
}

// Check validates what every backend must refuse the same way in req: the
// size, the page (within window results, and not with a cursor), the date
// range and the sort. It returns the size and page to use (defaults filled
// in) and the sort (relevance, or date for an empty query, unless asked).
func Check(req news.SearchRequest, q *Query, window int) (size, page int, sortBy string, err error) {
	size = req.Size
	switch {
	case size == 0:
		size = DefaultSize
	case size < 0 || size > MaxSize:
		return 0, 0, "", news.Errorf(news.EINVALID, "size must be between 1 and %d, not %d", MaxSize, size)
	}
	page = req.Page
	switch {
	case page == 0:
		page = 1
	case page < 0:
		return 0, 0, "", news.Errorf(news.EINVALID, "page must be 1 or more, not %d", page)
	case req.Cursor != "" && page > 1:
		return 0, 0, "", news.Errorf(news.EINVALID, "give either a page or a cursor, not both")
	}
	if page > window/size { // page*size would overflow for a huge page
		return 0, 0, "", news.Errorf(news.EINVALID, "page %d is beyond the first %d results; use the cursor (next_cursor) to page deeper", page, window)
	}
	if !req.From.IsZero() && !req.To.IsZero() && !req.From.Before(req.To) {
		return 0, 0, "", news.Errorf(news.EINVALID, "from (%s) must be before to (%s)", req.From.Format(time.DateOnly), req.To.Format(time.DateOnly))
	}
	sortBy = sortKey(req, q)
	if sortBy != news.SortRelevance && sortBy != news.SortDate {
		return 0, 0, "", news.Errorf(news.EINVALID, "unknown sort %q: use %q or %q", req.Sort, news.SortRelevance, news.SortDate)
	}
	return size, page, sortBy, nil
}

// normalizeSection accepts a path written with >, ＞ or / between levels.
func normalizeSection(s string) string {
	s = strings.NewReplacer("＞", ">", "/", ">").Replace(s)
	parts := strings.Split(s, ">")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, news.SectionSep)
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
// result. now decides the relative date ranges (by day, in CST).
func facets(fr search.FacetResults, now time.Time) *news.Facets {
	out := &news.Facets{
		Section: []news.FacetCount{}, Province: []news.FacetCount{}, City: []news.FacetCount{},
		Year: []news.FacetCount{}, Month: []news.FacetCount{}, Range: []news.FacetCount{},
	}
	years, months := map[string]int{}, map[string]int{}
	ranges := make([]int, len(dateRanges))
	today := now.In(news.CST).Format(time.DateOnly)
	cutoffs := make([]string, len(dateRanges))
	for i, r := range dateRanges {
		if r.days == 0 {
			cutoffs[i] = now.In(news.CST).AddDate(-1, 0, 0).Format(time.DateOnly)
		} else {
			cutoffs[i] = now.In(news.CST).AddDate(0, 0, -r.days).Format(time.DateOnly)
		}
	}
	if f, ok := fr[fFacet]; ok && f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			v := t.Term
			switch {
			case strings.HasPrefix(v, facetSection):
				out.Section = append(out.Section, news.FacetCount{Value: v[len(facetSection):], Count: t.Count})
			case strings.HasPrefix(v, facetProvince):
				out.Province = append(out.Province, news.FacetCount{Value: v[len(facetProvince):], Count: t.Count})
			case strings.HasPrefix(v, facetCity):
				out.City = append(out.City, news.FacetCount{Value: v[len(facetCity):], Count: t.Count})
			case strings.HasPrefix(v, facetDay) && len(v) == len(facetDay)+10:
				day := v[len(facetDay):]
				years[day[:4]] += t.Count
				months[day[:7]] += t.Count
				for i, r := range dateRanges {
					if r.days == 0 && day < cutoffs[i] || r.days > 0 && day >= cutoffs[i] && day <= today {
						ranges[i] += t.Count
					}
				}
			}
		}
	}
	out.Section = topCounts(out.Section, maxSections)
	out.Province = topCounts(out.Province, maxProvinces)
	out.City = topCounts(out.City, maxCities)
	out.Year = newestFirst(years, 0)
	out.Month = newestFirst(months, maxMonths)
	for i, r := range dateRanges {
		out.Range = append(out.Range, news.FacetCount{Value: r.name, Count: ranges[i]})
	}
	return out
}

// topCounts sorts by count, most first (ties by value), and keeps n.
func topCounts(fc []news.FacetCount, n int) []news.FacetCount {
	slices.SortFunc(fc, func(a, b news.FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return fc[:min(len(fc), n)]
}

// newestFirst lists date buckets newest first, keeping n (0: all).
func newestFirst(m map[string]int, n int) []news.FacetCount {
	out := make([]news.FacetCount, 0, len(m))
	for k, v := range m {
		out = append(out, news.FacetCount{Value: k, Count: v})
	}
	slices.SortFunc(out, func(a, b news.FacetCount) int { return strings.Compare(b.Value, a.Value) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
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
	res, err := ix.searchBleve(ctx, sr)
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
