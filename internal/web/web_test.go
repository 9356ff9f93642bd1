package web_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/web"
)

func TestFS(t *testing.T) {
	files := web.FS()
	for _, name := range []string{"index.html", "app.js", "app.css"} {
		b, err := fs.ReadFile(files, name)
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %d bytes, %v", name, len(b), err)
		}
	}
	page, _ := fs.ReadFile(files, "index.html")
	for _, want := range []string{`lang="zh-CN"`, `name="viewport"`, `src="/app.js"`, `href="/app.css"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	// Server text goes in with textContent; the one place that parses HTML
	// (marked) keeps only text and <mark>. Nothing assigns HTML directly.
	js, _ := fs.ReadFile(files, "app.js")
	for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		if strings.Contains(string(js), banned) {
			t.Errorf("app.js uses %s", banned)
		}
	}
}

func TestServe(t *testing.T) {
	srv := httptest.NewServer(http.FileServerFS(web.FS()))
	defer srv.Close()
	for path, typ := range map[string]string{"/": "text/html", "/app.js": "text/javascript", "/app.css": "text/css"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), typ) {
			t.Errorf("GET %s: %d %s, want 200 %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), typ)
		}
	}
}
