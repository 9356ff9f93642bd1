package news

import (
	"slices"
	"strings"
	"time"
)

// How many values each facet lists at most.
const (
	MaxSectionFacets  = 30
	MaxProvinceFacets = 40
	MaxCityFacets     = 30
	MaxMonthFacets    = 72
)

// dateRanges are the relative date facets, newest first; days 0 means older
// than a year.
var dateRanges = []struct {
	name string
	days int
}{{"近一周", 7}, {"近一月", 30}, {"近一年", 365}, {"一年以前", 0}}

// NewFacets builds the facets of a result from counts of the matching
// articles by full section path, province, city and day (YYYY-MM-DD in
// CST), as every backend shows them: sections, provinces and cities by
// count, most first (ties by value), at most MaxSectionFacets,
// MaxProvinceFacets and MaxCityFacets; years and months (at most
// MaxMonthFacets) newest first, summed from the days; and the four relative
// date ranges as of now (by day, in CST). Empty values, counts below 1 and
// days not of that form are left out.
func NewFacets(sections, provinces, cities, days map[string]int, now time.Time) *Facets {
	out := &Facets{
		Section:  topCounts(sections, MaxSectionFacets),
		Province: topCounts(provinces, MaxProvinceFacets),
		City:     topCounts(cities, MaxCityFacets),
		Range:    []FacetCount{},
	}
	years, months := map[string]int{}, map[string]int{}
	ranges := make([]int, len(dateRanges))
	today := now.In(CST).Format(time.DateOnly)
	cutoffs := make([]string, len(dateRanges))
	for i, r := range dateRanges {
		if r.days == 0 {
			cutoffs[i] = now.In(CST).AddDate(-1, 0, 0).Format(time.DateOnly)
		} else {
			cutoffs[i] = now.In(CST).AddDate(0, 0, -r.days).Format(time.DateOnly)
		}
	}
	for day, n := range days {
		if len(day) != len(time.DateOnly) || n <= 0 {
			continue
		}
		years[day[:4]] += n
		months[day[:7]] += n
		for i, r := range dateRanges {
			if r.days == 0 && day < cutoffs[i] || r.days > 0 && day >= cutoffs[i] && day <= today {
				ranges[i] += n
			}
		}
	}
	out.Year = newestFirst(years, 0)
	out.Month = newestFirst(months, MaxMonthFacets)
	for i, r := range dateRanges {
		out.Range = append(out.Range, FacetCount{Value: r.name, Count: ranges[i]})
	}
	return out
}

// Cap shortens the value lists of f (section, province, city, year, month;
// not the four date ranges) to at most n values; n <= 0 leaves them as
// they are.
func (f *Facets) Cap(n int) {
	if f == nil || n <= 0 {
		return
	}
	for _, l := range []*[]FacetCount{&f.Section, &f.Province, &f.City, &f.Year, &f.Month} {
		if len(*l) > n {
			*l = (*l)[:n]
		}
	}
}

// topCounts lists the values of m by count, most first (ties by value),
// and keeps n.
func topCounts(m map[string]int, n int) []FacetCount {
	out := make([]FacetCount, 0, len(m))
	for v, c := range m {
		if v != "" && c > 0 {
			out = append(out, FacetCount{Value: v, Count: c})
		}
	}
	slices.SortFunc(out, func(a, b FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out[:min(len(out), n)]
}

// newestFirst lists date buckets newest first, keeping n (0: all).
func newestFirst(m map[string]int, n int) []FacetCount {
	out := make([]FacetCount, 0, len(m))
	for k, v := range m {
		out = append(out, FacetCount{Value: k, Count: v})
	}
	slices.SortFunc(out, func(a, b FacetCount) int { return strings.Compare(b.Value, a.Value) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
