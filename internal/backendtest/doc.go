// Package backendtest is the test suite every search backend (news.Backend)
// must pass: the embedded Bleve index and the search cluster alike. Run it
// from a backend's tests with a function that opens an empty backend.
//
// The suite runs the golden cases of index/testdata/golden (documents,
// searches and their expected hits and facets), compares searches over the
// demo articles with a plain substring scan of the same articles, and
// checks paging, cursors, sorting, deletes, replacement, near-duplicates,
// snippets, errors and the internal values the ingest watermark lives in.
//
// It imports internal/query (the query parser, for the reference scan),
// internal/testseg (its segmenter), news, textnorm and the demo articles;
// it is imported only by tests.
package backendtest
