// Package query is Xinwen's query language and the validation of a search
// request, shared by every backend (the embedded Bleve index and the search
// cluster) so that both accept, refuse and understand a request alike.
//
// Parse turns what a reader types into a Query: groups of clauses, each
// clause a word or phrase whose literals (normalized exact strings) must
// occur. Validate checks the paging, date range and sort of a request.
// RankTerms chooses the words a clause ranks by, and RelaxedLiterals and
// MinShould say what a relaxed search (a query no article fully matches)
// counts.
//
// query imports internal/news, internal/segment (the segmenter is passed in,
// never read from a global), internal/textnorm and internal/tokens. It must
// not import Bleve, a backend, the store or the HTTP layer.
package query
