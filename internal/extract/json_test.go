package extract_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

// mustJSON reads input with extract.JSON and returns its records.
func mustJSON(t *testing.T, input string) []extract.Record {
	t.Helper()
	var recs []extract.Record
	if err := extract.JSON(strings.NewReader(input), "in.jsonl", func(r extract.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	return recs
}

// mustOne reads input that holds exactly one good record.
func mustOne(t *testing.T, input string) extract.Record {
	t.Helper()
	recs := mustJSON(t, input)
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	if recs[0].Err != nil {
		t.Fatalf("record error: %v", recs[0].Err)
	}
	return recs[0]
}

func TestJSONFields(t *testing.T) {
	cst := func(y, mo, d, h, mi int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, 0, 0, news.CST) }
	for _, tt := range []struct {
		name   string
		in     string
		want   news.Article
		region string
	}{{
		name: "cctv",
		in:   `{"id": "VIDE1", "date": "2022-01-01", "title": "标题", "body": "第一段\n第二段", "section_guess": "国内", "column": null, "order": 0, "url": "https://tv.cctv.com/x.shtml", "source": "央视网《新闻联播》文字稿"}`,
		want: news.Article{ID: "VIDE1", URL: "https://tv.cctv.com/x.shtml", Title: "标题", Body: "第一段\n第二段", Section: []string{"国内"},
			PublishedAt: cst(2022, 1, 1, 0, 0), Source: "央视网《新闻联播》文字稿"},
	}, {
		name: "cctv unknown section, column ignored",
		in:   `{"id": "VIDE2", "date": "2022-01-02", "title": "标题", "body": "", "section_guess": "unknown", "column": "新思想引领新征程"}`,
		want: news.Article{ID: "VIDE2", Title: "标题", PublishedAt: cst(2022, 1, 2, 0, 0)},
	}, {
		name: "sina: category over channel",
		in:   `{"id": "sina2018-1", "title": "标题", "body": "正文", "category": "体育", "channel": "sports", "source": "新浪"}`,
		want: news.Article{ID: "sina2018-1", Title: "标题", Body: "正文", Section: []string{"体育"}, Source: "新浪"},
	}, {
		name: "channel alone",
		in:   `{"title": "标题", "channel": "ent", "link": "http://x/1"}`,
		want: news.Article{ID: "http://x/1", URL: "http://x/1", Title: "标题", Section: []string{"ent"}},
	}, {
		name: "case-insensitive names, array path, authors array, editor",
		in:   `{"_ID": 42, "Headline": " 标题 ", "CONTENT": "　　第一段\r\n\r\n\u00a0 第二段  有   空格", "Published_At": 1601254200, "Section": ["甘肃新闻", "市州播报", "天水"], "Authors": ["张三", "李四"], "Editor": "王五", "Original_Title": "原来的标题"}`,
		want: news.Article{ID: "42", Title: "标题", OriginalTitle: "原来的标题", Body: "第一段\n第二段 有 空格", Section: []string{"甘肃新闻", "市州播报", "天水"},
			PublishedAt: cst(2020, 9, 28, 8, 50), Editor: "王五", Authors: []string{"张三", "李四"}},
	}, {
		name: "chinese names, path with >, author string",
		in:   `{"标题": "x", "正文": "正文", "发布时间": "2020年9月28日 08:50", "栏目": "甘肃新闻 > 市州播报", "来源": "甘肃日报", "作者": "记者 张三、李四，王五 赵六", "责任编辑": "靳佩佩", "地区": "天水"}`,
		want: news.Article{Title: "x", Body: "正文", PublishedAt: cst(2020, 9, 28, 8, 50), Section: []string{"甘肃新闻", "市州播报"},
			Source: "甘肃日报", Editor: "靳佩佩", Authors: []string{"张三", "李四", "王五", "赵六"}},
		region: "天水",
	}, {
		name:   "path with /, region fields joined, millisecond string",
		in:     `{"guid": "g1", "title": "t", "text": "b", "category": "国内/时政", "province": "甘肃省", "city": "天水市", "county": "清水县", "pubdate": "1601254200000"}`,
		want:   news.Article{ID: "g1", Title: "t", Body: "b", Section: []string{"国内", "时政"}, PublishedAt: cst(2020, 9, 28, 8, 50)},
		region: "甘肃省 天水市 清水县",
	}, {
		name: "html body, source object, byline",
		in:   `{"docid": "d1", "title": "t", "article": "<p>　第一段</p><p>第二段<br>第三段</p>", "media": {"name": "新华社"}, "byline": "John Smith, Jane Doe"}`,
		want: news.Article{ID: "d1", Title: "t", Body: "第一段\n第二段\n第三段", Source: "新华社", Authors: []string{"John Smith", "Jane Doe"}},
	}, {
		name: "body as paragraphs, entities, zero date",
		in:   `{"title": "&quot;双减&quot;落地", "body": ["　第一段&nbsp;", "", "第二段"], "date": "0000-00-00 00:00:00", "url": "http://x/2"}`,
		want: news.Article{ID: "http://x/2", URL: "http://x/2", Title: "\"双减\"落地", Body: "第一段\n第二段"},
	}, {
		name: "control characters and invalid UTF-8",
		in:   "{\"title\": \"标\\u0000题\\u0007\", \"body\": \"a\\u200bb\\tc\\u0001\\nd\"}",
		want: news.Article{Title: "标题", Body: "ab c\nd"},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			r := mustOne(t, tt.in)
			got := r.Article
			if tt.want.ID == "" {
				tt.want.ID = got.ID // checked by TestJSONHashID
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if got, want := r.RegionHint, tt.region; got != want {
				t.Errorf("RegionHint = %q, want %q", got, want)
			}
			if got, want := r.Line, 1; got != want {
				t.Errorf("Line = %d, want %d", got, want)
			}
		})
	}
}

func TestJSONHashID(t *testing.T) {
	a := mustOne(t, `{"title": "标题", "body": "正文"}`).Article
	b := mustOne(t, `{"title": " 标题", "body": "　正文 ", "category": "x"}`).Article
	if got, want := a.ID, "sha1-"; !strings.HasPrefix(got, want) || len(got) != len(want)+16 {
		t.Errorf("ID = %q, want sha1- and 16 hex digits", got)
	}
	if a.ID != b.ID {
		t.Errorf("IDs %q and %q differ for the same cleaned title and body", a.ID, b.ID)
	}
	if c := mustOne(t, `{"title": "标题", "body": "正文2"}`).Article; c.ID == a.ID {
		t.Errorf("different bodies, same ID %q", c.ID)
	}
}

func TestJSONBadLines(t *testing.T) {
	in := `{"id": "1", "title": "一"}
{"id": "2", "title": "二"}
{"id": "3", "title": "三"
{"id": "4", "title": "四"}
{"id": "5", "title": "五"}
`
	recs := mustJSON(t, in)
	if got, want := len(recs), 5; got != want {
		t.Fatalf("%d records, want %d", got, want)
	}
	var good []string
	for _, r := range recs {
		if r.Err == nil {
			good = append(good, r.Article.ID)
			continue
		}
		if got, want := r.Line, 3; got != want {
			t.Errorf("error on line %d, want %d", got, want)
		}
		if got, want := news.ErrorCode(r.Err), news.EINVALID; got != want {
			t.Errorf("code %q, want %q", got, want)
		}
		if msg := r.Err.Error(); !strings.Contains(msg, "line 3") || !strings.Contains(msg, "in.jsonl") {
			t.Errorf("error %q does not name the file and line 3", msg)
		}
	}
	if got, want := strings.Join(good, ","), "1,2,4,5"; got != want {
		t.Errorf("good records %s, want %s", got, want)
	}
	if got, want := recs[4].Line, 5; got != want {
		t.Errorf("last record on line %d, want %d", got, want)
	}
}

func TestJSONRecordErrors(t *testing.T) {
	big := strings.Repeat("字", extract.MaxBodyBytes/3+1)
	for _, tt := range []struct {
		name, in, code, msg string
	}{
		{"empty", `{"id": "x", "title": " ", "body": "\u3000"}`, news.EINVALID, "empty article: no title and no body"},
		{"bad date", `{"title": "t", "date": "yesterday"}`, news.EINVALID, `"yesterday"`},
		{"wrong type", `{"title": {"zh": "t"}}`, news.EINVALID, `field "title": want a string`},
		{"not an object", `["a"]`, news.EINVALID, "want a JSON object"},
		{"too large", `{"title": "t", "body": "` + big + `"}`, news.ETOOLARGE, "1048576"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			recs := mustJSON(t, tt.in)
			if len(recs) != 1 || recs[0].Err == nil {
				t.Fatalf("records %+v, want one error", recs)
			}
			err := recs[0].Err
			var e *news.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T, want *news.Error", err)
			}
			if got, want := e.Code, tt.code; got != want {
				t.Errorf("code %q, want %q", got, want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

func TestJSONArrayAndObject(t *testing.T) {
	for _, tt := range []struct {
		name  string
		in    string
		ids   string
		lines []int
	}{
		{"array", "\ufeff [\n{\"id\": \"a\", \"title\": \"A\"},\n {\"id\": \"b\", \"title\": \"B\"}\n]", "a,b", []int{1, 2}},
		{"array with a bad element", `[{"id": "a", "title": "A"}, 7, {"id": "c", "title": "C"}]`, "a,!,c", []int{1, 2, 3}},
		{"empty array", `[]`, "", nil},
		{"one object", "{\n  \"id\": \"a\",\n  \"title\": \"A\"\n}\n", "a", []int{0}},
		{"pretty objects", "{\n  \"id\": \"a\",\n  \"title\": \"A\"\n}\n{\n  \"id\": \"b\",\n  \"title\": \"B\"\n}\n", "a,b", []int{1, 5}},
		{"one line", `{"id": "a", "title": "A"}`, "a", []int{1}},
		{"blank lines", "\n{\"id\": \"a\", \"title\": \"A\"}\r\n\r\n{\"id\": \"b\", \"title\": \"B\"}", "a,b", []int{2, 4}},
		{"bad first line", "{\"id\": \"a\", \"title\"\n\n{\"id\": \"b\", \"title\": \"B\"}\n", "!,b", []int{1, 3}},
		{"empty input", " \n", "", nil},
		{"not JSON", "hello", "!", []int{0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ids []string
			var lines []int
			for _, r := range mustJSON(t, tt.in) {
				if r.Err != nil {
					ids = append(ids, "!")
				} else {
					ids = append(ids, r.Article.ID)
				}
				lines = append(lines, r.Line)
				if got, want := r.File, "in.jsonl"; got != want {
					t.Errorf("File = %q, want %q", got, want)
				}
			}
			if got, want := strings.Join(ids, ","), tt.ids; got != want {
				t.Errorf("ids %s, want %s", got, want)
			}
			if !reflect.DeepEqual(lines, tt.lines) {
				t.Errorf("lines %v, want %v", lines, tt.lines)
			}
		})
	}
}

func TestJSONStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := extract.JSON(strings.NewReader("{\"title\": \"a\"}\n{\"title\": \"b\"}\n"), "x", func(extract.Record) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("JSON returned %v, want the callback's error", err)
	}
	if got, want := n, 1; got != want {
		t.Errorf("%d calls, want %d", got, want)
	}
}
