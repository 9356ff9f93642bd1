package analysis

import (
	"errors"
	"sync/atomic"

	"github.com/xinwen/xinwen/internal/segment"
)

var current atomic.Pointer[segment.Segmenter]

// SetSegmenter makes s the segmenter every Xinwen tokenizer uses from now on.
// The previous one must not be freed: searches in flight may still use it.
func SetSegmenter(s *segment.Segmenter) { current.Store(s) }

// Segmenter returns the current segmenter, or nil before SetSegmenter.
func Segmenter() *segment.Segmenter { return current.Load() }

// ErrNoSegmenter is returned by tokenizer constructors when SetSegmenter has
// not been called.
var ErrNoSegmenter = errors.New("analysis: no jieba segmenter: call analysis.SetSegmenter before opening an index")
