// Package index is Xinwen's embedded search backend on Bleve: the mapping,
// opening and creating indexes (in shards if asked), indexing in batches,
// compiling a parsed query (internal/query) into Bleve queries, and
// running them, in two phases where the proximity factor would cost more
// in one (see execute). It answers a news.SearchRequest with hits, facets,
// a cursor and highlighted snippets, finds related articles, and is a
// suggest.Source.
//
// Each title and body is indexed twice: once as jieba words (package
// analysis/words) for word-level ranking, once as character bigrams
// (package analysis/grams) with positions. Every word of a query must occur
// in the title or body as an exact string: the bigram fields answer that
// whatever jieba's dictionary does with the text around it, and where a
// words field holds the literal as a word the word answers it without
// reading positions (searcher.Exact). The jieba words rank.
//
// What the cluster backend shares with this one lives outside it, in
// packages that do not import Bleve: the query language and request
// validation (internal/query), facet shaping (news.NewFacets), snippets
// (internal/highlight), related articles' words (internal/related),
// suggestions (internal/suggest), the result cache and the cap on
// concurrent searches (internal/cache, put in front of any backend). The
// searchers Xinwen adds to Bleve's are in the subpackage searcher.
//
// index imports Bleve, internal/news, internal/query, internal/segment,
// internal/textnorm, internal/tokens, internal/highlight, internal/related,
// internal/suggest and its own subpackages. It does not import the store,
// the HTTP layer or cmd: the full text needed for snippets comes through
// news.Texts.
package index
