package extract_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ulikunitz/xz"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testcorpus"
)

// corpusDir returns shared/corpus (see testcorpus: fails in CI without it).
func corpusDir(t testing.TB) string { return filepath.Dir(testcorpus.Corpus(t, "README.md")) }

// mustWalk reads path with Walk and returns its records.
func mustWalk(t *testing.T, paths ...string) []extract.Record {
	t.Helper()
	var recs []extract.Record
	if err := extract.Walk(context.Background(), paths, func(r extract.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return recs
}

func TestCorpusCCTV(t *testing.T) {
	testcorpus.SkipShort(t)
	path := filepath.Join(corpusDir(t), testcorpus.CCTVFile)
	start := time.Now()
	recs := mustWalk(t, path)
	t.Logf("%d records in %v", len(recs), time.Since(start))
	if got, want := len(recs), testcorpus.CCTVCount; got != want {
		t.Fatalf("records = %d, want %d", got, want)
	}
	ids := map[string]bool{}
	noSection, emptyBody := 0, 0
	for _, r := range recs {
		if r.Err != nil {
			t.Errorf("%s:%d: %v", r.File, r.Line, r.Err)
			continue
		}
		a := r.Article
		if y := a.PublishedAt.Year(); y < 2022 || y > 2026 {
			t.Errorf("line %d: published %v, want 2022-2026", r.Line, a.PublishedAt)
		}
		if a.PublishedAt.Location() != news.CST {
			t.Errorf("line %d: location %v, want CST", r.Line, a.PublishedAt.Location())
		}
		if a.Title == "" || a.URL == "" || a.Source == "" {
			t.Errorf("line %d: title %q url %q source %q", r.Line, a.Title, a.URL, a.Source)
		}
		if ids[a.ID] {
			t.Errorf("line %d: duplicate id %q", r.Line, a.ID)
		}
		ids[a.ID] = true
		if strings.HasPrefix(a.ID, "sha1-") || strings.HasPrefix(a.ID, "http") {
			t.Errorf("line %d: id %q, want the export's id", r.Line, a.ID)
		}
		if a.Body == "" {
			emptyBody++
		}
		if len(a.Section) == 0 {
			noSection++
		} else if got := a.SectionPath(); got != "国内" && got != "国际" && got != "国内快讯" && got != "国际快讯" {
			t.Errorf("line %d: section %q", r.Line, got)
		}
		if strings.Contains(a.Body, "\n\n") || strings.ContainsAny(a.Body, "\r\u3000\u00a0") {
			t.Errorf("line %d: body not clean", r.Line)
		}
	}
	if got, want := emptyBody, 2; got != want {
		t.Errorf("empty bodies = %d, want %d", got, want)
	}
	if got, want := noSection, unknownSections(t, path); got != want {
		t.Errorf("records without section = %d, want %d (section_guess unknown)", got, want)
	}
}

// unknownSections counts the CCTV records whose section_guess is "unknown",
// read independently of extract.
func unknownSections(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := xz.NewReader(bufio.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 1<<20), 4<<20)
	n := 0
	for sc.Scan() {
		if bytes.Contains(sc.Bytes(), []byte(`"section_guess": "unknown"`)) {
			n++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCorpusSina(t *testing.T) {
	path := filepath.Join(corpusDir(t), "sina-2018-sample.jsonl.xz")
	recs := mustWalk(t, path)
	if got, want := len(recs), 2000; got != want {
		t.Fatalf("records = %d, want %d", got, want)
	}
	categories := map[string]int{}
	for _, r := range recs {
		if r.Err != nil {
			t.Errorf("%s:%d: %v", r.File, r.Line, r.Err)
			continue
		}
		a := r.Article
		if len(a.Section) != 1 {
			t.Errorf("line %d: section %q, want one category", r.Line, a.Section)
			continue
		}
		categories[a.Section[0]]++
		if !strings.HasPrefix(a.ID, "sina2018-") || a.Title == "" || a.Body == "" {
			t.Errorf("line %d: id %q title %q body %d bytes", r.Line, a.ID, a.Title, len(a.Body))
		}
		if !a.PublishedAt.IsZero() {
			t.Errorf("line %d: published %v, want none", r.Line, a.PublishedAt)
		}
	}
	for _, c := range []string{"体育", "科技", "教育", "娱乐", "时尚", "健康"} {
		if categories[c] == 0 {
			t.Errorf("no article in category %s (have %v)", c, categories)
		}
	}
	if got, want := len(categories), 6; got != want {
		t.Errorf("categories = %v, want 6", categories)
	}
}

// BenchmarkJSONCCTV measures extraction alone (no decompression) over the
// whole CCTV corpus.
func BenchmarkJSONCCTV(b *testing.B) {
	dir := corpusDir(b)
	f, err := os.Open(filepath.Join(dir, testcorpus.CCTVFile))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zr, err := xz.NewReader(bufio.NewReader(f))
	if err != nil {
		b.Fatal(err)
	}
	var data bytes.Buffer
	if _, err := data.ReadFrom(zr); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(data.Len()))
	b.ResetTimer()
	for b.Loop() {
		n := 0
		extract.JSON(bytes.NewReader(data.Bytes()), "cctv", func(r extract.Record) error {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			n++
			return nil
		})
		if n != testcorpus.CCTVCount {
			b.Fatalf("%d records", n)
		}
	}
}
