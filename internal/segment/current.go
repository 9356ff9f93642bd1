package segment

import "sync/atomic"

// Current holds the segmenter in use by a process: a change of the user
// dictionary builds a new Segmenter and stores it here, and everything
// that cuts text (query parsing, ranking, suggestions, the index's
// tokenizers) loads it when it needs it, so a swap takes effect at once
// for new documents and queries. Nothing that was loaded is ever freed:
// searches in flight may still use it.
//
// A Current is passed explicitly to whatever needs it. It is safe for
// concurrent use.
type Current struct{ p atomic.Pointer[Segmenter] }

// NewCurrent returns a Current holding s.
func NewCurrent(s *Segmenter) *Current {
	c := &Current{}
	c.p.Store(s)
	return c
}

// Load returns the segmenter in use, nil if none was stored (and for a
// nil Current).
func (c *Current) Load() *Segmenter {
	if c == nil {
		return nil
	}
	return c.p.Load()
}

// Store makes s the segmenter in use.
func (c *Current) Store(s *Segmenter) { c.p.Store(s) }

// Version returns the version of the segmenter in use, "" if none.
func (c *Current) Version() string {
	if s := c.Load(); s != nil {
		return s.Version()
	}
	return ""
}
