// Package extract turns raw inputs into news.Article values: JSON exports
// (JSON Lines, an array of objects, or one object), HTML pages in UTF-8, GBK
// or GB18030, and the text of portal pages copied as plain text. Walk reads
// files and directories, decompressing .gz and .xz on the way, and hands every
// article, or the reason one could not be read, to a callback as a Record;
// Count estimates beforehand, by the same rules, how many it will hand over.
//
// Extract owns the cleaning rules that every article passes through: valid
// UTF-8 without control characters, paragraphs separated by a single "\n"
// without indentation, runs of spaces collapsed, and a stable ID (the export's
// id, else the URL, else a hash of title and body). It also owns date parsing
// for the formats Chinese portals use (ParseTime); times without an offset are
// China Standard Time.
//
// It imports the standard library, internal/news, golang.org/x/text (character
// encodings), golang.org/x/net/html, github.com/ulikunitz/xz and
// codeberg.org/readeck/go-readability/v2 (main-text extraction). It must not
// import the index, the segmenter, the store or the HTTP layer, and it does no
// region detection: explicit region metadata is passed on raw as
// Record.RegionHint for the gazetteer to resolve.
package extract
