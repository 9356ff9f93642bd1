package testbrowser_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/xinwen/xinwen/internal/testbrowser"
)

// recorder is a test as New and Tab see it: it keeps their errors and
// cleanups instead of failing and cleaning up the real test.
type recorder struct {
	testing.TB
	errs     []string
	cleanups []func()
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

// end runs the cleanups as the end of a test does, last first.
func (r *recorder) end() {
	for _, f := range slices.Backward(r.cleanups) {
		f()
	}
	r.cleanups = nil
}

// TestNew starts Chromium headless in a 1280 px window, opens a second
// tab, and checks that an uncaught exception in either tab fails the test
// when it ends, and that a page without one does not.
func TestNew(t *testing.T) {
	r := &recorder{TB: t}
	defer r.end()
	ctx := testbrowser.New(r)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[navigator.userAgent, String(window.innerWidth)]`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got[0], "HeadlessChrome") || got[1] != "1280" {
		t.Errorf("user agent %q, width %s: want headless Chromium, 1280 px", got[0], got[1])
	}
	page := func(script string) string {
		return "data:text/html;charset=utf-8," + url.PathEscape("<!doctype html><title>t</title><script>"+script+"</script>")
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page(`console.log("fine")`))); err != nil {
		t.Fatal(err)
	}
	tab := testbrowser.Tab(r, ctx)
	if err := chromedp.Do(tab, chromedp.Navigate(page(`throw new Error("boom in the tab")`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page(`throw new Error("boom in the first tab")`))); err != nil {
		t.Fatal(err)
	}
	r.end()
	if len(r.errs) != 2 || !strings.Contains(r.errs[0], "boom in the tab") || !strings.Contains(r.errs[1], "boom in the first tab") {
		t.Errorf("errors at the end of the test: %q, want the tab's exception, then the first tab's", r.errs)
	}
}
