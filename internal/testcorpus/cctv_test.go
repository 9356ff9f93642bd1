package testcorpus_test

import (
	"slices"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testcorpus"
)

// TestCCTVPrefix reads a few stories: they come in the file's order, read as
// ingest reads them, and a caller that changes its slice does not change
// what the next caller gets.
func TestCCTVPrefix(t *testing.T) {
	arts := testcorpus.CCTV(t, 5)
	if got, want := len(arts), 5; got != want {
		t.Fatalf("CCTV(5): %d stories, want %d", got, want)
	}
	// The first line of the file.
	if got, want := arts[0].ID, "VIDEWOl9TtNDSPPJRKQyExO7220101"; got != want {
		t.Errorf("first story %q, want %q", got, want)
	}
	for i, a := range arts {
		if a.ID == "" || a.Title == "" || a.Body == "" {
			t.Errorf("story %d: id %q, title %q, %d bytes of body", i, a.ID, a.Title, len(a.Body))
		}
		if a.PublishedAt.Location() != news.CST || a.PublishedAt.Year() != 2022 {
			t.Errorf("story %d: published %v, want 2022 in China Standard Time", i, a.PublishedAt)
		}
	}
	id := arts[1].ID
	arts[1].ID = "changed"
	again := testcorpus.CCTV(t, 3)
	if len(again) != 3 || again[1].ID != id {
		t.Errorf("CCTV(3) after a caller changed its slice: %d stories, the second %q, want 3 and %q", len(again), again[1].ID, id)
	}
	texts := testcorpus.CCTVTexts(t, 2)
	if len(texts) != 4 || string(texts[0]) != again[0].Title || string(texts[3]) != again[1].Body {
		t.Errorf("CCTVTexts(2): %d texts, want the title and body of the first two stories", len(texts))
	}
}

// TestCCTVAll reads the whole corpus: every story once, and the prefixes
// asked for before are its first stories.
func TestCCTVAll(t *testing.T) {
	testcorpus.SkipShort(t)
	few := testcorpus.CCTV(t, 10)
	all := testcorpus.CCTV(t, 0)
	if got, want := len(all), testcorpus.CCTVCount; got != want {
		t.Fatalf("CCTV(0): %d stories, want %d", got, want)
	}
	if got := testcorpus.CCTV(t, 2*testcorpus.CCTVCount); len(got) != len(all) {
		t.Errorf("CCTV(more than the corpus has): %d stories, want %d", len(got), len(all))
	}
	for i := range few {
		if few[i].ID != all[i].ID {
			t.Errorf("story %d: %q in the first 10, %q in the whole corpus", i, few[i].ID, all[i].ID)
		}
	}
	ids := map[string]bool{}
	for _, a := range all {
		if ids[a.ID] {
			t.Errorf("story %q twice", a.ID)
		}
		ids[a.ID] = true
	}
	if got, want := ids10(testcorpus.CCTV(t, 10)), ids10(few); !slices.Equal(got, want) {
		t.Errorf("the first 10 stories once the whole corpus is cached: %q, want %q", got, want)
	}
}

func ids10(arts []news.Article) []string {
	var out []string
	for _, a := range arts[:min(10, len(arts))] {
		out = append(out, a.ID)
	}
	return out
}
