package extract

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// dateTimeRE matches the calendar forms of ParseTime once full-width
// characters are narrowed: a date with - / . or 年月日, an optional weekday, an
// optional time with : or 时分秒, an optional offset.
var dateTimeRE = regexp.MustCompile(`^(\d{4}|\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?` +
	`\s*(?:[(（]?(?:星期|周)[一二三四五六日天][)）]?)?` +
	`(?:\s*T?\s*(?:(上午|下午|晚上|凌晨)\s*)?(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*(?:[:分]\s*(?:(\d{1,2})(?:[.,](\d{1,9}))?\s*秒?)?)?)?` +
	`\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$`)

// ParseTime parses a publication time in the forms Chinese portals and
// exports use and returns it in news.CST:
//
//	2020年9月28日 08:50   2020年9月28日   2020-09-28   2020-09-28 08:50
//	2020-09-28 08:50:00   2020/9/28       2020/09/28 08:50   2020.09.28
//	20-09-28 08:50 (a two-digit year is 20xx)
//	2020-09-28T08:50:00+08:00, 2020-09-28T00:50:00Z, 2020-09-28T08:50:00
//	Mon, 28 Sep 2020 08:50:00 +0800 (RSS)
//	1601254200 (Unix seconds), 1601254200000 (milliseconds, above 1e12)
//	20200928, 20200928085000
//
// A weekday (星期一) is ignored. A time without an offset is China Standard
// Time. An empty or unrecognised string is a *news.Error with code
// news.EINVALID naming the value.
func ParseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(narrow(s))
	if v == "" {
		return time.Time{}, news.Errorf(news.EINVALID, "empty date")
	}
	if t, ok := parseNumericTime(v); ok {
		return t, nil
	}
	if m := dateTimeRE.FindStringSubmatch(v); m != nil {
		if t, ok := fromParts(m); ok {
			return t, nil
		}
		return time.Time{}, news.Errorf(news.EINVALID, "unparseable date %q: no such day or time", s)
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC822, time.RFC850, time.ANSIC, "Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700"} {
		if t, err := time.ParseInLocation(layout, v, news.CST); err == nil {
			return t.In(news.CST), nil
		}
	}
	return time.Time{}, news.Errorf(news.EINVALID, "unparseable date %q: want a form like 2020-09-28 08:50, 2020年9月28日 or RFC 3339", s)
}

// parseNumericTime parses all-digit forms: YYYYMMDD, YYYYMMDDhhmmss, and
// Unix seconds or milliseconds (optionally with a fraction).
func parseNumericTime(v string) (time.Time, bool) {
	digits := strings.TrimLeft(v, "0123456789")
	if digits != "" && !(digits[0] == '.' && strings.Trim(digits[1:], "0123456789") == "") {
		return time.Time{}, false
	}
	if !strings.Contains(v, ".") {
		if len(v) == 8 || len(v) == 14 {
			if t, err := time.ParseInLocation("20060102150405"[:len(v)], v, news.CST); err == nil {
				return t, true
			}
		}
	}
	if len(v) < 9 {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f > 1e16 {
		return time.Time{}, false
	}
	if f > 1e12 {
		f /= 1000
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).In(news.CST), true
}

// fromParts builds the time from the submatches of dateTimeRE.
func fromParts(m []string) (time.Time, bool) {
	num := func(s string) int {
		n, _ := strconv.Atoi(s)
		return n
	}
	year := num(m[1])
	if len(m[1]) == 2 {
		year += 2000
	}
	month, day := num(m[2]), num(m[3])
	hour, minute, sec := num(m[5]), num(m[6]), num(m[7])
	switch m[4] {
	case "下午", "晚上":
		if hour < 12 {
			hour += 12
		}
	}
	nsec := 0
	if m[8] != "" {
		nsec = num((m[8] + "00000000")[:9])
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	loc := news.CST
	switch z := m[9]; {
	case z == "Z" || z == "UTC" || z == "GMT":
		loc = time.UTC
	case z != "":
		zz := strings.ReplaceAll(z[1:], ":", "")
		off := num(zz[:2]) * 3600
		if len(zz) == 4 {
			off += num(zz[2:]) * 60
		}
		if z[0] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	if t.Day() != day {
		return time.Time{}, false // 2月30日
	}
	return t.In(news.CST), true
}

// narrow maps full-width ASCII (２０２０－０９) to ASCII and the ideographic
// space to a space; other text is returned as is.
func narrow(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xff01 && r <= 0xff5e || r == '\u3000' }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xff01 && r <= 0xff5e:
			return r - 0xff01 + '!'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}
