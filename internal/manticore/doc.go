// Package manticore is Xinwen's cluster backend: a news.Backend over
// Manticore Search or Sphinx (2.2 and later) daemons that speak SphinxQL,
// each holding one shard of the articles in a real-time index, searched
// through a distributed index that fans out to every node.
//
// Analysis stays in Go and is the embedded index's: jieba words for ranking
// and character bigrams at unit positions for exact-string recall (see
// index/analysis). Tokens are written space-separated into full-text
// fields whose charset_table keeps each one a single keyword; a unit
// without a bigram (a separator) is written as a stopword, so that keyword
// positions equal unit positions and a query word is, as in the embedded
// index, a phrase of its bigrams. Queries are parsed by index.ParseQuery;
// snippets are highlighted by index.Snippet on the original text from the
// article store; facet counts come from GROUP BY queries and are summed
// into years, months and date ranges by index.FacetsFromCounts.
//
// Writes go to the node that owns an article (a hash of its ID); a search
// goes to any node's distributed index, and to the next node if that one
// does not answer. When a shard does not answer, the result says so
// (Partial, Warnings) and writes for it fail with EUNAVAILABLE.
//
// The package also generates the daemons' configuration (Configs) and a
// Manticore production recipe (Recipe).
//
// It imports index (query language, analysis, highlighting, facet
// arithmetic), news and the MySQL protocol driver; it must not import the
// store, the ingest pipeline or the HTTP layer.
package manticore
