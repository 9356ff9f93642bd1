// Package segment wraps gojieba: it ships jieba's dictionaries inside the
// binary, validates and loads the user dictionary, and cuts normalized text
// into words with byte offsets.
//
// A *Segmenter is immutable once built: gojieba's dictionary is not safe to
// change while it is in use, so a dictionary change builds a new Segmenter and
// callers swap the pointer. Building one loads tens of megabytes; a process
// keeps one per dictionary version and never frees one that may still be in use.
//
// segment imports gojieba, internal/news and internal/textnorm; it knows
// nothing of Bleve or HTTP.
package segment
