package index_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/query"
	"github.com/xinwen/xinwen/internal/testseg"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// recallTerms are person names, places, organisations and coinages: the
// kinds of words jieba's dictionary and HMM cut differently by context.
var recallTerms = []string{
	// people
	"王毅", "丁薛祥", "习近平", "李强", "赵乐际", "王沪宁", "蔡奇", "李希", "韩正", "李克强",
	"栗战书", "汪洋", "张又侠", "何立峰", "秦刚", "普京", "拜登", "特朗普", "古特雷斯", "马克龙",
	// places
	"雄安新区", "大湾区", "粤港澳大湾区", "长三角", "海南自由贸易港", "乌鲁木齐", "呼和浩特", "黑龙江", "西双版纳", "喀什",
	"乌克兰", "加沙", "以色列", "巴勒斯坦", "哈萨克斯坦", "塞尔维亚",
	// organisations
	"上海合作组织", "金砖国家", "东盟", "联合国", "世界贸易组织", "国务院", "全国人大常委会", "中共中央政治局", "亚投行", "北约", "欧盟", "非盟",
	// coinages and policy terms
	"新质生产力", "共同富裕", "一带一路", "碳达峰", "碳中和", "乡村振兴", "高质量发展", "中国式现代化", "数字经济", "人工智能",
	"新能源汽车", "专精特新", "全过程人民民主", "两个确立", "双碳",
	// single characters
	"蝶", "鲸",
}

// TestRecallAgainstSubstringScan indexes the whole CCTV corpus and checks,
// for every term, that a quoted search returns exactly the stories whose
// title or body contains the term (normalized), and that the unquoted search
// misses none of them and returns only stories containing each of its words.
func TestRecallAgainstSubstringScan(t *testing.T) {
	arts := cctv(t)
	ix := MustOpen(t, arts)
	norm := make([]string, len(arts))
	for i, a := range arts {
		norm[i] = textnorm.String(a.Title) + "\n" + textnorm.String(a.Body)
	}
	scan := func(lits ...string) []string {
		var out []string
		for i, s := range norm {
			all := true
			for _, l := range lits {
				if !strings.Contains(s, l) {
					all = false
					break
				}
			}
			if all {
				out = append(out, arts[i].ID)
			}
		}
		slices.Sort(out)
		return out
	}
	if len(recallTerms) < 50 {
		t.Fatalf("only %d terms", len(recallTerms))
	}
	totalDocs, exactUnquoted := 0, 0
	for _, term := range recallTerms {
		want := scan(textnorm.String(term))
		if len(want) == 0 {
			t.Errorf("%s: no story contains it; pick a term the corpus has", term)
			continue
		}
		totalDocs += len(want)
		got := allIDs(t, ix, `"`+term+`"`)
		if missing, extra := diff(want, got); len(missing)+len(extra) > 0 {
			t.Errorf("\"%s\": %d stories contain it; search missed %d (e.g. %v) and wrongly found %d (e.g. %v)",
				term, len(want), len(missing), head(missing), len(extra), head(extra))
		}
		q, err := query.Parse(term, testseg.Segmenter(t))
		if err != nil {
			t.Fatal(err)
		}
		lits := q.Literals()
		got = allIDs(t, ix, term)
		wantAll := scan(lits...)
		if missing, _ := diff(want, got); len(missing) > 0 {
			t.Errorf("%s: unquoted search missed %d of %d stories containing it (e.g. %v)", term, len(missing), len(want), head(missing))
		}
		if missing, extra := diff(wantAll, got); len(missing)+len(extra) > 0 {
			t.Errorf("%s (words %q): unquoted search differs from the stories containing every word: missed %d, wrongly found %d (e.g. %v)",
				term, lits, len(missing), len(extra), head(extra))
		}
		if slices.Equal(got, want) {
			exactUnquoted++
		}
		t.Logf("%-10s %5d stories; words %q", term, len(want), lits)
	}
	t.Logf("%d terms, %d matching stories in all: quoted search equals the substring scan for every term; unquoted equals it for %d terms",
		len(recallTerms), totalDocs, exactUnquoted)
}

// TestTwoPhaseSameResults compares, on the whole CCTV corpus, searches in
// two phases (the proximity factor computed for the best matches only,
// whatever their number of candidates) with the same searches in one phase
// (the factor computed for every match): the same totals and facets, and
// the same hits with the same scores in the same order, on the first page,
// a deeper page, through the cursor and newest first.
func TestTwoPhaseSameResults(t *testing.T) {
	ix := MustOpen(t, cctv(t))
	index.SetTwoPhaseMin(ix, 0) // two phases wherever they can run
	queries := []string{
		"国务院 常务会议", "习近平 会见", "乡村振兴 -国务院", "新质生产力 OR 高质量发展", "长江大桥",
		"联合国 秘书长 古特雷斯", "天水市清水县在2019年底宣布了什么", `"中国式现代化" 蝶`,
		"一带一路 -“共建一带一路” 合作", "人工智能 大模型 OR 算力", "中共中央政治局 会议",
		"全国人大常委会 委员长会议", "粤港澳大湾区 建设", "新闻联播 天气预报", "中央 经济 工作 会议",
		"乌克兰 危机 普京", "国家主席习近平 贺电", "国务院总理李强 主持召开",
		// Questions: relaxed searches.
		"中国共产党纪律检查委员会在2022年1月工作条例出台了什么？", "长江经济带在2022年1月谱写了什么？",
		"為什麼古巴外長羅德裡格斯6日譴責美國再次對古巴政府官員實施簽証限制？",
	}
	for _, term := range recallTerms {
		queries = append(queries, term+" 发展")
	}
	t.Logf("%d queries, %d hits compared", len(queries), compareTwoPhases(t, ix, queries))
}

// allIDs pages through every hit with the cursor.
func allIDs(tb testing.TB, ix *index.Index, q string) []string {
	tb.Helper()
	var out []string
	req := news.SearchRequest{Query: q, Size: query.MaxSize, Sort: news.SortDate}
	for {
		res, err := ix.Search(context.Background(), req)
		if err != nil {
			tb.Fatalf("search %q: %v", q, err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if res.NextCursor == "" {
			break
		}
		req.Cursor = res.NextCursor
	}
	slices.Sort(out)
	return out
}

// diff returns what want has that got lacks, and what got has that want lacks.
func diff(want, got []string) (missing, extra []string) {
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j == len(got) || i < len(want) && want[i] < got[j]:
			missing = append(missing, want[i])
			i++
		case i == len(want) || got[j] < want[i]:
			extra = append(extra, got[j])
			j++
		default:
			i++
			j++
		}
	}
	return missing, extra
}

func head(s []string) []string { return s[:min(len(s), 3)] }
