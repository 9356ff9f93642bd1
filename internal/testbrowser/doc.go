// Package testbrowser starts headless Chromium for the browser tests, with
// the flags this machine, a container and CI need, a fresh profile, and
// uncaught exceptions in a page failing the test.
//
// Only tests import testbrowser (cmd/xinwen's, internal/web's). It imports
// the standard library and github.com/chromedp/chromedp, nothing of
// Xinwen's; code that is not a test must not import it.
package testbrowser
