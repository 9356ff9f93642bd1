// Package news holds Xinwen's domain vocabulary: the Article and its Region,
// the search request and result types every adapter speaks, the Backend a
// search index implements (the embedded Bleve index, a search cluster), what
// happened to an ingested record (IngestOutcome, counted by IngestSummary),
// a rebuild Job and its states, and the Error type with its codes.
//
// It imports only the standard library. Adapters (the Bleve index, the jieba
// segmenter, the article store, the HTTP API) import news; news imports none
// of them.
package news
