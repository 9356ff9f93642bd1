// Package textnorm cleans and normalizes text for segmentation, indexing,
// querying and highlighting, keeping a map from every normalized rune back to
// the bytes of the original text so that token offsets stay exact.
//
// Normalization folds traditional Chinese characters to simplified ones (one
// character for one, from OpenCC's TSCharacters table, see LICENSE-opencc),
// full-width ASCII to ASCII and letters to lower case, and turns every run of
// separators (punctuation, spaces, symbols, control characters, NUL and bytes
// that are not UTF-8) into one space.
//
// It imports only the standard library and does no I/O.
package textnorm
