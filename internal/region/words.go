package region

import (
	"strings"
	"unicode/utf8"
)

// The word lists below were drawn up by scanning 24,102 CCTV news stories
// (2022-2026) with the gazetteer and reading the contexts of each frequent
// match. Chinese has no spaces, so a name also matches inside ordinary words
// (乡村振兴 holds 振兴区, 中华人民共和国 holds 共和县) and across word
// boundaries (佛罗里达州 holds 达州, 面临高通胀 holds 临高).

// stopWords are names that are far more often ordinary words, or names of
// other things, than places. They never count, whatever the context; a place
// that has such a short name is still found by its full name (资源县, 合作市).
var stopWords = setOf(`
合作 中方 资源 友好 振兴 共和 南部 通道 友谊 解放 港口 和政 前进 公安 新和 大关
新建 富裕 延长 江南 惠民 会同 同心 平和 河西 平安 古城 民和 南海 宏伟 光明 红旗
大新 富民 中和 大内 新平 资兴 双城 万里 华龙 互助 树林 大城 天全 扬中 界首 平原
方正 同德 资中 将军 上高 大方 东海 安居 三江 江山 海港 东风 上城 乐业 兴国 新社
荣昌 福安 同安 牡丹 惠农 马关 新安 建平 政和 新民 永新 万年 伊美 天等 大社 磐石
老城 民丰 路桥 大田 集安 万载 杂多 东至 利通 同仁 江海 沿河 南关 台前 三原 安国
山上 朝天 灯塔 兴业 金水 桥头 民乐 称多 爱民 大丰 海伦 三重 江岸 高要 白玉 新林
新干 修水 民权 淡水 永清 永丰 定海 都安 康保 长寿 小店 工农 金安 大化 会理 比如
高安 融安 路北 城西 城东 城南 城北 城中 市中 新城 城关 太平 安定 安宁 新兴 共青
向阳 来宾 安康 阿里 巴中 台中 东方 海西 双河 新星 白杨 鱼台 吉隆 兰西 林西 黑山
江口 玉龙 合作市 中区 城区 郊区 矿区 东区 西区 南区 北区 和县 新县 成县 古县
范县 索县 海城市 老城区 港口区
`)

// weakWords are real places whose names too often match inside other words
// (医保定点 holds 保定, 面临高 holds 临高, 白银价格 is silver): like a
// county's short name, they count only where the text also names their
// province or city.
var weakWords = setOf(`
北海 海北 大理 和田 保定 白银 定安 马鞍山 日照 衡水 河源 天门 白沙 黑河 九龙 临高
南投 云林 新北 桃园 台南 德宏
`)

// foreignNames are countries, world regions and words that mark a story as
// international (多国人士, 联合国). A mention counts as evidence that a story
// happens abroad, and, like a blocked word, hides the names inside it (古巴
// holds 巴中, 加拿大 holds 大连).
var foreignNames = strings.Fields(`
美国 加拿大 墨西哥 古巴 危地马拉 洪都拉斯 萨尔瓦多 尼加拉瓜 哥斯达黎加 巴拿马 多米尼加
多米尼克 海地 牙买加 巴哈马 特立尼达和多巴哥 巴巴多斯 格林纳达 哥伦比亚 委内瑞拉 圭亚那
苏里南 厄瓜多尔 秘鲁 巴西 玻利维亚 巴拉圭 乌拉圭 阿根廷 智利
英国 法国 德国 意大利 西班牙 葡萄牙 荷兰 比利时 卢森堡 瑞士 奥地利 爱尔兰 冰岛 挪威 瑞典
芬兰 丹麦 爱沙尼亚 拉脱维亚 立陶宛 波兰 捷克 斯洛伐克 匈牙利 罗马尼亚 保加利亚 希腊
塞尔维亚 克罗地亚 斯洛文尼亚 波黑 黑山 北马其顿 阿尔巴尼亚 摩尔多瓦 乌克兰 白俄罗斯
俄罗斯 马耳他 摩纳哥 梵蒂冈 圣马力诺 列支敦士登 安道尔 塞浦路斯
日本 韩国 朝鲜 蒙古国 越南 老挝 柬埔寨 泰国 缅甸 马来西亚 新加坡 印度尼西亚 印尼 菲律宾
文莱 东帝汶 印度 巴基斯坦 孟加拉国 斯里兰卡 尼泊尔 不丹 马尔代夫 阿富汗 哈萨克斯坦
吉尔吉斯斯坦 塔吉克斯坦 乌兹别克斯坦 土库曼斯坦 阿塞拜疆 亚美尼亚 格鲁吉亚 伊朗 伊拉克
叙利亚 黎巴嫩 以色列 巴勒斯坦 约旦 沙特 沙特阿拉伯 也门 阿曼 阿联酋 卡塔尔 科威特 巴林
土耳其 埃及 利比亚 突尼斯 阿尔及利亚 摩洛哥 苏丹 南苏丹 埃塞俄比亚 厄立特里亚 吉布提
索马里 肯尼亚 乌干达 坦桑尼亚 卢旺达 布隆迪 刚果 加蓬 喀麦隆 尼日利亚 尼日尔 贝宁 多哥
加纳 科特迪瓦 利比里亚 塞拉利昂 几内亚 几内亚比绍 塞内加尔 冈比亚 毛里塔尼亚 马里
布基纳法索 乍得 中非共和国 赤道几内亚 安哥拉 赞比亚 津巴布韦 马拉维 莫桑比克 马达加斯加
毛里求斯 塞舌尔 科摩罗 纳米比亚 博茨瓦纳 南非 莱索托 埃斯瓦蒂尼 佛得角
澳大利亚 新西兰 巴布亚新几内亚 斐济 萨摩亚 汤加 瓦努阿图 所罗门群岛 基里巴斯 密克罗尼西亚
马绍尔群岛 帕劳 瑙鲁 图瓦卢
欧洲 欧盟 非洲 非盟 拉美 中东 北约 东盟
多国 各国 外国 外媒 国际人士 国际社会 联合国 国际奥委会 世卫组织 世界卫生组织 世界卫生大会
`)

// blockedWords are not places but contain place names. They are matched like
// names, so the longest match hides the names inside them, and then dropped.
var blockedWords = strings.Fields(`
上海合作组织 北京时间 长治久安 三明治 中山装 长安街 新华社 新华网 王岐山 大兴调查
天门山 长江口 钓鱼台 酒泉卫星发射中心 白山黑水
北海道 旧金山 朝鲜族 俄罗斯族 佛罗里达 明尼苏达 马里兰 昆士兰 哥罗德 苏梅 马拉喀什 乌海军
泰晤士河 黄石国家公园 伊丽莎白 和田纳西 白沙瓦 商洛克 联大
面临高 武威胁 重大理 大理论 大理念 均衡 医保 确保 肯定 稳定 决定 规定 制定 坚定
预定 确定 认定 约定 特定 指定 奠定 一定 沿海城市
`)

// otherUses are what may follow a name that is then not a place mention but
// a street (中山路), ship (山东舰), team (上海队), delegation (江苏代表团),
// launch vehicle (天津号), slogan (延安精神) or people from there wherever
// they are (台湾同胞).
var otherUses = []string{"路", "街", "大街", "大道", "巷", "胡同", "舰", "号", "精神", "代表团", "队", "同胞"}

// nationalMarkers in a title that names no province announce a national or
// many-province story: 全国夏粮小麦进入收获高峰期, 各地全力推进冬修水利.
var nationalMarkers = []string{"全国", "我国", "各地", "多地", "全军"}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// notAPlace reports whether a match of key followed by after is not a place
// mention: a name used as something else (usedAsOther), or a name whose last
// character is a compass point that belongs to the next word, as in
// 黑海西北部 (海西 + 北部), 地中海东部 (海东 + 部), 红海北部, 火山西侧,
// while 广东西部 stays 广东 + 西部.
func notAPlace(key, after string) bool {
	for _, w := range otherUses {
		if strings.HasPrefix(after, w) {
			return true
		}
	}
	last, _ := utf8.DecodeLastRuneInString(key)
	if !isCompass(last) {
		return false
	}
	r, n := utf8.DecodeRuneInString(after)
	if (last == '东' || last == '西') && (r == '南' || r == '北') { // 黑海西北部, 地中海东南侧
		after = after[n:]
		r, n = utf8.DecodeRuneInString(after)
	}
	switch r {
	case '侧', '岸':
		return true
	case '部':
		// 东部, but not 湖北部分, 河北部署, 山东部门.
		next, _ := utf8.DecodeRuneInString(after[n:])
		return !strings.ContainsRune("分署门长队委件落位属", next)
	}
	return false
}

func isCompass(r rune) bool { return r == '东' || r == '西' || r == '南' || r == '北' }
