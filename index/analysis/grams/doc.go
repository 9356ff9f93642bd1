// Package grams is the Bleve tokenizer and analyzer that index every Chinese
// character with the one after it (a bigram; the last character of a run
// stands alone) and every run of Latin letters or digits as one lower-cased
// term, at unit positions: the grams of internal/tokens.Grams. Any Chinese
// string of two or more characters is a phrase of consecutive bigrams and a
// single character is a prefix of a term, so matching on this field finds
// every occurrence of a string, whatever the dictionary: it is what makes
// recall independent of segmentation.
//
// grams imports Bleve's analysis and registry packages and
// internal/textnorm; it registers its tokenizer and analyzer in init.
package grams
