package extract_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/xinwen/xinwen/internal/extract"
)

func ExampleParseTime() {
	for _, s := range []string{"2020年9月28日 08:50", "20-09-28 08:50", "2020-09-28T00:50:00Z", "1601254200"} {
		t, err := extract.ParseTime(s)
		fmt.Println(t, err)
	}
	// Output:
	// 2020-09-28 08:50:00 +0800 CST <nil>
	// 2020-09-28 08:50:00 +0800 CST <nil>
	// 2020-09-28 08:50:00 +0800 CST <nil>
	// 2020-09-28 08:50:00 +0800 CST <nil>
}

func ExamplePage() {
	a, err := extract.Page(`您当前的位置 : 中国甘肃网 >> 甘肃新闻 >> 市州播报 >> 天水
清水县樱桃喜获丰收
21-05-20 09:30 来源:天水日报 编辑:张三
　　本报记者 李四
　　清水县的樱桃迎来丰收。
　　果农忙着采摘。
版权声明:转载必须注明来源。
精彩推荐`)
	fmt.Println(err)
	fmt.Println(a.SectionPath())
	fmt.Println(a.Title, a.PublishedAt.Format("2006-01-02 15:04"), a.Source, a.Editor, a.Authors)
	fmt.Println(a.Body)
	// Output:
	// <nil>
	// 甘肃新闻 > 市州播报 > 天水
	// 清水县樱桃喜获丰收 2021-05-20 09:30 天水日报 张三 [李四]
	// 清水县的樱桃迎来丰收。
	// 果农忙着采摘。
}

func ExampleJSON() {
	in := `{"id": "1", "title": "第一条", "date": "2022-01-01", "category": "国内"}
{"id": "2", "title": "第二条"
{"title": "", "body": ""}
`
	extract.JSON(strings.NewReader(in), "news.jsonl", func(r extract.Record) error {
		if r.Err != nil {
			fmt.Println("error:", r.Err)
			return nil
		}
		fmt.Println(r.Line, r.Article.ID, r.Article.Title, r.Article.SectionPath(), r.Article.PublishedAt.Format("2006-01-02"))
		return nil
	})
	// Output:
	// 1 1 第一条 国内 2022-01-01
	// error: news.jsonl: line 2: invalid JSON: unexpected end of input
	// error: news.jsonl: line 3: empty article: no title and no body
}

func ExampleWalk() {
	err := extract.Walk(context.Background(), []string{"testdata/gscn-2020-09-28-qingshui.txt"}, func(r extract.Record) error {
		if r.Err != nil {
			return r.Err
		}
		fmt.Println(r.File, r.Article.Title, r.Article.SectionPath())
		return nil
	})
	fmt.Println(err)
	// Output:
	// testdata/gscn-2020-09-28-qingshui.txt 党建引领增活力 小康路上迈大步——清水县抓党建促脱贫纪实 甘肃新闻 > 市州播报 > 天水
	// <nil>
}
