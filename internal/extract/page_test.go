package extract_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares a with the golden JSON file testdata/name, or rewrites it
// with -update.
func golden(t *testing.T, name string, a news.Article) {
	t.Helper()
	got, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("article differs from %s (run go test -update after checking):\n%s", path, got)
	}
}

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// chrome is text that only appears in the sample page's furniture.
var chrome = []string{"放心肉菜示范超市", "版权声明", "精彩推荐", "关注我们", "即时播报", "分享到", "中国甘肃网微博", "河口古镇", "责任编辑", "编辑:靳佩佩"}

func TestPageSample(t *testing.T) {
	a, err := extract.Page(string(mustReadFile(t, "testdata/gscn-2020-09-28-qingshui.txt")))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.Title, "党建引领增活力 小康路上迈大步——清水县抓党建促脱贫纪实"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := a.Section, []string{"甘肃新闻", "市州播报", "天水"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Section = %q, want %q", got, want)
	}
	if got, want := a.PublishedAt, time.Date(2020, 9, 28, 8, 50, 0, 0, news.CST); !got.Equal(want) || got.Location() != news.CST {
		t.Errorf("PublishedAt = %v, want %v", got, want)
	}
	if got, want := a.Source, "中国甘肃网-甘肃日报"; got != want {
		t.Errorf("Source = %q, want %q", got, want)
	}
	if got, want := a.Editor, "靳佩佩"; got != want {
		t.Errorf("Editor = %q, want %q", got, want)
	}
	if got, want := a.OriginalTitle, "【走向我们的小康生活】【甘肃省脱贫攻坚县(区)宣传周】党建引领增活力 小康路上迈大步——清水县抓党建促脱贫纪实"; got != want {
		t.Errorf("OriginalTitle = %q, want %q", got, want)
	}
	if got, want := a.Authors, []string{"邱暄美", "谢志娟", "白永萍", "崔亚明"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Authors = %q, want %q", got, want)
	}
	if !strings.HasPrefix(a.ID, "sha1-") {
		t.Errorf("ID = %q, want a sha1- ID", a.ID)
	}
	paras := strings.Split(a.Body, "\n")
	if got, want := len(paras), 23; got != want {
		t.Errorf("%d paragraphs, want %d", got, want)
	}
	if got, want := paras[0], "金秋时节,走进清水县的乡镇村落,目之所及,处处硕果累累,一派丰收景象。"; got != want {
		t.Errorf("first paragraph %q, want %q", got, want)
	}
	if got, want := paras[len(paras)-1], "有效带动了脱贫攻坚各项工作稳步向前。"; !strings.HasSuffix(got, want) {
		t.Errorf("last paragraph %q, want it to end with %q", got, want)
	}
	if got, want := paras[4], "(一)"; got != want {
		t.Errorf("fifth paragraph %q, want %q", got, want)
	}
	for _, p := range paras {
		if p == "" || p != strings.TrimSpace(p) || strings.ContainsAny(p, "\u3000\u00a0\t") {
			t.Errorf("paragraph not clean: %q", p)
		}
	}
	for _, s := range append(chrome, "原标题", "记者 邱暄美", "党建引领增活力 小康路上迈大步") {
		if strings.Contains(a.Body, s) {
			t.Errorf("Body contains %q", s)
		}
	}
	for _, s := range chrome {
		if strings.Contains(a.Title, s) {
			t.Errorf("Title contains %q", s)
		}
	}
	golden(t, "gscn-2020-09-28-qingshui.golden.json", a)
}

func TestPagePortals(t *testing.T) {
	cst := func(y, mo, d, h, mi, s int) time.Time { return time.Date(y, time.Month(mo), d, h, mi, s, 0, news.CST) }
	for _, tt := range []struct {
		name string
		in   string
		want news.Article
	}{{
		name: "full-width breadcrumb, labels, trailing editor",
		in: "当前位置：首页 ＞ 国内新闻 ＞ 正文\n\n" +
			"春耕备耕忙\n" +
			"2021-03-05 10:20:33\u3000来源：人民网\u3000作者：张三\n" +
			"\u3000\u3000田间地头一片忙碌。\n\n" +
			"\u3000\u3000农民抢抓农时。（责任编辑：李四）\n" +
			"相关新闻\n" +
			"春耕生产全面展开\n",
		want: news.Article{Title: "春耕备耕忙", Body: "田间地头一片忙碌。\n农民抢抓农时。", Section: []string{"国内新闻"},
			PublishedAt: cst(2021, 3, 5, 10, 20, 33), Source: "人民网", Editor: "李四", Authors: []string{"张三"}},
	}, {
		name: "title first, pipe-separated date line, toolbar, 纠错",
		in: "新浪首页 > 新闻中心 > 国内新闻\n" +
			"春耕备耕忙\n" +
			"发布时间：2021年3月5日 10:20 | 来源：新华社 | 编辑：王五\n" +
			"分享到：\n" +
			"新华社北京3月5日电 田间地头一片忙碌。\n" +
			"本报记者 赵六 通讯员 钱七\n" +
			"【纠错】\n" +
			"责任编辑：王五\n",
		want: news.Article{Title: "春耕备耕忙", Body: "新华社北京3月5日电 田间地头一片忙碌。\n本报记者 赵六 通讯员 钱七", Section: []string{"新闻中心", "国内新闻"},
			PublishedAt: cst(2021, 3, 5, 10, 20, 0), Source: "新华社", Editor: "王五"},
	}, {
		name: "reporters and bare date after the title",
		in: "您现在的位置: 天水在线 >> 新闻 >> 本地\n" +
			"天水樱桃上市\n" +
			"2021/05/20\n" +
			"记者 孙八、周九\n" +
			"樱桃红了。\n" +
			"版权所有 天水在线\n",
		want: news.Article{Title: "天水樱桃上市", Body: "樱桃红了。", Section: []string{"新闻", "本地"},
			PublishedAt: cst(2021, 5, 20, 0, 0, 0), Authors: []string{"孙八", "周九"}},
	}, {
		name: "today's date in the page header is not the publication date",
		in: "2021年6月1日 星期二\n" +
			"首页 | 新闻 | 体育\n" +
			"当前位置：首页 > 体育\n" +
			"球队夺冠\n" +
			"2021-05-30 21:00 来源：体育报\n" +
			"比赛结束。\n",
		want: news.Article{Title: "球队夺冠", Body: "比赛结束。", Section: []string{"体育"}, PublishedAt: cst(2021, 5, 30, 21, 0, 0), Source: "体育报"},
	}, {
		name: "plain text: title and body",
		in:   "  标题一行  \n\n  第一段。\n  第二段。\n",
		want: news.Article{Title: "标题一行", Body: "第一段。\n第二段。"},
	}, {
		name: "body that mentions related news is kept",
		in:   "标题\n2021-01-01 来源：某报\n相关新闻发布会今天举行。\n声明指出，将加强管理。\n",
		want: news.Article{Title: "标题", Body: "相关新闻发布会今天举行。\n声明指出，将加强管理。", PublishedAt: cst(2021, 1, 1, 0, 0, 0), Source: "某报"},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := extract.Page(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.ID = got.ID
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestPageErrors(t *testing.T) {
	for _, tt := range []struct{ name, in, code, msg string }{
		{"empty", " \n\u3000\n", news.EINVALID, "empty article: no title and no body"},
		{"too large", "标题\n" + strings.Repeat("很长的一段话。", extract.MaxBodyBytes/21+1), news.ETOOLARGE, "1048576"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := extract.Page(tt.in)
			if got, want := news.ErrorCode(err), tt.code; got != want {
				t.Fatalf("code %q (%v), want %q", got, err, want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}
