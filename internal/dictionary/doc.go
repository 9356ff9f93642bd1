// Package dictionary manages the user dictionary of a data directory while
// the program runs: it validates edits, builds a new segmenter with the new
// dictionary, saves the dictionary file atomically and makes the new
// segmenter the process's: it stores it in the segment.Current that query
// parsing, ranking and the index's tokenizers load.
//
// A segmenter is never changed in place (gojieba's dictionary is not safe to
// change while in use) and a replaced one is never freed: searches in flight
// may still use it. Documents already indexed keep their old tokens until the
// index is rebuilt; the dictionary version (segment.Version) tells whether a
// rebuild is due.
//
// dictionary imports internal/segment, internal/news and internal/textnorm;
// it knows nothing of Bleve, HTTP, the store or the command line.
package dictionary
