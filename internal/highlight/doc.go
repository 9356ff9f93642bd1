// Package highlight marks a query's literals in titles and cuts snippets
// around them from article bodies, as escaped HTML with <mark>, the same for
// every backend: matches are found on the normalized text (清水縣 in a body
// is marked for the literal 清水县) and mapped back to the original bytes.
//
// highlight imports internal/news and internal/textnorm only.
package highlight
