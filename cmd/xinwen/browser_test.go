package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/xinwen/xinwen/internal/testbrowser"
)

// TestBrowser drives the reader's page in headless Chromium against the real
// server with the demo articles: search, facets, the article view with its
// related articles, back and forward, suggestions, and a phone-sized screen.
// Screenshots go to $XINWEN_ARTIFACTS (default: a temporary directory).
func TestBrowser(t *testing.T) {
	testbrowser.Path(t) // skip before starting the server
	base := startServer(t, filepath.Join(t.TempDir(), "data"), nil, "--demo").base
	ctx := testbrowser.New(t)
	artifacts := os.Getenv("XINWEN_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	} else if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	api := func(path string, v any) int {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if v != nil && resp.StatusCode == 200 {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
		}
		return resp.StatusCode
	}
	total := func(params url.Values) int {
		t.Helper()
		var s searchJSON
		if code := api("/api/search?"+params.Encode(), &s); code != 200 {
			t.Fatalf("search %v: %d", params, code)
		}
		return int(s.Total)
	}

	// Type a query: results with highlights, the count the API gives.
	run(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
	waitPage(t, ctx, "", "the latest news on the home page")
	typeQuery(t, ctx, "清水县")
	p := waitPage(t, ctx, "q=", "results for 清水县")
	if len(p.Hits) == 0 {
		t.Fatalf("清水县: no results on the page: %+v", p)
	}
	if got, want := p.total(t), total(url.Values{"q": {"清水县"}}); got != want {
		t.Errorf("清水县: the page says %d results, the API %d", got, want)
	}
	for _, h := range p.Hits {
		if !slices.Contains(h.Marks, "清水县") {
			t.Errorf("清水县: hit %q has highlights %q", h.Title, h.Marks)
		}
	}
	if p.Query != "清水县" || !strings.Contains(p.Title, "清水县") {
		t.Errorf("清水县: box %q, document title %q", p.Query, p.Title)
	}

	// A broader query, then a province facet, then a city facet.
	typeQuery(t, ctx, "发展")
	p = waitPage(t, ctx, "q=%E5%8F%91%E5%B1%95", "results for 发展")
	all := p.total(t)
	shoot(t, ctx, artifacts, "results-desktop.png")
	label, count := facet(t, ctx, "#facets a", "甘肃省")
	p = waitPage(t, ctx, "province=", "results in 甘肃省")
	want := total(url.Values{"q": {"发展"}, "province": {"甘肃省"}})
	if got := p.total(t); got != count || got != want || got >= all {
		t.Errorf("%s: the page says %d results, the facet said %d, the API says %d, %d without the facet", label, got, count, want, all)
	}
	if len(p.Hits) != min(want, 10) {
		t.Errorf("%s: %d results on the page, want %d", label, len(p.Hits), min(want, 10))
	}
	for _, h := range p.Hits {
		if !strings.HasPrefix(h.Region, "甘肃省") {
			t.Errorf("%s: hit %q is in %q", label, h.Title, h.Region)
		}
	}
	city, count := facet(t, ctx, "#facets .sub a", "")
	p = waitPage(t, ctx, "city=", "results in "+city)
	want = total(url.Values{"q": {"发展"}, "province": {"甘肃省"}, "city": {city}})
	if got := p.total(t); got != count || got != want || len(p.Hits) != want {
		t.Errorf("%s: the page says %d results (%d shown), the facet said %d, the API says %d", city, got, len(p.Hits), count, want)
	}
	for _, h := range p.Hits {
		if !strings.Contains(h.Region, city) {
			t.Errorf("%s: hit %q is in %q", city, h.Title, h.Region)
		}
	}
	results := p

	// Open an article: its whole text and its related articles.
	run(t, ctx, chromedp.Click(chromedp.CSS("#hits li a.title")))
	a := waitArticle(t, ctx)
	id := mustQuery(t, a.URL).Get("id")
	var art struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	if code := api("/api/articles/"+url.PathEscape(id), &art); code != 200 {
		t.Fatalf("article %s: %d", id, code)
	}
	paras := 0
	for line := range strings.SplitSeq(art.Body, "\n") {
		if strings.TrimSpace(line) != "" {
			paras++
		}
	}
	if a.Title != art.Title || a.Paragraphs != paras || paras == 0 || !strings.Contains(a.Meta, city) {
		t.Errorf("article view: title %q (want %q), %d paragraphs (want %d), meta %q", a.Title, art.Title, a.Paragraphs, paras, a.Meta)
	}
	if q := mustQuery(t, a.URL); q.Get("q") != "发展" || q.Get("city") != city {
		t.Errorf("article URL %s lost the search", a.URL)
	}
	var rel struct {
		Hits []struct{ ID string } `json:"hits"`
	}
	if code := api("/api/articles/"+url.PathEscape(id)+"/related", &rel); code != 200 {
		t.Fatalf("GET /api/articles/%s/related: %d, want 200", id, code)
	}
	others := 0
	for _, h := range rel.Hits {
		if h.ID != id {
			others++
		}
	}
	if a.Related != "shown" || a.RelatedItems != others {
		t.Errorf("related: state %q, %d shown; want %q and the %d other articles the API lists", a.Related, a.RelatedItems, "shown", others)
	}

	// Back to the results, forward to the article, back again.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`history.back()`))
	p = waitPage(t, ctx, "city=", "the results again after back")
	if p.URL != results.URL || p.total(t) != results.total(t) || len(p.Hits) != len(results.Hits) || p.Hits[0].Title != results.Hits[0].Title {
		t.Errorf("after back: %s %q %d hits, want %s %q %d hits", p.URL, p.Status, len(p.Hits), results.URL, results.Status, len(results.Hits))
	}
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`history.forward()`))
	if a2 := waitArticle(t, ctx); a2.Title != a.Title {
		t.Errorf("after forward: article %q, want %q", a2.Title, a.Title)
	}
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`history.back()`))
	waitPage(t, ctx, "city=", "the results after back again")

	// Reloading a shared URL gives the same page.
	run(t, ctx, chromedp.Navigate(base+"/"+results.URL))
	if p = waitPage(t, ctx, "city=", "a reloaded result page"); p.Status == "" || len(p.Hits) != len(results.Hits) {
		t.Errorf("reloaded %s: %q, %d hits", results.URL, p.Status, len(p.Hits))
	}

	// Suggestions: the list shows what the API suggests, less the typed
	// text itself; ArrowDown and Enter search for the first.
	var sug struct{ Suggestions []string }
	if code := api("/api/suggest?q="+url.QueryEscape("王"), &sug); code != 200 {
		t.Fatalf("GET /api/suggest?q=王: %d, want 200", code)
	}
	offered := slices.DeleteFunc(sug.Suggestions, func(s string) bool { return s == "王" })
	if len(offered) == 0 {
		t.Fatalf("GET /api/suggest?q=王: %q, want a completion of 王 in the demo articles", sug.Suggestions)
	}
	run(t, ctx, clearBox, chromedp.SendKeys(chromedp.CSS("#q"), "王"))
	waitJS(t, ctx, "the suggestion list", `!document.getElementById("suggest").hidden`)
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), kb.ArrowDown))
	if got := evalJS[string](t, ctx, `document.getElementById("q").getAttribute("aria-activedescendant")`); got != "sug-0" {
		t.Errorf("ArrowDown: active suggestion %q, want sug-0", got)
	}
	first := evalJS[string](t, ctx, `document.getElementById("sug-0").textContent`)
	if first != offered[0] {
		t.Errorf("first suggestion on the page %q, the API's %q", first, offered[0])
	}
	run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), kb.Enter))
	p = waitPage(t, ctx, "q="+url.QueryEscape(first), "results for the suggestion "+first)
	if p.Query != first {
		t.Errorf("picked suggestion %q, box has %q", first, p.Query)
	}

	// A phone: no horizontal scrolling on the results, the open filter
	// panel and an article.
	run(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	run(t, ctx, chromedp.Navigate(base+"/?q="+url.QueryEscape("发展")))
	waitPage(t, ctx, "q=", "results on a phone")
	noSideScroll(t, ctx, "results on a phone")
	shoot(t, ctx, artifacts, "results-phone.png")
	run(t, ctx, chromedp.Click(chromedp.CSS("#panel > summary")))
	waitJS(t, ctx, "the filter panel", `document.getElementById("panel").open`)
	noSideScroll(t, ctx, "the filter panel on a phone")
	run(t, ctx, chromedp.Click(chromedp.CSS("#hits li a.title")))
	waitArticle(t, ctx)
	noSideScroll(t, ctx, "an article on a phone")
	shoot(t, ctx, artifacts, "article-phone.png")
}

// clearBox empties the search box (SetValue cannot set an empty value).
var clearBox = chromedp.Evaluate[chromedp.Void](`document.getElementById("q").value = ""`)

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// typeQuery types a query into the box and presses Enter.
func typeQuery(t *testing.T, ctx context.Context, q string) {
	t.Helper()
	run(t, ctx,
		clearBox,
		chromedp.SendKeys(chromedp.CSS("#q"), q),
		chromedp.SendKeys(chromedp.CSS("#q"), kb.Enter),
	)
}

// page is what the results view shows.
type page struct {
	URL, Query, Title, Status, Message string
	Hits                               []struct {
		Title, Region string
		Marks         []string
	}
}

var totalRE = regexp.MustCompile(`(?:找到|共) ([\d,]+) 篇`)

func (p page) total(t *testing.T) int {
	t.Helper()
	m := totalRE.FindStringSubmatch(p.Status)
	if m == nil {
		t.Fatalf("status %q has no count", p.Status)
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return n
}

// waitPage waits until the results view shows a finished search whose URL
// contains urlPart, and reads it.
func waitPage(t *testing.T, ctx context.Context, urlPart, what string) page {
	t.Helper()
	waitJS(t, ctx, what, fmt.Sprintf(`!document.getElementById("search-view").hidden &&
		!document.getElementById("results").hasAttribute("aria-busy") &&
		document.getElementById("status").textContent !== "" &&
		location.search.includes(%q)`, urlPart))
	return evalJS[page](t, ctx, `({
		URL: location.search,
		Query: document.getElementById("q").value,
		Title: document.title,
		Status: document.getElementById("status").textContent,
		Message: document.getElementById("message").textContent,
		Hits: [...document.querySelectorAll("#hits li.hit")].map((li) => ({
			Title: li.querySelector("a.title").textContent,
			Region: (li.querySelector(".region") || {}).textContent || "",
			Marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
		})),
	})`)
}

// article is what the article view shows.
type article struct {
	URL, Title, Meta, Message, Related string
	Paragraphs, RelatedItems           int
}

func waitArticle(t *testing.T, ctx context.Context) article {
	t.Helper()
	waitJS(t, ctx, "the article view", `!document.getElementById("article-view").hidden &&
		(!document.getElementById("article-content").hidden || !document.getElementById("article-message").hidden) &&
		document.getElementById("related").dataset.state !== "loading"`)
	a := evalJS[article](t, ctx, `({
		URL: location.search,
		Title: document.getElementById("a-title").textContent,
		Meta: document.getElementById("a-meta").textContent,
		Message: document.getElementById("article-message").hidden ? "" : document.getElementById("article-message").textContent,
		Related: document.getElementById("related").dataset.state,
		Paragraphs: document.querySelectorAll("#a-body p").length,
		RelatedItems: document.querySelectorAll("#related-list li").length,
	})`)
	if a.Message != "" {
		t.Fatalf("article view %s: %s", a.URL, a.Message)
	}
	return a
}

// facet clicks the first facet link among sel whose label is label (any
// label if empty) and returns its label and count.
func facet(t *testing.T, ctx context.Context, sel, label string) (string, int) {
	t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll(%q)].find((a) => a.querySelector(".count") && (%q === "" || a.querySelector(".label").textContent === %q))`, sel, label, label)
	f := evalJS[struct{ Label, Count string }](t, ctx, `(() => { const a = `+find+`; return a ? {Label: a.querySelector(".label").textContent, Count: a.querySelector(".count").textContent} : {Label: "", Count: ""}; })()`)
	if f.Label == "" {
		t.Fatalf("no facet %q among %s", label, sel)
	}
	n, err := strconv.Atoi(strings.ReplaceAll(f.Count, ",", ""))
	if err != nil {
		t.Fatalf("facet %s count %q", f.Label, f.Count)
	}
	run(t, ctx, chromedp.Click(chromedp.JSPath(find)))
	return f.Label, n
}

// noSideScroll checks that the page is no wider than the screen.
func noSideScroll(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	w := evalJS[[]int](t, ctx, `[document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]`)
	if w[0] > w[2] || w[1] > w[2] {
		wide := evalJS[[]string](t, ctx, `[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((e) => e.tagName + "#" + e.id + "." + e.className)`)
		t.Errorf("%s: page is %d/%d px wide on a %d px screen; too wide: %v", what, w[0], w[1], w[2], wide)
	}
}

// shoot saves a screenshot of the viewport.
func shoot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func mustQuery(t *testing.T, search string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(strings.TrimPrefix(search, "?"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
