package news

import (
	"strings"
	"time"
)

// CST is China Standard Time (UTC+8, no daylight saving). Publication times are
// kept and shown in it.
var CST = time.FixedZone("CST", 8*3600)

// SectionSep joins the levels of a section path for display, filters and facets.
const SectionSep = " > "

// Article is one news story as Xinwen keeps it.
type Article struct {
	ID            string    `json:"id"`
	URL           string    `json:"url,omitempty"`
	Title         string    `json:"title"`
	OriginalTitle string    `json:"original_title,omitempty"`
	Body          string    `json:"body"`              // paragraphs separated by "\n"
	Section       []string  `json:"section,omitempty"` // path from the top, e.g. 甘肃新闻, 市州播报, 天水
	Region        Region    `json:"region"`
	PublishedAt   time.Time `json:"published_at"` // zero when unknown
	Source        string    `json:"source,omitempty"`
	Editor        string    `json:"editor,omitempty"`
	Authors       []string  `json:"authors,omitempty"`
	// DuplicateOf is the ID of the article this one is a near-copy of, if any.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// SectionPath returns the section levels joined by SectionSep ("" if none).
func (a *Article) SectionPath() string { return strings.Join(a.Section, SectionSep) }

// SectionPrefixes returns every ancestor path of the section including itself:
// 甘肃新闻, 甘肃新闻 > 市州播报, 甘肃新闻 > 市州播报 > 天水.
func (a *Article) SectionPrefixes() []string {
	out := make([]string, 0, len(a.Section))
	for i := range a.Section {
		out = append(out, strings.Join(a.Section[:i+1], SectionSep))
	}
	return out
}

// Region is where a story happens, at up to three administrative levels.
// Lower levels imply the higher ones: a county always comes with its city and
// province. The zero Region means national, foreign or unknown scope.
type Region struct {
	Province string `json:"province,omitempty"` // 甘肃省
	City     string `json:"city,omitempty"`     // 天水市
	County   string `json:"county,omitempty"`   // 清水县
	Code     string `json:"code,omitempty"`     // statistics-bureau code of the most specific level
}

// IsZero reports whether no region is set.
func (r Region) IsZero() bool { return r.Province == "" && r.City == "" && r.County == "" }

// Names returns the non-empty level names from the top.
func (r Region) Names() []string {
	var out []string
	for _, s := range []string{r.Province, r.City, r.County} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
