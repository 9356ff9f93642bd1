package index

import (
	"context"
	"time"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/xinwen/xinwen/internal/news"
)

// What the other backends share with this one (news.Backend): the Bleve
// index is one, and a cluster backend reuses its query language, snippets
// and facet arithmetic so that both answer alike.
var _ news.Backend = (*Index)(nil)

// Clear removes every article, keeping the index's analysis and internal
// values.
func (ix *Index) Clear(ctx context.Context) error {
	var ids []string
	if err := ix.EachID(ctx, func(id string) error { ids = append(ids, id); return nil }); err != nil {
		return err
	}
	for len(ids) > 0 {
		n := min(len(ids), BatchSize)
		if err := ix.Delete(ctx, ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// FacetsFromCounts builds the facets of a result from counts of matching
// articles by full section path, province, city and day (YYYY-MM-DD in
// CST), exactly as a search of this index does: the same ordering, limits,
// and years, months and relative date ranges (as of now) summed from days.
func FacetsFromCounts(sections, provinces, cities, days map[string]int, now time.Time) *news.Facets {
	tf := &search.TermFacets{}
	add := func(prefix string, m map[string]int) {
		for v, n := range m {
			if v != "" && n > 0 {
				tf.Add(&search.TermFacet{Term: prefix + v, Count: n})
			}
		}
	}
	add(facetSection, sections)
	add(facetProvince, provinces)
	add(facetCity, cities)
	add(facetDay, days)
	return facets(search.FacetResults{fFacet: &search.FacetResult{Field: fFacet, Terms: tf}}, now)
}

// NormalizeSection returns a section filter as the index compares it: a
// path written with >, ＞ or / between levels, joined by news.SectionSep.
func NormalizeSection(s string) string { return normalizeSection(s) }
