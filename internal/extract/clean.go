package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanLine returns s as one line of clean text: valid UTF-8, without control
// or invisible format characters, every run of white space (line breaks, tabs,
// no-break and full-width spaces included) collapsed to one ASCII space, and
// trimmed.
func cleanLine(s string) string {
	if isCleanLine(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1:
			// invalid byte: dropped
		case unicode.IsSpace(r):
			space = true
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || invisible(r):
			// control and format characters: dropped
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isCleanLine reports whether cleanLine would return s unchanged; it lets
// already clean text (most of it) through without copying.
func isCleanLine(s string) bool {
	prevSpace := true // a leading space is not clean
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			if c == ' ' {
				if prevSpace {
					return false
				}
				prevSpace = true
			} else {
				prevSpace = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r > 0x3000 && r < 0xfeff { // CJK and most other text: no spaces or format characters
			prevSpace = false
			i += n
			continue
		}
		if (r == utf8.RuneError && n == 1) || unicode.IsSpace(r) || r < 0xa0 || invisible(r) {
			return false
		}
		prevSpace = false
		i += n
	}
	return !prevSpace || s == ""
}

// invisible reports format characters that only get in the way of search:
// zero-width space, word joiner, soft hyphen and byte-order marks.
func invisible(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u200e', '\u200f', '\u2060', '\ufeff', '\ufffe':
		return true
	}
	return false
}

// isLineBreak reports the characters that end a paragraph.
func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r == '\v' || r == '\f' || r == '\u0085'
}

// lines splits s into its non-empty cleaned lines.
func lines(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexFunc(s, isLineBreak)
		var line string
		if i < 0 {
			line, s = s, ""
		} else {
			line = s[:i]
			_, n := utf8.DecodeRuneInString(s[i:])
			s = s[i+n:]
		}
		if line = cleanLine(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// cleanBody returns s as clean paragraphs separated by a single "\n", each
// without indentation.
func cleanBody(s string) string {
	if !strings.ContainsFunc(s, isLineBreak) {
		return cleanLine(s)
	}
	return strings.Join(lines(s), "\n")
}

// runeLen is the number of characters in s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
