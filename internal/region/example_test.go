package region_test

import (
	"fmt"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/region"
)

func ExampleGazetteer_Resolve() {
	g := region.Default()
	a := &news.Article{
		Title:   "党建引领增活力 小康路上迈大步——清水县抓党建促脱贫纪实",
		Body:    "金秋时节，走进清水县的乡镇村落，处处硕果累累。\n近年来，清水县始终把抓党建促脱贫作为头等大事。",
		Section: []string{"甘肃新闻", "市州播报", "天水"},
	}
	fmt.Printf("%+v\n", g.Resolve(a, ""))

	national := &news.Article{
		Title: "北京、上海、广东等地多措并举稳就业",
		Body:  "北京、上海、广东等地多措并举稳就业。北京推出新政，上海加大补贴，广东扩大招聘。",
	}
	fmt.Println(g.Resolve(national, "").IsZero())
	// Output:
	// {Province:甘肃省 City:天水市 County:清水县 Code:620521}
	// true
}

func ExampleGazetteer_Lookup() {
	g := region.Default()
	for _, p := range g.Lookup("朝阳") {
		fmt.Println(p, p.Code)
	}
	fmt.Printf("%+v\n", g.Region(g.Lookup("延边州")[0]))
	// Output:
	// 辽宁省/朝阳市 2113
	// 北京市/北京市/朝阳区 110105
	// 辽宁省/朝阳市/朝阳县 211321
	// 吉林省/长春市/朝阳区 220104
	// {Province:吉林省 City:延边朝鲜族自治州 County: Code:2224}
}
