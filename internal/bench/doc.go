// Package bench measures Xinwen's index side by side with Bleve's cjk bigram
// analyzer on the same articles, in one process: indexing docs/s and MB/s,
// index size on disk, peak memory (the Go heap sampled, and the process's
// resident set from /proc, which also counts jieba's C++ dictionaries), and
// the latency of a fixed mix of queries with filters and facets. It can
// write CPU and allocation profiles of each phase.
//
// Sources stream articles in batches, so a corpus replicated to a million
// articles (Replicate: new IDs, dates shifted back a year per copy) is never
// held in memory.
//
// bench is a harness, like cmd: it wires the index and extract; the caller
// sets the index's segmenter and may pass region detection as a Prepare.
// Nothing imports it but cmd and benchmarks. Run and Query read
// /proc/self/status and write /proc/self/clear_refs where they exist.
package bench
