package query

import (
	"strings"
	"time"

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

// Page is a validated request's page: its size, number (from 1) and sort
// (news.SortRelevance or news.SortDate).
type Page struct {
	Size, Number int
	Sort         string
}

// Validate checks what every backend must refuse the same way in req: the
// size, the page (within window results, and not with a cursor), the date
// range and the sort. It returns the page to fetch, defaults filled in: the
// sort is relevance, or date for an empty query, unless asked. Each problem
// is an EINVALID *news.Error that says what to change.
func Validate(req news.SearchRequest, q *Query, window int) (Page, error) {
	size := req.Size
	switch {
	case size == 0:
		size = DefaultSize
	case size < 0 || size > MaxSize:
		return Page{}, news.Errorf(news.EINVALID, "size must be between 1 and %d, not %d", MaxSize, size)
	}
	page := req.Page
	switch {
	case page == 0:
		page = 1
	case page < 0:
		return Page{}, news.Errorf(news.EINVALID, "page must be 1 or more, not %d", page)
	case req.Cursor != "" && page > 1:
		return Page{}, news.Errorf(news.EINVALID, "give either a page or a cursor, not both")
	}
	if page > window/size { // page*size would overflow for a huge page
		return Page{}, news.Errorf(news.EINVALID, "page %d is beyond the first %d results; use the cursor (next_cursor) to page deeper", page, window)
	}
	if !req.From.IsZero() && !req.To.IsZero() && !req.From.Before(req.To) {
		return Page{}, news.Errorf(news.EINVALID, "from (%s) must be before to (%s)", req.From.Format(time.DateOnly), req.To.Format(time.DateOnly))
	}
	sortBy := SortOf(req, q)
	if sortBy != news.SortRelevance && sortBy != news.SortDate {
		return Page{}, news.Errorf(news.EINVALID, "unknown sort %q: use %q or %q", req.Sort, news.SortRelevance, news.SortDate)
	}
	return Page{Size: size, Number: page, Sort: sortBy}, nil
}

// SortOf returns the sort req asks for: its own, or relevance for a query
// and date (newest first) for an empty one.
func SortOf(req news.SearchRequest, q *Query) string {
	if req.Sort == "" {
		if q.IsEmpty() {
			return news.SortDate
		}
		return news.SortRelevance
	}
	return req.Sort
}

// NormalizeSection returns a section filter as backends compare it: a path
// written with >, ＞ or / between levels, joined by news.SectionSep, each
// level trimmed.
func NormalizeSection(s string) string {
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
