package news

import (
	"strings"
	"time"
)

// Sort orders for search results.
const (
	SortRelevance = "relevance"
	SortDate      = "date" // newest first
)

// SearchRequest is a reader's search: a query in the query language of the
// index package plus filters, order and page.
type SearchRequest struct {
	Query    string    `json:"q"`
	Section  string    `json:"section,omitempty"`  // any level of a section path
	Region   string    `json:"region,omitempty"`   // any level: province, city or county
	Province string    `json:"province,omitempty"` // exact province name
	City     string    `json:"city,omitempty"`
	County   string    `json:"county,omitempty"`
	From     time.Time `json:"from,omitzero"` // inclusive
	To       time.Time `json:"to,omitzero"`   // exclusive
	Sort     string    `json:"sort,omitempty"`
	Page     int       `json:"page,omitempty"` // 1-based
	Size     int       `json:"size,omitempty"`
	Cursor   string    `json:"cursor,omitempty"` // deep paging: the NextCursor of the previous page
	Facets   bool      `json:"facets,omitempty"`
}

// SearchResult is one page of hits with facet counts.
type SearchResult struct {
	Total      uint64  `json:"total"`
	TookMS     float64 `json:"took_ms"`
	Page       int     `json:"page"`
	Size       int     `json:"size"`
	Hits       []Hit   `json:"hits"`
	Facets     *Facets `json:"facets,omitempty"`
	NextCursor string  `json:"next_cursor,omitempty"`
	// Relaxed is true when no article has every word of the query and the
	// hits are those with the most of them.
	Relaxed bool `json:"relaxed,omitempty"`
	// Partial is true when part of the index did not answer (a node of a
	// search cluster is down): hits, total and facets count only the parts
	// that did, and Warnings says which did not.
	Partial  bool     `json:"partial,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// Hit is one article in a result list.
type Hit struct {
	ID          string    `json:"id"`
	Score       float64   `json:"score"`
	Title       string    `json:"title"` // HTML: escaped text with <mark> around matches
	URL         string    `json:"url,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	Section     []string  `json:"section"`
	Region      Region    `json:"region"`
	Source      string    `json:"source,omitempty"`
	Snippet     string    `json:"snippet"` // HTML: escaped text with <mark> around matches
	Duplicates  int       `json:"duplicates,omitempty"`
}

// Facets are counts of the matching articles by section, region and date.
type Facets struct {
	Section  []FacetCount `json:"section"`
	Province []FacetCount `json:"province"`
	City     []FacetCount `json:"city"`
	Year     []FacetCount `json:"year"`
	Month    []FacetCount `json:"month"`
	Range    []FacetCount `json:"range"` // 近一周, 近一月, 近一年, 一年以前
}

// FacetCount is one facet value and how many matching articles have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// ParseFrom parses the start of a date filter (SearchRequest.From, the API's
// and the command line's "from"): a day, YYYY-MM-DD in China Standard Time,
// meaning its first moment, or an RFC 3339 time. Space around it is ignored;
// an empty string is the zero time, no bound. Anything else is an *Error with
// code EINVALID that names "from" and shows a valid date.
func ParseFrom(s string) (time.Time, error) { return parseDay(s, "from", false) }

// ParseTo parses the end of a date filter (SearchRequest.To, "to"), which is
// exclusive: a day, YYYY-MM-DD in China Standard Time, means the start of the
// next day, so that the whole day is included; an RFC 3339 time is taken as
// it is. Space, the empty string and errors are as for ParseFrom, but the
// errors name "to".
func ParseTo(s string) (time.Time, error) { return parseDay(s, "to", true) }

// parseDay is ParseFrom (end false) and ParseTo (end true); name is the
// parameter the errors name.
func parseDay(s, name string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, CST); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, Errorf(EINVALID, "%s: %q is not a date like 2024-05-31", name, s)
}
