package suggest

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// Articles is how many of the newest articles an ArticleSource reads
// unless told otherwise: enough for the words and titles people look for
// now, few enough that the first build takes seconds whatever the size of
// the store.
const Articles = 20_000

// ArticleFeed is an article store as an ArticleSource reads it: its change
// feed, newest last, and the articles themselves. internal/store's Store is
// one.
type ArticleFeed interface {
	news.Texts
	// Seq returns the sequence number of the latest change; every change
	// of an article gives it a greater one.
	Seq() uint64
	// Changes calls fn for each change with a sequence number greater than
	// since, in increasing order: the latest change of each article, and
	// deleted for a deletion. It stops at the first error fn returns and
	// returns it unchanged.
	Changes(ctx context.Context, since uint64, fn func(seq uint64, id string, deleted bool) error) error
}

// ArticleSource is a SuggestSource over the newest articles of an article
// store, for a backend whose engine cannot list its words (a search
// cluster): the last n articles stored or changed, their titles and bodies
// cut into words (tokens.Words) as the embedded index cuts them and counted
// the same way. Its titles are those articles', newest published
// first (undated last), so at most n of them.
//
// It keeps the words of the articles it has read, so a rebuild reads and
// cuts only the articles stored or changed since the last one (cutting is
// most of the cost: a few seconds for 10,000 articles); that takes about a
// kilobyte an article. After a change of the user dictionary, the next
// rebuild cuts everything again.
//
// An ArticleSource is safe for concurrent use.
type ArticleSource struct {
	feed ArticleFeed
	n    int
	seg  *segment.Current

	mu    sync.Mutex
	dict  string                    // the segmenter version the words were cut with
	cache map[string]*sourceArticle // by ID: the window, and what a cancelled refresh read
	win   []*sourceArticle          // the newest n articles, newest change first
	seq   uint64                    // the feed's Seq when win was read
	read  bool                      // win has been read
	vocab map[string]uint32         // word -> number
	words []string                  // number -> word
}

// sourceArticle is what an ArticleSource keeps of an article: its title and
// the numbers of the distinct words of its title and body.
type sourceArticle struct {
	id         string
	seq        uint64
	title      string
	pub        time.Time
	titleWords []uint32
	bodyWords  []uint32
}

// NewArticleSource returns a Source over the newest n articles of feed
// (Articles if n is 0 or less), cut by the segmenter seg holds. It reads
// nothing until asked.
func NewArticleSource(feed ArticleFeed, n int, seg *segment.Current) *ArticleSource {
	if n <= 0 {
		n = Articles
	}
	return &ArticleSource{feed: feed, n: n, seg: seg, cache: map[string]*sourceArticle{}, vocab: map[string]uint32{}}
}

// SuggestVersion returns the feed's sequence number: it changes with every
// article stored, changed or deleted.
func (s *ArticleSource) SuggestVersion() Version {
	return Version{Changes: s.feed.Seq()}
}

// SuggestWords reads the newest articles if the feed has changed, and
// calls title and body with their words and how many of their titles and
// bodies contain each. Errors of the feed, and ctx's, are returned as they
// are; without a segmenter it returns errNoSegmenter.
func (s *ArticleSource) SuggestWords(ctx context.Context, title, body func(word string, docs int)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(ctx); err != nil {
		return err
	}
	for _, f := range []struct {
		of func(a *sourceArticle) []uint32
		fn func(string, int)
	}{
		{func(a *sourceArticle) []uint32 { return a.titleWords }, title},
		{func(a *sourceArticle) []uint32 { return a.bodyWords }, body},
	} {
		counts := make([]int32, len(s.words))
		for _, a := range s.win {
			for _, w := range f.of(a) {
				counts[w]++
			}
		}
		for w, n := range counts {
			if n > 0 {
				f.fn(s.words[w], int(n))
			}
		}
	}
	return nil
}

// NewestTitles reads the newest articles if the feed has changed, and
// returns up to n of their titles, newest published first (undated last,
// then by ID).
func (s *ArticleSource) NewestTitles(ctx context.Context, n int) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	arts := slices.Clone(s.win)
	slices.SortFunc(arts, func(a, b *sourceArticle) int {
		if az, bz := a.pub.IsZero(), b.pub.IsZero(); az != bz {
			if az {
				return 1
			}
			return -1
		}
		if c := b.pub.Compare(a.pub); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]string, 0, min(n, len(arts)))
	for _, a := range arts[:min(n, len(arts))] {
		out = append(out, a.title)
	}
	return out, nil
}

// getBatch is how many articles refresh reads at a time.
const getBatch = 256

// refresh makes win the newest n articles of the feed, reading and cutting
// those it has not cut at their current sequence number. s.mu must be
// held. What it cut before ctx ended is kept for the next try.
func (s *ArticleSource) refresh(ctx context.Context) error {
	seg := s.seg.Load()
	if seg == nil {
		return errNoSegmenter
	}
	if v := seg.Version(); v != s.dict {
		// Words of another dictionary: cut everything again.
		s.dict, s.read = v, false
		clear(s.cache)
		clear(s.vocab)
		s.words = s.words[:0]
	}
	top := s.feed.Seq()
	if s.read && top == s.seq {
		return nil
	}
	newest, err := s.newest(ctx, top)
	if err != nil {
		return err
	}
	var need []string
	for _, c := range newest {
		if a := s.cache[c.id]; a == nil || a.seq != c.seq {
			need = append(need, c.id)
		}
	}
	seqOf := make(map[string]uint64, len(newest))
	for _, c := range newest {
		seqOf[c.id] = c.seq
	}
	for len(need) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := need[:min(getBatch, len(need))]
		need = need[len(batch):]
		arts, err := s.feed.GetMany(ctx, batch)
		if err != nil {
			return err
		}
		for _, id := range batch {
			if a, ok := arts[id]; ok { // gone since: left out
				s.cache[id] = s.cut(seg, &a, seqOf[id])
			}
		}
	}
	win := make([]*sourceArticle, 0, len(newest))
	for _, c := range newest {
		if a := s.cache[c.id]; a != nil {
			win = append(win, a)
		}
	}
	clear(s.cache)
	for _, a := range win {
		s.cache[a.id] = a
	}
	s.win, s.seq, s.read = win, top, true
	s.compact()
	return nil
}

// change is an article's latest change.
type change struct {
	seq uint64
	id  string
}

var errNoSegmenter = errors.New("suggestions from articles: no segmenter")

// errSeen stops a walk of the change feed at the end of its range.
var errSeen = errors.New("range read")

// newest returns the latest changes of the newest n articles (deletions left
// out) with sequence numbers up to top, newest first. It reads the feed
// backwards in ranges that double in size, so that it reads about as many
// changes as it returns whatever the size of the store.
func (s *ArticleSource) newest(ctx context.Context, top uint64) ([]change, error) {
	var out []change
	seen := map[string]bool{}
	hi, size := top, uint64(s.n)
	for hi > 0 && len(out) < s.n {
		lo := hi - min(hi, size)
		var part []change
		err := s.feed.Changes(ctx, lo, func(seq uint64, id string, deleted bool) error {
			if seq > hi {
				return errSeen
			}
			if !deleted {
				part = append(part, change{seq, id})
			}
			return nil
		})
		if err != nil && !errors.Is(err, errSeen) {
			return nil, err
		}
		for i := len(part) - 1; i >= 0 && len(out) < s.n; i-- {
			if c := part[i]; !seen[c.id] {
				seen[c.id] = true
				out = append(out, c)
			}
		}
		hi, size = lo, 2*size
	}
	return out, nil
}

// cut returns what s keeps of a, changed at seq: its title and the numbers
// of the distinct words of its title and body, as seg cuts them.
func (s *ArticleSource) cut(seg *segment.Segmenter, a *news.Article, seq uint64) *sourceArticle {
	return &sourceArticle{
		id: a.ID, seq: seq, title: a.Title, pub: a.PublishedAt,
		titleWords: s.wordNumbers(seg, a.Title),
		bodyWords:  s.wordNumbers(seg, a.Body),
	}
}

// wordNumbers returns the numbers of the distinct words of text, numbering
// the new ones.
func (s *ArticleSource) wordNumbers(seg *segment.Segmenter, text string) []uint32 {
	toks := tokens.Words(seg, textnorm.New(text))
	out := make([]uint32, 0, len(toks))
	for _, t := range toks {
		w, ok := s.vocab[string(t.Term)]
		if !ok {
			w = uint32(len(s.words))
			term := string(t.Term)
			s.vocab[term] = w
			s.words = append(s.words, term)
		}
		out = append(out, w)
	}
	slices.Sort(out)
	return slices.Clip(slices.Compact(out))
}

// compact renumbers the words once more than half of those numbered are no
// longer in any article kept, so that the vocabulary does not grow with
// every article ever read.
func (s *ArticleSource) compact() {
	used := make([]bool, len(s.words))
	live := 0
	for _, a := range s.cache {
		for _, ws := range [][]uint32{a.titleWords, a.bodyWords} {
			for _, w := range ws {
				if !used[w] {
					used[w] = true
					live++
				}
			}
		}
	}
	if len(s.words) <= 2*live+1024 {
		return
	}
	renum := make([]uint32, len(s.words))
	var kept []string
	clear(s.vocab)
	for w, ok := range used {
		if ok {
			renum[w] = uint32(len(kept))
			s.vocab[s.words[w]] = renum[w]
			kept = append(kept, s.words[w])
		}
	}
	s.words = kept
	for _, a := range s.cache {
		for _, ws := range [][]uint32{a.titleWords, a.bodyWords} {
			for i, w := range ws {
				ws[i] = renum[w]
			}
		}
	}
}
