// Package httpapi is Xinwen's HTTP layer on Echo: the JSON search API, the
// article endpoint, health checks and the reader's page. Handlers return
// errors; one error handler maps news error codes to HTTP statuses.
//
// It depends on internal/news for types, on small interfaces for the index,
// the article store, the ingest pipeline, rebuild jobs and the dictionary,
// on internal/audit for the editors' audit log and on Prometheus's client
// for /metrics; it calls neither Bleve, jieba nor bbolt itself.
package httpapi
