package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// Facet sizes.
const (
	facetSection  = 30
	facetProvince = 40
	facetCity     = 30
	facetYear     = 30
	facetMonth    = 72
)

// Search runs req. Bad parameters are EINVALID errors that say what to change.
func (ix *Index) Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error) {
	start := time.Now()
	q, err := ParseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	sr, err := ix.request(q, req)
	if err != nil {
		return nil, err
	}
	res, err := ix.bleve.SearchInContext(ctx, sr)
	if err != nil {
		if ctx.Err() != nil {
			return nil, news.Errorf(news.EUNAVAILABLE, "search cancelled or timed out")
		}
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &news.SearchResult{
		Total: res.Total,
		Page:  max(req.Page, 1),
		Size:  sr.Size,
		Hits:  make([]news.Hit, 0, len(res.Hits)),
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
	if n := len(res.Hits); n > 0 && n == sr.Size && uint64(sr.From+n) < res.Total {
		out.NextCursor = encodeCursor(sortKey(req, q), res.Hits[n-1].Sort)
	}
	if sr.Facets != nil {
		out.Facets = facets(res.Facets)
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// request validates req and builds the Bleve request.
func (ix *Index) request(q *Query, req news.SearchRequest) (*bleve.SearchRequest, error) {
	size := req.Size
	switch {
	case size == 0:
		size = DefaultSize
	case size < 0 || size > MaxSize:
		return nil, news.Errorf(news.EINVALID, "size must be between 1 and %d, not %d", MaxSize, size)
	}
	page := req.Page
	switch {
	case page == 0:
		page = 1
	case page < 0:
		return nil, news.Errorf(news.EINVALID, "page must be 1 or more, not %d", page)
	case req.Cursor != "" && page > 1:
		return nil, news.Errorf(news.EINVALID, "give either a page or a cursor, not both")
	}
	if (page-1)*size+size > MaxWindow {
		return nil, news.Errorf(news.EINVALID, "page %d is beyond the first %d results; use the cursor (next_cursor) to page deeper", page, MaxWindow)
	}
	if !req.From.IsZero() && !req.To.IsZero() && !req.From.Before(req.To) {
		return nil, news.Errorf(news.EINVALID, "from (%s) must be before to (%s)", req.From.Format(time.DateOnly), req.To.Format(time.DateOnly))
	}
	sortBy := sortKey(req, q)
	var order []string
	switch sortBy {
	case news.SortRelevance:
		order = []string{"-_score", "-" + fPublished, "_id"}
	case news.SortDate:
		order = []string{"-" + fPublished, "_id"}
	default:
		return nil, news.Errorf(news.EINVALID, "unknown sort %q: use %q or %q", req.Sort, news.SortRelevance, news.SortDate)
	}

	musts := []query.Query{ix.matchQuery(q)}
	term := func(field, v string) {
		if v = strings.TrimSpace(v); v != "" {
			t := query.NewTermQuery(v)
			t.SetField(field)
			t.SetBoost(0)
			musts = append(musts, t)
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
		musts = append(musts, dr)
	}
	var qq query.Query = musts[0]
	if len(musts) > 1 {
		qq = query.NewConjunctionQuery(musts)
	}
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
		sr.AddFacet("section", bleve.NewFacetRequest(fSection, facetSection))
		sr.AddFacet("province", bleve.NewFacetRequest(fProvince, facetProvince))
		sr.AddFacet("city", bleve.NewFacetRequest(fCity, facetCity))
		sr.AddFacet("year", bleve.NewFacetRequest(fYear, facetYear))
		sr.AddFacet("month", bleve.NewFacetRequest(fMonth, facetMonth))
		fr := bleve.NewFacetRequest(fPublished, len(dateRanges))
		now := ix.opts.Now().In(news.CST)
		for _, r := range dateRanges {
			from := now.AddDate(0, 0, -r.days)
			if r.days == 0 {
				fr.AddDateTimeRange(r.name, time.Time{}, now.AddDate(-1, 0, 0))
				continue
			}
			fr.AddDateTimeRange(r.name, from, time.Time{})
		}
		sr.AddFacet("range", fr)
	}
	return sr, nil
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

type cursor struct {
	Sort  string   `json:"s"`
	After []string `json:"a"`
}

func encodeCursor(sortBy string, after []string) string {
	b, _ := json.Marshal(cursor{Sort: sortBy, After: after})
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
	return c.After, nil
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

func facets(fr search.FacetResults) *news.Facets {
	terms := func(name string) []news.FacetCount {
		out := []news.FacetCount{}
		f, ok := fr[name]
		if !ok || f.Terms == nil {
			return out
		}
		for _, t := range f.Terms.Terms() {
			out = append(out, news.FacetCount{Value: t.Term, Count: t.Count})
		}
		return out
	}
	out := &news.Facets{
		Section:  terms("section"),
		Province: terms("province"),
		City:     terms("city"),
		Year:     terms("year"),
		Month:    terms("month"),
		Range:    []news.FacetCount{},
	}
	if f, ok := fr["range"]; ok {
		counts := map[string]int{}
		for _, r := range f.DateRanges {
			counts[r.Name] = r.Count
		}
		for _, r := range dateRanges {
			out.Range = append(out.Range, news.FacetCount{Value: r.name, Count: counts[r.name]})
		}
	}
	return out
}
