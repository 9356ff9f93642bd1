package testbrowser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// names are the Chromium and Chrome binaries Path looks for, in order.
var names = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Timeout bounds a browser's whole life: New's browser is stopped this long
// after it starts, whatever the test is doing.
const Timeout = 2 * time.Minute

// Path returns the path of Chromium or Chrome (Debian's /usr/bin/chromium
// first). Without one it fails the test when the CI environment variable is
// set (.ci/run installs Chromium, so CI never skips a browser test) and
// skips it elsewhere. Under go test -short it skips the test: browser tests
// take tens of seconds, so the quick loop leaves them out.
func Path(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("browser test; run without -short")
	}
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		tb.Fatal("CI must have Chromium (.ci/run installs Debian's chromium package)")
	}
	tb.Skip("Chromium is not installed (apt-get install chromium); CI runs this test")
	return ""
}

// New starts headless Chromium (found by Path, so it skips or fails the
// test as Path does) with a fresh profile in a temporary directory, a
// 1280x900 window and Chinese as the preferred language, and returns the
// context of its first tab. An uncaught exception in that tab fails the
// test. The browser is closed when the test ends, or after Timeout. New
// fails the test if Chromium does not start.
func New(tb testing.TB) context.Context {
	tb.Helper()
	exe := Path(tb)
	root, stop := context.WithTimeout(context.Background(), Timeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(root,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // root in a container
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	tb.Cleanup(func() { cancelAlloc(); stop() })
	ctx, cancel := chromedp.NewContext(alloc)
	watch(tb, ctx, cancel, "start "+exe)
	return ctx
}

// Tab opens a new tab in the browser of ctx (a context from New or Tab) and
// returns its context. An uncaught exception in the tab fails the test; the
// tab is closed when the test ends.
func Tab(tb testing.TB, ctx context.Context) context.Context {
	tb.Helper()
	tab, cancel := chromedp.NewContext(ctx)
	watch(tb, tab, cancel, "open a tab")
	return tab
}

// watch starts the tab of ctx and collects its uncaught exceptions; when
// the test ends it closes the tab (cancel) and fails the test with each
// exception. what names the start in the failure if the tab cannot start.
func watch(tb testing.TB, ctx context.Context, cancel context.CancelFunc, what string) {
	tb.Helper()
	messages := chromedp.Console(ctx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		tb.Fatalf("%s: %v", what, err)
	}
	var mu sync.Mutex
	var exceptions []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() {
				mu.Lock()
				exceptions = append(exceptions, fmt.Sprintf("%s:%d: %s", m.URL, m.Line+1, m))
				mu.Unlock()
			}
		}
	}()
	tb.Cleanup(func() {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, e := range exceptions {
			tb.Errorf("uncaught exception in the page: %s", e)
		}
	})
}
