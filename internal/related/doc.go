// Package related chooses what "related articles" look for and show, the
// same for every backend: an article's most distinctive words by jieba's
// TF-IDF, less those too common in the backend to tell stories apart
// (Words), and one article per group of near-duplicates among the best
// matches (OnePerGroup). Each backend runs the search itself.
//
// related imports internal/news, internal/segment (the segmenter is passed
// in) and internal/textnorm. It must not import Bleve, a backend, the store
// or the HTTP layer.
package related
