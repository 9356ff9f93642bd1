// Package live keeps the index a running Xinwen searches and replaces it,
// without downtime, by one rebuilt from the article store.
//
// The data directory names its live index in the file CURRENT. A rebuild
// builds a new index in a directory of its own beside the live one while
// searches and ingests go on; when it is complete, ingest pauses while the
// new index catches up with articles stored during the rebuild, CURRENT is
// replaced atomically (write a temporary file, rename) and the in-memory
// pointer swapped; the old index is closed once the searches that were using
// it have finished, and removed. A rebuild that fails, is cancelled or is
// killed leaves CURRENT and the old index untouched; Open removes whatever
// it left behind. Bleve indexes are never renamed while open: scorch keeps
// writing to the path it was opened with.
//
// The live index owns what reads the index in the background (the
// suggestions' rebuilds): it stops and waits for that work before it closes
// an index, on a swap and on Close.
//
// live composes the index, the store, the ingest pipeline and the
// suggestions (it imports index, internal/store, internal/ingest,
// internal/suggest and news); cmd wires it.
package live
