package main_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/xinwen/xinwen/internal/testbrowser"
)

// The two payloads: if either ran, window.__pwned would be set.
const (
	scriptPayload = `<script>window.__pwned=1</script>`
	imgPayload    = `<img src=x onerror="window.__pwned=2">`
)

// TestBrowserEscaping ingests articles whose titles and bodies hold a script
// element and an image with an onerror handler, searches for them in the
// reader's page, opens one and its related list, and checks that nothing ran
// (window.__pwned stays undefined), that the page gained no element from an
// article's text, and that the text is shown literally, as stored.
func TestBrowserEscaping(t *testing.T) {
	testbrowser.Path(t) // skip before starting the server
	base := startServer(t, filepath.Join(t.TempDir(), "data"), []string{crashTokens}).base
	// A body that looks like HTML (it has <img) is read as HTML, so the
	// bodies carry the image escaped, as scraped text does: the store keeps
	// it as the literal text <img ...>.
	bodyImg := strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(imgPayload)
	var body strings.Builder
	for _, a := range []struct{ id, title, body string }{
		{"evil", "警惕网络注入" + scriptPayload + "安全周" + imgPayload, "兰州新区网络安全宣传周开幕。" + scriptPayload + "\n第二段：网络安全宣传周提醒市民" + bodyImg + "不要点击陌生链接。"},
		{"evil2", "网络安全宣传周走进社区" + imgPayload + scriptPayload, "兰州新区网络安全宣传周走进社区，提醒市民不要点击陌生链接。" + scriptPayload + bodyImg},
		{"plain1", "兰州新区招商引资", "兰州新区签约项目十个。"},
		{"plain2", "敦煌文化旅游", "敦煌莫高窟游客增多。"},
	} {
		fmt.Fprintf(&body, `{"id":%q,"title":%q,"body":%q,"date":"2024-05-01"}`+"\n", a.id, a.title, a.body)
	}
	if code, reply, err := postArticles(http.DefaultClient, base, crashIngest, body.String()); code != 200 || err != nil {
		t.Fatalf("post the articles: %d %v %+v", code, err, reply)
	}
	stored := map[string]struct{ Title, Body string }{}
	for _, id := range []string{"evil", "evil2"} {
		var a struct{ Title, Body string }
		getJSON(t, base+"/api/articles/"+id, &a)
		for _, p := range []string{scriptPayload, imgPayload} {
			if !strings.Contains(a.Title, p) || !strings.Contains(a.Body, p) {
				t.Fatalf("%s: the store does not keep %s literally in the title and body, so the page cannot be tested with it: %+v", id, p, a)
			}
		}
		stored[id] = a
	}

	ctx := testbrowser.New(t)
	// untouched checks that nothing ran and no element came from an
	// article's text.
	untouched := func(where string) {
		t.Helper()
		if got := evalJS[string](t, ctx, `typeof window.__pwned === "undefined" ? "" : String(window.__pwned)`); got != "" {
			t.Errorf("%s: window.__pwned is %s: an article's markup ran", where, got)
		}
		if got := evalJS[[]string](t, ctx, `[...document.querySelectorAll("main img, main script, main iframe, main object, main [onerror]")].map((e) => e.outerHTML)`); len(got) > 0 {
			t.Errorf("%s: elements from an article's text: %q", where, got)
		}
		if got := evalJS[[]string](t, ctx, `[...document.scripts].map((s) => s.src || s.textContent)`); len(got) != 1 || !strings.HasSuffix(got[0], "/app.js") {
			t.Errorf("%s: scripts in the page: %q, want only app.js", where, got)
		}
	}

	run(t, ctx, chromedp.Navigate(base+"/?q="+url.QueryEscape("网络安全宣传周")))
	p := waitPage(t, ctx, "q=", "results for 网络安全宣传周")
	if len(p.Hits) != 2 {
		t.Fatalf("网络安全宣传周: %d hits on the page, want 2: %+v", len(p.Hits), p)
	}
	for _, h := range p.Hits {
		if h.Title != stored["evil"].Title && h.Title != stored["evil2"].Title {
			t.Errorf("hit title shown as %q, want the stored title as text", h.Title)
		}
	}
	snippets := evalJS[[]string](t, ctx, `[...document.querySelectorAll("#hits li.hit")].map((li) => li.textContent)`)
	if !strings.Contains(strings.Join(snippets, ""), scriptPayload) {
		t.Errorf("the snippets do not show %s as text: %q", scriptPayload, snippets)
	}
	untouched("the results")

	// Open the article from its hit, then look at its related list.
	run(t, ctx, chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll("#hits li a.title")].find((a) => a.textContent.startsWith("警惕"))`)))
	a := waitArticle(t, ctx)
	if a.Title != stored["evil"].Title {
		t.Errorf("article title shown as %q, want %q", a.Title, stored["evil"].Title)
	}
	paras := evalJS[[]string](t, ctx, `[...document.querySelectorAll("#a-body p")].map((p) => p.textContent)`)
	if got, want := strings.Join(paras, "\n"), stored["evil"].Body; got != want {
		t.Errorf("article body shown as %q, want %q", got, want)
	}
	if a.Related != "shown" || a.RelatedItems == 0 {
		t.Fatalf("related list: %s with %d items; want evil2 in it", a.Related, a.RelatedItems)
	}
	related := evalJS[[]string](t, ctx, `[...document.querySelectorAll("#related-list li a.title")].map((a) => a.textContent)`)
	found := false
	for _, r := range related {
		found = found || r == stored["evil2"].Title
	}
	if !found {
		t.Errorf("related list %q lacks evil2's title as text, %q", related, stored["evil2"].Title)
	}
	untouched("the article and its related list")
}
