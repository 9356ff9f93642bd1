// Package audit keeps Xinwen's audit log: one JSON line per change attempted
// through the HTTP API (who, what, when, with which outcome), appended to a
// file in the data directory.
//
// It imports only the standard library. It knows nothing of HTTP, tokens or
// articles: callers fill in an Entry.
package audit
