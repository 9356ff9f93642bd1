package region_test

import (
	"os"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/region"
)

var (
	gansuTianshuiQingshui = news.Region{Province: "甘肃省", City: "天水市", County: "清水县", Code: "620521"}
	gansuTianshui         = news.Region{Province: "甘肃省", City: "天水市", Code: "6205"}
	gansu                 = news.Region{Province: "甘肃省", Code: "62"}
	zero                  = news.Region{}
)

func TestResolve(t *testing.T) {
	tests := []struct {
		name    string
		title   string
		body    string
		section []string
		hint    string
		want    news.Region
	}{
		// Hints and breadcrumbs.
		{name: "hint full names", hint: "甘肃省天水市", body: "今天天气晴。", want: gansuTianshui},
		{name: "hint short name", hint: "天水", want: gansuTianshui},
		{name: "hint path", hint: "甘肃 天水 清水县", want: gansuTianshuiQingshui},
		{name: "hint ambiguous name alone", hint: "清水", want: zero}, // also 台中市清水区
		{name: "hint weak name alone", hint: "麦积", want: news.Region{Province: "甘肃省", City: "天水市", County: "麦积区", Code: "620503"}},
		{name: "hint two provinces", hint: "北京 上海", body: "甘肃天水市清水县今天召开会议，清水县干部参加。", want: gansuTianshuiQingshui},
		{name: "breadcrumb", section: []string{"甘肃新闻", "市州播报", "天水"}, body: "今天天气晴。", want: gansuTianshui},
		{name: "breadcrumb refined by body", section: []string{"甘肃新闻", "市州播报", "天水"},
			body: "清水县抓党建促脱贫。清水县始终把抓党建促脱贫作为头等大事。", want: gansuTianshuiQingshui},
		{name: "breadcrumb not contradicted", section: []string{"甘肃新闻"},
			title: "上海举办进博会", body: "上海今天举办进博会，上海市民踊跃参观。", want: gansu},
		{name: "hint narrowed by breadcrumb", hint: "甘肃", section: []string{"地方", "天水"}, want: gansuTianshui},
		{name: "breadcrumb ambiguous name under province", section: []string{"北京", "朝阳"},
			want: news.Region{Province: "北京市", City: "北京市", County: "朝阳区", Code: "110105"}},

		// Datelines.
		{name: "xinhua dateline", body: "新华社兰州9月28日电 记者从甘肃省了解到，全省秋收进展顺利。",
			want: gansu}, // agencies file from the capital about the whole province
		{name: "xinhua dateline city", body: "新华社兰州9月28日电 兰州市今天开通地铁3号线，兰州市民踊跃乘坐。",
			want: news.Region{Province: "甘肃省", City: "兰州市", Code: "6201"}},
		{name: "dateline refined by body", body: "新华社兰州9月28日电 甘肃天水清水县今天召开大会，清水县的干部群众参加。",
			want: gansuTianshuiQingshui},
		{name: "local paper dateline", body: "本报天水讯（记者 张三）近日，天水市召开会议。",
			want: gansuTianshui},
		{name: "capital dateline is weak", body: "新华社北京9月28日电 国务院总理主持召开国务院常务会议，部署有关工作。",
			want: zero},
		{name: "cctv prefix names no place", body: "央视网消息（新闻联播）：国家统计局今天发布数据，工业生产稳中有升。",
			want: zero},

		// Title and body.
		{name: "province in title and body", title: "甘肃：以优势产业激发乡村振兴新动能",
			body: "甘肃把巩固拓展脱贫攻坚成果同乡村振兴有效衔接作为开年重要任务。甘肃临夏的鲜花港格外忙碌。", want: gansu},
		{name: "county implies city and province", title: "山东德州平原县发生5.5级地震",
			body: "据中国地震台网测定，山东德州平原县发生5.5级地震。山东调集德州、济南等消防支队投入抗震救灾。",
			want: news.Region{Province: "山东省", City: "德州市", County: "平原县", Code: "371426"}},
		{name: "municipality district", title: "北京朝阳：老旧小区焕新颜",
			body: "北京市朝阳区今年改造老旧小区100个。朝阳区居民纷纷点赞。",
			want: news.Region{Province: "北京市", City: "北京市", County: "朝阳区", Code: "110105"}},
		{name: "municipality", title: "上海消费活力逐渐恢复", body: "上海各大商场客流回升，上海市民消费热情高涨。",
			want: news.Region{Province: "上海市", City: "上海市", Code: "3101"}},

		// Ambiguous names are resolved by context, never guessed.
		{name: "朝阳 alone", title: "朝阳召开招商大会", body: "朝阳今天召开招商大会，朝阳的企业积极参加。", want: zero},
		{name: "朝阳 in Liaoning", title: "辽宁朝阳召开招商大会", body: "辽宁朝阳今天召开招商大会，朝阳的企业积极参加。",
			want: news.Region{Province: "辽宁省", City: "朝阳市", Code: "2113"}},
		{name: "朝阳 in Beijing", title: "北京朝阳召开招商大会", body: "北京朝阳今天召开招商大会，朝阳的企业积极参加。",
			want: news.Region{Province: "北京市", City: "北京市", County: "朝阳区", Code: "110105"}},
		{name: "鼓楼 alone", title: "鼓楼区老街焕新", body: "鼓楼区的老街焕然一新，鼓楼区居民纷纷点赞。", want: zero},
		{name: "鼓楼 in Fuzhou", title: "福州鼓楼区老街焕新", body: "福建福州鼓楼区的老街焕然一新，鼓楼区居民纷纷点赞。",
			want: news.Region{Province: "福建省", City: "福州市", County: "鼓楼区", Code: "350102"}},
		{name: "鼓楼 in Jiangsu stays at province", title: "江苏：鼓楼区老街焕新", body: "江苏鼓楼区的老街焕然一新，江苏各地纷纷学习。",
			want: news.Region{Province: "江苏省", Code: "32"}},
		{name: "通州 in Nantong", title: "江苏南通通州区推进乡村振兴", body: "江苏南通通州区今年推进乡村振兴，通州的农民增收明显。",
			want: news.Region{Province: "江苏省", City: "南通市", County: "通州区", Code: "320612"}},
		{name: "county short name needs context", title: "清水河畔好风光", body: "清水河畔风光好，游客纷纷前来。", want: zero},

		// National, foreign and many-province stories get the zero Region.
		{name: "state council", title: "李强主持召开国务院常务会议",
			body: "国务院总理李强今天在北京主持召开国务院常务会议，研究推动平台经济健康发展有关工作。", want: zero},
		{name: "many provinces evenly", title: "北京、上海、广东等地多措并举稳就业",
			body: "北京、上海、广东等地多措并举稳就业。北京推出新政，上海加大补贴，广东扩大招聘。", want: zero},
		{name: "foreign", title: "美国多地遭遇极端天气", body: "美国得克萨斯州、加利福尼亚州等地遭遇极端天气，美国气象部门发出预警。", want: zero},
		{name: "foreign event naming a city", title: "丁薛祥访问卢森堡并出席郑州—卢森堡“空中丝绸之路”论坛",
			body: "丁薛祥访问卢森堡，会见卢森堡大公，出席郑州—卢森堡“空中丝绸之路”国际合作论坛。卢森堡方面表示欢迎。", want: zero},
		{name: "national marker in title", title: "全国夏粮小麦进入收获高峰期",
			body: "眼下，随着河南小麦机收结束，全国冬小麦进入收获高峰期。河南8500万亩小麦全部收获，河南农机手连夜作业。", want: zero},
		{name: "national story with one example", title: "一季度农村消费市场实现恢复性增长",
			body: "农业农村部最新发布的数据显示，今年以来，我国农村消费市场恢复增长。\n在湖南郴州，城乡大巴变成了快递配送车。郴州3年来拓展了825个服务点。", want: zero},
		{name: "two provinces in the lead", title: "强降雨持续影响华南",
			body: "中央气象台继续发布暴雨预警，其中广东、广西多地雨势仍较强劲。\n广东多地持续强降雨，广东全省已累计转移人员。广东省启动应急响应。\n广西降雨主要集中在桂东。",
			want: zero},
		{name: "capital as venue", title: "习近平会见越南国家主席",
			body: "国家主席习近平在北京人民大会堂会见越南国家主席。双方在北京举行了会谈。", want: zero},

		// Words that contain place names are not places.
		{name: "longest match", title: "浙江西部迎来降雨", body: "浙江西部今天迎来降雨，浙江省气象台发布预警。",
			want: news.Region{Province: "浙江省", Code: "33"}},
		{name: "blocked words", title: "上海合作组织峰会开幕",
			body: "上海合作组织峰会开幕，北京时间今天上午，各方代表就长治久安交换意见，身穿中山装的代表发言。", want: zero},
		{name: "streets ships and teams", title: "中山路上的山东舰模型",
			body: "中山路上展出山东舰模型，上海队和江苏队的球迷前来参观，大家学习延安精神。", want: zero},
		{name: "ordinary words", title: "推进乡村振兴 实现共同富裕",
			body: "中华人民共和国各地推进乡村振兴，实现共同富裕，合作社资源丰富，前进道路光明。", want: zero},
		{name: "foreign names hide places", title: "加拿大连续发生野火", body: "加拿大连续发生野火，佛罗里达州也遭遇高温。", want: zero},

		// Hong Kong, Macau and Taiwan.
		{name: "Hong Kong", title: "香港特区政府推出新措施", body: "香港特别行政区政府今天推出新措施，香港市民普遍欢迎。",
			want: news.Region{Province: "香港特别行政区", Code: "81"}},
		{name: "Hong Kong district", title: "香港油尖旺区举办嘉年华", body: "香港油尖旺区今天举办嘉年华，油尖旺区居民踊跃参加。",
			want: news.Region{Province: "香港特别行政区", City: "九龙", County: "油尖旺区", Code: "81"}},
		{name: "Macau", title: "澳门特区举行庆祝活动", body: "澳门特别行政区今天举行庆祝活动。", want: news.Region{Province: "澳门特别行政区", Code: "82"}},
		{name: "Taiwan", title: "台湾花莲县海域发生7.3级地震", body: "台湾花莲县海域今天早晨发生7.3级地震，花莲多处房屋倒塌。",
			want: news.Region{Province: "台湾省", City: "花莲县", Code: "71"}},

		{name: "empty", want: zero},
	}
	g := region.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &news.Article{Title: tt.title, Body: tt.body, Section: tt.section}
			if got := g.Resolve(a, tt.hint); got != tt.want {
				t.Errorf("Resolve = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestResolveSamplePage resolves a whole regional-portal article: the
// breadcrumb says 甘肃新闻 > 市州播报 > 天水 and the body is about 清水县.
func TestResolveSamplePage(t *testing.T) {
	title, body := readSamplePage(t, "testdata/gscn-2020-09-28-qingshui.txt")
	a := &news.Article{Title: title, Body: body, Section: []string{"甘肃新闻", "市州播报", "天水"}}
	g := region.Default()
	if got := g.Resolve(a, ""); got != gansuTianshuiQingshui {
		t.Errorf("Resolve = %+v, want %+v", got, gansuTianshuiQingshui)
	}
	a.Section = nil
	if got := g.Resolve(a, ""); got != gansuTianshuiQingshui {
		t.Errorf("Resolve without breadcrumb = %+v, want %+v", got, gansuTianshuiQingshui)
	}
}

// readSamplePage returns the headline (the first line after the breadcrumb)
// and the article text (the paragraphs after the original-title line, up to
// the copyright notice) of the saved page; the rest is page chrome.
func readSamplePage(t *testing.T, path string) (title, body string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var paras []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.Trim(line, " \t\r\u00a0\u3000")
		switch {
		case line == "" || strings.HasPrefix(line, "您当前的位置"):
		case title == "":
			title = line
		case strings.HasPrefix(line, "原标题"):
			in = true
		case strings.HasPrefix(line, "版权声明"):
			in = false
		case in:
			paras = append(paras, line)
		}
	}
	if title == "" || len(paras) < 10 {
		t.Fatalf("%s: title %q and %d paragraphs, want a page", path, title, len(paras))
	}
	return title, strings.Join(paras, "\n")
}

func TestResolveNilArticle(t *testing.T) {
	if got := region.Default().Resolve(nil, "天水"); got != gansuTianshui {
		t.Errorf("Resolve(nil, 天水) = %+v, want %+v", got, gansuTianshui)
	}
}

func BenchmarkResolve(b *testing.B) {
	data, err := os.ReadFile("testdata/gscn-2020-09-28-qingshui.txt")
	if err != nil {
		b.Fatal(err)
	}
	a := &news.Article{Title: "清水县抓党建促脱贫纪实", Body: string(data)}
	g := region.Default()
	b.SetBytes(int64(len(a.Body)))
	for b.Loop() {
		g.Resolve(a, "")
	}
}
