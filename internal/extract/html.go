package extract

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/xinwen/xinwen/internal/news"
)

// HTML extracts the article from an HTML page. pageURL, if known, becomes
// the Article's URL (and so its ID); otherwise the page's canonical link or
// og:url is used.
//
// The bytes are decoded by the charset the page declares (<meta charset>,
// or http-equiv Content-Type), except that bytes which are valid UTF-8 are
// read as UTF-8 whatever the declaration says, since mislabelled pages are
// common; undeclared bytes that are not UTF-8 are read as GB18030, which
// covers GB2312 and GBK.
//
// The title comes from og:title or <title> without the site's suffix
// ("_中国甘肃网", " - 新浪新闻"); the date from meta tags
// (article:published_time, pubdate, publishdate, og:release_date, ...) or a
// date line; the source from meta source, a "来源：" line or og:site_name; the
// section from the breadcrumb; the main text from go-readability, paragraphs
// separated by "\n", with the same treatment of credits and page furniture as
// Page.
//
// HTML returns a *news.Error with code news.EINVALID when the page has
// neither a title nor text, and news.ETOOLARGE when the body is over
// MaxBodyBytes.
func HTML(b []byte, pageURL string) (news.Article, error) {
	var a news.Article
	doc, err := html.Parse(bytes.NewReader(decodeHTML(b)))
	if err != nil {
		return a, &news.Error{Code: news.EINVALID, Message: "unreadable HTML", Err: err}
	}
	m := readMeta(doc)

	a.URL = strings.TrimSpace(pageURL)
	if a.URL == "" {
		a.URL = firstOf(m.canonical, m.meta["og:url"])
	}
	a.Title = pageTitle(m)
	a.Source = cleanLine(firstOf(m.meta["source"], m.meta["article:source"], m.meta["og:source"], m.meta["mediaid"]))
	a.Editor = cleanLine(firstOf(m.meta["editor"], m.meta["责任编辑"]))
	if au := firstOf(m.meta["article:author"], m.meta["author"], m.meta["byline"]); au != "" && !strings.Contains(au, "://") {
		a.Authors = splitNames(au)
	}
	for _, key := range dateMetaKeys {
		if v := m.meta[key]; v != "" {
			if t, err := ParseTime(v); err == nil {
				a.PublishedAt = t
				break
			}
		}
	}
	if a.PublishedAt.IsZero() && m.timeAttr != "" {
		if t, err := ParseTime(m.timeAttr); err == nil {
			a.PublishedAt = t
		}
	}

	// The page as text: breadcrumb, date line and credits, and the
	// fallback body.
	all := lines(render.InnerText(m.body))
	page := pageFromLines(all, a.Title)
	fillFrom(&a, page)

	var u *url.URL
	if a.URL != "" {
		u, _ = url.Parse(a.URL)
	}
	parser := readability.NewParser()
	parser.DisableJSONLD = true
	art, err := parser.ParseAndMutate(doc, u)
	var body []string
	if err == nil && art.Node != nil {
		body = lines(render.InnerText(art.Node))
	}
	if a.Title == "" {
		a.Title = cleanLine(art.Title())
	}
	if a.PublishedAt.IsZero() {
		if t, err := art.PublishedTime(); err == nil {
			a.PublishedAt = t.In(news.CST)
		}
	}
	if len(body) > 0 {
		pageBody(body, &a)
	}
	if a.Body == "" {
		a.Body = page.Body
	}
	if a.Source == "" {
		a.Source = cleanLine(firstOf(m.meta["og:site_name"], art.SiteName()))
	}
	if len(a.Section) == 0 {
		if s := cleanLine(firstOf(m.meta["article:section"], m.meta["og:section"])); s != "" {
			a.Section = splitPath(s)
		}
	}
	a.URL = cleanLine(a.URL)
	return a, finish(&a)
}

// pageFromLines reads a whole page's text: it finds the title line (the one
// equal to title, if given), the breadcrumb before it, the date line and
// credits after it, and the story.
func pageFromLines(all []string, title string) news.Article {
	var p news.Article
	start := -1
	if title != "" {
		for i, l := range all {
			if sameText(l, title) || (strings.HasPrefix(l, title) && runeLen(l) < runeLen(title)+20) {
				start = i
				break
			}
		}
	}
	if start < 0 {
		s := pageHeader(all, &p)
		pageBody(all[s:], &p)
		return p
	}
	p.Title = title
	for j := start - 1; j >= 0 && j >= start-10; j-- {
		if path, ok := breadcrumb(all[j]); ok {
			p.Section = path
			break
		}
	}
	pageBody(all[start+1:], &p)
	for j := start - 1; p.PublishedAt.IsZero() && j >= 0 && j >= start-3; j-- {
		if m, ok := parseMetaLine(all[j]); ok && !m.published.IsZero() {
			m.apply(&p) // a date line above the title
		}
	}
	return p
}

// fillFrom fills the empty fields of a, except the body, from what the
// page's text says.
func fillFrom(a *news.Article, p news.Article) {
	if a.Title == "" {
		a.Title = p.Title
	}
	if a.OriginalTitle == "" {
		a.OriginalTitle = p.OriginalTitle
	}
	if len(a.Section) == 0 {
		a.Section = p.Section
	}
	if a.PublishedAt.IsZero() {
		a.PublishedAt = p.PublishedAt
	}
	if a.Source == "" {
		a.Source = p.Source
	}
	if a.Editor == "" {
		a.Editor = p.Editor
	}
	if len(a.Authors) == 0 {
		a.Authors = p.Authors
	}
}

// dateMetaKeys are the meta names and properties that give a publication
// time, best first.
var dateMetaKeys = []string{
	"article:published_time", "og:article:published_time", "og:published_time", "published_time",
	"og:release_date", "datepublished", "pubdate", "publishdate", "publish_date", "publish-date", "publishtime",
	"weibo: article:create_at", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dc.date", "dcterms.created",
	"article.published", "date", "firstpublishedtime",
}

// pageMeta is what the <head> and a few tags of a page say.
type pageMeta struct {
	title     string            // <title>
	h1        string            // the first <h1>
	meta      map[string]string // lower-case name, property, itemprop or http-equiv: content (first wins)
	canonical string
	timeAttr  string // datetime of the first <time>
	body      *html.Node
}

func readMeta(doc *html.Node) pageMeta {
	m := pageMeta{meta: map[string]string{}, body: doc}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if m.title == "" {
					m.title = cleanLine(textOf(n))
				}
			case atom.H1:
				if m.h1 == "" {
					m.h1 = cleanLine(textOf(n))
				}
			case atom.Body:
				m.body = n
			case atom.Meta:
				content := attr(n, "content")
				for _, k := range []string{"name", "property", "itemprop", "http-equiv"} {
					if key := strings.ToLower(strings.TrimSpace(attr(n, k))); key != "" && content != "" {
						if _, seen := m.meta[key]; !seen {
							m.meta[key] = strings.TrimSpace(content)
						}
					}
				}
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Time:
				if m.timeAttr == "" {
					m.timeAttr = strings.TrimSpace(attr(n, "datetime"))
				}
			case atom.Script, atom.Style, atom.Noscript:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf is the text content of n.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// pageTitle picks the title: og:title, else <title>, without a site
// suffix; the <h1> when the title merely extends it.
func pageTitle(m pageMeta) string {
	t := stripSiteSuffix(firstOf(cleanLine(m.meta["og:title"]), m.title), m.meta["og:site_name"])
	if m.h1 != "" && (t == "" || (strings.HasPrefix(t, m.h1) && runeLen(m.h1) >= 4)) {
		return m.h1
	}
	return t
}

// titleSepRE splits a <title> into the headline and the site's name.
var titleSepRE = regexp.MustCompile(`\s*(?:_|\||｜|\s[-–—－]\s)\s*`)

// stripSiteSuffix removes trailing site names from a page title:
// "标题_新闻中心_新浪网", "标题 - 新浪新闻", "标题 | 澎湃新闻".
func stripSiteSuffix(t, site string) string {
	for {
		locs := titleSepRE.FindAllStringIndex(t, -1)
		if len(locs) == 0 {
			return t
		}
		last := locs[len(locs)-1]
		head, tail := t[:last[0]], t[last[1]:]
		if runeLen(head) < 4 || runeLen(tail) > 24 {
			return t
		}
		if !strings.Contains(t[last[0]:last[1]], "_") && !strings.ContainsAny(t[last[0]:last[1]], "|｜") &&
			!(site != "" && strings.Contains(tail, site)) && !siteLike(tail) {
			return t // " - " inside a headline
		}
		t = head
	}
}

// siteLike reports a title suffix that names a site or a channel.
func siteLike(s string) bool {
	for _, w := range []string{"网", "新闻", "频道", "日报", "晚报", "报", "在线", "中心", "官网", "首页", "客户端", "News", "news", ".com", ".cn"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// charsetRE finds a charset declaration in the first bytes of a page.
var charsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// decodeHTML returns the page as UTF-8.
func decodeHTML(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte{0xef, 0xbb, 0xbf})
	if utf8.Valid(b) {
		return b
	}
	var enc encoding.Encoding = simplifiedchinese.GB18030
	head := b[:min(len(b), 4096)]
	if m := charsetRE.FindSubmatch(head); m != nil {
		name := strings.ToLower(string(m[1]))
		switch name {
		case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312":
			// GB18030 decodes all of GB2312 and GBK.
		default:
			if e, err := htmlindex.Get(name); err == nil {
				enc = e
			}
		}
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out
}

// htmlFragmentText turns an exported HTML body ("<p>…</p><p>…</p>") into
// text with one paragraph a line.
func htmlFragmentText(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return s
	}
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(render.InnerText(n))
		b.WriteByte('\n')
	}
	return b.String()
}
