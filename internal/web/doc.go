// Package web holds the reader's page: static files embedded in the binary,
// plain HTML, CSS and JavaScript with no build step. The page talks to the
// JSON API and keeps the whole search state in its URL.
//
// web imports only the standard library (embed, io/fs).
package web
