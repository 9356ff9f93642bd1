package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/xinwen/xinwen/internal/testbrowser"
	"github.com/xinwen/xinwen/internal/web"
)

// fakeAPI serves the page and a scripted API, so that the page's edge cases
// (hostile text, errors, empty results, 10,000 results, missing optional
// endpoints) can be shown to a real browser. cmd/xinwen's TestBrowser runs the
// page against the real server.
type fakeAPI struct {
	mu        sync.Mutex
	optional  bool           // /api/suggest and /related exist
	searches  []url.Values   // the queries of /api/search, in order
	suggested map[string]int // calls of /api/suggest by q
}

func (f *fakeAPI) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServerFS(web.FS()))
	fail := func(w http.ResponseWriter, status int, code, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
	}
	reply := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /api/search", func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Query()
		f.mu.Lock()
		f.searches = append(f.searches, p)
		f.mu.Unlock()
		switch p.Get("q") {
		case "boom":
			fail(w, 503, "unavailable", "not ready: index is being replaced")
			return
		case "无结果":
			reply(w, map[string]any{"total": 0, "took_ms": 1.5, "page": 1, "size": 10, "hits": []any{}, "facets": map[string]any{}})
			return
		}
		if p.Get("from") == "xx" {
			fail(w, 400, "invalid", `from: "xx" is not a date like 2024-05-31`)
			return
		}
		page, _ := strconv.Atoi(p.Get("page"))
		page = max(page, 1)
		hits := []map[string]any{{
			"id":           "evil",
			"title":        "<mark>王毅</mark>&lt;script&gt;window.pwned=1&lt;/script&gt;",
			"snippet":      `前文<img src=x onerror="window.pwned=2"><mark>王毅</mark>后文<script>window.pwned=8</script>`,
			"published_at": "2024-05-31T19:00:00+08:00",
			"section":      []string{"<b>国内</b>"},
			"region":       map[string]string{"province": `<img src=x onerror="window.pwned=4">`},
			"source":       `<img src=x onerror="window.pwned=3">`,
		}}
		for i := 1; i < 10; i++ {
			hits = append(hits, map[string]any{
				"id": fmt.Sprintf("n%d", i), "title": fmt.Sprintf("第%d条<mark>王毅</mark>新闻", (page-1)*10+i),
				"snippet": "……<mark>王毅</mark>……", "published_at": "2024-05-01T00:00:00+08:00",
				"section": []string{"国内"}, "region": map[string]string{"province": "甘肃省", "city": "天水市"}, "source": "新华社",
			})
		}
		facets := map[string]any{
			"section":  []map[string]any{{"value": "国内", "count": 20000}, {"value": "甘肃新闻 > 市州播报 > 天水", "count": 5000}},
			"province": []map[string]any{{"value": "甘肃省", "count": 300}, {"value": "北京市", "count": 200}},
			"city":     []map[string]any{{"value": "天水市", "count": 120}, {"value": "兰州市", "count": 80}},
			"year":     []map[string]any{{"value": "2023", "count": 10000}, {"value": "2024", "count": 15000}},
			"month":    []map[string]any{{"value": "2024-05", "count": 9000}, {"value": "2024-01", "count": 6000}, {"value": "2023-12", "count": 10000}},
		}
		reply(w, map[string]any{"total": 25000, "took_ms": 3.25, "page": page, "size": 10, "hits": hits, "facets": facets})
	})
	mux.HandleFunc("GET /api/suggest", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		f.mu.Lock()
		f.suggested[q]++
		on := f.optional
		f.mu.Unlock()
		if !on {
			http.NotFound(w, r)
			return
		}
		var out []string
		for _, s := range []string{"王毅", "王毅会见", "王毅外长", "王晓<b>明</b>"} {
			if strings.HasPrefix(s, q) {
				out = append(out, s)
			}
		}
		reply(w, map[string]any{"q": q, "suggestions": out})
	})
	mux.HandleFunc("GET /api/articles/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") == "gone" {
			fail(w, 404, "not_found", "no article gone")
			return
		}
		reply(w, map[string]any{
			"id":           r.PathValue("id"),
			"title":        "<script>window.pwned=5</script>标题",
			"body":         "第一段<img src=x onerror=\"window.pwned=6\">\n\n第二段\n第三段",
			"url":          "javascript:window.pwned=7",
			"published_at": "2024-05-31T19:00:00+08:00",
			"section":      []string{"甘肃新闻", "市州播报", "天水"},
			"region":       map[string]string{"province": "甘肃省", "city": "天水市", "county": "清水县"},
			"source":       "中国甘肃网",
		})
	})
	mux.HandleFunc("GET /api/articles/{id}/related", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		on := f.optional
		f.mu.Unlock()
		if !on {
			fail(w, 404, "not_found", "Not Found")
			return
		}
		reply(w, map[string]any{"id": r.PathValue("id"), "hits": []map[string]any{
			{"id": "r1", "title": "相关报道一", "published_at": "2024-06-01T08:00:00+08:00", "source": "新华社", "region": map[string]string{}},
			{"id": "r2", "title": "相关&lt;i&gt;报道&lt;/i&gt;二", "region": map[string]string{}},
		}})
	})
	return mux
}

func (f *fakeAPI) set(optional bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.optional = optional
	f.searches = nil
	f.suggested = map[string]int{}
}

func (f *fakeAPI) lastSearch() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.searches) == 0 {
		return nil
	}
	return f.searches[len(f.searches)-1]
}

func (f *fakeAPI) suggestCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.suggested {
		n += c
	}
	return n
}

// TestPage drives the page in headless Chromium against the fake API.
func TestPage(t *testing.T) {
	api := &fakeAPI{}
	api.set(true)
	srv := httptest.NewServer(api.handler())
	defer srv.Close()
	browser := testbrowser.New(t)

	t.Run("hostile text stays text", func(t *testing.T) {
		api.set(true)
		ctx := testbrowser.Tab(t, browser)
		run(t, ctx, chromedp.Navigate(srv.URL+"/?q="+url.QueryEscape("王毅")))
		waitResults(t, ctx, "q=")
		run(t, ctx, chromedp.Sleep(300*time.Millisecond)) // time for an onerror to fire
		got := evalJS[map[string]any](t, ctx, `(() => {
			const hit = document.querySelector("#hits li");
			return {
				pwned: String(window.pwned),
				title: hit.querySelector("a.title").textContent,
				marks: hit.querySelectorAll("mark").length,
				elements: [...document.querySelectorAll("#hits img, #hits script, #hits b")].length,
				meta: hit.querySelector(".meta").textContent,
				snippet: hit.querySelector(".snippet").textContent,
			};
		})()`)
		if got["pwned"] != "undefined" || got["elements"] != 0.0 || got["marks"] != 2.0 {
			t.Errorf("results: %v", got)
		}
		if got["title"] != "王毅<script>window.pwned=1</script>" || !strings.Contains(got["meta"].(string), `<img src=x onerror="window.pwned=3">`) || !strings.Contains(got["meta"].(string), "<b>国内</b>") {
			t.Errorf("results: escaped text must show as written: %v", got)
		}
		if got["snippet"] != "前文王毅后文window.pwned=8" {
			t.Errorf("snippet: %q: an unescaped tag must show as its text", got["snippet"])
		}

		run(t, ctx, chromedp.Click(chromedp.CSS("#hits li a.title")))
		waitJS(t, ctx, "the article", `document.getElementById("related").dataset.state === "shown"`)
		run(t, ctx, chromedp.Sleep(300*time.Millisecond))
		got = evalJS[map[string]any](t, ctx, `({
			pwned: String(window.pwned),
			title: document.getElementById("a-title").textContent,
			paragraphs: [...document.querySelectorAll("#a-body p")].map((p) => p.textContent),
			elements: document.querySelectorAll("#article img, #article script").length,
			links: [...document.querySelectorAll("#a-links a")].map((a) => a.getAttribute("href")),
			meta: document.getElementById("a-meta").textContent,
			related: [...document.querySelectorAll("#related-list a.title")].map((a) => a.textContent),
		})`)
		if got["pwned"] != "undefined" || got["elements"] != 0.0 || len(got["links"].([]any)) != 0 {
			t.Errorf("article: %v", got)
		}
		if got["title"] != "<script>window.pwned=5</script>标题" || fmt.Sprint(got["paragraphs"]) != `[第一段<img src=x onerror="window.pwned=6"> 第二段 第三段]` {
			t.Errorf("article text: %v", got)
		}
		if !strings.Contains(got["meta"].(string), "2024年5月31日 19:00") || !strings.Contains(got["meta"].(string), "甘肃省 › 天水市 › 清水县") {
			t.Errorf("article meta: %q", got["meta"])
		}
		if fmt.Sprint(got["related"]) != "[相关报道一 相关<i>报道</i>二]" {
			t.Errorf("related: %v", got["related"])
		}
	})

	t.Run("suggestions", func(t *testing.T) {
		api.set(true)
		ctx := testbrowser.Tab(t, browser)
		run(t, ctx, chromedp.Navigate(srv.URL+"/"))
		waitResults(t, ctx, "")
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), "王"))
		waitJS(t, ctx, "suggestions", `document.querySelectorAll("#suggest li").length === 4 && !document.getElementById("suggest").hidden`)
		if got := evalJS[string](t, ctx, `document.getElementById("sug-3").textContent`); got != "王晓<b>明</b>" {
			t.Errorf("suggestion text %q", got)
		}
		active := func() string {
			return evalJS[string](t, ctx, `(document.getElementById("q").getAttribute("aria-activedescendant") || "") + "|" + [...document.querySelectorAll("#suggest li.active")].map((li) => li.textContent).join()`)
		}
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), kb.ArrowDown+kb.ArrowDown))
		if got := active(); got != "sug-1|王毅会见" {
			t.Errorf("two ArrowDowns: %q", got)
		}
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), kb.ArrowUp+kb.ArrowUp))
		if got := active(); got != "|" {
			t.Errorf("back up to the box: %q", got)
		}
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), kb.ArrowUp))
		if got := active(); got != "sug-3|王晓<b>明</b>" {
			t.Errorf("ArrowUp from the box wraps to the last: %q", got)
		}
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), kb.Escape))
		if open := evalJS[bool](t, ctx, `!document.getElementById("suggest").hidden`); open {
			t.Error("Escape left the list open")
		}

		// Typing fast asks once (debounced), then Enter on a suggestion searches it.
		before := api.suggestCalls()
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), "毅会"))
		waitJS(t, ctx, "suggestions for 王毅会", `document.querySelectorAll("#suggest li").length === 1`)
		if n := api.suggestCalls() - before; n > 1 {
			t.Errorf("typing two characters fast: %d suggest calls, want 1", n)
		}
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), kb.ArrowDown+kb.Enter))
		waitResults(t, ctx, "q="+url.QueryEscape("王毅会见"))
		if got := evalJS[string](t, ctx, `document.getElementById("q").value + "|" + document.getElementById("suggest").hidden`); got != "王毅会见|true" {
			t.Errorf("after Enter on a suggestion: %q", got)
		}
		if got := api.lastSearch().Get("q"); got != "王毅会见" {
			t.Errorf("searched %q", got)
		}

		// A click on a suggestion searches it too.
		run(t, ctx, clearBox, chromedp.SendKeys(chromedp.CSS("#q"), "王毅"))
		waitJS(t, ctx, "suggestions for 王毅", `document.querySelectorAll("#suggest li").length === 2`)
		run(t, ctx, chromedp.Click(chromedp.CSS("#sug-1")))
		waitResults(t, ctx, "q="+url.QueryEscape("王毅外长"))
	})

	t.Run("without the optional endpoints", func(t *testing.T) {
		api.set(false)
		ctx := testbrowser.Tab(t, browser)
		run(t, ctx, chromedp.Navigate(srv.URL+"/"))
		waitResults(t, ctx, "")
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), "王"), chromedp.Sleep(400*time.Millisecond),
			chromedp.SendKeys(chromedp.CSS("#q"), "毅"), chromedp.Sleep(400*time.Millisecond))
		if got := evalJS[string](t, ctx, `document.getElementById("suggest").hidden + "|" + document.getElementById("q").value`); got != "true|王毅" {
			t.Errorf("suggestions without the endpoint: %q", got)
		}
		if n := api.suggestCalls(); n != 1 {
			t.Errorf("%d calls of a missing /api/suggest, want 1 (then stop asking)", n)
		}
		run(t, ctx, chromedp.SendKeys(chromedp.CSS("#q"), kb.Enter))
		waitResults(t, ctx, "q=")
		run(t, ctx, chromedp.Click(chromedp.CSS("#hits li:nth-child(2) a.title")))
		waitJS(t, ctx, "the article without related", `document.getElementById("related").dataset.state === "unavailable"`)
		if got := evalJS[string](t, ctx, `document.getElementById("related").hidden + "|" + document.getElementById("article-message").hidden + "|" + document.querySelectorAll("#a-body p").length`); got != "true|true|3" {
			t.Errorf("article without related: %q", got)
		}
	})

	t.Run("errors and empty results in Chinese", func(t *testing.T) {
		api.set(true)
		ctx := testbrowser.Tab(t, browser)
		for _, c := range []struct{ path, sel, want string }{
			{"/?q=boom", "#message", "服务暂时不可用"},
			{"/?q=" + url.QueryEscape("无结果"), "#message", "没有找到与“无结果”相关的新闻"},
			{"/?q=x&from=xx", "#message", "日期格式不正确"},
			{"/?id=gone", "#article-message", "找不到这篇新闻"},
		} {
			run(t, ctx, chromedp.Navigate(srv.URL+c.path))
			waitJS(t, ctx, c.path, fmt.Sprintf(`!document.querySelector(%q).hidden && !document.querySelector(%q).classList.contains("loading")`, c.sel, c.sel))
			if got := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).textContent`, c.sel)); !strings.Contains(got, c.want) {
				t.Errorf("%s: %q, want %q", c.path, got, c.want)
			}
		}
		run(t, ctx, chromedp.Navigate(srv.URL+"/?q="+url.QueryEscape("无结果")+"&province="+url.QueryEscape("甘肃省")))
		waitJS(t, ctx, "the empty state", `!document.getElementById("message").hidden`)
		run(t, ctx, chromedp.Click(chromedp.CSS("#message a")))
		waitJS(t, ctx, "the filters cleared", `!location.search.includes("province")`)
	})

	t.Run("facets, dates, sort and pages", func(t *testing.T) {
		api.set(true)
		ctx := testbrowser.Tab(t, browser)
		run(t, ctx, chromedp.Navigate(srv.URL+"/?q="+url.QueryEscape("王毅")))
		waitResults(t, ctx, "q=")
		pages := func() string {
			return evalJS[string](t, ctx, `[...document.getElementById("pager").children].map((e) => e.textContent).join(" ")`)
		}
		if got := pages(); got != "1 2 3 … 1000 下一页" {
			t.Errorf("pager on page 1: %q", got)
		}
		run(t, ctx, chromedp.Click(chromedp.CSS(`#pager a[aria-label="第 3 页"]`)))
		waitResults(t, ctx, "page=3")
		if got := pages(); got != "上一页 1 2 3 4 5 … 1000 下一页" {
			t.Errorf("pager on page 3: %q", got)
		}
		run(t, ctx, chromedp.Navigate(srv.URL+"/?q="+url.QueryEscape("王毅")+"&page=1000"))
		waitResults(t, ctx, "page=1000")
		if got := pages(); got != "上一页 1 … 998 999 1000" {
			t.Errorf("pager on the last page: %q", got)
		}
		if note := evalJS[bool](t, ctx, `!document.getElementById("pager-note").hidden`); !note {
			t.Error("no note that only 10,000 results are reachable by page")
		}

		click := func(sel, label, urlPart string) url.Values {
			t.Helper()
			run(t, ctx, chromedp.Click(chromedp.JSPath(fmt.Sprintf(`[...document.querySelectorAll(%q)].find((a) => a.textContent.includes(%q))`, sel, label))))
			waitResults(t, ctx, urlPart)
			return api.lastSearch()
		}
		if q := click("#facets a", "2024年", "from=2024-01-01"); q.Get("from") != "2024-01-01" || q.Get("to") != "2024-12-31" || q.Get("page") != "" {
			t.Errorf("year 2024: searched %v", q)
		}
		if got := evalJS[string](t, ctx, `[...document.querySelectorAll("#facets .months a .label")].map((e) => e.textContent).join()`); got != "1月,5月" {
			t.Errorf("months of 2024: %q", got)
		}
		if q := click("#facets .months a", "5月", "to=2024-05-31"); q.Get("from") != "2024-05-01" || q.Get("to") != "2024-05-31" {
			t.Errorf("May 2024: searched %v", q)
		}
		if q := click("#chips a", "2024年5月", "q="); q.Get("from") != "" || q.Get("to") != "" {
			t.Errorf("chip removed: searched %v", q)
		}
		if q := click("#facets a", "甘肃省", "province="); q.Get("province") != "甘肃省" {
			t.Errorf("province: searched %v", q)
		}
		if q := click("#facets .sub a", "天水市", "city="); q.Get("province") != "甘肃省" || q.Get("city") != "天水市" {
			t.Errorf("city: searched %v", q)
		}
		if q := click("#sort a", "按时间", "sort=date"); q.Get("sort") != "date" || q.Get("city") != "天水市" {
			t.Errorf("sort: searched %v", q)
		}

		// The date range: a backwards range is refused, a good one searched.
		run(t, ctx,
			chromedp.SetValue(chromedp.CSS("#from"), "2024-06-01"),
			chromedp.SetValue(chromedp.CSS("#to"), "2024-01-01"),
			chromedp.Click(chromedp.CSS("#dates button[type=submit]")),
		)
		if got := evalJS[string](t, ctx, `document.getElementById("dates-error").hidden ? "" : document.getElementById("dates-error").textContent`); got == "" {
			t.Error("a backwards date range was not refused")
		}
		run(t, ctx, chromedp.SetValue(chromedp.CSS("#to"), "2024-07-15"), chromedp.Click(chromedp.CSS("#dates button[type=submit]")))
		waitResults(t, ctx, "to=2024-07-15")
		if q := api.lastSearch(); q.Get("from") != "2024-06-01" || q.Get("to") != "2024-07-15" || q.Get("city") != "天水市" {
			t.Errorf("date range: searched %v", q)
		}
		want := evalJS[string](t, ctx, `location.search`)

		// Back undoes one step; reload keeps everything.
		run(t, ctx, chromedp.Evaluate[chromedp.Void](`history.back()`))
		waitJS(t, ctx, "back", `!location.search.includes("to=2024-07-15") && !document.getElementById("results").hasAttribute("aria-busy")`)
		if q := api.lastSearch(); q.Get("from") != "" || q.Get("sort") != "date" {
			t.Errorf("after back: searched %v", q)
		}
		run(t, ctx, chromedp.Navigate(srv.URL+"/"+want))
		waitResults(t, ctx, "to=2024-07-15")
		if got := evalJS[string](t, ctx, `[document.getElementById("from").value, document.getElementById("to").value, document.getElementById("q").value, [...document.querySelectorAll("#chips a")].length].join()`); got != "2024-06-01,2024-07-15,王毅,2" {
			t.Errorf("reloaded %s: %q", want, got)
		}
	})
}

// waitResults waits until a search whose URL contains urlPart has finished.
func waitResults(t *testing.T, ctx context.Context, urlPart string) {
	t.Helper()
	waitJS(t, ctx, "results for "+urlPart, fmt.Sprintf(`!document.getElementById("search-view").hidden &&
		!document.getElementById("results").hasAttribute("aria-busy") &&
		document.getElementById("status").textContent !== "" &&
		location.search.includes(%q)`, urlPart))
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
