package main

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/query"
)

func runSearch(ctx context.Context, args []string, e *env) error {
	fs := newFlags("search", "QUERY...", "Search the index. Words are ANDed; \"quoted phrases\", -exclude and OR work\nas on the web page. With --json, prints the same JSON as GET /api/search.", e.stderr)
	dir := dataFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON (the API's answer)")
	size := fs.Int("size", query.DefaultSize, "hits per page")
	page := fs.Int("page", 1, "page number")
	sortBy := fs.String("sort", "", "relevance or date (default: relevance, or date for an empty query)")
	section := fs.String("section", "", "only this section (any level)")
	reg := fs.String("region", "", "only this province, city or county")
	from := fs.String("from", "", "only articles published on or after this date (YYYY-MM-DD)")
	to := fs.String("to", "", "only articles published before the end of this date (YYYY-MM-DD)")
	facets := fs.Bool("facets", false, "include facet counts")
	if err := parse(fs, args); err != nil {
		return err
	}
	req := news.SearchRequest{
		Query: strings.Join(fs.Args(), " "), Size: *size, Page: *page, Sort: *sortBy,
		Section: *section, Region: *reg, Facets: *facets || *asJSON,
	}
	var err error
	if req.From, err = news.ParseFrom(*from); err != nil {
		return usageError{err}
	}
	if req.To, err = news.ParseTo(*to); err != nil {
		return usageError{err}
	}
	d, err := openData(ctx, *dir, e.stderr)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := d.live.Search(ctx, req)
	if err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return usageError{fmt.Errorf("%s", news.ErrorMessage(err))}
		}
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "%d results (%.1f ms)\n", res.Total, res.TookMS)
	for i, h := range res.Hits {
		date := ""
		if !h.PublishedAt.IsZero() {
			date = h.PublishedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(e.stdout, "\n%d. %s\n   %s  %s  %s  [%s]\n   %s\n", (res.Page-1)*res.Size+i+1,
			terminal(h.Title), date, strings.Join(h.Section, news.SectionSep), strings.Join(h.Region.Names(), news.SectionSep), h.ID, terminal(h.Snippet))
	}
	return nil
}

var markTags = regexp.MustCompile(`</?mark>`)

// terminal turns highlighted HTML into text with the matches in bold.
func terminal(s string) string {
	s = markTags.ReplaceAllStringFunc(s, func(t string) string {
		if t == "<mark>" {
			return "\x1b[1m"
		}
		return "\x1b[0m"
	})
	return html.UnescapeString(s)
}
