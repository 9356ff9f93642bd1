package index_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/suggest"
	"github.com/xinwen/xinwen/internal/testseg"
)

// memFeed is an article store in memory with a change feed like the real
// one's: every put or delete takes the next sequence number and replaces
// the article's previous change.
type memFeed struct {
	mu      sync.Mutex
	seq     uint64
	arts    map[string]news.Article
	changes map[uint64]memChange // by sequence number
	last    map[string]uint64    // an article's latest change
	asked   int                  // articles GetMany was asked for
}

type memChange struct {
	id      string
	deleted bool
}

func newMemFeed(arts ...news.Article) *memFeed {
	f := &memFeed{arts: map[string]news.Article{}, changes: map[uint64]memChange{}, last: map[string]uint64{}}
	f.put(arts...)
	return f
}

func (f *memFeed) note(id string, deleted bool) {
	delete(f.changes, f.last[id])
	f.seq++
	f.changes[f.seq] = memChange{id, deleted}
	f.last[id] = f.seq
}

func (f *memFeed) put(arts ...news.Article) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range arts {
		f.arts[a.ID] = a
		f.note(a.ID, false)
	}
}

func (f *memFeed) delete(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.arts, id)
	f.note(id, true)
}

func (f *memFeed) Seq() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}

func (f *memFeed) Changes(ctx context.Context, since uint64, fn func(seq uint64, id string, deleted bool) error) error {
	f.mu.Lock()
	var seqs []uint64
	for s := range f.changes {
		if s > since {
			seqs = append(seqs, s)
		}
	}
	slices.Sort(seqs)
	cs := make([]memChange, len(seqs))
	for i, s := range seqs {
		cs[i] = f.changes[s]
	}
	f.mu.Unlock()
	for i, c := range cs {
		if err := fn(seqs[i], c.id, c.deleted); err != nil {
			return err
		}
	}
	return nil
}

func (f *memFeed) GetMany(_ context.Context, ids []string) (map[string]news.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked += len(ids)
	out := map[string]news.Article{}
	for _, id := range ids {
		if a, ok := f.arts[id]; ok {
			out[id] = a
		}
	}
	return out, nil
}

func (f *memFeed) askedFor() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked
}

// suggestPrefixes are the prefixes the sources are compared on.
var suggestPrefixes = []string{"新", "新能", "新聞", "甘肅 新能", "新疆", "国内", "国内联播", "A", "ap", "“新能", "发布", "经济", "简", "不存在的词"}

// TestSuggestArticleSourceAgrees checks that suggestions from the articles of a
// store, when it holds no more than the source reads, are those from the
// index of the same articles, for every prefix and number.
func TestSuggestArticleSourceAgrees(t *testing.T) {
	arts := suggestArticles()
	fromIndex := suggest.New(MustOpen(t, arts), suggest.Options{Segmenter: testseg.Current(t)})
	// Stored in another order than published: titles still come newest
	// published first.
	stored := slices.Clone(arts)
	slices.Reverse(stored)
	fromStore := suggest.New(suggest.NewArticleSource(newMemFeed(stored...), 0, testseg.Current(t)), suggest.Options{Segmenter: testseg.Current(t)})
	for _, prefix := range suggestPrefixes {
		for _, n := range []int{0, 1, 3, suggest.Max} {
			got, want := mustSuggest(t, fromStore, prefix, n), mustSuggest(t, fromIndex, prefix, n)
			if !slices.Equal(got, want) {
				t.Errorf("Suggest(%q, %d) from the store = %q, from the index %q", prefix, n, got, want)
			}
		}
	}
}

// TestSuggestArticleSourceNewest checks that the source reads only the newest
// articles of the store, in the order they were stored or changed, follows
// the store's changes (new, changed and deleted articles) once the refresh
// interval is over, and reads again only the articles that changed.
func TestSuggestArticleSourceNewest(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 19, 0, 0, 0, news.CST) }
	feed := newMemFeed(
		news.Article{ID: "a", Title: "长江流域禁渔成效显著", Body: "长江禁渔。", PublishedAt: day(1)},
		news.Article{ID: "b", Title: "黄河入海口迎来候鸟", Body: "黄河候鸟。", PublishedAt: day(2)},
		news.Article{ID: "c", Title: "长城保护工作推进", Body: "长城保护。", PublishedAt: day(3)},
		news.Article{ID: "d", Title: "黄山迎来旅游旺季", Body: "黄山旅游。", PublishedAt: day(4)},
	)
	s := suggest.New(suggest.NewArticleSource(feed, 3, testseg.Current(t)), suggest.Options{Segmenter: testseg.Current(t), Every: time.Millisecond})
	has := func(prefix, want string) bool {
		t.Helper()
		return slices.Contains(mustSuggest(t, s, prefix, 0), want)
	}
	// The three newest: b, c and d; a is too old.
	if has("长江", "长江流域禁渔成效显著") || !has("长城", "长城保护工作推进") || !has("黄", "黄河入海口迎来候鸟") {
		t.Fatalf("first snapshot: 长江 %q, 长城 %q, 黄 %q", mustSuggest(t, s, "长江", 0), mustSuggest(t, s, "长城", 0), mustSuggest(t, s, "黄", 0))
	}
	asked := feed.askedFor()
	if asked != 3 {
		t.Errorf("the first snapshot read %d articles, want 3", asked)
	}

	// a changed: it is the newest now, and b, the oldest, falls out. The
	// source reads a alone.
	feed.put(news.Article{ID: "a", Title: "长江流域禁渔三年", Body: "长江禁渔。", PublishedAt: day(1)})
	eventually(t, func() bool { return has("长江", "长江流域禁渔三年") })
	if has("长江", "长江流域禁渔成效显著") || has("黄", "黄河入海口迎来候鸟") || !has("黄", "黄山迎来旅游旺季") {
		t.Errorf("a changed: 长江 %q, 黄 %q", mustSuggest(t, s, "长江", 0), mustSuggest(t, s, "黄", 0))
	}
	if got := feed.askedFor() - asked; got != 1 {
		t.Errorf("the refresh read %d articles, want 1 (the one changed)", got)
	}
	// c deleted: b is among the three newest again.
	feed.delete("c")
	eventually(t, func() bool { return !has("长城", "长城保护工作推进") })
	if !has("黄", "黄河入海口迎来候鸟") || !has("长江", "长江流域禁渔三年") {
		t.Errorf("c deleted: 黄 %q, 长江 %q", mustSuggest(t, s, "黄", 0), mustSuggest(t, s, "长江", 0))
	}
}

// eventually waits up to ten seconds for ok.
func eventually(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("not within ten seconds")
		}
	}
}
