// Package index owns Xinwen's Bleve index: the mapping, indexing in batches,
// the query language, filters, facets, sorting, deep paging and highlighted
// snippets.
//
// Each title and body is indexed twice: once as jieba words (package
// analysis/words) for word-level ranking, once as character bigrams (package
// analysis/grams) with positions. Every word of a query must occur in the
// title or body as an exact string, which the bigram field answers whatever
// jieba's dictionary does with the text around it; the jieba fields only rank.
//
// index imports Bleve, internal/news, internal/textnorm and internal/segment
// (through analysis). It does not import the store, the HTTP layer or cmd: the
// full text needed for snippets comes through the Texts interface.
package index
