package related

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
	"github.com/xinwen/xinwen/internal/textnorm"
)

// Limits of related articles.
const (
	Default = 5
	Max     = 20
)

// How an article's words are chosen to look for its neighbours.
const (
	keywords = 12 // at most this many
	// Words in more than one in commonShare of the bodies (once the backend
	// has CommonMinDocs articles) are dropped: boilerplate such as a
	// channel's dateline, and words too common to say what a story is about.
	commonShare = 5
	// CommonMinDocs is how many articles a backend must hold before Words
	// drops common words: a WordStats may skip counting below it.
	CommonMinDocs = 50
)

// Count returns the number of related articles to find for the parameter n
// of a backend's Related: Default for 0, n itself from 1 to Max, and an
// EINVALID error otherwise.
func Count(n int) (int, error) {
	switch {
	case n == 0:
		return Default, nil
	case n < 0 || n > Max:
		return 0, news.Errorf(news.EINVALID, "n must be between 1 and %d, not %d", Max, n)
	}
	return n, nil
}

// Group names the group of near-duplicates a belongs to: the ID of its
// original (DuplicateOf), or its own if it is none's copy.
func Group(a news.Article) string {
	if a.DuplicateOf != "" {
		return a.DuplicateOf
	}
	return a.ID
}

// Candidates is how many of the best matches to ask for to find n related
// articles: room for the near-duplicates OnePerGroup drops.
func Candidates(n int) int { return 3 * n }

// OnePerGroup chooses what Related shows from candidates ranked best first,
// the i-th being the article ids[i], a near-duplicate of dupOf[i] ("" if it
// copies none): up to n of them, one per group of near-duplicates (a group
// is named by its original), and none of the group own (that of the article
// whose neighbours these are). A group is shown where its best ranked
// candidate ranks, by its original if that is among the candidates too, by
// that candidate otherwise. It returns the chosen candidates' indexes, in
// the order they are shown.
func OnePerGroup(ids, dupOf []string, own string, n int) []int {
	out := make([]int, 0, min(n, len(ids)))
	at := map[string]int{own: -1} // group -> index in out; -1: a's own
	for i, id := range ids {
		g := id
		if dupOf[i] != "" {
			g = dupOf[i]
		}
		if k, ok := at[g]; ok {
			if k >= 0 && id == g {
				out[k] = i
			}
			continue
		}
		if len(out) < n {
			at[g] = len(out)
			out = append(out, i)
		}
	}
	return out
}

// WordStats tells Words how common words are in a backend: docs, the number
// of articles it holds, and counts, how many of them contain each of words
// in their bodies (as nearly as the backend can tell), in the order of
// words. nil counts take no word for common: a backend may return nil when
// it holds fewer than CommonMinDocs articles.
type WordStats func(ctx context.Context, words []string) (docs int, counts []int, err error)

// Words returns what a backend's Related looks for: up to a dozen of a's
// most distinctive words by jieba's TF-IDF as seg cuts them
// (segment.Keyword: each with its weight, divided by the heaviest's, so the
// first weighs 1), heaviest first, leaving out numbers (dates and counts,
// not topics) and, once stats reports CommonMinDocs articles or more, the
// words that more than one in five of them contain (boilerplate such as a
// channel's dateline, and words too common to say what a story is about).
// stats is called once, and only if there are words to check; its errors
// are returned as they are. A nil seg is an error.
func Words(ctx context.Context, seg *segment.Segmenter, a news.Article, stats WordStats) ([]segment.Keyword, error) {
	if seg == nil {
		return nil, fmt.Errorf("related words: no segmenter")
	}
	k := keywords
	kws := slices.DeleteFunc(seg.Keywords(textnorm.String(a.Title+"\n"+a.Body), 2*k), func(kw segment.Keyword) bool {
		return kw.Weight <= 0 || strings.Trim(kw.Word, "0123456789 ") == ""
	})
	slices.SortStableFunc(kws, func(a, b segment.Keyword) int { return cmp.Compare(b.Weight, a.Weight) })
	if len(kws) == 0 {
		return kws, nil
	}
	words := make([]string, len(kws))
	for i, kw := range kws {
		words[i] = kw.Word
	}
	n, counts, err := stats(ctx, words)
	if err != nil {
		return nil, err
	}
	if n >= CommonMinDocs && counts != nil {
		if len(counts) != len(kws) {
			return nil, fmt.Errorf("word statistics: %d counts for %d words", len(counts), len(kws))
		}
		kept := kws[:0]
		for i, kw := range kws {
			if counts[i]*commonShare <= n {
				kept = append(kept, kw)
			}
		}
		kws = kept
	}
	kws = kws[:min(k, len(kws))]
	if len(kws) > 0 {
		top := kws[0].Weight
		for i := range kws {
			kws[i].Weight /= top
		}
	}
	return kws, nil
}
