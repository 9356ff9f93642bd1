package backendtest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/demo"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
	xq "github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/testseg"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Config is what an opened backend must use.
type Config struct {
	Texts news.Texts       // bodies for snippets
	Now   func() time.Time // the clock of relative date facets
}

// Open returns a new, empty backend configured with cfg. The suite closes
// it.
type Open func(t *testing.T, cfg Config) news.Backend

// Now is the clock the suite gives backends: the golden cases' relative
// date facets are computed as of it.
func Now() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, news.CST) }

// MemTexts serves article bodies from memory.
type MemTexts map[string]news.Article

// GetMany implements news.Texts.
func (m MemTexts) GetMany(_ context.Context, ids []string) (map[string]news.Article, error) {
	out := map[string]news.Article{}
	for _, id := range ids {
		if a, ok := m[id]; ok {
			out[id] = a
		}
	}
	return out, nil
}

// MustPut opens a backend with arts put into it.
func MustPut(t *testing.T, open Open, arts []news.Article) news.Backend {
	t.Helper()
	texts := MemTexts{}
	for _, a := range arts {
		texts[a.ID] = a
	}
	b := open(t, Config{Texts: texts, Now: Now})
	t.Cleanup(func() { b.Close() })
	if err := b.Put(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return b
}

// Run runs the whole suite against the backends open returns.
func Run(t *testing.T, open Open) {
	t.Run("Golden", func(t *testing.T) { testGolden(t, open) })
	t.Run("Scan", func(t *testing.T) { testScan(t, open) })
	t.Run("Paging", func(t *testing.T) { testPaging(t, open) })
	t.Run("Changes", func(t *testing.T) { testChanges(t, open) })
	t.Run("Snippets", func(t *testing.T) { testSnippets(t, open) })
	t.Run("Errors", func(t *testing.T) { testErrors(t, open) })
	t.Run("Internal", func(t *testing.T) { testInternal(t, open) })
}

// repoDir is the repository root, found from this file.
func repoDir(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the backendtest package")
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

// goldenSearch is one search of a golden case (searches.json of a folder of
// index/testdata/golden).
type goldenSearch struct {
	Name    string                    `json:"name"`
	Request news.SearchRequest        `json:"request"`
	Hits    []string                  `json:"hits"`
	Ordered bool                      `json:"ordered"`
	Total   *uint64                   `json:"total"`
	Facets  map[string]map[string]int `json:"facets"`
	Copies  map[string]int            `json:"copies"`
}

func testGolden(t *testing.T, open Open) {
	dirs, err := filepath.Glob(filepath.Join(repoDir(t), "index", "testdata", "golden", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			b := MustPut(t, open, ReadDocs(t, filepath.Join(dir, "docs.jsonl")))
			var searches []goldenSearch
			buf, err := os.ReadFile(filepath.Join(dir, "searches.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(buf, &searches); err != nil {
				t.Fatal(err)
			}
			for _, s := range searches {
				t.Run(s.Name, func(t *testing.T) {
					if s.Request.Size == 0 {
						s.Request.Size = 100
					}
					s.Request.Facets = s.Request.Facets || s.Facets != nil
					res := MustSearch(t, b, s.Request)
					got := IDs(res)
					if s.Hits != nil {
						want := slices.Clone(s.Hits)
						if !s.Ordered {
							slices.Sort(got)
							slices.Sort(want)
						}
						if !slices.Equal(got, want) {
							t.Errorf("hits %v, want %v", got, want)
						}
						if s.Total == nil && s.Request.Page <= 1 && s.Request.Size == 100 && res.Total != uint64(len(want)) {
							t.Errorf("total %d, want %d", res.Total, len(want))
						}
					}
					for _, h := range res.Hits {
						if want, ok := s.Copies[h.ID]; ok && h.Duplicates != want {
							t.Errorf("%s: %d copies, want %d", h.ID, h.Duplicates, want)
						}
					}
					if s.Total != nil && res.Total != *s.Total {
						t.Errorf("total %d, want %d", res.Total, *s.Total)
					}
					for name, want := range s.Facets {
						if got := FacetMap(res.Facets, name); !mapsEqual(got, want) {
							t.Errorf("facet %s: %v, want %v", name, got, want)
						}
					}
				})
			}
		})
	}
}

// ReadDocs reads articles, one JSON object a line.
func ReadDocs(t testing.TB, path string) []news.Article {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []news.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for n := 1; sc.Scan(); n++ {
		var a news.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		out = append(out, a)
	}
	return out
}

// DemoArticles returns the bundled demo articles, with the regions and
// sections they come with.
func DemoArticles(t testing.TB) []news.Article {
	t.Helper()
	r, err := demo.Articles()
	if err != nil {
		t.Fatal(err)
	}
	var out []news.Article
	err = extract.JSON(r, demo.ArticlesName, func(rec extract.Record) error {
		if rec.Err == nil {
			out = append(out, rec.Article)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("only %d demo articles", len(out))
	}
	return out
}

// MustSearch searches or fails the test.
func MustSearch(t testing.TB, b news.Backend, req news.SearchRequest) *news.SearchResult {
	t.Helper()
	res, err := b.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("search %+v: %v", req, err)
	}
	return res
}

// IDs returns the IDs of res's hits in order.
func IDs(res *news.SearchResult) []string {
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

// FacetMap returns one facet of f as value -> count.
func FacetMap(f *news.Facets, name string) map[string]int {
	out := map[string]int{}
	if f == nil {
		return out
	}
	var fc []news.FacetCount
	switch name {
	case "section":
		fc = f.Section
	case "province":
		fc = f.Province
	case "city":
		fc = f.City
	case "year":
		fc = f.Year
	case "month":
		fc = f.Month
	case "range":
		fc = f.Range
	}
	for _, c := range fc {
		if c.Count > 0 {
			out[c.Value] = c.Count
		}
	}
	return out
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Scan is the reference the suite checks searches against: which of arts
// a query matches, by looking for each literal as a string in the
// normalized title or body (Latin words whole), with no index at all.
func Scan(t testing.TB, arts []news.Article, query string) []news.Article {
	t.Helper()
	q, err := xq.Parse(query, testseg.Segmenter(t))
	if err != nil {
		t.Fatal(err)
	}
	var out []news.Article
	for _, a := range arts {
		if a.DuplicateOf != "" {
			continue
		}
		title, body := textnorm.String(a.Title), textnorm.String(a.Body)
		clause := func(c xq.Clause) bool {
			for _, lit := range c.Lits {
				if !occurs(title, lit) && !occurs(body, lit) {
					return false
				}
			}
			return len(c.Lits) > 0
		}
		ok := true
		for _, g := range q.Groups {
			if !slices.ContainsFunc(g, clause) {
				ok = false
			}
		}
		if slices.ContainsFunc(q.Not, clause) {
			ok = false
		}
		if ok {
			out = append(out, a)
		}
	}
	return out
}

// occurs reports whether lit occurs in text, not inside a longer Latin word.
func occurs(text, lit string) bool {
	tr, lr := []rune(text), []rune(lit)
	if len(lr) == 0 {
		return false
	}
	for i := 0; i+len(lr) <= len(tr); i++ {
		if !slices.Equal(tr[i:i+len(lr)], lr) {
			continue
		}
		if textnorm.Class(lr[0]) == textnorm.Alnum && i > 0 && textnorm.Class(tr[i-1]) == textnorm.Alnum {
			continue
		}
		if j := i + len(lr); textnorm.Class(lr[len(lr)-1]) == textnorm.Alnum && j < len(tr) && textnorm.Class(tr[j]) == textnorm.Alnum {
			continue
		}
		return true
	}
	return false
}

// scanQueries are searches of the demo articles: names, places, coinages,
// single characters, Latin and numbers, phrases, exclusions, alternatives.
var scanQueries = []string{
	"甘肃", "天水", "兰州", "王毅", "习近平", "新质生产力", "乡村振兴", "一带一路", "经济", "会议",
	"张", "蝶", "京", "5G", "2024年", "AI", `"人工智能"`, `"中国 美国"`, "甘肃 -兰州", "兰州 OR 天水",
	"中国 发展 -美国", "记者", "两会 OR 人大", "新冠", "高质量发展", "北京", "上海 OR 深圳", "新闻联播",
}

// testScan compares every search of scanQueries over the demo articles, in
// full (date order, paged with the cursor), with Scan: hits, totals and
// facet counts.
func testScan(t *testing.T, open Open) {
	arts := DemoArticles(t)
	b := MustPut(t, open, arts)
	nonEmpty := 0
	for _, query := range scanQueries {
		t.Run(query, func(t *testing.T) {
			want := Scan(t, arts, query)
			if len(want) > 0 {
				nonEmpty++
			}
			req := news.SearchRequest{Query: query, Sort: news.SortDate, Size: 100, Facets: true}
			first := MustSearch(t, b, req)
			if first.Total != uint64(len(want)) {
				t.Errorf("total %d, want %d", first.Total, len(want))
			}
			got := AllIDs(t, b, req)
			wantIDs := SortedByDate(want)
			if !slices.Equal(got, wantIDs) {
				t.Errorf("%d hits %v\nwant %d %v", len(got), head(got), len(wantIDs), head(wantIDs))
			}
			checkFacets(t, first.Facets, want)
		})
	}
	if nonEmpty < len(scanQueries)/2 {
		t.Errorf("only %d of %d queries match any demo article: the scan checks little", nonEmpty, len(scanQueries))
	}
}

func head(ids []string) []string { return ids[:min(len(ids), 8)] }

// AllIDs pages through every hit of req with the cursor.
func AllIDs(t testing.TB, b news.Backend, req news.SearchRequest) []string {
	t.Helper()
	req.Facets = false
	out := []string{}
	seen := map[string]bool{}
	for range 1000 {
		res := MustSearch(t, b, req)
		for _, id := range IDs(res) {
			if seen[id] {
				t.Fatalf("%s twice while paging", id)
			}
			seen[id] = true
			out = append(out, id)
		}
		if res.NextCursor == "" {
			return out
		}
		req.Cursor, req.Page = res.NextCursor, 0
	}
	t.Fatal("paging does not end")
	return nil
}

// AllIDsByPage lists every hit of req by page number, up to the deepest
// page a backend serves by default (query.MaxWindow results).
func AllIDsByPage(t testing.TB, b news.Backend, req news.SearchRequest) []string {
	t.Helper()
	req.Facets, req.Cursor = false, ""
	if req.Size == 0 {
		req.Size = xq.DefaultSize
	}
	out := []string{}
	for req.Page = 1; req.Page*req.Size <= xq.MaxWindow; req.Page++ {
		res := MustSearch(t, b, req)
		out = append(out, IDs(res)...)
		if uint64(req.Page*req.Size) >= res.Total {
			break
		}
	}
	return out
}

// SortedByDate returns the IDs of arts newest first, undated last, ties by
// ID: the date order of every backend.
func SortedByDate(arts []news.Article) []string {
	s := slices.Clone(arts)
	slices.SortFunc(s, func(a, b news.Article) int {
		az, bz := a.PublishedAt.IsZero(), b.PublishedAt.IsZero()
		switch {
		case az != bz:
			if az {
				return 1
			}
			return -1
		case !az && a.PublishedAt.Unix() != b.PublishedAt.Unix():
			return b.PublishedAt.Compare(a.PublishedAt)
		}
		return strings.Compare(a.ID, b.ID)
	})
	out := make([]string, len(s))
	for i, a := range s {
		out[i] = a.ID
	}
	return out
}

// checkFacets compares facet counts with those of want. A list cut at its
// limit must hold the largest counts, each right.
func checkFacets(t *testing.T, f *news.Facets, want []news.Article) {
	t.Helper()
	if f == nil {
		t.Error("no facets")
		return
	}
	exp := map[string]map[string]int{"section": {}, "province": {}, "city": {}, "year": {}, "month": {}}
	for _, a := range want {
		if p := a.SectionPath(); p != "" {
			exp["section"][p]++
		}
		if a.Region.Province != "" {
			exp["province"][a.Region.Province]++
		}
		if a.Region.City != "" {
			exp["city"][a.Region.City]++
		}
		if !a.PublishedAt.IsZero() {
			d := a.PublishedAt.In(news.CST)
			exp["year"][d.Format("2006")]++
			exp["month"][d.Format("2006-01")]++
		}
	}
	for name, e := range exp {
		got := FacetMap(f, name)
		if len(got) == len(e) {
			if !mapsEqual(got, e) {
				t.Errorf("facet %s: %v, want %v", name, got, e)
			}
			continue
		}
		// Cut at a limit: what is listed is right, and nothing left out
		// counts more than the least listed.
		least := 1 << 30
		for k, v := range got {
			if e[k] != v {
				t.Errorf("facet %s[%s] = %d, want %d", name, k, v, e[k])
			}
			least = min(least, v)
		}
		if len(got) > len(e) {
			t.Errorf("facet %s lists %d values, want %d", name, len(got), len(e))
		}
		for k, v := range e {
			if _, ok := got[k]; !ok && v > least && name != "year" && name != "month" {
				t.Errorf("facet %s leaves out %s (%d) but lists one of %d", name, k, v, least)
			}
		}
	}
}

// RelatedArticles are the articles of the related-articles tests: r1 is
// about solar and wind power in Gansu, r2 about the same in Jiuquan, r3
// about new-energy cars, r4 about calligraphy; r5 is a copy of r1, r6 of
// r2; and twelve stories on other topics, so that the words above are as
// rare as in a real index.
func RelatedArticles() []news.Article {
	arts := []news.Article{
		{ID: "r1", Title: "甘肃光伏风电装机容量创新高", Body: "甘肃新能源装机容量突破五千万千瓦，光伏和风电发电量持续增长。酒泉风电基地和光伏电站建设加快，新能源外送通道不断完善。"},
		{ID: "r2", Title: "酒泉风电光伏基地建设提速", Body: "酒泉千万千瓦级风电基地二期工程加快建设，一批光伏电站并网发电，新能源装机容量稳步提升。"},
		{ID: "r3", Title: "新能源汽车出口增长", Body: "今年以来，我国新能源汽车出口量持续增长，动力电池产业链优势明显。"},
		{ID: "r4", Title: "故宫博物院举办书画展", Body: "展览展出明清书画精品一百余件，观众可近距离欣赏文物。"},
	}
	c1, c2 := arts[0], arts[1]
	c1.ID, c1.DuplicateOf = "r5", "r1"
	c2.ID, c2.DuplicateOf = "r6", "r2"
	arts = append(arts, c1, c2)
	for i, title := range []string{
		"全国冬小麦播种基本完成", "女排联赛总决赛落幕", "北方地区迎来大范围降温", "春运火车票开始发售",
		"多地中小学开展安全教育", "国产大飞机完成首次商业飞行", "长江流域禁渔成效显著", "城市社区养老服务持续完善",
		"高校毕业生就业形势总体稳定", "博物馆之夜活动吸引市民", "跨境电商进口额同比上升", "黄河入海口迎来候鸟迁徙",
	} {
		arts = append(arts, news.Article{ID: fmt.Sprintf("f%02d", i), Title: title, Body: title + "。有关部门介绍了具体情况。"})
	}
	return arts
}
