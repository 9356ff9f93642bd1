// Package suggest completes partly typed queries, the same for every
// backend: a Suggester keeps a snapshot of a Source's words (with how many
// articles hold each) and newest titles in memory and answers each
// keystroke from it. The embedded index is a Source of its own (its term
// dictionaries); a search cluster, whose engine cannot list its words, uses
// an ArticleSource over the newest articles of the article store.
//
// A Suggester owns the goroutines that rebuild its snapshot in the
// background: Close stops them and waits for them, so that whoever closes
// the Source after the Suggester never has it read while or after it
// closes.
//
// suggest imports internal/news, internal/segment (through a
// segment.Current passed in), internal/textnorm and internal/tokens. It
// must not import Bleve, a backend, the store or the HTTP layer.
package suggest
