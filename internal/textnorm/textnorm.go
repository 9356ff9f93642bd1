package textnorm

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Rune classes.
const (
	Sep   = iota // punctuation, space, symbol, control, invalid byte
	Han          // a Chinese character
	Alnum        // a letter of another script or a digit
)

//go:embed ts.tsv
var tsTable string

var (
	foldOnce sync.Once
	tsMap    map[rune]rune
)

func loadFold() {
	tsMap = make(map[rune]rune, 4200)
	for line := range strings.Lines(tsTable) {
		t, s, ok := strings.Cut(strings.TrimRight(line, "\n"), "\t")
		if !ok {
			continue
		}
		tr, _ := utf8.DecodeRuneInString(t)
		sr, _ := utf8.DecodeRuneInString(s)
		tsMap[tr] = sr
	}
}

// Fold returns the search form of r: traditional characters become simplified,
// full-width ASCII becomes ASCII, letters become lower case. Every other rune is
// returned unchanged. Fold maps one rune to one rune.
func Fold(r rune) rune {
	if r >= 0 && r < bmp {
		tablesOnce.Do(buildTables)
		return foldTab[r]
	}
	return foldSlow(r)
}

// bmp bounds the runes Fold and Class answer from tables: the Basic
// Multilingual Plane, where nearly all news text lies. A map lookup and two
// searches of Unicode's range tables per rune made normalization the largest
// cost of snippets and a large one of indexing.
const bmp = 0x10000

var (
	tablesOnce sync.Once
	foldTab    []rune  // Fold of every BMP rune
	classTab   []uint8 // Class of every BMP rune
)

func buildTables() {
	foldTab = make([]rune, bmp)
	classTab = make([]uint8, bmp)
	for r := rune(0); r < bmp; r++ {
		foldTab[r] = foldSlow(r)
		classTab[r] = uint8(classSlow(r))
	}
}

func foldSlow(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return foldSlow(r - 0xFF01 + '!')
	case r == 0x3000:
		return ' '
	}
	foldOnce.Do(loadFold)
	if s, ok := tsMap[r]; ok {
		return s
	}
	return unicode.ToLower(r)
}

// Class returns the class of an already folded rune.
func Class(r rune) int {
	if r >= 0 && r < bmp {
		tablesOnce.Do(buildTables)
		return int(classTab[r])
	}
	return classSlow(r)
}

func classSlow(r rune) int {
	switch {
	case r < 0x80:
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' {
			return Alnum
		}
		return Sep
	case unicode.Is(unicode.Han, r):
		return Han
	case r == utf8.RuneError:
		return Sep
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return Alnum
	}
	return Sep
}

// Text is normalized text with the original byte range of each rune.
//
// Runes holds only Han runes, Alnum runes and single spaces: each maximal run
// of separators in the original is one space, and there is no space at either
// end. Start[i] and End[i] are the byte offsets in the original text of the
// source of Runes[i] (for a space, of the whole separator run).
type Text struct {
	Runes []rune
	Start []int
	End   []int
}

// New normalizes s. It never fails: bytes that are not UTF-8, NUL and control
// characters become separators.
func New(s string) *Text {
	t := &Text{
		Runes: make([]rune, 0, len(s)/2),
		Start: make([]int, 0, len(s)/2),
		End:   make([]int, 0, len(s)/2),
	}
	inSep := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		f := Fold(r)
		if size == 1 && r == utf8.RuneError {
			f = utf8.RuneError
		}
		if Class(f) == Sep {
			if len(t.Runes) > 0 && !inSep {
				t.Runes = append(t.Runes, ' ')
				t.Start = append(t.Start, i)
				t.End = append(t.End, i+size)
				inSep = true
			} else if inSep {
				t.End[len(t.End)-1] = i + size
			}
			i += size
			continue
		}
		inSep = false
		t.Runes = append(t.Runes, f)
		t.Start = append(t.Start, i)
		t.End = append(t.End, i+size)
		i += size
	}
	if n := len(t.Runes); n > 0 && t.Runes[n-1] == ' ' {
		t.Runes, t.Start, t.End = t.Runes[:n-1], t.Start[:n-1], t.End[:n-1]
	}
	return t
}

// String returns the normalized text.
func (t *Text) String() string { return string(t.Runes) }

// String returns the normalized form of s (see New).
func String(s string) string { return New(s).String() }

// Clean returns s as valid UTF-8 with NUL and control characters other than
// newline and tab removed. It is for text that is kept and shown, not searched.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == 0x2028 || r == 0x2029 {
			return '\n'
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// isClean reports, in one pass, whether Clean would return s unchanged.
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r < 0xa0 || r == 0x2028 || r == 0x2029 {
			return false // invalid UTF-8, a C1 control, a line or paragraph separator
		}
		i += size
	}
	return true
}

// Units returns, for each rune, the position of the unit it belongs to,
// counting from 0: every Han rune is a unit, every run of Alnum runes is one
// unit and every space (a collapsed run of separators) is one unit. Two texts
// that differ only in which separators they use have the same units, so unit
// positions make phrase matching exact while ignoring punctuation style.
func (t *Text) Units() []int32 {
	u := make([]int32, len(t.Runes))
	pos := int32(-1)
	prev := Sep
	for i, r := range t.Runes {
		c := Class(r)
		if c != Alnum || prev != Alnum || r == ' ' {
			pos++
		}
		if r == ' ' {
			c = Sep
		}
		u[i] = pos
		prev = c
	}
	return u
}
