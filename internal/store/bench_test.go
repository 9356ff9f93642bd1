package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
)

const benchBatch = 500

// benchArticles returns batch number b: benchBatch articles with ~1,500-byte
// bodies (450 characters plus punctuation), all different from each other.
func benchArticles(b int) (arts []news.Article, size int) {
	arts = make([]news.Article, benchBatch)
	for i := range arts {
		arts[i] = article(fmt.Sprintf("bench-%06d-%03d", b, i), uint64(b*benchBatch+i), 450)
		size += len(arts[i].Title) + len(arts[i].Body)
	}
	return arts, size
}

// BenchmarkPut measures Put in batches of 500 new articles, each one fsync'd
// transaction. MB/s counts title and body bytes.
func BenchmarkPut(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	var n, size int
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		arts, sz := benchArticles(i)
		b.StartTimer()
		if _, err := s.Put(ctx, arts); err != nil {
			b.Fatal(err)
		}
		n += len(arts)
		size += sz
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(size)/1e6/b.Elapsed().Seconds(), "MB/s")
}

// BenchmarkEach measures a full walk over 24,000 articles, the size of the
// CCTV corpus.
func BenchmarkEach(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	const batches = 48
	var size int
	for i := range batches {
		arts, sz := benchArticles(i)
		if _, err := s.Put(ctx, arts); err != nil {
			b.Fatal(err)
		}
		size += sz
	}
	walks := 0
	for b.Loop() {
		n := 0
		if err := s.Each(ctx, func(news.Article) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != batches*benchBatch {
			b.Fatalf("Each visited %d articles, want %d", n, batches*benchBatch)
		}
		walks++
	}
	b.ReportMetric(float64(walks*batches*benchBatch)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(walks*size)/1e6/b.Elapsed().Seconds(), "MB/s")
}
