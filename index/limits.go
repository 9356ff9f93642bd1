package index

import "github.com/xinwen/xinwen/internal/news"

// maxWindow is the deepest result reachable by page number: Options.MaxWindow,
// or MaxWindow if that is not set.
func (ix *Index) maxWindow() int {
	if n := ix.opts.MaxWindow; n > 0 {
		return n
	}
	return MaxWindow
}

// capFacets shortens the value lists of f (section, province, city, year,
// month; not the four date ranges) to at most n values; n <= 0 leaves them
// as they are.
func capFacets(f *news.Facets, n int) {
	if f == nil || n <= 0 {
		return
	}
	for _, l := range []*[]news.FacetCount{&f.Section, &f.Province, &f.City, &f.Year, &f.Month} {
		if len(*l) > n {
			*l = (*l)[:n]
		}
	}
}
