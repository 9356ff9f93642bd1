package textnorm_test

import (
	"testing"

	"github.com/xinwen/xinwen/internal/textnorm"
)

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"清水縣脫貧", "清水县脱贫"},
		{"ＡＢＣ１２３ iPhone", "abc123 iphone"},
		{"王毅，会见。。。外宾", "王毅 会见 外宾"},
		{"  前后空白  ", "前后空白"},
		{"NUL\x00与\x01控制", "nul 与 控制"},
		{"坏\xff\xfe字节", "坏 字节"},
		{"全角　空格", "全角 空格"},
		{"", ""},
		{"，。！", ""},
	} {
		if got := textnorm.String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestOffsets: every normalized rune maps back to the bytes it came from.
func TestOffsets(t *testing.T) {
	in := "甲，\xff乙ＡＢ"
	tx := textnorm.New(in)
	want := []struct {
		r          rune
		start, end int
	}{{'甲', 0, 3}, {' ', 3, 7}, {'乙', 7, 10}, {'a', 10, 13}, {'b', 13, 16}}
	if len(tx.Runes) != len(want) {
		t.Fatalf("runes %q, want %d", string(tx.Runes), len(want))
	}
	for i, w := range want {
		if tx.Runes[i] != w.r || tx.Start[i] != w.start || tx.End[i] != w.end {
			t.Errorf("rune %d: %q %d..%d, want %q %d..%d", i, tx.Runes[i], tx.Start[i], tx.End[i], w.r, w.start, w.end)
		}
	}
	if got, want := tx.Units(), []int32{0, 1, 2, 3, 3}; string(fmtInts(got)) != string(fmtInts(want)) {
		t.Errorf("units %v, want %v", got, want)
	}
}

func fmtInts(v []int32) []byte {
	var b []byte
	for _, x := range v {
		b = append(b, byte('0'+x), ',')
	}
	return b
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"正文\x00有\x01控制\n第二段\t缩进": "正文有控制\n第二段\t缩进",
		"坏\xff字节":           "坏字节",
		"行\u2028分隔":         "行\n分隔",
		"干净的文字":             "干净的文字",
		"C1\u0085与\u009b控制": "C1与控制",
		"替换符\ufffd保留":       "替换符\ufffd保留",
	} {
		if got := textnorm.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
