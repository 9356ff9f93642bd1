package extract_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/xinwen/xinwen/internal/extract"
)

// TestCount: where Count knows the number, it is the number of records Walk
// hands over, files Walk skips included; where it cannot know without
// parsing, it says so.
func TestCount(t *testing.T) {
	html := mustReadFile(t, "testdata/sina-style.html")
	known := map[string][]byte{
		"b/d.html":      html,
		"b/e.txt":       []byte("标题\n正文。\n"),
		"b/f.htm.gz":    gzipBytes(t, string(html)),
		"binary.bin":    []byte("\x00\x01\x02"),
		"h":             []byte("\n<html><head><title>H</title></head><body><p>正文。</p></body></html>"),
		"i.html.gz":     []byte("not gzip at all"),
		"j.ndjson":      []byte("{\"id\": \"j1\", \"title\": \"J1\"}\nnot json\n"),
		"k.jsonl":       []byte("{\"id\": \"k1\", \"title\": \"K1\"}\n{\"id\": \"k2\", \"title\": \"K2\"}"), // no final newline
		"empty.jsonl":   nil,
		"m.txt":         []byte(" \n"),
		".hidden.jsonl": []byte("{\"id\": \"h1\", \"title\": \"H1\"}\n"),
		".git/x.jsonl":  []byte("{\"id\": \"g1\", \"title\": \"G1\"}\n"),
	}
	root := mustWriteTree(t, known)
	single := filepath.Join(root, "k.jsonl")
	paths := []string{root, single, filepath.Join(root, "missing.jsonl")}
	n, ok := extract.Count(context.Background(), paths)
	if want := len(mustWalk(t, paths...)); !ok || n != want || n != 14 {
		t.Errorf("Count = %d, %v; want %d (Walk's records), true", n, ok, want)
	}

	for name, b := range map[string][]byte{
		"a.jsonl.gz": gzipBytes(t, "{\"id\": \"a1\", \"title\": \"A1\"}\n"),
		"c.json":     []byte(`[{"id": "c1", "title": "C1"}, {"id": "c2", "title": "C2"}]`),
		"g.dat":      []byte(` {"id": "g", "title": "G"}`),
		"l.jsonl":    xzBytes(t, "{\"id\": \"l1\", \"title\": \"L1\"}\n"), // compressed, says its first bytes
	} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if n, ok := extract.Count(context.Background(), []string{root, path}); ok || n != 0 {
			t.Errorf("Count with %s = %d, %v; want 0, false (unknown)", name, n, ok)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, ok := extract.Count(ctx, paths); ok || n != 0 {
		t.Errorf("Count after ctx ended = %d, %v; want 0, false", n, ok)
	}
}
