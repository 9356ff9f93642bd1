package extract

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/news"
)

// Page extracts the article from the text of a news portal page as a browser
// shows it (or a text dump of one): a breadcrumb such as
// "您当前的位置 : 中国甘肃网 >> 甘肃新闻 >> 市州播报 >> 天水", the title, a date
// line ("20-09-28 08:50 来源:中国甘肃网-甘肃日报 编辑:靳佩佩"), then the story.
//
// The breadcrumb becomes the section path without the site and home levels
// (甘肃新闻 > 市州播报 > 天水); the date line gives the publication time,
// source, editor and authors; 原标题 and reporter lines ("本报记者 张三 李四")
// at the head of the story become OriginalTitle and Authors rather than body.
// The body ends at the first line of page furniture: 版权声明, 精彩推荐,
// 相关新闻, 关注我们, 即时播报, 分享到, 责任编辑 and the like.
//
// Page returns a *news.Error with code news.EINVALID when it finds neither a
// title nor a body, or when the date line holds an impossible date, and one
// with code news.ETOOLARGE when the body is over MaxBodyBytes.
func Page(text string) (news.Article, error) {
	var a news.Article
	ls := lines(text)
	start := pageHeader(ls, &a)
	pageBody(ls[start:], &a)
	return a, finish(&a)
}

// headerWindow is how many lines from the top a page header may take.
const headerWindow = 30

// pageHeader finds the breadcrumb, the title and the date line at the top of
// a page, fills a from them and returns the index of the first line after
// them.
func pageHeader(ls []string, a *news.Article) int {
	n := min(len(ls), headerWindow)
	// The date line: the first with a date and labels (来源：…), else the
	// first with a date. Portals often show today's date above the story.
	dateIdx := -1
	var meta lineMeta
	for i := range n {
		if m, ok := parseMetaLine(ls[i]); ok && !m.published.IsZero() {
			if dateIdx < 0 || (m.labelled && !meta.labelled) {
				dateIdx, meta = i, m
			}
			if m.labelled {
				break
			}
		}
	}
	if dateIdx >= 0 {
		meta.apply(a)
	}
	titleIdx := -1
	usable := func(i int) bool {
		l := ls[i]
		if _, ok := breadcrumb(l); ok || isStopLine(l) || runeLen(l) > 100 {
			return false
		}
		_, ok := parseMetaLine(l)
		return !ok
	}
	if dateIdx > 0 {
		for j := dateIdx - 1; j >= 0; j-- {
			if usable(j) {
				titleIdx = j
				break
			}
		}
	}
	if titleIdx < 0 {
		for j := dateIdx + 1; j < n; j++ {
			if usable(j) {
				titleIdx = j
				break
			}
		}
	}
	end := max(titleIdx, dateIdx) + 1
	if titleIdx >= 0 {
		a.Title = ls[titleIdx]
	}
	for j := end - 1; j >= 0; j-- {
		if path, ok := breadcrumb(ls[j]); ok {
			a.Section = path
			break
		}
	}
	return end
}

// pageBody reads the story from ls: it takes the meta lines at its head into
// a (original title, reporters, a late date line, a repeated title) and stops
// at the first line of page furniture after it.
func pageBody(ls []string, a *news.Article) {
	i := 0
lead:
	for ; i < len(ls); i++ {
		l := ls[i]
		switch {
		case a.Title != "" && sameText(l, a.Title):
		case a.Title == "" && i == 0 && runeLen(l) <= 60 && len(ls) > 1 && !endsSentence(l):
			a.Title = l
		default:
			if ot, ok := originalTitle(l); ok {
				if bracketsOnly(ot) && i+1 < len(ls) && isTitleLike(ls[i+1]) {
					ot += ls[i+1]
					i++
				}
				if a.OriginalTitle == "" {
					a.OriginalTitle = ot
				}
				continue
			}
			if names, ok := parseReporters(l); ok {
				a.Authors = appendNames(a.Authors, names...)
				continue
			}
			if m, ok := parseMetaLine(l); ok {
				m.apply(a)
				continue
			}
			if path, ok := breadcrumb(l); ok {
				if len(a.Section) == 0 {
					a.Section = path
				}
				continue
			}
			if isStopLine(l) && runeLen(l) <= 20 {
				continue // a toolbar: 分享到, 字号, 打印
			}
			break lead
		}
	}
	var body []string
	for ; i < len(ls); i++ {
		l := ls[i]
		if ed, ok := editorLine(l); ok {
			if a.Editor == "" {
				a.Editor = ed
			}
			break
		}
		if isStopLine(l) {
			break
		}
		body = append(body, l)
	}
	if k := len(body) - 1; k >= 0 {
		if m := trailingEditorRE.FindStringSubmatchIndex(body[k]); m != nil {
			if a.Editor == "" {
				a.Editor = cleanLine(body[k][m[2]:m[3]])
			}
			body[k] = strings.TrimSpace(body[k][:m[0]])
			if body[k] == "" {
				body = body[:k]
			}
		}
	}
	a.Body = strings.Join(body, "\n")
}

// trailingEditorRE matches "（责任编辑：张三）" at the end of the last paragraph.
var trailingEditorRE = regexp.MustCompile(`[(（]\s*(?:责任编辑|编辑|责编)\s*[:：]\s*([^()（）]{1,20}?)\s*[)）]$`)

// sameText reports whether two lines are equal but for spaces.
func sameText(a, b string) bool {
	return strings.ReplaceAll(a, " ", "") == strings.ReplaceAll(b, " ", "")
}

// endsSentence reports whether a line ends like a sentence, not a title.
func endsSentence(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(l)
	return strings.ContainsRune("。！？；…!?;", r)
}

func isTitleLike(l string) bool {
	if runeLen(l) > 80 || endsSentence(l) {
		return false
	}
	if _, ok := parseReporters(l); ok {
		return false
	}
	_, ok := parseMetaLine(l)
	return !ok
}

var originalTitleRE = regexp.MustCompile(`^[【\[(（]?\s*原标题\s*[】\])）]?\s*[:：]\s*(.+)$`)

// originalTitle reads a "原标题：…" line.
func originalTitle(l string) (string, bool) {
	m := originalTitleRE.FindStringSubmatch(l)
	if m == nil {
		return "", false
	}
	return strings.TrimSpace(m[1]), true
}

var bracketsOnlyRE = regexp.MustCompile(`^(?:【[^】]*】\s*)+$`)

// bracketsOnly reports an original title made only of column tags such as
// 【走向我们的小康生活】, whose headline is on the next line.
func bracketsOnly(s string) bool { return bracketsOnlyRE.MatchString(s) }

// lineMeta is what a date line or a "来源：" line says.
type lineMeta struct {
	labelled  bool // has labels such as 来源：, not just a date
	published time.Time
	source    string
	editor    string
	authors   []string
}

// apply fills the fields of a that are still empty.
func (m lineMeta) apply(a *news.Article) {
	if a.PublishedAt.IsZero() {
		a.PublishedAt = m.published
	}
	if a.Source == "" {
		a.Source = m.source
	}
	if a.Editor == "" {
		a.Editor = m.editor
	}
	if len(a.Authors) == 0 {
		a.Authors = m.authors
	}
}

// dateInTextRE finds a date (and time) inside a line; the year must not be
// preceded by another digit.
var dateInTextRE = regexp.MustCompile(`(?:^|[^\d])((?:\d{4}|\d{2})\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*(?:[(（]?(?:星期|周)[一二三四五六日天][)）]?)?\s*\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2}\s*秒?)?)?)`)

// metaKeyRE finds the labels of a date line: 来源：, 作者：, 编辑：.
var metaKeyRE = regexp.MustCompile(`(?:文章|信息|新闻|稿件|本文)?(来源|稿源|出处|作者|记者|通讯员|责任编辑|编辑|责编|发布时间|发布日期|发表时间|更新时间|时间|日期|字号|字体|浏览次数|浏览|点击数|点击|阅读数|阅读|评论|分享到|分享)\s*[:：]`)

// parseMetaLine reads a short line of labelled metadata: a date line such
// as "2020-09-28 08:50 来源：甘肃日报 编辑：张三", a bare date, or a line
// starting with a label ("来源：新华社"). ok is false for anything else.
func parseMetaLine(l string) (m lineMeta, ok bool) {
	if runeLen(l) > 120 || strings.ContainsAny(l, "。！？") {
		return m, false
	}
	keys := metaKeyRE.FindAllStringSubmatchIndex(l, -1)
	d := dateInTextRE.FindStringSubmatchIndex(l)
	if d != nil {
		t, err := ParseTime(strings.NewReplacer("：", ":").Replace(l[d[2]:d[3]]))
		if err != nil {
			d = nil
		} else {
			m.published = t
		}
	}
	switch {
	case d != nil && len(keys) > 0:
	case d != nil:
		rest := l[:d[2]] + l[d[3]:]
		if runeLen(strings.TrimSpace(rest)) > 12 {
			return lineMeta{}, false
		}
		return m, true
	case len(keys) > 0:
		pre := strings.TrimLeft(l[:keys[0][0]], "【[（( ")
		if pre != "" {
			return lineMeta{}, false
		}
	default:
		return m, false
	}
	m.labelled = len(keys) > 0
	for i, k := range keys {
		end := len(l)
		if i+1 < len(keys) {
			end = keys[i+1][0]
		}
		v := l[k[1]:end]
		if d != nil && d[2] >= k[1] && d[3] <= end {
			v = v[:d[2]-k[1]] + v[d[3]-k[1]:]
		}
		v = strings.Trim(cleanLine(v), " |｜【】[]()（）")
		if v == "" {
			continue
		}
		switch l[k[2]:k[3]] {
		case "来源", "稿源", "出处":
			if m.source == "" {
				m.source = v
			}
		case "作者", "记者", "通讯员":
			m.authors = appendNames(m.authors, splitNames(v)...)
		case "责任编辑", "编辑", "责编":
			if m.editor == "" {
				m.editor = v
			}
		}
	}
	return m, true
}

var editorLineRE = regexp.MustCompile(`^[【\[(（]?\s*(?:责任编辑|编辑|责编|值班编辑)\s*[:：]`)

// editorLine reads a short "责任编辑：张三" line that closes a story.
func editorLine(l string) (string, bool) {
	if runeLen(l) > 60 || !editorLineRE.MatchString(l) {
		return "", false
	}
	m, _ := parseMetaLine(l)
	return m.editor, true
}

// roleWords are the credits that come before reporters' names. The single
// characters only count as a whole token ("文/图 张三").
var roleWords = []string{"见习记者", "实习记者", "特约记者", "首席记者", "记者", "通讯员", "实习生", "特约撰稿人", "撰稿", "撰文", "作者", "编译", "摄影", "报道"}

// parseReporters reads a credit line such as "新甘肃·甘肃日报记者 邱暄美 谢志娟"
// or "本报记者 张三 通讯员 李四" and returns the names.
func parseReporters(l string) ([]string, bool) {
	if runeLen(l) > 60 || strings.ContainsAny(l, "。！？!?；;") {
		return nil, false
	}
	s := strings.Trim(l, "（）()【】[] ")
	roles := 0
	var names []string
	for _, tok := range strings.FieldsFunc(s, isNameSep) {
		rest, role := stripRole(tok)
		if role {
			roles++
		}
		if rest == "" {
			continue
		}
		if !isName(rest) {
			return nil, false
		}
		names = append(names, rest)
	}
	if roles == 0 || len(names) == 0 {
		return nil, false
	}
	return names, true
}

func isNameSep(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("、，,/／|｜:：;；", r)
}

// stripRole removes a credit ("记者", "本报记者", "新华社记者") from a token
// and returns what follows it.
func stripRole(tok string) (rest string, role bool) {
	switch tok {
	case "文", "图", "摄", "文图", "图文":
		return "", true
	}
	best := -1
	end := 0
	for _, w := range roleWords {
		if i := strings.LastIndex(tok, w); i >= 0 && i+len(w) > end {
			best, end = i, i+len(w)
		}
	}
	if best < 0 {
		return tok, false
	}
	return tok[end:], true
}

// isName reports whether s looks like a Chinese personal name: two to four
// Han characters, or up to twelve with a middle dot (阿不都·艾尼).
func isName(s string) bool {
	n, dots := 0, 0
	for _, r := range s {
		switch {
		case r == '·' || r == '•' || r == '・':
			dots++
		case unicode.Is(unicode.Han, r):
			n++
		default:
			return false
		}
	}
	if dots > 0 {
		return n >= 2 && n+dots <= 12
	}
	return n >= 2 && n <= 4
}

// splitNames splits an author string: on 、，,;/ and, when it has Chinese
// text, on spaces; credits such as "记者" are dropped.
func splitNames(s string) []string {
	s = cleanLine(s)
	han := strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
	sep := func(r rune) bool {
		return strings.ContainsRune("、，,;；/／|｜", r) || (han && r == ' ')
	}
	var out []string
	for _, tok := range strings.FieldsFunc(s, sep) {
		tok = strings.Trim(tok, " :：（）()【】[]")
		if han {
			tok, _ = stripRole(tok)
		} else {
			tok = strings.TrimSpace(strings.TrimPrefix(tok, "By "))
		}
		if tok = strings.Trim(tok, " :："); tok != "" {
			out = append(out, tok)
		}
	}
	return out
}

// appendNames appends the names not yet in list.
func appendNames(list []string, names ...string) []string {
	for _, n := range names {
		if n != "" && !containsString(list, n) {
			list = append(list, n)
		}
	}
	return list
}

// breadcrumb reads a breadcrumb line ("您当前的位置：中国甘肃网 >> 甘肃新闻 >>
// 天水", "首页 > 国内 > 正文") and returns the section path without the site,
// home and 正文 levels.
func breadcrumb(l string) ([]string, bool) {
	if runeLen(l) > 120 {
		return nil, false
	}
	s, labelled := l, false
	if i := strings.Index(s, "位置"); i >= 0 && i <= 20 {
		rest := strings.TrimLeft(s[i+len("位置"):], " ")
		for _, colon := range []string{":", "："} {
			if strings.HasPrefix(rest, colon) {
				s, labelled = rest[len(colon):], true
				break
			}
		}
	}
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '>' || r == '＞' || r == '»' || r == '›' || r == '→' || r == '〉'
	})
	if !labelled && len(parts) < 2 {
		return nil, false
	}
	var path []string
	for i, p := range parts {
		p = strings.Trim(p, " -－")
		if p == "" {
			continue
		}
		if runeLen(p) > 20 {
			if i == len(parts)-1 && len(parts) >= 3 {
				continue // the article's own title as the last level
			}
			return nil, false
		}
		if homeLevel(p) || (len(path) == 0 && siteName(p)) {
			continue
		}
		path = append(path, p)
	}
	if len(path) == 0 && !labelled {
		return nil, false
	}
	return path, true
}

// homeLevel reports breadcrumb levels that are not sections.
func homeLevel(p string) bool {
	switch strings.ToLower(p) {
	case "首页", "主页", "网站首页", "返回首页", "正文", "内容", "正文内容", "详情", "详细内容", "home", "index":
		return true
	}
	return false
}

// siteName reports a breadcrumb level that names the site: 中国甘肃网,
// 新浪首页, www.gscn.com.cn.
func siteName(p string) bool {
	lp := strings.ToLower(p)
	for _, suf := range []string{"网", "网站", "首页", "主页", "门户", "在线"} {
		if strings.HasSuffix(p, suf) {
			return true
		}
	}
	return strings.Contains(lp, "www.") || strings.HasSuffix(lp, ".com") || strings.HasSuffix(lp, ".cn") || strings.HasSuffix(lp, ".net")
}

// stopMarkers begin the page furniture after a story. A marker counts when
// it is the whole line or is followed by something other than a Han
// character ("分享到：", "责任编辑:张三"), so that "相关新闻发布会……" does not
// end a story.
var stopMarkers = []string{
	"版权声明", "版权所有", "免责声明", "声明", "版权",
	"精彩推荐", "相关新闻", "相关阅读", "相关链接", "相关文章", "相关稿件", "相关报道", "推荐阅读", "延伸阅读",
	"热点推荐", "热门推荐", "热门文章", "热点新闻", "热门新闻", "今日推荐", "编辑推荐", "为你推荐", "猜你喜欢",
	"更多精彩", "更多新闻", "图片新闻", "点击排行", "新闻排行", "排行榜", "即时播报", "滚动新闻", "最新新闻",
	"关注我们", "扫一扫", "微信扫一扫", "扫描二维码", "分享到", "分享至", "分享", "责任编辑", "纠错", "我要纠错",
	"打印本页", "打印此页", "打印", "关闭窗口", "关闭", "返回顶部", "返回首页", "上一篇", "下一篇",
	"网友评论", "我要评论", "发表评论", "评论", "收藏", "字号",
}

// isStopLine reports whether l starts the page furniture after a story.
func isStopLine(l string) bool {
	s := strings.TrimLeft(l, "【[（(〖•·●■▪| ")
	if strings.HasPrefix(s, "©") || strings.HasPrefix(strings.ToLower(s), "copyright") {
		return true
	}
	for _, m := range stopMarkers {
		if !strings.HasPrefix(s, m) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[len(m):])
		if len(s) == len(m) || !unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
