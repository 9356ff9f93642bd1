package extract_test

import (
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

func TestParseTime(t *testing.T) {
	cst := func(y, mo, d, h, mi, s int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, s, 0, news.CST) }
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2020年9月28日 08:50", cst(2020, 9, 28, 8, 50, 0)},
		{"2020年09月28日08:50", cst(2020, 9, 28, 8, 50, 0)},
		{"2020年9月28日", cst(2020, 9, 28, 0, 0, 0)},
		{"2020年9月28日 星期一", cst(2020, 9, 28, 0, 0, 0)},
		{"2020年9月28日 8时50分", cst(2020, 9, 28, 8, 50, 0)},
		{"2020年9月28日 下午3:05", cst(2020, 9, 28, 15, 5, 0)},
		{"2020-09-28", cst(2020, 9, 28, 0, 0, 0)},
		{"2020-09-28 08:50", cst(2020, 9, 28, 8, 50, 0)},
		{"2020-09-28 08:50:07", cst(2020, 9, 28, 8, 50, 7)},
		{"2020/9/28", cst(2020, 9, 28, 0, 0, 0)},
		{"2020/09/28 08:50", cst(2020, 9, 28, 8, 50, 0)},
		{"2020.09.28", cst(2020, 9, 28, 0, 0, 0)},
		{"20-09-28 08:50", cst(2020, 9, 28, 8, 50, 0)},
		{"２０２０－０９－２８ ０８：５０", cst(2020, 9, 28, 8, 50, 0)},
		{"  2020-09-28 08:50  ", cst(2020, 9, 28, 8, 50, 0)},
		{"2020-09-28T08:50:00+08:00", cst(2020, 9, 28, 8, 50, 0)},
		{"2020-09-28T00:50:00Z", cst(2020, 9, 28, 8, 50, 0)},
		{"2020-09-28T02:50:00+02:00", cst(2020, 9, 28, 8, 50, 0)},
		{"2020-09-28T08:50:00", cst(2020, 9, 28, 8, 50, 0)},
		{"2020-09-28T08:50:00.5+08:00", cst(2020, 9, 28, 8, 50, 0).Add(500 * time.Millisecond)},
		{"Mon, 28 Sep 2020 08:50:00 +0800", cst(2020, 9, 28, 8, 50, 0)},
		{"1601254200", cst(2020, 9, 28, 8, 50, 0)},
		{"1601254200000", cst(2020, 9, 28, 8, 50, 0)},
		{"20200928", cst(2020, 9, 28, 0, 0, 0)},
		{"20200928085000", cst(2020, 9, 28, 8, 50, 0)},
	} {
		got, err := extract.ParseTime(tt.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if got, want := got.Location(), news.CST; got != want {
			t.Errorf("ParseTime(%q) location = %v, want CST", tt.in, got)
		}
	}
}

func TestParseTimeErrors(t *testing.T) {
	for _, in := range []string{"", "yesterday", "2020-13-01", "2020年2月30日", "2020-09-28 25:00", "28/09/2020x", "12345"} {
		_, err := extract.ParseTime(in)
		if err == nil {
			t.Errorf("ParseTime(%q): no error", in)
			continue
		}
		if got, want := news.ErrorCode(err), news.EINVALID; got != want {
			t.Errorf("ParseTime(%q) code = %q, want %q", in, got, want)
		}
		if in != "" && !strings.Contains(err.Error(), in) {
			t.Errorf("ParseTime(%q) error %q does not name the value", in, err)
		}
	}
}
