// Package tokens cuts normalized text into the terms Xinwen indexes, the
// same for every backend: jieba words for ranking (Words) and character
// bigrams for exact-string recall (Grams), each at unit positions (see
// textnorm.Text.Units). The embedded index's Bleve tokenizers
// (index/analysis/words, index/analysis/grams) and the cluster backend's
// writer both emit what this package cuts, so a query literal is the same
// phrase of bigrams in either.
//
// Positions: every Chinese character, every run of letters and digits and
// every run of separators is one unit; a term's position is the unit of its
// first character, plus one. Search-mode jieba words that overlap (长江,
// 大桥, 长江大桥) keep the positions of where they start, so phrases built
// from the same units match exactly.
//
// tokens imports internal/segment (gojieba) and internal/textnorm; it must
// not import Bleve, the store or the HTTP layer.
package tokens
