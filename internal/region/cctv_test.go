package region_test

import (
	"os"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/region"
	"github.com/xinwen/xinwen/internal/testcorpus"
)

// minPrecision is the least share of assigned provinces that must be right.
const minPrecision = 0.95

// checked is one hand-checked story.
type checked struct {
	id, want, title string
	heldOut         bool // even rows were not looked at while tuning
}

// TestCCTVPrecision resolves the hand-checked sample of CCTV stories and
// fails if fewer than minPrecision of the provinces it assigns are right. It
// needs the shared CCTV corpus (see testcorpus: CI fails without it).
func TestCCTVPrecision(t *testing.T) {
	testcorpus.SkipShort(t)
	stories := readChecked(t, "testdata/cctv-checked.tsv")
	bodies := readCorpus(t, stories)

	g := region.Default()
	type tally struct{ total, labelled, assigned, correct int }
	var all, tune, held tally
	for _, s := range stories {
		b, ok := bodies[s.id]
		if !ok {
			t.Errorf("story %s (%s) is not in the corpus", s.id, s.title)
			continue
		}
		got := g.Resolve(&news.Article{ID: s.id, Title: b.Title, Body: b.Body}, "").Province
		for _, c := range []*tally{&all, map[bool]*tally{false: &tune, true: &held}[s.heldOut]} {
			c.total++
			if s.want != "" {
				c.labelled++
			}
			if got != "" {
				c.assigned++
				if got == s.want {
					c.correct++
				}
			}
		}
		if got != s.want {
			t.Logf("miss %s held-out=%v want %q got %q: %s", s.id, s.heldOut, s.want, got, s.title)
		}
	}
	report := func(name string, c tally) float64 {
		precision := ratio(c.correct, c.assigned)
		t.Logf("%-8s stories %3d, with a province %3d, assigned %3d (%.1f%%), correct %3d: precision %.3f, recall %.3f",
			name, c.total, c.labelled, c.assigned, 100*ratio(c.assigned, c.total), c.correct, precision, ratio(c.correct, c.labelled))
		return precision
	}
	report("tuning", tune)
	report("held-out", held)
	if p := report("all", all); p < minPrecision {
		t.Errorf("precision %.3f, want at least %.2f", p, minPrecision)
	}
	if all.assigned == 0 {
		t.Error("no story was assigned a province")
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func readChecked(t *testing.T, path string) []checked {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []checked
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("%s:%d: want 3 tab-separated fields, got %d", path, i+1, len(f))
		}
		out = append(out, checked{id: f[0], want: f[1], title: f[2], heldOut: len(out)%2 == 1})
	}
	if len(out) < 200 {
		t.Fatalf("%s: %d stories, want at least 200", path, len(out))
	}
	return out
}

// readCorpus returns the title and body of each wanted story in the CCTV
// corpus, as ingest reads them.
func readCorpus(t *testing.T, want []checked) map[string]news.Article {
	t.Helper()
	ids := map[string]bool{}
	for _, s := range want {
		ids[s.id] = true
	}
	out := map[string]news.Article{}
	for _, a := range testcorpus.CCTV(t, 0) {
		if ids[a.ID] {
			out[a.ID] = a
		}
	}
	return out
}
