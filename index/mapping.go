package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/xinwen/xinwen/index/analysis/grams"
	"github.com/xinwen/xinwen/index/analysis/words"
	"github.com/xinwen/xinwen/internal/news"
)

// Field names in the index.
const (
	fTitle       = "title"   // jieba words, stored for result lists
	fTitleGrams  = "title_g" // bigrams with positions, for matching
	fBody        = "body"    // jieba words
	fBodyGrams   = "body_g"  // bigrams with positions
	fSection     = "section" // full path, exact; facet
	fSectionPath = "section_path"
	fProvince    = "province"
	fCity        = "city"
	fCounty      = "county"
	fRegion      = "region" // every level's name, for one filter of any level
	fRegionCode  = "region_code"
	fPublished   = "published"
	fYear        = "year"
	fMonth       = "month"
	fSource      = "source"
	fURL         = "url"
	fAuthors     = "authors"
	fEditor      = "editor"
	fDupOf       = "dup_of"
)

// storedFields are what a result list needs.
var storedFields = []string{fTitle, fURL, fPublished, fSection, fProvince, fCity, fCounty, fRegionCode, fSource, fDupOf}

// NewMapping returns Xinwen's index mapping: a static mapping with no
// all-fields copy; doc values only on the fields that sort or facet.
func NewMapping() mapping.IndexMapping {
	text := func(analyzer string, store, vectors bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = vectors
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	storedOnly := func() *mapping.FieldMapping {
		f := kw(true, false)
		f.Index = false
		return f
	}
	date := bleve.NewDateTimeFieldMapping()
	date.Store = true
	date.IncludeInAll = false
	date.DocValues = true

	dm := bleve.NewDocumentStaticMapping()
	add := func(name string, f *mapping.FieldMapping) { dm.AddFieldMappingsAt(name, f) }
	add(fTitle, text(words.Name, true, false))
	add(fTitleGrams, text(grams.Name, false, true))
	add(fBody, text(words.Name, false, false))
	add(fBodyGrams, text(grams.Name, false, true))
	add(fSection, kw(true, true))
	add(fSectionPath, kw(false, false))
	add(fProvince, kw(true, true))
	add(fCity, kw(true, true))
	add(fCounty, kw(true, false))
	add(fRegion, kw(false, false))
	add(fRegionCode, storedOnly())
	add(fPublished, date)
	add(fYear, kw(false, true))
	add(fMonth, kw(false, true))
	add(fSource, kw(true, false))
	add(fURL, storedOnly())
	add(fAuthors, kw(false, false))
	add(fEditor, kw(false, false))
	add(fDupOf, kw(true, false))

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = words.Name
	im.DefaultField = fBody
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.ScoringModel = bindex.BM25Scoring
	return im
}

// document converts an article to what the mapping indexes.
func document(a *news.Article) map[string]any {
	doc := map[string]any{
		fTitle:      a.Title,
		fTitleGrams: a.Title,
		fBody:       a.Body,
		fBodyGrams:  a.Body,
	}
	set := func(k, v string) {
		if v != "" {
			doc[k] = v
		}
	}
	set(fSection, a.SectionPath())
	if p := a.SectionPrefixes(); len(p) > 0 {
		doc[fSectionPath] = p
	}
	set(fProvince, a.Region.Province)
	set(fCity, a.Region.City)
	set(fCounty, a.Region.County)
	if names := a.Region.Names(); len(names) > 0 {
		doc[fRegion] = names
	}
	set(fRegionCode, a.Region.Code)
	if !a.PublishedAt.IsZero() {
		t := a.PublishedAt.In(news.CST)
		doc[fPublished] = t
		doc[fYear] = t.Format("2006")
		doc[fMonth] = t.Format("2006-01")
	}
	set(fSource, a.Source)
	set(fURL, a.URL)
	if len(a.Authors) > 0 {
		doc[fAuthors] = a.Authors
	}
	set(fEditor, a.Editor)
	set(fDupOf, a.DuplicateOf)
	return doc
}
