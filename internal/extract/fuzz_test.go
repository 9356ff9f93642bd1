package extract_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/xinwen/xinwen/internal/extract"
)

// Fuzz targets: no panic, no hang, and what comes out is clean text. Run one
// for a while with e.g. go test ./internal/extract -fuzz FuzzPage -fuzztime 30s;
// crashers land in testdata/fuzz and then run with every go test.

func seedFile(f *testing.F, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func checkArticle(t *testing.T, title, body string) {
	t.Helper()
	for _, s := range []string{title, body} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Fatalf("unclean text %q", s)
		}
	}
}

func FuzzPage(f *testing.F) {
	f.Add(string(seedFile(f, "testdata/gscn-2020-09-28-qingshui.txt")))
	f.Add("您当前的位置 : 首页 >> 新闻\n标题\n20-09-28 08:50 来源：某报\n正文。\n版权声明")
	f.Add("\xff\xfe\x00")
	f.Add(strings.Repeat("啊", 10000))
	f.Fuzz(func(t *testing.T, text string) {
		a, err := extract.Page(text)
		if err == nil {
			checkArticle(t, a.Title, a.Body)
		}
	})
}

func FuzzHTML(f *testing.F) {
	page := seedFile(f, "testdata/gscn-2020-09-28-qingshui.html")
	f.Add(page)
	if gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(bytes.ReplaceAll(page, []byte("utf-8"), []byte("gbk"))); err == nil {
		f.Add(gbk)
	}
	f.Add(seedFile(f, "testdata/sina-style.html"))
	f.Add([]byte(`<html><head><meta charset="gb2312"><title>标题</title></head><body><p>` + "\xb0\xa1\xff\xfe" + `</p></body></html>`))
	f.Add([]byte("<div><div><div><p>未闭合"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := extract.HTML(b, "https://example.com/a.html")
		if err == nil {
			checkArticle(t, a.Title, a.Body)
		}
	})
}

func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"id":"a","title":"标题","body":"正文","date":"2020-09-28 08:50","section":"国内"}` + "\n" + `{"title":"x","content":"y","published_at":1601254200}`))
	f.Add([]byte(`[{"title":"a","text":"b"},{"headline":"c","正文":"d","发布时间":"2020年9月28日"}]`))
	f.Add([]byte(`{"title":{"nested":[1,2,{"x":null}]},"body":["段一","段二"]}`))
	f.Add([]byte("{\"title\":\"\xff\",\"body\":\"\\u0000\"}\n{broken"))
	f.Add([]byte(strings.Repeat("[", 10000)))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := extract.JSON(bytes.NewReader(b), "fuzz.jsonl", func(r extract.Record) error {
			if r.Err == nil {
				checkArticle(t, r.Article.Title, r.Article.Body)
				if r.Article.ID == "" {
					t.Fatal("record without an ID")
				}
			} else if r.Err.Error() == "" {
				t.Fatal("error without a message")
			}
			return nil
		})
		if err != nil {
			t.Fatalf("JSON returned %v; failures belong in records", err)
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2020年9月28日 08:50", "2020-09-28", "2020/9/28", "20-09-28 08:50", "2020-09-28T08:50:00+08:00", "1601254200", "1601254200000", "", "２０２０年９月２８日", "9999-99-99", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := extract.ParseTime(s)
		if err == nil && tm.IsZero() {
			t.Fatalf("%q: zero time without an error", s)
		}
	})
}
