package textnorm

import (
	"strings"
	"testing"
	"unicode"
)

// TestTablesAgree: the BMP tables give what the definitions give, for every
// rune.
func TestTablesAgree(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if got, want := Fold(r), foldSlow(r); got != want {
			t.Fatalf("Fold(%U) = %U, want %U", r, got, want)
		}
		if got, want := Class(r), classSlow(r); got != want {
			t.Fatalf("Class(%U) = %d, want %d", r, got, want)
		}
	}
}

// BenchmarkFold compares the table lookups with the definitions they are
// built from, over news text.
func BenchmarkFold(b *testing.B) {
	text := []rune(strings.Repeat("新华社北京11月28日电 國務院總理李強主持召開國務院常務會議，研究部署5G、AI與數字經濟發展。", 20))
	for _, bc := range []struct {
		name  string
		fold  func(rune) rune
		class func(rune) int
	}{{"tables", Fold, Class}, {"definitions", foldSlow, classSlow}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(string(text))))
			n := 0
			for b.Loop() {
				for _, r := range text {
					n += bc.class(bc.fold(r))
				}
			}
			_ = n
		})
	}
}
