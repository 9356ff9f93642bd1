package analysis

import (
	"errors"
	"sync/atomic"

	"github.com/xinwen/xinwen/internal/segment"
)

// current is where the registered tokenizers find the segmenter: Bleve
// builds them from its process-wide registry, with no way to pass one.
var current atomic.Pointer[segment.Current]

// Use makes the tokenizers cut text with the segmenter c holds from now on
// (index.Open calls it with the index's Options.Segmenter). A process uses
// one Current: it swaps the segmenter inside it when the user dictionary
// changes, never the Current itself.
func Use(c *segment.Current) { current.Store(c) }

// Segmenter returns the segmenter the tokenizers use now, or nil before Use.
func Segmenter() *segment.Segmenter { return current.Load().Load() }

// ErrNoSegmenter is returned by tokenizer constructors before Use, or when
// the Current given holds no segmenter.
var ErrNoSegmenter = errors.New("analysis: no jieba segmenter: open the index with Options.Segmenter set")
