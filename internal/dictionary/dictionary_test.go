package dictionary_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/dictionary"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

// words cuts text with the segmenter cur holds.
func words(cur *segment.Current, text string) []string {
	var out []string
	for _, w := range cur.Load().Cut(text) {
		out = append(out, w.Text)
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestManager builds three segmenters: the base one, one after Add, one
// after Remove.
func TestManager(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	base, err := segment.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	cur := segment.NewCurrent(base)
	m := dictionary.Open(dir, cur)
	if got, want := m.Version(), "base"; got != want {
		t.Fatalf("version %q, want %q", got, want)
	}
	if slices.Contains(words(cur, "村民党建子养牛"), "党建子") {
		t.Fatalf("党建子 is one word before it was added: %v", words(cur, "村民党建子养牛"))
	}

	// A bad entry anywhere changes nothing and is named.
	for _, bad := range [][]segment.Entry{
		{{Word: "党建子", Freq: 20}, {Word: "好词"}, {Word: "坏 词"}},
		{{Word: "党建子"}, {Word: "词", Freq: -1}},
		{{Word: "党建子"}, {Word: "词", Tag: "n1"}},
		{{Word: ""}},
	} {
		_, err := m.Add(ctx, bad...)
		want := "entry " + string(rune('0'+len(bad))) + " ("
		if news.ErrorCode(err) != news.EINVALID || !strings.HasPrefix(news.ErrorMessage(err), want) {
			t.Errorf("Add %+v: %v, want EINVALID starting %q", bad, err, want)
		}
	}
	if _, err := m.Update(ctx, []segment.Entry{{Word: "党建子"}, {Word: "，。"}}); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("Update with punctuation: %v", err)
	}
	if _, err := os.Stat(segment.UserDictPath(dir)); !os.IsNotExist(err) {
		t.Errorf("a rejected update wrote the dictionary: %v", err)
	}
	if m.Version() != "base" || cur.Load() != base {
		t.Fatalf("a rejected update changed the dictionary")
	}

	// Adding takes effect for segmentation at once; the last entry of a word wins.
	seg, err := m.Add(ctx, segment.Entry{Word: "党建子", Freq: 5}, segment.Entry{Word: "新质生产力"}, segment.Entry{Word: "党建子", Freq: 20, Tag: "nr"})
	if err != nil {
		t.Fatal(err)
	}
	if seg == base || cur.Load() != seg || m.Segmenter() != seg {
		t.Fatalf("Add did not install a new segmenter")
	}
	if got := words(cur, "村民党建子养牛"); !slices.Contains(got, "党建子") {
		t.Errorf("after Add: %v, want 党建子 as one word", got)
	}
	if w := base.Cut("村民党建子养牛"); len(w) > 1 && w[1].Text == "党建子" {
		t.Errorf("the old segmenter was changed: %v", w)
	}
	want := []segment.Entry{{Word: "党建子", Freq: 20, Tag: "nr"}, {Word: "新质生产力"}}
	if got := m.Entries(); !slices.Equal(got, want) {
		t.Errorf("entries %+v, want %+v", got, want)
	}
	v1 := m.Version()
	if v1 == "base" || v1 != segment.Version(want) {
		t.Errorf("version %q after Add", v1)
	}
	const file = "党建子 20 nr\n新质生产力\n"
	if got := readFile(t, segment.UserDictPath(dir)); got != file {
		t.Errorf("userdict.txt = %q, want %q", got, file)
	}
	if got := readFile(t, segment.LastGoodPath(dir)); got != file {
		t.Errorf("last good copy = %q, want %q", got, file)
	}
	if again, err := segment.LoadUserDict(segment.UserDictPath(dir)); err != nil || !slices.Equal(again, want) {
		t.Errorf("userdict.txt reads back as %+v, %v", again, err)
	}

	// Removing an unknown word changes nothing.
	if _, err := m.Remove(ctx, "党建子", "没有这个词"); news.ErrorCode(err) != news.ENOTFOUND || !strings.Contains(err.Error(), "没有这个词") {
		t.Errorf("Remove of an unknown word: %v, want ENOTFOUND naming it", err)
	}
	if m.Version() != v1 {
		t.Errorf("a failed Remove changed the version")
	}

	if _, err := m.Remove(ctx, "党建子"); err != nil {
		t.Fatal(err)
	}
	if got := words(cur, "村民党建子养牛"); slices.Contains(got, "党建子") {
		t.Errorf("after Remove: %v", got)
	}
	if v := m.Version(); v == v1 || v == "base" {
		t.Errorf("version %q after Remove (was %q)", v, v1)
	}
	if got := readFile(t, segment.UserDictPath(dir)); got != "新质生产力\n" {
		t.Errorf("userdict.txt after Remove = %q", got)
	}

	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.Add(ctx2, segment.Entry{Word: "党建子"}); err == nil {
		t.Errorf("Add with a cancelled context succeeded")
	}
}
