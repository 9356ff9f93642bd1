package manticore_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/backendtest"
	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/ingest"
	"github.com/xinwen/xinwen/internal/manticore"
	"github.com/xinwen/xinwen/internal/manticore/searchdtest"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
	"github.com/xinwen/xinwen/internal/testseg"
)

func records(arts []news.Article) []extract.Record {
	out := make([]extract.Record, len(arts))
	for i, a := range arts {
		out[i] = extract.Record{Article: a}
	}
	return out
}

// TestNodeDown kills one node of two (SIGKILL) under the ingest pipeline:
// searches answer from the other shard and say they are partial; writes
// for the missing shard fail with EUNAVAILABLE while the other shard's are
// indexed; after the restart the killed node has everything it
// acknowledged, the warning is gone, and a catch-up indexes what failed.
// Then the same with the first node (the one searches start from) down.
func TestNodeDown(t *testing.T) {
	ctx := context.Background()
	c := searchdtest.Start(t, 2)
	st, err := store.Open(filepath.Join(t.TempDir(), "articles.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := manticore.Open(c.Addrs(), manticore.Options{Segmenter: testseg.Current(t), Texts: st})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p := ingest.New(st, func() news.Backend { return b }, nil)

	arts := backendtest.DemoArticles(t)
	before, later := arts[:len(arts)-60], arts[len(arts)-60:]
	if _, err := p.Put(ctx, records(before)); err != nil {
		t.Fatal(err)
	}
	all := news.SearchRequest{Sort: news.SortDate, Size: 100, Facets: true}
	full := backendtest.AllIDs(t, b, all)
	first := backendtest.MustSearch(t, b, all)
	if first.Partial || uint64(len(full)) != first.Total || len(full) == 0 {
		t.Fatalf("before: %d hits, total %d, partial %v", len(full), first.Total, first.Partial)
	}
	var dated []string
	for _, a := range arts {
		if !a.PublishedAt.IsZero() {
			dated = append(dated, a.ID)
		}
	}
	onShard := func(ids []string, k int) []string {
		var out []string
		for _, id := range ids {
			if manticore.ShardOf(id, 2) == k {
				out = append(out, id)
			}
		}
		return out
	}

	for _, down := range []int{1, 0} {
		up := 1 - down
		c.Kill(down)
		// Searches answer from the shard that is up, and say so.
		for range 2 { // whichever node coordinates
			res := backendtest.MustSearch(t, b, all)
			if !res.Partial || len(res.Warnings) == 0 {
				t.Errorf("node %d down: partial %v, warnings %v", down+1, res.Partial, res.Warnings)
			}
			want := onShard(full, up)
			if res.Total != uint64(len(want)) {
				t.Errorf("node %d down: total %d, want the %d of shard %d", down+1, res.Total, len(want), up+1)
			}
			got := backendtest.AllIDs(t, b, all)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("node %d down: %d hits, want %d", down+1, len(got), len(want))
			}
			if n, w := facetTotal(res.Facets.Year), len(onShard(dated, up)); n != w {
				t.Errorf("node %d down: year facets count %d, want %d", down+1, n, w)
			}
		}
		// Writes for the missing shard fail with a clear error; the others
		// are indexed; the store keeps all of them.
		batch := later[:30]
		if down == 0 {
			batch = later[30:]
		}
		_, err := p.Put(ctx, records(batch))
		if news.ErrorCode(err) != news.EUNAVAILABLE || !strings.Contains(news.ErrorMessage(err), "shard "+string(rune('1'+down))) {
			t.Errorf("write with node %d down: %v (%s), want EUNAVAILABLE naming shard %d", down+1, err, news.ErrorCode(err), down+1)
		}
		for _, a := range batch {
			if _, err := st.Get(ctx, a.ID); err != nil {
				t.Errorf("%s not stored: %v", a.ID, err)
			}
		}
		var batchIDs []string
		for _, a := range batch {
			batchIDs = append(batchIDs, a.ID)
		}
		got := backendtest.AllIDs(t, b, all)
		for _, id := range onShard(batchIDs, up) {
			if !slices.Contains(got, id) {
				t.Errorf("%s (shard %d, up) not searchable after the failed batch", id, up+1)
			}
		}
		// Back up: everything it acknowledged is there, and a catch-up
		// indexes what failed.
		c.Restart(down)
		if _, err := p.CatchUp(ctx); err != nil {
			t.Fatalf("catch up after node %d is back: %v", down+1, err)
		}
		full = append(full, batchIDs...)
		res := backendtest.MustSearch(t, b, all)
		if res.Partial || len(res.Warnings) > 0 {
			t.Errorf("node %d back: partial %v %v", down+1, res.Partial, res.Warnings)
		}
		got = backendtest.AllIDs(t, b, all)
		slices.Sort(got)
		want := slices.Clone(full)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("node %d back: %d hits, want %d", down+1, len(got), len(want))
		}
		r, err := p.Check(ctx, false)
		if err != nil || !r.Consistent() {
			t.Errorf("node %d back: check %+v, %v", down+1, r, err)
		}
	}
}

func facetTotal(fc []news.FacetCount) int {
	n := 0
	for _, c := range fc {
		n += c.Count
	}
	return n
}
