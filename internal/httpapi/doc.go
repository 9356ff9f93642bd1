// Package httpapi is Xinwen's HTTP layer on Echo: the JSON search API, the
// article and ingest endpoints, the editors' admin endpoints (rebuild jobs,
// the user dictionary), health checks, /metrics and the reader's page.
// Handlers return errors; one error handler maps news error codes to HTTP
// statuses.
//
// It imports internal/news for the domain types (articles, search results,
// ingest outcomes, rebuild jobs, errors), internal/extract for the records
// of a request body, internal/audit for the editors' audit log, Echo, and
// Prometheus's client for /metrics. The index, the article store, the ingest
// pipeline, rebuild jobs and the dictionary are small interfaces here that
// cmd/xinwen fills with the real adapters.
//
// It must not import those adapters (index, internal/live, internal/ingest,
// internal/store, internal/segment, internal/dictionary): httpapi links
// neither Bleve, gojieba (cgo) nor bbolt, and its tests link neither Bleve
// nor gojieba.
package httpapi
