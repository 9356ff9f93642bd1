package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

// BatchSize is how many documents go into one Bleve batch: a few hundred keeps
// indexing fast without holding a large batch in memory.
const BatchSize = 500

// Options configure an Index. Segmenter is required; the rest of the zero
// value works: no snippets from bodies, time.Now for relative date facets.
type Options struct {
	// Segmenter cuts queries, ranks and, through the registered
	// tokenizers, indexes (see analysis.Use): the process's one
	// segment.Current, whose segmenter a dictionary change swaps.
	Segmenter *segment.Current
	// Texts gives the full text of articles, which the index does not
	// store, for snippets (the article store).
	Texts news.Texts
	Now   func() time.Time
	// Analysis is used when a new index is created (default AnalysisXinwen);
	// an existing index keeps the analysis it was built with.
	Analysis Analysis
	// MaxWindow is the deepest result reachable by page number (0:
	// query.MaxWindow). Deeper pages are EINVALID errors naming it; the
	// cursor pages on. Each search keeps up to this many hits in memory.
	MaxWindow int
	// MaxFacetSize caps how many values each facet lists (0: only the
	// built-in limits of news.NewFacets).
	MaxFacetSize int
	// Shards splits a new index into this many Bleve indexes, searched in
	// parallel (see shardsFile): on a machine with as many cores, a search
	// of a large index takes about 1/Shards of the time when the machine is
	// otherwise idle; under full load it gains nothing. 0 or 1: one index.
	// An existing index keeps the layout it was created with.
	Shards int
	// Ranking switches parts of the ranking off, to measure what each is
	// worth (xinwen eval's systems).
	Ranking Ranking
}

// Ranking switches parts of the ranking and matching off; the zero value is
// Xinwen's ranking (see BENCHMARKS.md for what each part is worth).
type Ranking struct {
	// Strict turns off the relaxed second search: by default a query that
	// matches nothing is run again requiring a third of its words, and
	// the result says so (Relaxed).
	Strict bool
	// AllWords ranks by every jieba word of a query, as Xinwen did
	// before. By default stop words and single characters (了, 什么, 年, 月
	// of a question) are left out of the ranking, though not of matching,
	// unless nothing else is left: on the CCTV questions MRR@10 0.675 →
	// 0.724; on the known-item set 0.9439 → 0.9434, two of 1,000 headlines
	// ranking their story second instead of first.
	AllWords bool
	// NoProximity turns off the proximity factor: by default a match's
	// score is multiplied by up to 5 as the query's literals stand closer
	// together, in the order typed, in its title or body (known-item
	// MRR@10 0.9419 → 0.9434, questions 0.707 → 0.724).
	NoProximity bool
	// Subwords ranks by the words inside longer query words too (国务 and
	// 务院 of 国务院: jieba's search mode cuts both), as Xinwen did before.
	// By default they are left out: the longer word already ranks the
	// articles that contain them, and each word read costs a walk of its
	// postings. Known-item MRR@10 0.9434 → 0.9445, questions 0.7241 →
	// 0.7251; two words at 1M articles about 17% faster.
	Subwords bool
	// AnyBigram answers, on an index of the cjk analysis only, with plain
	// BM25 over character bigrams where any bigram of the query matches
	// (OR), title and body alike: the classic baseline of Chinese
	// retrieval, which xinwen eval reports as bm25-bigrams. Without it a
	// cjk index requires every bigram of each word (AND), as Xinwen
	// requires every word.
	AnyBigram bool
}

// Index is a Bleve index of articles, a news.Backend. It is safe for
// concurrent use.
type Index struct {
	bleve    bleve.Index   // for searches and counts: the one Bleve index, or an alias over the shards
	shards   []bleve.Index // for writes: the Bleve indexes, one unless sharded (see shardsFile)
	path     string
	opts     Options
	analysis Analysis
	gen      atomic.Uint64 // batches applied since open
	byDate   []string      // the sort keys of newest first: unique (see pubKey), or with _id on an older index
	byScore  []string      // the sort keys of best first: the score, then byDate
	// twoPhaseMin: a search with fewer candidates runs in one phase (see
	// twoPhaseMin the constant; tests change it).
	twoPhaseMin int
}

var _ news.Backend = (*Index)(nil)

const analysisKey = "xinwen_analysis"

// pubKeyKey marks an index whose date-sort keys are unique (see pubKey):
// indexes built before have keys without the ID, and keep _id as the last
// sort key until rebuilt.
const pubKeyKey = "xinwen_pubkey_unique"

// Open opens the index at path, creating it if it does not exist, and
// makes the registered tokenizers use opts.Segmenter (see analysis.Use).
// Options without a Segmenter holding one are an error.
func Open(path string, opts Options) (*Index, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Segmenter.Load() == nil {
		return nil, fmt.Errorf("open index %s: no segmenter (Options.Segmenter)", path)
	}
	analysis.Use(opts.Segmenter)
	var (
		shards []bleve.Index
		err    error
	)
	if opts.Shards < 0 || opts.Shards > MaxShards {
		return nil, news.Errorf(news.EINVALID, "%d shards: from 1 to %d", opts.Shards, MaxShards)
	}
	if _, statErr := os.Stat(path); errors.Is(statErr, os.ErrNotExist) {
		if opts.Analysis == "" {
			opts.Analysis = AnalysisXinwen
		}
		shards, err = createBleve(path, opts.Analysis, opts.Shards)
		for _, b := range shards {
			if err == nil {
				err = b.SetInternal([]byte(analysisKey), []byte(opts.Analysis))
			}
			if err == nil {
				err = b.SetInternal([]byte(pubKeyKey), []byte("1"))
			}
		}
	} else {
		shards, err = openBleve(path)
	}
	if err != nil {
		closeAll(shards)
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	b := shards[0] // the index's own values (see SetInternal) are kept in the first shard
	stored, err := b.GetInternal([]byte(analysisKey))
	if err != nil {
		closeAll(shards)
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	an := Analysis(stored)
	if an == "" {
		an = AnalysisXinwen
	}
	unique, err := b.GetInternal([]byte(pubKeyKey))
	if err != nil {
		closeAll(shards)
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	ix := &Index{bleve: b, shards: shards, path: path, opts: opts, analysis: an, twoPhaseMin: twoPhaseMin}
	if len(shards) > 1 {
		alias := bleve.NewIndexAlias(shards...)
		if err := alias.SetIndexMapping(b.Mapping()); err != nil {
			closeAll(shards)
			return nil, fmt.Errorf("open index %s: %w", path, err)
		}
		ix.bleve = alias
	}
	ix.byDate = []string{"-" + fPubKey}
	if string(unique) != "1" {
		ix.byDate = append(ix.byDate, "_id")
	}
	ix.byScore = append([]string{"-_score"}, ix.byDate...)
	return ix, nil
}

// Close closes the index.
func (ix *Index) Close() error {
	if len(ix.shards) > 1 {
		ix.bleve.Close() // the alias: it only marks itself closed
	}
	return closeAll(ix.shards)
}

// Path returns the directory of the index.
func (ix *Index) Path() string { return ix.path }

// Generation counts the changes (batches of Put and Delete) applied since
// the index was opened: a result computed at one generation may be stale at
// the next (see internal/cache).
func (ix *Index) Generation() uint64 { return ix.gen.Load() }

// Put indexes articles, replacing any with the same ID, in batches of
// BatchSize. An article with an empty ID is an EINVALID error and nothing of
// its batch is indexed.
func (ix *Index) Put(ctx context.Context, arts []news.Article) error {
	for len(arts) > 0 {
		n := min(len(arts), BatchSize)
		bs := ix.newBatches()
		for i := range arts[:n] {
			a := &arts[i]
			if a.ID == "" {
				return news.Errorf(news.EINVALID, "article %q has no ID", a.Title)
			}
			d, err := ix.bleveDoc(a)
			if err == nil {
				err = bs[shardOf(a.ID, len(bs))].IndexAdvanced(d)
			}
			if err != nil {
				return fmt.Errorf("index article %s: %w", a.ID, err)
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := ix.apply(bs); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		arts = arts[n:]
	}
	return nil
}

// newBatches returns an empty batch for each shard.
func (ix *Index) newBatches() []*bleve.Batch {
	bs := make([]*bleve.Batch, len(ix.shards))
	for k, b := range ix.shards {
		bs[k] = b.NewBatch()
	}
	return bs
}

// apply applies each shard's batch. Each shard's batch is atomic; the set is
// not: a crash between two shards leaves the first applied, which the
// store-versus-index check (xinwen check) finds and repairs, as it does a
// crash between the store and the index.
func (ix *Index) apply(bs []*bleve.Batch) error {
	defer ix.gen.Add(1)
	for k, b := range bs {
		if b.Size() == 0 {
			continue
		}
		if err := ix.shards[k].Batch(b); err != nil {
			return err
		}
	}
	return nil
}

// rawDocValues are the doc-values fields every search with facets or a sort
// reads for every hit. Stored uncompressed, one chunk per document, a visit
// is a slice of the mapped file; zap's default (snappy chunks of 1,024
// documents, each with a header to decode) cost a third of a search's time.
// They are small: a few dozen bytes a document.
var rawDocValues = map[string]bool{fFacet: true, fPubKey: true, fDupOf: true}

// bleveDoc maps a to a Bleve document, with rawDocValues stored raw.
func (ix *Index) bleveDoc(a *news.Article) (*bdoc.Document, error) {
	d := bdoc.NewDocument(a.ID)
	if err := ix.shards[0].Mapping().MapDocument(d, document(a, ix.analysis)); err != nil {
		return nil, err
	}
	for i, f := range d.Fields {
		if tf, ok := f.(*bdoc.TextField); ok && rawDocValues[f.Name()] {
			opts := tf.Options() | bindex.SkipDVCompression | bindex.SkipDVChunking
			d.Fields[i] = bdoc.NewTextFieldCustom(tf.Name(), tf.ArrayPositions(), tf.Value(), opts, tf.Analyzer())
		}
	}
	return d, nil
}

// Clear removes every article, keeping the index's analysis and internal
// values.
func (ix *Index) Clear(ctx context.Context) error {
	var ids []string
	if err := ix.EachID(ctx, func(id string) error { ids = append(ids, id); return nil }); err != nil {
		return err
	}
	for len(ids) > 0 {
		n := min(len(ids), BatchSize)
		if err := ix.Delete(ctx, ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// Delete removes articles by ID; unknown IDs are ignored.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	bs := ix.newBatches()
	for _, id := range ids {
		bs[shardOf(id, len(bs))].Delete(id)
	}
	if err := ix.apply(bs); err != nil {
		return fmt.Errorf("delete from index: %w", err)
	}
	return nil
}

// Optimize merges the index's segments into one. Every search looks up its
// terms in every segment, so a freshly rebuilt index, left with the several
// segments of its last merge tier, answers faster once merged. It blocks
// until the merge is done; searches and writes go on meanwhile.
func (ix *Index) Optimize(ctx context.Context) error {
	for _, b := range ix.shards {
		adv, err := b.Advanced()
		if err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
		s, ok := adv.(*scorch.Scorch)
		if !ok {
			continue
		}
		if err := s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
			return fmt.Errorf("optimize: %w", err)
		}
	}
	return nil
}

// Count returns the number of indexed articles.
func (ix *Index) Count() (uint64, error) { return ix.docCount() }

// SetInternal and GetInternal keep small values (such as the dictionary
// version that built the index) inside the index.
func (ix *Index) SetInternal(key string, val []byte) error {
	return ix.shards[0].SetInternal([]byte(key), val)
}

// GetInternal returns a value set with SetInternal, nil if none.
func (ix *Index) GetInternal(key string) ([]byte, error) {
	return ix.shards[0].GetInternal([]byte(key))
}
