package news

import "context"

// Backend is a search index of articles: the embedded Bleve index or a
// cluster of search daemons. The ingest pipeline writes to it and the API
// searches it; the article store, not the backend, is the source of truth,
// so a backend can always be rebuilt from the store.
//
// Implementations are safe for concurrent use.
type Backend interface {
	// Put indexes articles, replacing any with the same ID. An article
	// without an ID is an EINVALID error. A backend that could index only
	// some of them returns an error (EUNAVAILABLE when part of it is down);
	// the caller puts them all again later, so Put must be idempotent.
	Put(ctx context.Context, arts []Article) error
	// Delete removes articles by ID; unknown IDs are ignored.
	Delete(ctx context.Context, ids []string) error
	// Search answers req: the query language, filters, facets, sort and
	// paging. Bad parameters are EINVALID errors. An answer from part of the
	// backend has Partial set.
	Search(ctx context.Context, req SearchRequest) (*SearchResult, error)
	// Count returns how many articles are indexed (near-duplicates included).
	Count() (uint64, error)
	// EachID calls fn with the ID of every indexed article.
	EachID(ctx context.Context, fn func(id string) error) error
	// Clear removes every article (for a rebuild in place).
	Clear(ctx context.Context) error
	// SetInternal and GetInternal keep small values with the index, such as
	// the store sequence it has caught up to (the ingest watermark);
	// GetInternal returns nil for a key never set.
	SetInternal(key string, val []byte) error
	GetInternal(key string) ([]byte, error)
	// Close releases the backend.
	Close() error
}

// Texts gives the full text of articles by ID, which a backend does not
// keep, for snippets. The article store implements it.
type Texts interface {
	// GetMany returns the articles with the given IDs that exist, keyed by
	// ID; an ID without an article is left out, not an error.
	GetMany(ctx context.Context, ids []string) (map[string]Article, error)
}
