// Package httpapi is Xinwen's HTTP layer on Echo: the JSON search API, the
// article endpoint, health checks and the reader's page. Handlers return
// errors; one error handler maps news error codes to HTTP statuses.
//
// It depends on internal/news for types and on small interfaces for the index
// and the article store; it never imports Bleve, jieba or bbolt.
package httpapi
