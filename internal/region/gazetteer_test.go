package region_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/region"
)

// lookupOne returns the only place named name in province prov ("" for any),
// failing the test if there is not exactly one.
func lookupOne(t *testing.T, name, prov string) *region.Place {
	t.Helper()
	var found []*region.Place
	for _, p := range region.Default().Lookup(name) {
		if prov == "" || p.Province != nil && p.Province.Name == prov || p.Province == nil && p.Name == prov {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		t.Fatalf("Lookup(%q) in %q: got %v, want one place", name, prov, found)
	}
	return found[0]
}

func TestDefaultCounts(t *testing.T) {
	g := region.Default()
	if g != region.Default() {
		t.Error("Default returned two different gazetteers")
	}
	// 31 mainland provinces plus Hong Kong, Macau and Taiwan.
	provinces := 0
	for _, name := range []string{
		"北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
		"福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
		"云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾",
	} {
		ps := g.Lookup(name)
		if len(ps) == 0 {
			t.Errorf("Lookup(%q) found nothing", name)
			continue
		}
		p := ps[0] // provinces come first: 河北 is also a district of Tianjin
		if p.Level != region.LevelProvince || p.Short != name {
			t.Errorf("Lookup(%q) = %v level %d short %q, want a province with that short name", name, p, p.Level, p.Short)
		}
		provinces++
	}
	if got, want := provinces, 34; got != want {
		t.Errorf("provinces = %d, want %d", got, want)
	}
	if ps := g.Lookup("市辖区"); ps != nil {
		t.Errorf("Lookup(市辖区) = %v, want nothing: a municipality's city is the municipality", ps)
	}
	if ps := g.Lookup("省直辖县级行政区划"); ps != nil {
		t.Errorf("Lookup(省直辖县级行政区划) = %v, want nothing", ps)
	}
}

func TestLookupShortNames(t *testing.T) {
	tests := []struct {
		name, prov  string // the name looked up, and its province to pick one of several
		full, short string
		code        string
		level       int
	}{
		{"甘肃", "", "甘肃省", "甘肃", "62", region.LevelProvince},
		{"甘肃省", "", "甘肃省", "甘肃", "62", region.LevelProvince},
		{"天水", "", "天水市", "天水", "6205", region.LevelCity},
		{"清水县", "", "清水县", "清水", "620521", region.LevelCounty},
		{"清水", "甘肃省", "清水县", "清水", "620521", region.LevelCounty},
		{"内蒙古", "", "内蒙古自治区", "内蒙古", "15", region.LevelProvince},
		{"广西", "", "广西壮族自治区", "广西", "45", region.LevelProvince},
		{"新疆", "", "新疆维吾尔自治区", "新疆", "65", region.LevelProvince},
		{"西藏", "", "西藏自治区", "西藏", "54", region.LevelProvince},
		{"宁夏", "", "宁夏回族自治区", "宁夏", "64", region.LevelProvince},
		{"延边", "", "延边朝鲜族自治州", "延边", "2224", region.LevelCity},
		{"延边州", "", "延边朝鲜族自治州", "延边", "2224", region.LevelCity},
		{"恩施州", "", "恩施土家族苗族自治州", "恩施", "4228", region.LevelCity},
		{"秀山县", "", "秀山土家族苗族自治县", "秀山", "500241", region.LevelCounty},
		{"巴音郭楞", "", "巴音郭楞蒙古自治州", "巴音郭楞", "6528", region.LevelCity},
		{"大兴安岭", "", "大兴安岭地区", "大兴安岭", "2327", region.LevelCity},
		{"阿拉善", "", "阿拉善盟", "阿拉善", "1529", region.LevelCity},
		{"神农架", "", "神农架林区", "神农架", "429021", region.LevelCity},
		{"浦东", "", "浦东新区", "浦东", "310115", region.LevelCounty},
		{"仙桃", "", "仙桃市", "仙桃", "429004", region.LevelCity},
		{"香港特区", "", "香港特别行政区", "香港", "81", region.LevelProvince},
		{"东区", "四川省", "东区", "", "510402", region.LevelCounty}, // one character left: no short name
		{"鄂温克族自治旗", "", "鄂温克族自治旗", "", "150724", region.LevelCounty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := lookupOne(t, tt.name, tt.prov)
			if p.Name != tt.full || p.Short != tt.short || p.Code != tt.code || p.Level != tt.level {
				t.Errorf("got %s %q short %q code %s level %d, want %q short %q code %s level %d",
					p, p.Name, p.Short, p.Code, p.Level, tt.full, tt.short, tt.code, tt.level)
			}
		})
	}
	for _, name := range []string{"", "东", "中国", "市", "区", "华为", "  "} {
		if ps := region.Default().Lookup(name); ps != nil {
			t.Errorf("Lookup(%q) = %v, want nothing", name, ps)
		}
	}
}

func TestLookupAmbiguous(t *testing.T) {
	g := region.Default()
	tests := []struct {
		name  string
		paths []string
	}{
		{"朝阳", []string{"辽宁省/朝阳市", "北京市/北京市/朝阳区", "辽宁省/朝阳市/朝阳县", "吉林省/长春市/朝阳区"}},
		{"鼓楼区", []string{"江苏省/南京市/鼓楼区", "江苏省/徐州市/鼓楼区", "福建省/福州市/鼓楼区", "河南省/开封市/鼓楼区"}},
		{"通州", []string{"北京市/北京市/通州区", "江苏省/南通市/通州区"}},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range g.Lookup(tt.name) {
			got = append(got, p.String())
		}
		if !slices.Equal(got, tt.paths) {
			t.Errorf("Lookup(%q) = %v, want %v", tt.name, got, tt.paths)
		}
	}
}

func TestRegion(t *testing.T) {
	g := region.Default()
	tests := []struct {
		name, prov string
		want       news.Region
	}{
		// A county implies its city and province; Code is the most specific.
		{"清水县", "", news.Region{Province: "甘肃省", City: "天水市", County: "清水县", Code: "620521"}},
		{"天水", "", news.Region{Province: "甘肃省", City: "天水市", Code: "6205"}},
		{"甘肃", "", news.Region{Province: "甘肃省", Code: "62"}},
		// Municipalities: the city level is the municipality itself.
		{"北京", "", news.Region{Province: "北京市", City: "北京市", Code: "1101"}},
		{"朝阳区", "北京市", news.Region{Province: "北京市", City: "北京市", County: "朝阳区", Code: "110105"}},
		{"浦东新区", "", news.Region{Province: "上海市", City: "上海市", County: "浦东新区", Code: "310115"}},
		{"和平区", "天津市", news.Region{Province: "天津市", City: "天津市", County: "和平区", Code: "120101"}},
		{"城口县", "", news.Region{Province: "重庆市", City: "重庆市", County: "城口县", Code: "500229"}},
		{"渝中区", "", news.Region{Province: "重庆市", City: "重庆市", County: "渝中区", Code: "500103"}},
		// County-level places directly under a province are its cities.
		{"济源", "", news.Region{Province: "河南省", City: "济源市", Code: "419001"}},
		{"石河子", "", news.Region{Province: "新疆维吾尔自治区", City: "石河子市", Code: "659001"}},
		// A city without districts appears once.
		{"东莞", "", news.Region{Province: "广东省", City: "东莞市", Code: "4419"}},
		// Hong Kong, Macau and Taiwan: codes only at province level.
		{"香港", "", news.Region{Province: "香港特别行政区", Code: "81"}},
		{"油尖旺区", "", news.Region{Province: "香港特别行政区", City: "九龙", County: "油尖旺区", Code: "81"}},
		{"澳门", "", news.Region{Province: "澳门特别行政区", Code: "82"}},
		{"嘉模堂区", "", news.Region{Province: "澳门特别行政区", City: "澳门外岛", County: "嘉模堂区", Code: "82"}},
		{"台湾", "", news.Region{Province: "台湾省", Code: "71"}},
		{"高雄", "", news.Region{Province: "台湾省", City: "高雄市", Code: "71"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Region(lookupOne(t, tt.name, tt.prov)); got != tt.want {
				t.Errorf("Region = %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := g.Region(nil); !got.IsZero() {
		t.Errorf("Region(nil) = %+v, want zero", got)
	}
}

func TestPlaceString(t *testing.T) {
	if got, want := lookupOne(t, "清水县", "").String(), "甘肃省/天水市/清水县"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	var p *region.Place
	if got := p.String(); got != "" {
		t.Errorf("nil String() = %q, want empty", got)
	}
}

func TestParse(t *testing.T) {
	good := "# comment\n1\t62\t甘肃省\n2\t6205\t天水市\n3\t620521\t清水县\n\n1\t81\t香港特别行政区\n2\t\t九龙\n3\t\t油尖旺区\n"
	g, err := region.Parse(strings.NewReader(good))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := g.Region(g.Lookup("清水")[0]), (news.Region{Province: "甘肃省", City: "天水市", County: "清水县", Code: "620521"}); got != want {
		t.Errorf("Region(清水) = %+v, want %+v", got, want)
	}
	bad := []struct{ name, data, want string }{
		{"empty", "# nothing\n", "no places"},
		{"fields", "1\t62\n", "line 1: want 3 tab-separated fields"},
		{"level", "4\t62\t甘肃省\n", "line 1: bad level"},
		{"city first", "2\t6205\t天水市\n", "line 1: city 天水市 before any province"},
		{"county first", "1\t62\t甘肃省\n3\t620521\t清水县\n", "line 2: county 清水县 before any city"},
		{"code", "1\t62\t甘肃省\n2\t6305\t天水市\n", "line 2: code 6305 of 天水市 does not extend 62 of 甘肃省"},
		{"name", "1\t62\t甘\n", "line 1: bad name"},
		{"foreign", "1\t99\t美国\n", "foreign name 美国 is a place name"},
		{"blocked", "1\t99\t北京时间\n", "blocked word 北京时间 is a place name"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := region.Parse(strings.NewReader(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want %q", err, tt.want)
			}
		})
	}
}
