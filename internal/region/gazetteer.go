package region

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/news"
)

// Levels of a Place.
const (
	// LevelProvince is a province, autonomous region, municipality or
	// special administrative region.
	LevelProvince = 1
	// LevelCity is a prefecture-level city, prefecture, league or
	// autonomous prefecture.
	LevelCity = 2
	// LevelCounty is a county, district, banner or county-level city.
	LevelCounty = 3
)

// Place is one administrative division.
//
// A municipality (北京市, 天津市, 上海市, 重庆市) is a province with a single
// city of the same name that holds its districts. County-level cities and
// counties that report directly to a province (仙桃市, 济源市, 五指山市,
// 石河子市, ...) are cities of that province. Places below province level in
// Hong Kong, Macau and Taiwan have no code. Places are shared by everyone
// who holds the Gazetteer; callers must not modify them.
type Place struct {
	Code     string // statistics-bureau code: 2 digits for a province, 4 for a city, 6 for a county
	Name     string // full name: 甘肃省, 天水市, 清水县
	Short    string // customary short name (甘肃, 天水, 清水), or "" if the name has none
	Level    int    // LevelProvince, LevelCity or LevelCounty
	Province *Place // the province; nil for a province
	City     *Place // the city; nil for provinces and cities
}

// String returns the place's full path, e.g. "甘肃省/天水市/清水县".
func (p *Place) String() string {
	if p == nil {
		return ""
	}
	var parts []string
	if p.Province != nil {
		parts = append(parts, p.Province.Name)
	}
	if p.City != nil {
		parts = append(parts, p.City.Name)
	}
	return strings.Join(append(parts, p.Name), "/")
}

// parent returns the place one level up, or nil for a province.
func (p *Place) parent() *Place {
	if p.City != nil {
		return p.City
	}
	return p.Province
}

// within reports whether p is anc or lies inside it.
func (p *Place) within(anc *Place) bool {
	return p == anc || p.Province == anc || p.City == anc
}

// province returns p's province, or p itself if it is one.
func (p *Place) province() *Place {
	if p.Province != nil {
		return p.Province
	}
	return p
}

// city returns p's city, p itself if it is a city, and nil for a province.
func (p *Place) city() *Place {
	switch p.Level {
	case LevelCity:
		return p
	case LevelCounty:
		return p.City
	}
	return nil
}

// Gazetteer is the set of places with a name index and a matcher for running
// text. Get one from Default or Parse; it is immutable once built and safe
// for concurrent use.
type Gazetteer struct {
	places []*Place
	byName map[string][]*Place // full names, short names and aliases
	muni   map[*Place]*Place   // municipality province -> its city
	kids   map[*Place][]*Place
	m      *matcher
}

//go:embed gazetteer.tsv
var embedded string

var (
	defaultOnce sync.Once
	defaultG    *Gazetteer
)

// Default returns the gazetteer built from the embedded data. It is parsed on
// the first call and shared afterwards. Default panics if the embedded data
// is corrupt, which the package tests rule out.
func Default() *Gazetteer {
	defaultOnce.Do(func() {
		g, err := Parse(strings.NewReader(embedded))
		if err != nil {
			panic("region: embedded gazetteer: " + err.Error())
		}
		defaultG = g
	})
	return defaultG
}

// Parse reads a gazetteer in the format of the embedded gazetteer.tsv: lines
// "level<TAB>code<TAB>name" in depth-first order, each place after its
// parent; blank lines and lines starting with '#' are ignored. It returns an
// error naming the line for a malformed line, a level that skips one, or a
// code that does not extend its parent's, and an error if a place is named
// like one of the words the resolver treats as foreign or as no place.
func Parse(r io.Reader) (*Gazetteer, error) {
	g := &Gazetteer{
		byName: make(map[string][]*Place),
		muni:   make(map[*Place]*Place),
		kids:   make(map[*Place][]*Place),
	}
	var prov, city *Place
	sc := bufio.NewScanner(r)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("line %d: want 3 tab-separated fields, got %d", ln, len(f))
		}
		level, err := strconv.Atoi(f[0])
		if err != nil || level < LevelProvince || level > LevelCounty {
			return nil, fmt.Errorf("line %d: bad level %q", ln, f[0])
		}
		p := &Place{Code: f[1], Name: strings.TrimSpace(f[2]), Level: level}
		if utf8.RuneCountInString(p.Name) < 2 {
			return nil, fmt.Errorf("line %d: bad name %q", ln, f[2])
		}
		var parent *Place
		switch level {
		case LevelProvince:
			prov, city = p, nil
		case LevelCity:
			if prov == nil {
				return nil, fmt.Errorf("line %d: city %s before any province", ln, p.Name)
			}
			p.Province, parent, city = prov, prov, p
		case LevelCounty:
			if city == nil {
				return nil, fmt.Errorf("line %d: county %s before any city", ln, p.Name)
			}
			p.Province, p.City, parent = prov, city, city
		}
		if check := parent; check != nil && p.Code != "" {
			// A municipality's districts keep their own city codes (Chongqing's
			// counties are 5002xx under the city 5001): check the province.
			if level == LevelCounty && p.City.Name == prov.Name {
				check = prov
			}
			if !strings.HasPrefix(p.Code, check.Code) {
				return nil, fmt.Errorf("line %d: code %s of %s does not extend %s of %s", ln, p.Code, p.Name, check.Code, check.Name)
			}
		}
		if parent != nil {
			g.kids[parent] = append(g.kids[parent], p)
			if level == LevelCity && p.Name == parent.Name {
				g.muni[parent] = p
			}
		}
		g.places = append(g.places, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read gazetteer: %w", err)
	}
	if len(g.places) == 0 {
		return nil, fmt.Errorf("no places")
	}
	for _, p := range g.places {
		p.Short = shortName(p)
		for _, n := range names(p) {
			if p.Level == LevelCity && g.muni[p.Province] == p {
				continue // a municipality's city is found through its province
			}
			if !slices.Contains(g.byName[n], p) {
				g.byName[n] = append(g.byName[n], p)
			}
		}
	}
	for _, ps := range g.byName {
		slices.SortStableFunc(ps, func(a, b *Place) int { return a.Level - b.Level })
	}
	m, err := newMatcher(g)
	if err != nil {
		return nil, err
	}
	g.m = m
	return g, nil
}

// Lookup returns the places with the given full name (甘肃省), short name
// (甘肃) or customary abbreviation (延边州, 香港特区): provinces first, then
// cities, then counties, each in code order. It returns nil if no place has
// that name. Lookup of a municipality's name returns its province; the city
// of the same name holds its districts, and Region fills it in.
func (g *Gazetteer) Lookup(name string) []*Place {
	ps := g.byName[strings.TrimSpace(name)]
	if len(ps) == 0 {
		return nil
	}
	return append([]*Place(nil), ps...)
}

// Region returns the news.Region of p: a county comes with its city and
// province, and a municipality's province with its city. Code is the code of
// the most specific level that has one. Region(nil) is the zero Region.
func (g *Gazetteer) Region(p *Place) news.Region {
	if p == nil {
		return news.Region{}
	}
	if c := g.muni[p]; c != nil {
		p = c
	}
	var r news.Region
	switch p.Level {
	case LevelProvince:
		r.Province = p.Name
	case LevelCity:
		r.Province, r.City = p.Province.Name, p.Name
	case LevelCounty:
		r.Province, r.City, r.County = p.Province.Name, p.City.Name, p.Name
	}
	for q := p; q != nil; q = q.parent() {
		if q.Code != "" {
			r.Code = q.Code
			break
		}
	}
	return r
}

// children returns the places one level below p.
func (g *Gazetteer) children(p *Place) []*Place { return g.kids[p] }

// ethnicNames are China's peoples (and 各, of 龙胜各族自治县), stripped from
// the end of an autonomous area's name to get its short name.
var ethnicNames = []string{
	"蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
	"土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
	"纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
	"锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",
	"裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
}

// suffixes of full names, tried in order (longer before their own endings:
// 林区 before 区); stripping one gives the short name.
var suffixes = []string{
	"特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "矿区", "林区",
	"省", "市", "区", "县", "旗", "盟",
}

// shortName returns the customary short name of p: the name without its
// administrative suffix and, for an autonomous area, without the names of its
// peoples: 甘肃省 -> 甘肃, 广西壮族自治区 -> 广西, 延边朝鲜族自治州 -> 延边,
// 清水县 -> 清水. A short name keeps at least two characters (东区 has none),
// and functional zones (开发区, 管理区, codes with 7 in the fifth digit) have none.
func shortName(p *Place) string {
	if len(p.Code) == 6 && p.Code[4] == '7' {
		return ""
	}
	name := p.Name
	for _, suf := range suffixes {
		rest, ok := strings.CutSuffix(name, suf)
		if !ok || utf8.RuneCountInString(rest) < 2 {
			continue
		}
		if strings.HasPrefix(suf, "自治") {
			rest = stripPeoples(rest)
			if strings.HasSuffix(rest, "族") {
				return "" // 鄂温克族自治旗: what is left names a people, not a place
			}
		}
		return rest
	}
	return ""
}

// stripPeoples removes trailing ethnic names ("朝鲜族", "哈萨克", "土家族苗族")
// while at least two characters remain.
func stripPeoples(s string) string {
	for {
		cut := false
		for _, e := range ethnicNames {
			for _, form := range []string{e + "族", e} {
				if form == e && utf8.RuneCountInString(e) < 2 {
					continue // a bare one-character name is too likely part of the place name
				}
				rest, ok := strings.CutSuffix(s, form)
				if ok && utf8.RuneCountInString(rest) >= 2 {
					s, cut = rest, true
					break
				}
			}
			if cut {
				break
			}
		}
		if !cut {
			return s
		}
	}
}

// names returns every string that names p: the full name, the short name and
// customary abbreviations made from the short name (延边州, 石柱县, 香港特区).
func names(p *Place) []string {
	out := []string{p.Name}
	if p.Short == "" {
		return out
	}
	out = append(out, p.Short)
	switch {
	case strings.HasSuffix(p.Name, "自治州"):
		out = append(out, p.Short+"州")
	case strings.HasSuffix(p.Name, "自治县"):
		out = append(out, p.Short+"县")
	case strings.HasSuffix(p.Name, "自治旗"):
		out = append(out, p.Short+"旗")
	case strings.HasSuffix(p.Name, "特别行政区"):
		out = append(out, p.Short+"特区")
	}
	return out
}
