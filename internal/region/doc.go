// Package region owns China's administrative-division gazetteer and the
// detection of where a news story happens.
//
// The gazetteer is embedded in the binary as gazetteer.tsv: the 31 mainland
// provinces with their cities and counties from the statistics bureau's 2023
// codes, plus Hong Kong, Macau and Taiwan with their districts (3,753 places;
// licence in gazetteer-LICENSE.txt). gen.go derives it from
// ../shared/gazetteer, which is not part of the repository; run `go generate`
// in this directory to rebuild it. Default parses it once, on first use.
//
// Resolve decides an article's news.Region from, in order, an explicit hint,
// the section breadcrumb, the dateline, and the mentions of places in the
// title and body, found in one leftmost-longest pass over a trie of all
// names. A name that is ambiguous (朝阳, 鼓楼) or also an ordinary word (城关,
// 和平) never decides a region alone; national, foreign and many-province
// stories get the zero Region. The word lists that keep ordinary words from
// counting as places are in words.go.
//
// The package imports only the standard library and internal/news (its tests
// also read the xz-compressed corpus in ../shared). It must not import the
// other adapters (the index, the segmenter, the store, the HTTP layer), and it
// holds no mutable package state beyond the lazily built default gazetteer.
package region

//go:generate go run gen.go
