// Package ingest is the one path by which articles enter Xinwen: extracted
// records are given a region, stored (the store is the source of truth), then
// indexed, in batches. The index records the store's change sequence it has
// caught up to, so an ingest interrupted between the two (kill -9 included)
// is completed by CatchUp on the next start: nothing the store acknowledged
// is ever missing from search.
//
// ingest composes the store and the index; cmd uses it for files and wires
// it behind the HTTP API's Ingester for request bodies. What happened to each
// record is a news.IngestOutcome.
package ingest
