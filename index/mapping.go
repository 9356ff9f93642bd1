package index

import (
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
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
	fPublished   = "published" // date-time: range filters, stored for display
	fPubKey      = "pubkey"    // the same time as a sortable keyword: the date sort reads one term per document, not a numeric field's sixteen
	fFacet       = "facet"     // s:section, p:province, c:city, d:YYYY-MM-DD; the one doc-values field facets read
	fSource      = "source"
	fURL         = "url"
	fAuthors     = "authors"
	fEditor      = "editor"
	fDupOf       = "dup_of" // the original's ID, on near-duplicate copies
	fIsDup       = "is_dup" // "1" on copies, so that searches can leave them out
)

// storedFields are what a result list needs.
var storedFields = []string{fTitle, fURL, fPublished, fSection, fProvince, fCity, fCounty, fRegionCode, fSource, fDupOf}

// NewMapping returns Xinwen's index mapping: a static mapping with no
// all-fields copy; doc values only on the fields that sort or facet. All
// facets read one doc-values field (fFacet) with a prefixed value per
// dimension: visiting one field per document instead of six makes a
// match-all with every facet about three times cheaper.
func NewMapping(a Analysis) mapping.IndexMapping {
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
	date.DocValues = false

	dm := bleve.NewDocumentStaticMapping()
	add := func(name string, f *mapping.FieldMapping) { dm.AddFieldMappingsAt(name, f) }
	if a == AnalysisCJK {
		// The baseline: Bleve's cjk bigram analyzer on title and body, with
		// term vectors so that phrases work; everything else the same.
		add(fTitle, text(cjk.AnalyzerName, true, true))
		add(fBody, text(cjk.AnalyzerName, false, true))
	} else {
		addXinwenText(add, text)
	}
	add(fSection, kw(true, false))
	add(fSectionPath, kw(false, false))
	add(fProvince, kw(true, false))
	add(fCity, kw(true, false))
	add(fCounty, kw(true, false))
	add(fRegion, kw(false, false))
	add(fRegionCode, storedOnly())
	add(fPublished, date)
	add(fPubKey, kw(false, true))
	add(fFacet, kw(false, true))
	add(fSource, kw(true, false))
	add(fURL, storedOnly())
	add(fAuthors, kw(false, false))
	add(fEditor, kw(false, false))
	add(fDupOf, kw(true, true))
	add(fIsDup, kw(false, false))

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = words.Name
	if a == AnalysisCJK {
		im.DefaultAnalyzer = cjk.AnalyzerName
	}
	im.DefaultField = fBody
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.ScoringModel = bindex.BM25Scoring
	return im
}

// pubKeyLayout formats publication times (in CST) so that byte order is time order.
const pubKeyLayout = "2006-01-02T15:04:05"

// pubKey is an article's date-sort key: its publication time in CST
// (pubKeyLayout), the byte 0x01, and its ID with every byte inverted (255-b) and
// 0xFF after them, so that a descending sort puts the same second's
// articles in ascending ID order, as every backend must. No two articles
// share a key, so sorts need no tie-break on _id, which would read the ID of
// every matching article (a third of a match-all search sorted by date). An
// article without a time has only 0x01 and the ID part, and sorts after
// every dated one; no key can pass for one of Bleve's prefix-coded numbers
// (a first byte from 0x20 to 0x5F and a length of at most 11), which its
// sort would treat as numbers. Keys are bytes, not text: cursors carry them
// encoded.
func pubKey(t time.Time, id string) string {
	b := make([]byte, 0, len(pubKeyLayout)+len(id)+2)
	if !t.IsZero() {
		b = t.In(news.CST).AppendFormat(b, pubKeyLayout)
	}
	b = append(b, 0x01)
	for i := 0; i < len(id); i++ {
		b = append(b, 255-id[i])
	}
	return string(append(b, 0xFF))
}

// Analysis names how an index analyzes title and body.
type Analysis string

// The analyses an index can be built with.
const (
	AnalysisXinwen Analysis = "xinwen" // jieba words for ranking, bigrams for exact recall
	AnalysisCJK    Analysis = "cjk"    // Bleve's cjk bigram analyzer alone: the baseline benchmarks compare against
)

// document converts an article to what the mapping indexes.
func document(a *news.Article, an Analysis) map[string]any {
	doc := map[string]any{
		fTitle: a.Title,
		fBody:  a.Body,
	}
	if an != AnalysisCJK {
		doc[fTitleGrams] = a.Title
		doc[fBodyGrams] = a.Body
	}
	set := func(k, v string) {
		if v != "" {
			doc[k] = v
		}
	}
	var facet []string
	if p := a.SectionPath(); p != "" {
		doc[fSection] = p
		facet = append(facet, facetSection+p)
	}
	if p := a.SectionPrefixes(); len(p) > 0 {
		doc[fSectionPath] = p
	}
	set(fProvince, a.Region.Province)
	set(fCity, a.Region.City)
	if a.Region.Province != "" {
		facet = append(facet, facetProvince+a.Region.Province)
	}
	if a.Region.City != "" {
		facet = append(facet, facetCity+a.Region.City)
	}
	set(fCounty, a.Region.County)
	if names := a.Region.Names(); len(names) > 0 {
		doc[fRegion] = names
	}
	set(fRegionCode, a.Region.Code)
	if !a.PublishedAt.IsZero() {
		t := a.PublishedAt.In(news.CST)
		doc[fPublished] = t
		facet = append(facet, facetDay+t.Format(time.DateOnly))
	}
	if len(facet) > 0 {
		doc[fFacet] = facet
	}
	doc[fPubKey] = pubKey(a.PublishedAt, a.ID)
	set(fSource, a.Source)
	set(fURL, a.URL)
	if len(a.Authors) > 0 {
		doc[fAuthors] = a.Authors
	}
	set(fEditor, a.Editor)
	if a.DuplicateOf != "" {
		doc[fDupOf] = a.DuplicateOf
		doc[fIsDup] = "1"
	}
	return doc
}

// addXinwenText maps title and body twice: jieba words that rank, bigrams
// with positions (and no frequencies or norms: they only match) that find.
func addXinwenText(add func(string, *mapping.FieldMapping), text func(string, bool, bool) *mapping.FieldMapping) {
	add(fTitle, text(words.Name, true, false))
	gramField := func() *mapping.FieldMapping {
		f := text(grams.Name, false, true)
		f.SkipFreqNorm = true
		return f
	}
	add(fTitleGrams, gramField())
	add(fBody, text(words.Name, false, false))
	add(fBodyGrams, gramField())
}
