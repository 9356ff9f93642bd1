// Package words is the Bleve tokenizer and analyzer that cut text into jieba
// words (search mode: long words and the dictionary words inside them) for
// word-level ranking, as internal/tokens.Words cuts them: Latin words and
// numbers are kept whole and lower-cased; traditional characters are folded
// to simplified ones first; punctuation and spaces never become terms.
//
// words imports Bleve's analysis and registry packages, index/analysis (the
// segmenter index.Open installs), internal/tokens and internal/textnorm; it
// registers its tokenizer and analyzer in init.
package words
