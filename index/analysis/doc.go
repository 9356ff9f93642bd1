// Package analysis holds what Xinwen's two Bleve tokenizers (words, grams)
// share: the segmenter the words tokenizer reads.
//
// Bleve builds tokenizers from its global registry, so the segmenter cannot
// be passed to them as an argument: index.Open installs its
// Options.Segmenter with Use, and the tokenizers load the segmenter it holds
// on every call, so a dictionary change (a new segmenter stored in the same
// segment.Current) takes effect at once for new documents, and an index
// swap never loads the dictionaries again. This is the only package-level
// segmenter in Xinwen: everything else (query parsing, ranking, related
// articles, suggestions) is given its segment.Current explicitly.
//
// The terms themselves are cut by internal/tokens, which the cluster
// backend shares; this package and its two subpackages only adapt them to
// Bleve's analysis API.
//
// analysis imports internal/segment; words and grams import Bleve's
// analysis and registry packages, internal/tokens and internal/textnorm.
package analysis
