// Package analysis holds what Xinwen's two tokenizers share: the process-wide
// jieba segmenter they read, and the conversion of normalized text into Bleve
// tokens with exact byte offsets and unit positions.
//
// Bleve builds tokenizers from its global registry, so the segmenter cannot be
// passed to them as an argument: cmd sets it once with SetSegmenter and swaps
// it (atomically) when the user dictionary changes. Tokenizers read the current
// segmenter on every call, so a swap takes effect at once for new documents and
// queries, and an index swap never loads the dictionaries again.
//
// Positions: every Chinese character, every run of letters and digits and
// every run of separators is one unit (see textnorm.Text.Units); a token's
// position is the unit of its first character, plus one. Search-mode jieba
// words that overlap (长江, 大桥, 长江大桥) therefore keep the positions of
// where they start, and phrase queries built from the same units match exactly.
package analysis
