package extract_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

// encode re-encodes an UTF-8 page, replacing its <meta charset="utf-8"> with
// decl ("" removes it).
func encode(t *testing.T, page []byte, enc encoding.Encoding, decl string) []byte {
	t.Helper()
	page = bytes.Replace(page, []byte(`<meta charset="utf-8">`), []byte(decl), 1)
	if enc == nil {
		return page
	}
	out, err := enc.NewEncoder().Bytes(page)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHTMLSample(t *testing.T) {
	a, err := extract.HTML(mustReadFile(t, "testdata/gscn-2020-09-28-qingshui.html"), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Title, "党建引领增活力 小康路上迈大步——清水县抓党建促脱贫纪实"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := a.Section, []string{"甘肃新闻", "市州播报", "天水"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Section = %q, want %q", got, want)
	}
	if got, want := a.PublishedAt, time.Date(2020, 9, 28, 8, 50, 0, 0, news.CST); !got.Equal(want) {
		t.Errorf("PublishedAt = %v, want %v", got, want)
	}
	if got, want := a.Source, "中国甘肃网-甘肃日报"; got != want {
		t.Errorf("Source = %q, want %q", got, want)
	}
	if got, want := a.Editor, "靳佩佩"; got != want {
		t.Errorf("Editor = %q, want %q", got, want)
	}
	if got, want := a.Authors, []string{"邱暄美", "谢志娟", "白永萍", "崔亚明"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Authors = %q, want %q", got, want)
	}
	if !strings.HasPrefix(a.OriginalTitle, "【走向我们的小康生活】") {
		t.Errorf("OriginalTitle = %q", a.OriginalTitle)
	}
	paras := strings.Split(a.Body, "\n")
	if got, want := len(paras), 12; got != want {
		t.Errorf("%d paragraphs, want %d:\n%s", got, want, a.Body)
	}
	if got, want := paras[0], "金秋时节,走进清水县的乡镇村落,目之所及,处处硕果累累,一派丰收景象。"; got != want {
		t.Errorf("first paragraph %q, want %q", got, want)
	}
	for _, s := range append(chrome, "原标题", "邱暄美", "Copyright", "首页") {
		if strings.Contains(a.Body, s) || strings.Contains(a.Title, s) {
			t.Errorf("Title or Body contains %q", s)
		}
	}
	golden(t, "gscn-2020-09-28-qingshui.html.golden.json", a)
}

func TestHTMLCharsets(t *testing.T) {
	page := mustReadFile(t, "testdata/gscn-2020-09-28-qingshui.html")
	want, err := extract.HTML(page, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		in   []byte
		utf8 bool
	}{
		{"GBK with http-equiv", encode(t, page, simplifiedchinese.GBK, `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`), false},
		{"GB2312 with meta charset", encode(t, page, simplifiedchinese.GBK, `<meta charset="gb2312">`), false},
		{"GB18030 undeclared", encode(t, page, simplifiedchinese.GB18030, ""), false},
		{"UTF-8 undeclared", encode(t, page, nil, ""), true},
		{"UTF-8 mislabelled as GBK", encode(t, page, nil, `<meta charset="gbk">`), true},
		{"UTF-8 with BOM", append([]byte("\ufeff"), page...), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := bytes.Contains(tt.in, []byte("党建")); got != tt.utf8 {
				t.Fatalf("fixture in UTF-8: %v, want %v", got, tt.utf8)
			}
			got, err := extract.HTML(tt.in, "")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestHTMLGB18030Only(t *testing.T) {
	// 𠮷 is outside GBK: only GB18030 (four bytes) encodes it.
	page := "<html><head><title>吉祥的𠮷字_某某网</title></head><body><p>𠮷字的写法。</p></body></html>"
	b, err := simplifiedchinese.GB18030.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	a, err := extract.HTML([]byte(b), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Title, "吉祥的𠮷字"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := a.Body, "𠮷字的写法。"; got != want {
		t.Errorf("Body = %q, want %q", got, want)
	}
}

func TestHTMLMeta(t *testing.T) {
	page := mustReadFile(t, "testdata/sina-style.html")
	a, err := extract.HTML(page, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Title, "高校图书馆延长开放时间 方便学生备考"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := a.URL, "https://news.sina.com.cn/o/2018-10-25/doc-example.shtml"; got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
	if got, want := a.ID, a.URL; got != want {
		t.Errorf("ID = %q, want the URL %q", got, want)
	}
	if got, want := a.PublishedAt, time.Date(2018, 10, 25, 17, 35, 0, 0, news.CST); !got.Equal(want) {
		t.Errorf("PublishedAt = %v, want %v", got, want)
	}
	if got, want := a.Source, "示例教育报"; got != want {
		t.Errorf("Source = %q, want %q", got, want)
	}
	if got, want := a.Editor, "张三"; got != want {
		t.Errorf("Editor = %q, want %q", got, want)
	}
	if got, want := a.Authors, []string{"王小明", "李红"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Authors = %q, want %q", got, want)
	}
	if got, want := a.Section, []string{"新闻中心", "教育"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Section = %q, want %q", got, want)
	}
	paras := strings.Split(a.Body, "\n")
	if got, want := len(paras), 5; got != want {
		t.Errorf("%d paragraphs, want %d:\n%s", got, want, a.Body)
	}
	if got, want := paras[len(paras)-1], "减少占座现象。"; !strings.HasSuffix(got, want) {
		t.Errorf("last paragraph %q, want it to end with %q", got, want)
	}
	for _, s := range []string{"相关阅读", "高校食堂", "责任编辑", "新浪简介", "来源："} {
		if strings.Contains(a.Body, s) {
			t.Errorf("Body contains %q", s)
		}
	}

	b, err := extract.HTML(page, "https://example.com/a.html")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.ID, "https://example.com/a.html"; got != want {
		t.Errorf("with pageURL: ID = %q, want %q", got, want)
	}
}

func TestHTMLTitles(t *testing.T) {
	for _, tt := range []struct{ head, want string }{
		{"<title>清水县抓党建促脱贫_天水_中国甘肃网</title>", "清水县抓党建促脱贫"},
		{"<title>清水县抓党建促脱贫 - 新浪新闻</title>", "清水县抓党建促脱贫"},
		{"<title>清水县抓党建促脱贫 | 澎湃新闻</title>", "清水县抓党建促脱贫"},
		{"<title>上半年经济数据 - 专家解读</title>", "上半年经济数据 - 专家解读"},
		{"<title>党建引领增活力——清水县纪实</title>", "党建引领增活力——清水县纪实"},
		{`<meta property="og:title" content="清水县抓党建促脱贫"><title>别的_站</title>`, "清水县抓党建促脱贫"},
	} {
		page := "<html><head>" + tt.head + "</head><body><p>正文。</p></body></html>"
		a, err := extract.HTML([]byte(page), "")
		if err != nil {
			t.Errorf("%s: %v", tt.head, err)
			continue
		}
		if got := a.Title; got != tt.want {
			t.Errorf("%s: Title = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestHTMLDates(t *testing.T) {
	want := time.Date(2020, 9, 28, 8, 50, 0, 0, news.CST)
	for _, head := range []string{
		`<meta name="publishdate" content="2020-09-28 08:50:00">`,
		`<meta name="pubdate" content="2020-09-28T08:50:00+08:00">`,
		`<meta property="og:release_date" content="2020-09-28 08:50">`,
		`<meta property="article:published_time" content="2020-09-28T00:50:00Z">`,
	} {
		page := "<html><head><title>标题</title>" + head + "</head><body><p>正文。</p></body></html>"
		a, err := extract.HTML([]byte(page), "")
		if err != nil {
			t.Errorf("%s: %v", head, err)
			continue
		}
		if got := a.PublishedAt; !got.Equal(want) {
			t.Errorf("%s: PublishedAt = %v, want %v", head, got, want)
		}
	}
}

func TestHTMLEmpty(t *testing.T) {
	_, err := extract.HTML([]byte("<html><head></head><body><script>x()</script></body></html>"), "")
	if got, want := news.ErrorCode(err), news.EINVALID; got != want {
		t.Errorf("code %q (%v), want %q", got, err, want)
	}
}
