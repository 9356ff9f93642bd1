package extract_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ulikunitz/xz"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

func gzipBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func xzBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := xz.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mustWriteTree creates files (path: content) under a new temp directory.
func mustWriteTree(t *testing.T, files map[string][]byte) string {
	t.Helper()
	root := t.TempDir()
	for name, b := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// summary describes records as "file:line:id" or "file:line:!code".
func summary(root string, recs []extract.Record) string {
	var out []string
	for _, r := range recs {
		name, err := filepath.Rel(root, r.File)
		if err != nil || strings.HasPrefix(name, "..") {
			name = r.File
		}
		what := r.Article.ID
		if r.Err != nil {
			what = "!" + news.ErrorCode(r.Err)
		}
		out = append(out, fmt.Sprintf("%s:%d:%s", filepath.ToSlash(name), r.Line, what))
	}
	return strings.Join(out, "\n")
}

func TestWalk(t *testing.T) {
	page := mustReadFile(t, "testdata/gscn-2020-09-28-qingshui.txt")
	html := mustReadFile(t, "testdata/sina-style.html")
	root := mustWriteTree(t, map[string][]byte{
		"a.jsonl.gz":      gzipBytes(t, "{\"id\": \"a1\", \"title\": \"A1\"}\n{\"id\": \"a2\", \"title\": \"A2\"}\n"),
		"b/c.json.xz":     xzBytes(t, `[{"id": "c1", "title": "C1"}, {"id": "c2", "title": "C2"}]`),
		"b/d.html":        html,
		"b/e.txt":         page,
		"b/f.htm.gz":      gzipBytes(t, string(html)),
		".hidden.jsonl":   []byte(`{"id": "hidden", "title": "H"}`),
		".git/x.jsonl":    []byte(`{"id": "git", "title": "G"}`),
		"binary.bin":      []byte("\x00\x01\x02"),
		"g.dat":           []byte(` {"id": "g", "title": "G"}`),
		"h":               []byte("\n<html><head><title>H</title></head><body><p>正文。</p></body></html>"),
		"i.gz":            []byte("not gzip at all"),
		"j.ndjson":        []byte("{\"id\": \"j1\", \"title\": \"J1\"}\nnot json\n"),
		"k.md":            []byte("标题\n正文。\n"),
		"l.jsonl.xz.part": xzBytes(t, `{"id": "l", "title": "L"}`),
		"m.txt":           []byte(" \n"),
	})
	pageA, err := extract.Page(string(page))
	if err != nil {
		t.Fatal(err)
	}
	md, _ := extract.Page("标题\n正文。\n")
	hA, _ := extract.HTML([]byte("<html><head><title>H</title></head><body><p>正文。</p></body></html>"), "")
	sinaURL := "https://news.sina.com.cn/o/2018-10-25/doc-example.shtml"

	single := filepath.Join(root, "b", "c.json.xz")
	recs := mustWalk(t, root, single, filepath.Join(root, "missing.jsonl"))
	want := strings.Join([]string{
		"a.jsonl.gz:1:a1", "a.jsonl.gz:2:a2",
		"b/c.json.xz:1:c1", "b/c.json.xz:2:c2",
		"b/d.html:0:" + sinaURL,
		"b/e.txt:0:" + pageA.ID,
		"b/f.htm.gz:0:" + sinaURL,
		"binary.bin:0:!invalid",
		"g.dat:1:g",
		"h:0:" + hA.ID,
		"i.gz:0:!invalid",
		"j.ndjson:1:j1", "j.ndjson:2:!invalid",
		"k.md:0:" + md.ID,
		"l.jsonl.xz.part:1:l",
		"m.txt:0:!invalid",
		"b/c.json.xz:1:c1", "b/c.json.xz:2:c2",
		"missing.jsonl:0:!invalid",
	}, "\n")
	if got := summary(root, recs); got != want {
		t.Errorf("records:\n%s\nwant:\n%s", got, want)
	}
	for _, r := range recs {
		if r.Err != nil && !strings.Contains(r.Err.Error(), r.File) {
			t.Errorf("error %q does not name the file %s", r.Err, r.File)
		}
	}
	if got, want := recs[5].Article.Title, pageA.Title; got != want {
		t.Errorf("page title %q, want %q", got, want)
	}
}

func TestWalkSymlinkedDir(t *testing.T) {
	root := mustWriteTree(t, map[string][]byte{"data/a.jsonl": []byte(`{"id": "a", "title": "A"}`)})
	link := filepath.Join(root, "link")
	if err := os.Symlink(filepath.Join(root, "data"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if got, want := summary(link, mustWalk(t, link)), "a.jsonl:1:a"; got != want {
		t.Errorf("records %q, want %q", got, want)
	}
}

func TestWalkStops(t *testing.T) {
	root := mustWriteTree(t, map[string][]byte{
		"a.jsonl": []byte("{\"title\": \"1\"}\n{\"title\": \"2\"}\n"),
		"b.jsonl": []byte("{\"title\": \"3\"}\n"),
	})

	stop := errors.New("stop")
	n := 0
	err := extract.Walk(context.Background(), []string{root}, func(extract.Record) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("Walk returned %v after %d calls, want the callback's error after 1", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = extract.Walk(ctx, []string{root}, func(extract.Record) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("Walk returned %v after %d calls, want context.Canceled after 1", err, n)
	}
}
