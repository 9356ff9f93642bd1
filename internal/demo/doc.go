// Package demo ships the demo articles inside the binary, so that
// `xinwen serve --demo` has something to search from any directory.
//
// demo.jsonl.gz holds 402 real articles: every 80th story of CCTV's evening
// news transcripts 2022–2026 (as published on cctv.com) and every 20th of a
// 2018 sample of Sina news articles; gscn-2020-09-28-qingshui.txt is one page
// of the Gansu portal gscn.com.cn as text. The texts are their publishers'
// copyright and are included as a small sample for testing and demonstration
// only. gen.sh regenerates the files from the project's shared corpora.
package demo

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
)

//go:embed demo.jsonl.gz
var articlesGz []byte

//go:embed gscn-2020-09-28-qingshui.txt
var page string

// Articles returns the demo articles as JSON Lines (fields id, title, body,
// date, section_guess or category, url, source).
func Articles() (io.Reader, error) {
	return gzip.NewReader(bytes.NewReader(articlesGz))
}

// ArticlesName is the name errors use for the demo articles.
const ArticlesName = "demo.jsonl"

// Page returns the demo portal page as raw text.
func Page() string { return page }

// PageName is the name errors use for the demo page.
const PageName = "gscn-2020-09-28-qingshui.txt"
