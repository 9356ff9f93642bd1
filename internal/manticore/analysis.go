package manticore

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"

	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// keyword returns term as one keyword of the charset table: ASCII digits
// and letters and Chinese characters of the table stay as they are; any
// other rune is written _xxxxxx (six hex digits). Tokens never contain an
// underscore of their own (textnorm makes it a separator), so the escape is
// unambiguous, never equals the gap stopword, and keeps prefixes: the
// keyword of a character is a prefix of the keyword of every bigram
// starting with it.
func keyword(term string) string {
	plain := true
	for _, r := range term {
		if !inCharset(r) {
			plain = false
			break
		}
	}
	if plain {
		return term
	}
	var b strings.Builder
	for _, r := range term {
		if inCharset(r) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "_%06x", r)
		}
	}
	return b.String()
}

func inCharset(r rune) bool {
	return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r <= 0xFFFF && unicode.Is(hanRanges, r)
}

// gramText is the bigram field of text: its grams as keywords, one per
// unit, with the gap stopword at units that have none (separators), so
// that a keyword's position is its unit plus one.
func gramText(text string) string {
	gs := tokens.Grams(textnorm.New(text))
	var b strings.Builder
	b.Grow(len(text) * 2)
	next := 0
	for _, g := range gs {
		for ; next < g.Unit; next++ {
			b.WriteString(gapWord)
			b.WriteByte(' ')
		}
		b.WriteString(keyword(g.Term))
		b.WriteByte(' ')
		next = g.Unit + 1
	}
	return b.String()
}

// wordText is the words field of text: its jieba search-mode words as seg
// cuts them (and Latin words) as keywords, for ranking only.
func wordText(seg *segment.Segmenter, text string) string {
	ts := tokens.Words(seg, textnorm.New(text))
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(keyword(string(t.Term)))
		b.WriteByte(' ')
	}
	return b.String()
}

// hash63 is a 63-bit FNV-1a hash: document IDs and the hashed values of
// multi-valued filter attributes (never 0).
func hash63(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	v := h.Sum64() & (1<<63 - 1)
	if v == 0 {
		v = 1
	}
	return v
}

// shardOf returns the shard, of n, that owns the article with ID id.
func ShardOf(id string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(n))
}
