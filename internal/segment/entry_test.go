package segment_test

import (
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

// TestParseEntry pins the rule that user dictionary lines and xinwen dict
// add share.
func TestParseEntry(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want segment.Entry
		err  string // "": valid
	}{
		{in: "党建子", want: segment.Entry{Word: "党建子"}},
		{in: "党建子 20", want: segment.Entry{Word: "党建子", Freq: 20}},
		{in: "党建子 nr", want: segment.Entry{Word: "党建子", Tag: "nr"}},
		{in: "党建子 20 nr", want: segment.Entry{Word: "党建子", Freq: 20, Tag: "nr"}},
		{in: "党建子 0", err: "frequency must be a positive number"},
		{in: "党建子 -3", err: "frequency must be a positive number"},
		{in: "党建子 0 nr", err: "frequency must be a positive number"},
		{in: "党建子 abc nr", err: "frequency must be a positive number"},
		{in: "党建子 5 n1", err: "tag"},
		{in: "党建子 5 nr x", err: "got 4 fields"},
	} {
		got, err := segment.ParseEntry(strings.Fields(tc.in))
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%q: %+v, %v; want %+v", tc.in, got, err, tc.want)
		case tc.err != "" && (news.ErrorCode(err) != news.EINVALID || !strings.Contains(news.ErrorMessage(err), tc.err)):
			t.Errorf("%q: %v; want an invalid-entry error saying %q", tc.in, err, tc.err)
		}
	}
}
