package store

import (
	"math/bits"
	"time"
	"unicode"
	"unicode/utf8"
)

// Near-duplicate parameters.
const (
	// DuplicateDistance is the largest Hamming distance between two SimHashes
	// that still makes the later article a near-copy of the earlier one.
	DuplicateDistance = 3

	// DuplicateWindow is how far apart two publication times may be for the
	// later article to count as a near-copy; it applies only when both are
	// known. Syndicated copies appear within days of each other; the same
	// template a year later (an annual ceremony, the next session of a
	// committee) is a new story.
	DuplicateWindow = 7 * 24 * time.Hour

	// MinDuplicateRunes is the number of characters, not counting punctuation,
	// symbols and white space, that a body needs before it is fingerprinted.
	// Shorter bodies are never duplicates and never originals.
	MinDuplicateRunes = 200

	shingleRunes = 3
	bandCount    = 4
	bandBits     = 64 / bandCount
)

// simHash returns the 64-bit SimHash of body over character 3-grams of its
// normalized text (letters and digits only, lower-cased, full-width ASCII
// folded to half-width), each hashed with FNV-1a 64. ok is false when the
// normalized body is shorter than MinDuplicateRunes.
func simHash(body string) (hash uint64, ok bool) {
	norm := make([]byte, 0, len(body))
	offs := make([]int32, 0, len(body)/2)
	for _, r := range body {
		if r = normRune(r); r < 0 {
			continue
		}
		offs = append(offs, int32(len(norm)))
		norm = utf8.AppendRune(norm, r)
	}
	n := len(offs)
	if n < MinDuplicateRunes {
		return 0, false
	}
	offs = append(offs, int32(len(norm)))

	// Bit j of the SimHash is set when more than half of the shingle hashes
	// have bit j set. Count the set bits of all 64 positions at once with
	// bit-sliced counters: bit j of level[k] is bit k of position j's count,
	// and adding a hash is a ripple-carry add across the levels.
	var level [32]uint64
	shingles := n - shingleRunes + 1
	for i := 0; i < shingles; i++ {
		carry := fnv1a64(norm[offs[i]:offs[i+shingleRunes]])
		for k := 0; carry != 0; k++ {
			level[k], carry = level[k]^carry, level[k]&carry
		}
	}
	for j := range 64 {
		var count int
		for k := range level {
			count |= int(level[k]>>j&1) << k
		}
		if 2*count > shingles {
			hash |= 1 << j
		}
	}
	return hash, true
}

// normRune returns the rune a body character counts as for fingerprinting,
// or -1 if it does not count (punctuation, symbols, white space, controls).
func normRune(r rune) rune {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF: // CJK Unified Ideographs: most of the text
		return r
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return r
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII variants
		return normRune(r - 0xFEE0)
	case unicode.IsLetter(r) || unicode.IsNumber(r):
		return unicode.ToLower(r)
	}
	return -1
}

func fnv1a64(b []byte) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for _, c := range b {
		h ^= uint64(c)
		h *= prime64
	}
	return h
}

func hamming(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// band returns the i-th 16-bit band of h as a 2-byte big-endian key prefix.
// Two hashes within DuplicateDistance (< bandCount) bits of each other agree
// on at least one band, so looking up all four bands finds every candidate.
func band(h uint64, i int) []byte {
	v := uint16(h >> (i * bandBits))
	return []byte{byte(v >> 8), byte(v)}
}
