package index_test

import (
	"bufio"
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ulikunitz/xz"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testcorpus"
)

var (
	cctvOnce sync.Once
	cctvArts []news.Article
	cctvErr  error
)

// cctv returns the 24,102 CCTV stories as articles (read once per process).
func cctv(tb testing.TB) []news.Article {
	tb.Helper()
	path := testcorpus.Corpus(tb, "cctv-xwlb-2022-2026.jsonl.xz")
	cctvOnce.Do(func() { cctvArts, cctvErr = readCCTV(path) })
	if cctvErr != nil {
		tb.Fatal(cctvErr)
	}
	return cctvArts
}

func readCCTV(path string) ([]news.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := xz.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, err
	}
	var out []news.Article
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r struct {
			ID, Date, Title, Body, URL string
			Section                    string `json:"section_guess"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, err
		}
		a := news.Article{ID: r.ID, Title: r.Title, Body: r.Body, URL: r.URL}
		if r.Section != "" && r.Section != "unknown" {
			a.Section = []string{r.Section}
		}
		if t, err := time.ParseInLocation(time.DateOnly, r.Date, news.CST); err == nil {
			a.PublishedAt = t.Add(19 * time.Hour)
		}
		out = append(out, a)
	}
	return out, sc.Err()
}
