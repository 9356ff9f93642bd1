package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Limits of suggestions.
const (
	DefaultSuggestions = 10
	MaxSuggestions     = 20
	MaxPrefixRunes     = 32 // longer prefixes are rejected
	// SuggestRefresh is the default least time between two rebuilds of a
	// Suggester's lists while the index keeps changing.
	SuggestRefresh = 30 * time.Second
)

// What a Suggester's snapshot keeps.
const (
	suggestTitles      = 100_000 // the newest titles, for completion to a whole title
	suggestTerms       = 200_000 // the heaviest words
	suggestMinBodyDocs = 2       // a word only in bodies must be in this many
	suggestTitleWeight = 3       // a title counts as much as three bodies, as titleBoost ranks
)

// Suggester completes partly typed queries from a snapshot of the index in
// memory: the words of titles and bodies (jieba's, as indexed) with how many
// articles contain them, and the newest titles, each sorted. A lookup is two
// binary searches and a scan of the matching ranges: 1 to 20 microseconds
// on 24,000 articles, where reading the term dictionaries of the live index
// would take about a millisecond a keystroke.
//
// The snapshot comes from a SuggestSource: the index itself (NewSuggester),
// or the newest articles of the article store (NewArticleSource) for a
// search cluster, whose engine cannot list its words.
//
// The first Suggest (or Refresh) builds the snapshot; about half a second for
// 24,000 articles. After that, a Suggest that finds the source changed since
// the snapshot, and the snapshot older than the refresh interval, starts a
// rebuild in the background and answers from the old snapshot meanwhile, so
// new articles appear in suggestions within about one interval.
//
// A Suggester is safe for concurrent use.
type Suggester struct {
	src     SuggestSource
	every   time.Duration
	snap    atomic.Pointer[suggestSnapshot]
	mu      sync.Mutex   // one build at a time
	busy    atomic.Bool  // a background rebuild is running
	lastTry atomic.Int64 // when the last build started, Unix nanoseconds
}

// NewSuggester returns a Suggester for ix that rebuilds its snapshot at most
// once per every (SuggestRefresh if every is 0) while ix changes.
func NewSuggester(ix *Index, every time.Duration) *Suggester {
	return NewSuggesterFrom(indexSource{ix}, every)
}

// NewSuggesterFrom returns a Suggester that builds its snapshot from src and
// rebuilds it at most once per every (SuggestRefresh if every is 0) while
// src changes.
func NewSuggesterFrom(src SuggestSource, every time.Duration) *Suggester {
	if every <= 0 {
		every = SuggestRefresh
	}
	return &Suggester{src: src, every: every}
}

// SuggestSource is what a Suggester builds its snapshot from: the words of
// titles and bodies, each with the number of articles that contain it, and
// the newest titles. Words are those of the words analyzer (jieba's search
// mode, Latin words and numbers whole, normalized by textnorm).
type SuggestSource interface {
	// SuggestVersion returns the state of the source: a Suggester rebuilds
	// its snapshot only when it differs from the one of the last build.
	SuggestVersion() SuggestVersion
	// SuggestWords calls title with every word of the titles and the
	// number of articles whose titles contain it, then body likewise with
	// the words of the bodies.
	SuggestWords(ctx context.Context, title, body func(word string, docs int)) error
	// NewestTitles returns the titles of the newest n articles (or of all,
	// if there are fewer), newest first.
	NewestTitles(ctx context.Context, n int) ([]string, error)
}

// SuggestVersion identifies a state of a SuggestSource: a change counter
// and the number of articles. Whatever changes the words or titles must
// change it.
type SuggestVersion struct{ Changes, Docs uint64 }

// indexSource is the SuggestSource of an Index: the term dictionaries of
// the title and body words fields, and the newest titles by publication
// time.
type indexSource struct{ ix *Index }

func (s indexSource) SuggestVersion() SuggestVersion { return s.ix.version() }

func (s indexSource) SuggestWords(_ context.Context, title, body func(string, int)) error {
	if err := s.ix.dictCounts(fTitle, title); err != nil {
		return err
	}
	return s.ix.dictCounts(fBody, body)
}

func (s indexSource) NewestTitles(ctx context.Context, n int) ([]string, error) {
	return s.ix.newestTitles(ctx, n)
}

// Suggest returns up to n completions of prefix (DefaultSuggestions if n is
// 0), best first. Words come first: those that start with the last word of
// prefix, the earlier words kept, ranked by how many articles contain them
// (a title counts three times, as in ranking). Then whole titles that start
// with prefix, the most repeated and then the newest first; they get at least
// half the places if there are that many. Single characters, stop words, bare
// numbers and prefix itself are never suggested. Traditional characters fold
// to simplified, Latin letters to lower case, punctuation to a space. An
// empty prefix has no suggestions. A prefix longer than MaxPrefixRunes, or n
// outside 0 to MaxSuggestions, is an EINVALID error.
func (s *Suggester) Suggest(ctx context.Context, prefix string, n int) ([]string, error) {
	switch {
	case n == 0:
		n = DefaultSuggestions
	case n < 0 || n > MaxSuggestions:
		return nil, news.Errorf(news.EINVALID, "n must be between 1 and %d, not %d", MaxSuggestions, n)
	}
	if k := utf8.RuneCountInString(strings.TrimSpace(prefix)); k > MaxPrefixRunes {
		return nil, news.Errorf(news.EINVALID, "the text to complete is %d characters long; the limit is %d", k, MaxPrefixRunes)
	}
	norm := textnorm.String(prefix)
	if norm == "" {
		return []string{}, nil
	}
	snap, err := s.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.suggest(norm, n), nil
}

// Refresh rebuilds the snapshot now, waiting for a build in progress first.
// Suggest calls it when needed; call it to have suggestions ready before the
// first request.
func (s *Suggester) Refresh(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rebuild(ctx)
}

// snapshot returns the current snapshot, building the first one, and starts
// a background rebuild if the index has changed and the interval is over.
func (s *Suggester) snapshot(ctx context.Context) (*suggestSnapshot, error) {
	if snap := s.snap.Load(); snap != nil {
		if time.Now().UnixNano()-s.lastTry.Load() >= int64(s.every) &&
			s.src.SuggestVersion() != snap.version && s.busy.CompareAndSwap(false, true) {
			go func() {
				defer s.busy.Store(false)
				// A failure keeps the old snapshot; the next try is an
				// interval later.
				_ = s.Refresh(context.Background())
			}()
		}
		return snap, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if snap := s.snap.Load(); snap != nil {
		return snap, nil
	}
	if err := s.rebuild(ctx); err != nil {
		return nil, err
	}
	return s.snap.Load(), nil
}

// rebuild builds and installs a snapshot; s.mu must be held.
func (s *Suggester) rebuild(ctx context.Context) error {
	s.lastTry.Store(time.Now().UnixNano())
	snap, err := buildSuggestSnapshot(ctx, s.src)
	if err != nil {
		if ctx.Err() != nil {
			return news.Errorf(news.EUNAVAILABLE, "suggestions are not ready yet; try again")
		}
		return fmt.Errorf("build suggestions: %w", err)
	}
	s.snap.Store(snap)
	return nil
}

// version returns the number of batches the index has applied since it was
// opened (every Put and Delete is a batch) and its document count.
func (ix *Index) version() SuggestVersion {
	var v SuggestVersion
	v.Docs, _ = ix.docCount()
	for _, b := range ix.shards {
		if adv, err := b.Advanced(); err == nil {
			if sc, ok := adv.(*scorch.Scorch); ok {
				if st, ok := sc.Stats().(*scorch.Stats); ok {
					v.Changes += atomic.LoadUint64(&st.TotBatches)
				}
			}
		}
	}
	return v
}

// suggestTerm is a word and how much it weighs: three for each title and one
// for each body that contains it.
type suggestTerm struct {
	term   string
	weight int
}

// suggestTitle is a distinct title: its normalized form, the newest of its
// original spellings, how many articles have it and the age rank of the
// newest (0 is the newest title of the index).
type suggestTitle struct {
	key, title string
	count, age int
}

type suggestSnapshot struct {
	version SuggestVersion
	terms   []suggestTerm  // by term
	titles  []suggestTitle // by key
}

// buildSuggestSnapshot reads the vocabulary and the newest titles of src.
// The version is read first, so that a change during the build is seen
// later.
func buildSuggestSnapshot(ctx context.Context, src SuggestSource) (*suggestSnapshot, error) {
	snap := &suggestSnapshot{version: src.SuggestVersion()}
	counts := map[string]int{}
	err := src.SuggestWords(ctx, func(term string, n int) { counts[term] += suggestTitleWeight * n }, func(term string, n int) {
		if n >= suggestMinBodyDocs || counts[term] > 0 {
			counts[term] += n
		}
	})
	if err != nil {
		return nil, err
	}
	seg := analysis.Segmenter()
	for t, w := range counts {
		// Single characters complete nothing, and stop words and bare
		// numbers (dates, counts) are not what anyone searches for.
		if utf8.RuneCountInString(t) < 2 || seg != nil && seg.IsStop(t) || strings.Trim(t, "0123456789") == "" {
			continue
		}
		snap.terms = append(snap.terms, suggestTerm{t, w})
	}
	if len(snap.terms) > suggestTerms {
		slices.SortFunc(snap.terms, func(a, b suggestTerm) int { return b.weight - a.weight })
		snap.terms = snap.terms[:suggestTerms]
	}
	slices.SortFunc(snap.terms, func(a, b suggestTerm) int { return strings.Compare(a.term, b.term) })

	titles, err := src.NewestTitles(ctx, suggestTitles)
	if err != nil {
		return nil, err
	}
	byKey := map[string]int{}
	for age, title := range titles {
		key := textnorm.String(title)
		if key == "" {
			continue
		}
		if i, ok := byKey[key]; ok {
			snap.titles[i].count++
			continue
		}
		byKey[key] = len(snap.titles)
		snap.titles = append(snap.titles, suggestTitle{key: key, title: strings.TrimSpace(textnorm.Clean(title)), count: 1, age: age})
	}
	slices.SortFunc(snap.titles, func(a, b suggestTitle) int { return strings.Compare(a.key, b.key) })
	return snap, nil
}

// dictCounts calls fn with every term of field and the number of articles
// that contain it, over every shard. It reads each segment's dictionary and
// looks every term's postings up afresh: the counts of zap's dictionary
// iterator (and so of Bleve's FieldDict) go wrong after the first term that
// a single article has, because it reuses one postings list without
// clearing its one-hit marker (zapx v16 and v17), and every later term
// then counts 1. That happens as soon as segments merge, and made the
// suggestions of a merged index alphabetical instead of most used first.
func (ix *Index) dictCounts(field string, fn func(term string, n int)) error {
	counts := map[string]int{}
	err := ix.eachReader(func(r bindex.IndexReader) error {
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			return fmt.Errorf("dictionary of %s: not a scorch index", field)
		}
		return segmentCounts(snap, field, counts)
	})
	if err != nil {
		return err
	}
	for t, n := range counts {
		fn(t, n)
	}
	return nil
}

// omitCounter is a zap dictionary that lists its terms without reading their
// postings.
type omitCounter interface {
	AutomatonIteratorOmitCount(a segment.Automaton, startKeyInclusive, endKeyExclusive []byte) segment.DictionaryIterator
}

// segmentCounts adds to counts the live articles of each term of field in
// every segment of snap.
func segmentCounts(snap *scorch.IndexSnapshot, field string, counts map[string]int) error {
	for _, ss := range snap.Segments() {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return err
		}
		it := dict.AutomatonIterator(nil, nil, nil)
		if oc, ok := dict.(omitCounter); ok {
			it = oc.AutomatonIteratorOmitCount(nil, nil, nil) // the counts it would read are not used
		}
		for {
			e, err := it.Next()
			if err != nil {
				return err
			}
			if e == nil {
				break
			}
			pl, err := dict.PostingsList([]byte(e.Term), ss.Deleted(), nil) // nil: a fresh list, see dictCounts
			if err != nil {
				return err
			}
			if n := pl.Count(); n > 0 {
				counts[e.Term] += int(n)
			}
		}
	}
	return nil
}

// newestTitles returns the titles of the newest n articles, newest first.
func (ix *Index) newestTitles(ctx context.Context, n int) ([]string, error) {
	count, err := ix.docCount()
	if err != nil {
		return nil, err
	}
	size := min(int(count), n)
	if size == 0 {
		return nil, nil
	}
	sr := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), size, 0, false)
	sr.Fields = []string{fTitle}
	sr.SortBy(ix.byDate)
	res, err := ix.searchBleve(ctx, sr)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		if t, ok := h.Fields[fTitle].(string); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// suggest completes the normalized prefix norm (see Suggester.Suggest).
func (snap *suggestSnapshot) suggest(norm string, n int) []string {
	head, last := "", norm
	if i := strings.LastIndexByte(norm, ' '); i >= 0 {
		head, last = norm[:i+1], norm[i+1:]
	}
	lo, _ := slices.BinarySearchFunc(snap.terms, last, func(t suggestTerm, p string) int { return strings.Compare(t.term, p) })
	hi := lo
	for hi < len(snap.terms) && strings.HasPrefix(snap.terms[hi].term, last) {
		hi++
	}
	// One more than needed of each, for the one that may equal norm: no
	// use suggesting what has been typed already.
	terms := topK(snap.terms[lo:hi], n+1, func(a, b suggestTerm) bool {
		if a.weight != b.weight {
			return a.weight > b.weight
		}
		if la, lb := len(a.term), len(b.term); la != lb {
			return la < lb
		}
		return a.term < b.term
	})

	lo, _ = slices.BinarySearchFunc(snap.titles, norm, func(t suggestTitle, p string) int { return strings.Compare(t.key, p) })
	hi = lo
	for hi < len(snap.titles) && strings.HasPrefix(snap.titles[hi].key, norm) {
		hi++
	}
	titles := topK(snap.titles[lo:hi], n+1, func(a, b suggestTitle) bool {
		if a.count != b.count {
			return a.count > b.count
		}
		return a.age < b.age
	})
	terms = slices.DeleteFunc(terms, func(t suggestTerm) bool { return head+t.term == norm })
	titles = slices.DeleteFunc(titles, func(t suggestTitle) bool { return t.key == norm })

	// Words first; titles get at least half the places if they can fill
	// them, and whatever the words leave.
	nTerms := min(len(terms), n-min(len(titles), n/2))
	out := make([]string, 0, n)
	seen := map[string]bool{norm: true}
	for _, t := range terms[:nTerms] {
		s := head + t.term
		seen[s] = true
		out = append(out, s)
	}
	for _, t := range titles {
		if len(out) == n {
			break
		}
		if !seen[t.key] {
			seen[t.key] = true
			out = append(out, t.title)
		}
	}
	for _, t := range terms[nTerms:] {
		if len(out) == n {
			break
		}
		if s := head + t.term; !seen[s] {
			out = append(out, s)
		}
	}
	return out
}

// topK returns the k best items by better, best first, without sorting all
// of them.
func topK[T any](items []T, k int, better func(a, b T) bool) []T {
	out := make([]T, 0, min(k, len(items)))
	for _, it := range items {
		if len(out) == k && !better(it, out[k-1]) {
			continue
		}
		i := len(out)
		if i == k {
			i--
		} else {
			out = append(out, it)
		}
		for i > 0 && better(it, out[i-1]) {
			out[i] = out[i-1]
			i--
		}
		out[i] = it
	}
	return out
}
