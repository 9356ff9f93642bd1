package news_test

import (
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// TestParseFromTo pins the date rule the HTTP API's from and to and the
// command line's --from and --to share.
func TestParseFromTo(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, news.CST) }
	for _, tc := range []struct {
		in       string
		from, to time.Time
		err      string // the message of both, with from or to in front
	}{
		{in: "", from: time.Time{}, to: time.Time{}},
		{in: "  ", from: time.Time{}, to: time.Time{}},
		{in: "2024-05-31", from: day(2024, 5, 31), to: day(2024, 6, 1)},
		{in: " 2024-12-31\n", from: day(2024, 12, 31), to: day(2025, 1, 1)},
		{in: "2024-02-29", from: day(2024, 2, 29), to: day(2024, 3, 1)},
		{in: "2024-05-31T10:00:00Z", from: time.Date(2024, 5, 31, 10, 0, 0, 0, time.UTC), to: time.Date(2024, 5, 31, 10, 0, 0, 0, time.UTC)},
		{in: "2024-13-45", err: `: "2024-13-45" is not a date like 2024-05-31`},
		{in: "2023-02-29", err: `: "2023-02-29" is not a date like 2024-05-31`},
		{in: "yesterday", err: `: "yesterday" is not a date like 2024-05-31`},
		{in: "2024/05/31", err: `: "2024/05/31" is not a date like 2024-05-31`},
	} {
		for _, side := range []struct {
			name  string
			parse func(string) (time.Time, error)
			want  time.Time
		}{{"from", news.ParseFrom, tc.from}, {"to", news.ParseTo, tc.to}} {
			got, err := side.parse(tc.in)
			if tc.err != "" {
				if news.ErrorCode(err) != news.EINVALID || news.ErrorMessage(err) != side.name+tc.err {
					t.Errorf("%s(%q): %v (%s), want %s%s", side.name, tc.in, err, news.ErrorCode(err), side.name, tc.err)
				}
				continue
			}
			if err != nil || !got.Equal(side.want) {
				t.Errorf("%s(%q) = %v, %v; want %v", side.name, tc.in, got, err, side.want)
			}
		}
	}
}
