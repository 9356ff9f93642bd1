package index

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/testseg"
)

// TestOlderIndexKeepsIDTieBreak: a new index sorts by its unique date keys
// alone; one built before they were unique (no marker) still breaks ties
// on _id.
func TestOlderIndexKeepsIDTieBreak(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Open(path, Options{Segmenter: testseg.Current(t)})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"-" + fPubKey}; !slices.Equal(ix.byDate, want) {
		t.Errorf("new index sorts by %v, want %v", ix.byDate, want)
	}
	if err := ix.bleve.DeleteInternal([]byte(pubKeyKey)); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if ix, err = Open(path, Options{Segmenter: testseg.Current(t)}); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if want := []string{"-" + fPubKey, "_id"}; !slices.Equal(ix.byDate, want) {
		t.Errorf("older index sorts by %v, want %v", ix.byDate, want)
	}
}

// TestPubKeyOrder: sorted descending, keys give newest first, the same
// second in ascending ID order (a prefix before its extensions), undated
// last; none looks like a Bleve prefix-coded number.
func TestPubKeyOrder(t *testing.T) {
	t1 := time.Date(2024, 5, 1, 8, 0, 0, 0, news.CST)
	type art struct {
		at time.Time
		id string
	}
	want := []art{{t1.Add(time.Second), "z"}, {t1, "a"}, {t1, "ab"}, {t1, "b"}, {t1.Add(-time.Hour), "0"}, {time.Time{}, "a"}, {time.Time{}, "abcdefghi"}, {time.Time{}, "b"}}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, func(x, y art) int { return -strings.Compare(pubKey(x.at, x.id), pubKey(y.at, y.id)) })
	if !slices.Equal(got, want) {
		t.Errorf("descending key order %v, want %v", got, want)
	}
	for _, a := range want {
		if ok, _ := numeric.ValidPrefixCodedTerm(pubKey(a.at, a.id)); ok {
			t.Errorf("key of %v passes for a number", a)
		}
	}
}
