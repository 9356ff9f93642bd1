package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDict adds a word, lists it and refuses a bad entry, with the real
// binary: three processes that build a segmenter (four builds in all).
func TestDict(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")

	r := xinwen(t, "dict", "add", "党建子", "20", "nr", "--data", data)
	if r.code != 0 {
		t.Fatalf("dict add: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"added 党建子 20 nr", "rebuild due: index built with dictionary base, current ", "xinwen reindex"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dict add: stdout %q lacks %q", r.stdout, want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(data, "userdict.txt")); err != nil || string(b) != "党建子 20 nr\n" {
		t.Errorf("userdict.txt = %q, %v", b, err)
	}

	r = xinwen(t, "dict", "list", "--data", data)
	if r.code != 0 || r.stdout != "党建子 20 nr\n" || !strings.Contains(r.stdout+r.stderr, "rebuild due") {
		t.Errorf("dict list: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	for _, args := range [][]string{
		{"dict", "add", "坏 词", "--data", data},
		{"dict", "add", "党建子", "abc", "nr", "--data", data},
		{"dict", "add", "党建子", "5", "n1", "--data", data},
		{"dict", "add", "--data", data},
		{"dict", "frobnicate"},
	} {
		r := xinwen(t, args...)
		if r.code != 2 || (args[1] == "add" && len(args) > 4 && !strings.Contains(r.stderr, `entry 1 ("`+args[2]+`")`)) {
			t.Errorf("%q: exit %d, stderr %q; want 2 naming the entry", args, r.code, r.stderr)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(data, "userdict.txt")); string(b) != "党建子 20 nr\n" {
		t.Errorf("a rejected add changed userdict.txt: %q", b)
	}
	if r := xinwen(t, "dict", "-h"); r.code != 0 || !strings.Contains(r.stdout, "/api/admin/dictionary") {
		t.Errorf("dict -h: exit %d, stdout %q", r.code, r.stdout)
	}
}
