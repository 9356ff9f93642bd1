// Package searcher holds the Bleve queries and searchers Xinwen adds to
// Bleve's own, the way Bleve keeps search/searcher:
//
//   - GramPhrase: a run of grams at fixed unit offsets in one bigram field,
//     the exact string of a literal;
//   - Exact: a Chinese literal in any of several fields each indexed twice
//     (jieba words and bigrams), found through the words where it can;
//   - Only: what another query matches among a given set of articles
//     (DocSet), which the gram phrases under it are told too;
//   - Proximity: another query's score multiplied by how close its
//     literals stand.
//
// Every constructor takes the field names it reads; the package knows no
// mapping. One position matcher (starts) decides where a literal stands for
// all of them.
//
// searcher imports Bleve's search, query, mapping and index API packages,
// internal/textnorm and internal/tokens. It must not import the index
// package above it, a backend, the store or the HTTP layer.
package searcher
