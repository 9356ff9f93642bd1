package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
)

// MustOpen opens a store in a fresh temporary directory and closes it when the
// test ends.
func MustOpen(tb testing.TB) *store.Store {
	tb.Helper()
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "articles.db"))
}

// MustOpenPath opens the store at path and closes it when the test ends.
func MustOpenPath(tb testing.TB, path string) *store.Store {
	tb.Helper()
	s, err := store.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

// MustPut puts arts and returns the outcomes.
func MustPut(tb testing.TB, s *store.Store, arts ...news.Article) []store.PutResult {
	tb.Helper()
	res, err := s.Put(context.Background(), arts)
	if err != nil {
		tb.Fatal(err)
	}
	if got, want := len(res), len(arts); got != want {
		tb.Fatalf("Put returned %d results for %d articles", got, want)
	}
	return res
}

// hanzi is the alphabet of generated text: common characters of news copy.
const hanzi = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"

// text returns n characters of deterministic Chinese news-like text: runs of
// characters from hanzi separated by punctuation, in paragraphs.
func text(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	pool := []rune(hanzi)
	var b strings.Builder
	run := 0
	for i := 0; i < n; i++ {
		b.WriteRune(pool[r.IntN(len(pool))])
		run++
		if run >= 6+r.IntN(14) {
			run = 0
			switch x := r.IntN(10); {
			case x < 6:
				b.WriteString("，")
			case x < 9:
				b.WriteString("。")
			default:
				b.WriteString("。\n")
			}
		}
	}
	return b.String()
}

// article returns a deterministic article whose body has n characters.
func article(id string, seed uint64, n int) news.Article {
	return news.Article{
		ID:          id,
		URL:         "https://news.example.cn/" + id + ".html",
		Title:       text(seed^0x7171, 16),
		Body:        text(seed, n),
		Section:     []string{"甘肃新闻", "市州播报", "天水"},
		Region:      news.Region{Province: "甘肃省", City: "天水市", County: "清水县", Code: "620521"},
		PublishedAt: time.Date(2020, 9, 28, 10, 30, 0, 0, news.CST).Add(time.Duration(seed%1000) * time.Minute),
		Source:      "每日甘肃网",
		Editor:      "张三",
		Authors:     []string{"李四", "王五"},
	}
}

// change is one entry of the change feed.
type change struct {
	Seq     uint64
	ID      string
	Deleted bool
}

func changes(tb testing.TB, s *store.Store, since uint64) []change {
	tb.Helper()
	var out []change
	err := s.Changes(context.Background(), since, func(seq uint64, id string, deleted bool) error {
		out = append(out, change{seq, id, deleted})
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func ids(tb testing.TB, s *store.Store) []string {
	tb.Helper()
	var out []string
	if err := s.Each(context.Background(), func(a news.Article) error {
		out = append(out, a.ID)
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
	return out
}

func count(tb testing.TB, s *store.Store) int {
	tb.Helper()
	n, err := s.Count()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// sameArticle compares articles by value, times by instant.
func sameArticle(a, b news.Article) bool {
	if !a.PublishedAt.Equal(b.PublishedAt) {
		return false
	}
	a.PublishedAt, b.PublishedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func TestPutOutcomes(t *testing.T) {
	a := article("a", 1, 300)
	retitled := a
	retitled.Title = "新标题"
	claimsDup := a
	claimsDup.DuplicateOf = "someone-else"
	b := article("b", 2, 300)

	type step struct {
		arts    []news.Article
		want    []store.Outcome
		wantSeq uint64 // Seq after the step
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"add then unchanged", []step{
			{[]news.Article{a}, []store.Outcome{store.Added}, 1},
			{[]news.Article{a}, []store.Outcome{store.Unchanged}, 1},
		}},
		{"DuplicateOf from the caller is ignored", []step{
			{[]news.Article{a}, []store.Outcome{store.Added}, 1},
			{[]news.Article{claimsDup}, []store.Outcome{store.Unchanged}, 1},
		}},
		{"update bumps seq", []step{
			{[]news.Article{a, b}, []store.Outcome{store.Added, store.Added}, 2},
			{[]news.Article{retitled, b}, []store.Outcome{store.Updated, store.Unchanged}, 3},
			{[]news.Article{a}, []store.Outcome{store.Updated}, 4},
		}},
		{"same ID twice in one call", []step{
			{[]news.Article{a, retitled, retitled}, []store.Outcome{store.Added, store.Updated, store.Unchanged}, 2},
		}},
		{"empty call", []step{
			{nil, []store.Outcome{}, 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpen(t)
			for i, st := range tt.steps {
				res := MustPut(t, s, st.arts...)
				got := make([]store.Outcome, len(res))
				for j, r := range res {
					got[j] = r.Outcome
					if r.ID != st.arts[j].ID {
						t.Errorf("step %d: result %d is for %q, want %q", i, j, r.ID, st.arts[j].ID)
					}
				}
				if !slices.Equal(got, st.want) {
					t.Errorf("step %d: outcomes %v, want %v", i, got, st.want)
				}
				if got, want := s.Seq(), st.wantSeq; got != want {
					t.Errorf("step %d: Seq() = %d, want %d", i, got, want)
				}
			}
		})
	}
}

func TestPutGetRoundTrip(t *testing.T) {
	s := MustOpen(t)
	a := article("gscn-2020-09-28-qingshui", 7, 500)
	a.OriginalTitle = "原标题"
	MustPut(t, s, a)
	got, err := s.Get(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !sameArticle(got, a) {
		t.Errorf("Get = %+v\nwant %+v", got, a)
	}
	// What Get returns is Unchanged when put back.
	if res := MustPut(t, s, got); res[0].Outcome != store.Unchanged {
		t.Errorf("re-putting Get's result: %v, want unchanged", res[0].Outcome)
	}
}

func TestPutInvalid(t *testing.T) {
	tests := []struct {
		name string
		id   string
		ok   bool
	}{
		{"empty", "", false},
		{"513 bytes", strings.Repeat("x", store.MaxIDLen+1), false},
		{"512 bytes", strings.Repeat("x", store.MaxIDLen), true},
		{"Chinese", "新闻-1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustOpen(t)
			// A bad ID anywhere rejects the whole call.
			_, err := s.Put(context.Background(), []news.Article{article("ok", 1, 50), article(tt.id, 2, 50)})
			if tt.ok {
				if err != nil {
					t.Fatalf("Put: %v", err)
				}
				if got, want := count(t, s), 2; got != want {
					t.Errorf("Count() = %d, want %d", got, want)
				}
				return
			}
			if got, want := news.ErrorCode(err), news.EINVALID; got != want {
				t.Fatalf("Put error %v has code %q, want %q", err, got, want)
			}
			if got, want := count(t, s), 0; got != want {
				t.Errorf("Count() = %d after a rejected call, want %d", got, want)
			}
			if got := s.Seq(); got != 0 {
				t.Errorf("Seq() = %d after a rejected call, want 0", got)
			}
			if _, err := s.Get(context.Background(), tt.id); news.ErrorCode(err) != news.EINVALID {
				t.Errorf("Get(%.10q): %v, want code %q", tt.id, err, news.EINVALID)
			}
		})
	}
}

func TestPutCanceled(t *testing.T) {
	s := MustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, []news.Article{article("a", 1, 50)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a canceled context: %v, want context.Canceled", err)
	}
	if got := count(t, s); got != 0 {
		t.Errorf("Count() = %d, want 0", got)
	}
}

func TestChanges(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	MustPut(t, s, article("a", 1, 100), article("b", 2, 100), article("c", 3, 100)) // 1 2 3
	MustPut(t, s, article("a", 11, 100))                                            // 4: a updated
	if err := s.Delete(ctx, "b"); err != nil {                                      // 5: b deleted
		t.Fatal(err)
	}
	MustPut(t, s, article("d", 4, 100), article("c", 3, 100)) // 6: d added, c unchanged
	since := s.Seq()
	MustPut(t, s, article("b", 12, 100)) // 7: b back
	if err := s.Delete(ctx, "d"); err != nil {
		t.Fatal(err) // 8: d deleted
	}

	tests := []struct {
		since uint64
		want  []change
	}{
		{0, []change{{3, "c", false}, {4, "a", false}, {7, "b", false}, {8, "d", true}}},
		{since, []change{{7, "b", false}, {8, "d", true}}},
		{7, []change{{8, "d", true}}},
		{8, nil},
		{100, nil},
	}
	for _, tt := range tests {
		if got := changes(t, s, tt.since); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Changes(%d) = %v, want %v", tt.since, got, tt.want)
		}
	}
	if got, want := s.Seq(), uint64(8); got != want {
		t.Errorf("Seq() = %d, want %d", got, want)
	}

	// fn's error stops the walk and comes back unchanged.
	stop := errors.New("stop")
	n := 0
	err := s.Changes(ctx, 0, func(uint64, string, bool) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("Changes with a failing fn: err %v after %d calls, want %v after 1", err, n, stop)
	}
}

func TestChangesBatches(t *testing.T) {
	// More changes than one read transaction takes, and fn writes meanwhile.
	s := MustOpen(t)
	ctx := context.Background()
	const n = 5000
	arts := make([]news.Article, n)
	for i := range arts {
		arts[i] = news.Article{ID: fmt.Sprintf("%05d", i), Title: "t", Body: "短"}
	}
	MustPut(t, s, arts...)
	var seqs []uint64
	err := s.Changes(ctx, 0, func(seq uint64, id string, deleted bool) error {
		seqs = append(seqs, seq)
		if seq == n/2 {
			// Updating an ID already seen moves it to the end of the feed.
			a := arts[0]
			a.Title = "updated"
			_, err := s.Put(ctx, []news.Article{a})
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(seqs), n+1; got != want {
		t.Fatalf("Changes reported %d changes, want %d", got, want)
	}
	if !slices.IsSorted(seqs) || seqs[len(seqs)-1] != n+1 {
		t.Errorf("Changes out of order or missing the last change: ends %v", seqs[len(seqs)-3:])
	}
}

func TestDelete(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	MustPut(t, s, article("a", 1, 100), article("b", 2, 100))

	tests := []struct {
		id   string
		code string
	}{
		{"a", ""},
		{"a", news.ENOTFOUND},
		{"never", news.ENOTFOUND},
		{"", news.EINVALID},
	}
	for _, tt := range tests {
		if got := news.ErrorCode(s.Delete(ctx, tt.id)); got != tt.code {
			t.Errorf("Delete(%q) code %q, want %q", tt.id, got, tt.code)
		}
	}
	if _, err := s.Get(ctx, "a"); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("Get of a deleted article: %v, want code %q", err, news.ENOTFOUND)
	}
	if got, want := count(t, s), 1; got != want {
		t.Errorf("Count() = %d, want %d", got, want)
	}
	if got, want := s.Seq(), uint64(3); got != want {
		t.Errorf("Seq() = %d, want %d (failed deletes take no number)", got, want)
	}
	// Re-adding a deleted ID is Added and replaces its tombstone.
	if res := MustPut(t, s, article("a", 1, 100)); res[0].Outcome != store.Added {
		t.Errorf("re-adding a deleted ID: %v, want added", res[0].Outcome)
	}
	if got, want := changes(t, s, 0), []change{{2, "b", false}, {4, "a", false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Changes(0) = %v, want %v", got, want)
	}
}

func TestEach(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	// More than one read transaction's worth, inserted out of order.
	const n = 700
	var want []string
	arts := make([]news.Article, n)
	for i, p := range rand.New(rand.NewPCG(1, 2)).Perm(n) {
		arts[i] = article(fmt.Sprintf("id-%04d", p), uint64(p), 30)
		want = append(want, arts[i].ID)
	}
	MustPut(t, s, arts...)
	slices.Sort(want)

	t.Run("order and completeness", func(t *testing.T) {
		if got := ids(t, s); !slices.Equal(got, want) {
			t.Errorf("Each returned %d IDs, want %d in order", len(got), len(want))
		}
	})
	t.Run("contents", func(t *testing.T) {
		byID := make(map[string]news.Article, n)
		for _, a := range arts {
			byID[a.ID] = a
		}
		err := s.Each(ctx, func(a news.Article) error {
			if !sameArticle(a, byID[a.ID]) {
				return fmt.Errorf("article %q differs from what was put", a.ID)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})
	t.Run("fn error stops", func(t *testing.T) {
		stop := errors.New("stop")
		calls := 0
		err := s.Each(ctx, func(news.Article) error {
			if calls++; calls == 300 {
				return stop
			}
			return nil
		})
		if err != stop || calls != 300 {
			t.Errorf("Each: %v after %d calls, want %v after 300", err, calls, stop)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		calls := 0
		err := s.Each(ctx, func(news.Article) error {
			if calls++; calls == 10 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) || calls != 10 {
			t.Errorf("Each: %v after %d calls, want context.Canceled after 10", err, calls)
		}
	})
	t.Run("fn may write", func(t *testing.T) {
		// fn runs outside any transaction, so writing from it cannot deadlock.
		err := s.Each(ctx, func(a news.Article) error {
			if a.ID == want[0] {
				big := make([]news.Article, 200)
				for i := range big {
					big[i] = article(fmt.Sprintf("zz-%03d", i), uint64(i), 2000)
				}
				_, err := s.Put(ctx, big)
				return err
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})
}

func TestGetMany(t *testing.T) {
	s := MustOpen(t)
	MustPut(t, s, article("a", 1, 50), article("b", 2, 50), article("c", 3, 50))
	tests := []struct {
		ids  []string
		want []string
	}{
		{[]string{"a", "c"}, []string{"a", "c"}},
		{[]string{"c", "missing", "a", "a", ""}, []string{"a", "c"}},
		{[]string{"missing"}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		got, err := s.GetMany(context.Background(), tt.ids)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for id, a := range got {
			if a.ID != id {
				t.Errorf("GetMany(%q)[%q].ID = %q", tt.ids, id, a.ID)
			}
			keys = append(keys, id)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, tt.want) {
			t.Errorf("GetMany(%q) returned %q, want %q", tt.ids, keys, tt.want)
		}
	}
}

func TestNearDuplicate(t *testing.T) {
	orig := article("orig", 100, 1000)
	copyOf := func(id string, body string) news.Article {
		a := article(id, 200, 10) // other title, URL and time
		a.Body = body
		return a
	}
	// Replace the characters at the given rune positions.
	edit := func(body string, at ...int) string {
		rs := []rune(body)
		for _, i := range at {
			for rs[i] == '，' || rs[i] == '。' || rs[i] == '\n' {
				i++
			}
			rs[i] = '鑫'
		}
		return string(rs)
	}
	// Same words, other punctuation, spacing and digit widths.
	reformatted := strings.NewReplacer("，", ", ", "。\n", "\n\n　　", "。", "．").Replace(orig.Body) + "１２３"
	orig123 := orig
	orig123.Body += "123"
	short := article("short", 300, store.MinDuplicateRunes-1)
	yearLater := copyOf("year-later", orig.Body)
	yearLater.PublishedAt = orig.PublishedAt.AddDate(1, 0, 0)
	undated := copyOf("undated", orig.Body)
	undated.PublishedAt = time.Time{}

	type want struct {
		outcome store.Outcome
		dupOf   string
	}
	tests := []struct {
		name string
		arts []news.Article
		want []want
	}{
		{"verbatim copy on another portal",
			[]news.Article{orig, copyOf("copy", orig.Body)},
			[]want{{store.Added, ""}, {store.Duplicate, "orig"}}},
		{"two characters changed",
			[]news.Article{orig, copyOf("copy", edit(orig.Body, 300, 700))},
			[]want{{store.Added, ""}, {store.Duplicate, "orig"}}},
		{"punctuation, spacing and full-width digits differ",
			[]news.Article{orig123, copyOf("copy", reformatted)},
			[]want{{store.Added, ""}, {store.Duplicate, "orig"}}},
		{"unrelated story",
			[]news.Article{orig, article("other", 101, 1000)},
			[]want{{store.Added, ""}, {store.Added, ""}}},
		{"short bodies never",
			[]news.Article{short, copyOf("copy", short.Body)},
			[]want{{store.Added, ""}, {store.Added, ""}}},
		{"every copy names the earliest",
			[]news.Article{orig, copyOf("copy1", orig.Body), copyOf("copy2", orig.Body)},
			[]want{{store.Added, ""}, {store.Duplicate, "orig"}, {store.Duplicate, "orig"}}},
		{"a year apart is a new story",
			[]news.Article{orig, yearLater},
			[]want{{store.Added, ""}, {store.Added, ""}}},
		{"unknown date still matches",
			[]news.Article{orig, undated},
			[]want{{store.Added, ""}, {store.Duplicate, "orig"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, oneCall := range []bool{false, true} {
				st := MustOpen(t)
				var res []store.PutResult
				if oneCall {
					res = MustPut(t, st, tt.arts...)
				} else {
					for _, a := range tt.arts {
						res = append(res, MustPut(t, st, a)...)
					}
				}
				for i, r := range res {
					if got := (want{r.Outcome, r.DuplicateOf}); got != tt.want[i] {
						t.Errorf("one call %v: %s: got %v, want %v", oneCall, r.ID, got, tt.want[i])
					}
					a, err := st.Get(context.Background(), r.ID)
					if err != nil {
						t.Fatal(err)
					}
					if a.DuplicateOf != tt.want[i].dupOf {
						t.Errorf("one call %v: stored %s.DuplicateOf = %q, want %q", oneCall, r.ID, a.DuplicateOf, tt.want[i].dupOf)
					}
				}
			}
		})
	}
}

func TestNearDuplicateUpdate(t *testing.T) {
	s := MustOpen(t)
	ctx := context.Background()
	a, b := article("a", 1, 600), article("b", 2, 600)
	MustPut(t, s, a, b)

	// b rewritten as a copy of a becomes a near-copy of a; Outcome stays Updated.
	b.Body = a.Body
	res := MustPut(t, s, b)
	if got, want := res[0], (store.PutResult{ID: "b", Outcome: store.Updated, DuplicateOf: "a", Seq: 3}); got != want {
		t.Errorf("update into a copy: %+v, want %+v", got, want)
	}
	// An article never names a later one: a rewritten to b's old text is not a copy of b.
	a.Body = b.Body
	a.Title = "改"
	if res := MustPut(t, s, a); res[0].DuplicateOf != "" {
		t.Errorf("earlier article linked to a later one: %+v", res[0])
	}
	// Deleting the original leaves the copy pointing at it.
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	if got.DuplicateOf != "a" {
		t.Errorf("after deleting the original, b.DuplicateOf = %q, want %q", got.DuplicateOf, "a")
	}
	// b's text changed away from a's: no longer a copy, and its old bands are gone.
	b.Body = text(3, 600)
	if res := MustPut(t, s, b); res[0].DuplicateOf != "" {
		t.Errorf("rewritten copy still linked: %+v", res[0])
	}
	if res := MustPut(t, s, article("c", 2, 600)); res[0].Outcome != store.Added {
		t.Errorf("copy of b's old text: %+v, want added (b's old fingerprint must be gone)", res[0])
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "articles.db")
	ctx := context.Background()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	arts := []news.Article{article("a", 1, 400), article("b", 2, 400), article("c", 1, 400)}
	MustPut(t, s, arts...)
	if err := s.Delete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	wantSeq, wantChanges := s.Seq(), changes(t, s, 0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Get(ctx, "a"); err == nil {
		t.Error("Get on a closed store succeeded")
	}

	s = MustOpenPath(t, path)
	if got := s.Seq(); got != wantSeq {
		t.Errorf("Seq() after reopen = %d, want %d", got, wantSeq)
	}
	if got := changes(t, s, 0); !reflect.DeepEqual(got, wantChanges) {
		t.Errorf("Changes after reopen = %v, want %v", got, wantChanges)
	}
	if got, want := ids(t, s), []string{"a", "c"}; !slices.Equal(got, want) {
		t.Errorf("Each after reopen: %q, want %q", got, want)
	}
	got, err := s.Get(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if want := arts[2]; got.DuplicateOf != "a" || !sameArticle(got, func() news.Article { want.DuplicateOf = "a"; return want }()) {
		t.Errorf("Get(c) after reopen = %+v", got)
	}
	// The near-duplicate index survives too, and numbering goes on.
	res := MustPut(t, s, func() news.Article { a := arts[0]; a.ID = "d"; return a }())
	if want := (store.PutResult{ID: "d", Outcome: store.Duplicate, DuplicateOf: "a", Seq: wantSeq + 1}); res[0] != want {
		t.Errorf("Put after reopen: %+v, want %+v", res[0], want)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	held := filepath.Join(dir, "held.db")
	MustOpenPath(t, held)

	notStore := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(notStore, []byte(strings.Repeat("这不是数据库", 2000)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		code string
	}{
		// flock conflicts between two opens even within one process.
		{"held by another handle", held, news.ECONFLICT},
		{"not a store", notStore, news.EINTERNAL},
		{"missing directory", filepath.Join(dir, "no", "such", "dir.db"), news.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			s, err := store.Open(tt.path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if got := news.ErrorCode(err); got != tt.code {
				t.Errorf("Open: %v: code %q, want %q", err, got, tt.code)
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("Open error %q does not name the path", err)
			}
			if d := time.Since(start); d > store.LockTimeout+2*time.Second {
				t.Errorf("Open took %v", d)
			}
		})
	}
}
