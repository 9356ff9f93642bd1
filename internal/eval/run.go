package eval

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/xinwen/xinwen/index"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

// System is one way of searching that Run scores: an analysis of the corpus
// plus the options and requests its searches use. Systems with the same
// Options.Analysis search one index, built once and opened by each with its
// own Options, so switches that act at search time (fields of index.Options
// or of news.SearchRequest) are compared on identical indexes.
type System struct {
	// Name labels the system in reports; it must be unique in a run.
	Name string
	// Options open the index. Analysis chooses the index ("" means
	// index.AnalysisXinwen); Segmenter is Config.Segmenter. Nothing is
	// cached: every query is searched.
	Options index.Options
	// Request turns a query into the search request; nil means
	// DefaultRequest. Size is raised to Depth when smaller.
	Request func(Query) news.SearchRequest
}

// DefaultRequest is the request of a System without its own: the query's
// text, relevance order, the first Depth hits, no facets, and the stories
// published up to the end of its AsOf day if it has one.
func DefaultRequest(q Query) news.SearchRequest {
	req := news.SearchRequest{Query: q.Text, Size: Depth}
	req.To, _ = news.ParseTo(q.AsOf) // ReadQueries checked it
	return req
}

// The systems of Baselines, by name.
const (
	// SystemBigrams is plain BM25 over character bigrams, any bigram
	// matching (index.Ranking.AnyBigram): the classic baseline of Chinese
	// retrieval, reported beside every run.
	SystemBigrams = "bm25-bigrams"
	// SystemCJK is Bleve's cjk analyzer with Xinwen's AND semantics: every
	// bigram of each word. It answers no question.
	SystemCJK = "cjk"
)

// Baselines returns the systems a report compares by default: Xinwen's
// analysis, plain BM25 over bigrams with OR semantics, and the cjk index
// with AND semantics.
func Baselines() []System {
	return []System{
		{Name: "xinwen", Options: index.Options{Analysis: index.AnalysisXinwen}},
		{Name: SystemBigrams, Options: index.Options{Analysis: index.AnalysisCJK, Ranking: index.Ranking{AnyBigram: true}}},
		{Name: SystemCJK, Options: index.Options{Analysis: index.AnalysisCJK}},
	}
}

// Config configures Run. The zero value works.
type Config struct {
	// Segmenter cuts the corpus and the queries (required).
	Segmenter *segment.Current
	// Dir keeps the indexes, one subdirectory per analysis, and a later Run
	// on the same documents reuses them; "" builds them in a temporary
	// directory that is removed afterwards.
	Dir string
	// PerQuery adds every query's scores and ranks to the report.
	PerQuery bool
	// Shards builds each index in this many shards (index.Options.Shards);
	// an index kept in Dir with another layout is rebuilt.
	Shards int
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Report is the outcome of Run.
type Report struct {
	Collection string         `json:"collection"`
	Docs       int            `json:"docs"`
	Queries    int            `json:"queries"`  // judged queries, the ones scored
	Unjudged   int            `json:"unjudged"` // queries without a relevant document, left out
	Groups     []string       `json:"groups"`   // query groups in order (see Group)
	Systems    []SystemReport `json:"systems"`
	Started    time.Time      `json:"started"`
}

// SystemReport is one system's scores.
type SystemReport struct {
	Name     string  `json:"name"`
	Analysis string  `json:"analysis"`
	Index    string  `json:"index"`                   // the index directory (gone after a run without Config.Dir)
	IndexSec float64 `json:"index_seconds,omitempty"` // time to build its index; 0 when reused or built for an earlier system
	// All is the mean over every judged query; ByGroup per query group.
	All     Metrics            `json:"all"`
	ByGroup map[string]Metrics `json:"by_group,omitempty"`
	// Failed counts queries the index refused (too long, too many clauses):
	// they score 0. FirstError says why the first one failed.
	Failed     int            `json:"failed"`
	FirstError string         `json:"first_error,omitempty"`
	SearchP50  float64        `json:"search_p50_ms"`
	PerQuery   []QueryOutcome `json:"per_query,omitempty"`
}

// QueryOutcome is one query's result for one system.
type QueryOutcome struct {
	ID      string  `json:"id"`
	Metrics Metrics `json:"metrics"`
	// Rank is the rank of the first relevant hit within Depth, 0 if none.
	Rank  int    `json:"rank"`
	Total uint64 `json:"total"` // how many documents matched
	Top   string `json:"top,omitempty"`
}

// Run scores every system on c: it builds (or reuses, see Config.Dir) one
// index per analysis, runs every judged query on every system, and averages
// the metrics. It returns an error when an index cannot be built or a search
// fails for a reason other than a refused query, and when system names are
// empty or repeated.
func Run(ctx context.Context, c *Collection, systems []System, cfg Config) (*Report, error) {
	log := cfg.Log
	if log == nil {
		log = io.Discard
	}
	if len(systems) == 0 {
		return nil, news.Errorf(news.EINVALID, "no systems to evaluate")
	}
	names := map[string]bool{}
	for _, s := range systems {
		if s.Name == "" || names[s.Name] {
			return nil, news.Errorf(news.EINVALID, "system names must be non-empty and unique, found %q", s.Name)
		}
		names[s.Name] = true
	}
	rep := &Report{Collection: c.Name, Docs: len(c.Docs), Started: time.Now()}
	var judged []Query
	groups := map[string]bool{}
	for _, q := range c.Queries {
		if !hasRelevant(c.Qrels[q.ID]) {
			rep.Unjudged++
			continue
		}
		judged = append(judged, q)
		if g := Group(q.ID); !groups[g] {
			groups[g] = true
			rep.Groups = append(rep.Groups, g)
		}
	}
	rep.Queries = len(judged)
	if len(judged) == 0 {
		return nil, news.Errorf(news.EINVALID, "no query of %s has a relevant document in the judgements: are the query IDs the same in both files?", c.Name)
	}

	dir := cfg.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "xinwen-eval-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	built := map[index.Analysis]float64{}
	fp := c.Fingerprint()
	if cfg.Shards > 1 {
		fp += fmt.Sprintf("/shards=%d", cfg.Shards) // a layout of its own: reused only as such
	}
	for _, s := range systems {
		an := analysisOf(s)
		if _, ok := built[an]; ok {
			continue
		}
		sec, err := ensureIndex(ctx, filepath.Join(dir, string(an)), an, cfg, c, fp, log)
		if err != nil {
			return nil, err
		}
		built[an] = sec
	}
	for _, s := range systems {
		an := analysisOf(s)
		sr, err := runSystem(ctx, filepath.Join(dir, string(an)), s, cfg, judged, c.Qrels)
		if err != nil {
			return nil, fmt.Errorf("system %s: %w", s.Name, err)
		}
		sr.IndexSec, built[an] = built[an], 0
		if cfg.Dir == "" {
			sr.Index = ""
		}
		fmt.Fprintf(log, "%s: MRR@10 %.4f over %d queries\n", s.Name, sr.All.MRR10, sr.All.Queries)
		rep.Systems = append(rep.Systems, *sr)
	}
	return rep, nil
}

func hasRelevant(rels map[string]int) bool {
	for _, r := range rels {
		if r > 0 {
			return true
		}
	}
	return false
}

func analysisOf(s System) index.Analysis {
	if s.Options.Analysis == "" {
		return index.AnalysisXinwen
	}
	return s.Options.Analysis
}

// fingerprintKey is where an evaluation index keeps the fingerprint of the
// documents it holds.
const fingerprintKey = "xinwen_eval_corpus"

// ensureIndex builds the index of c at path with analysis an, unless one
// built from the same documents is there. It returns the seconds spent
// building (0 when reused). A directory at path that is not an evaluation
// index is an error, never removed.
func ensureIndex(ctx context.Context, path string, an index.Analysis, cfg Config, c *Collection, fp string, log io.Writer) (float64, error) {
	if _, err := os.Stat(path); err == nil {
		ix, err := index.Open(path, index.Options{Segmenter: cfg.Segmenter})
		if err != nil {
			return 0, fmt.Errorf("%s exists and is not an index: remove it or choose another directory: %w", path, err)
		}
		got, gerr := ix.GetInternal(fingerprintKey)
		ix.Close()
		switch {
		case gerr != nil:
			return 0, gerr
		case string(got) == fp:
			fmt.Fprintf(log, "%s: reusing the index in %s\n", an, path)
			return 0, nil
		case len(got) == 0:
			return 0, news.Errorf(news.ECONFLICT, "%s holds an index that eval did not build: remove it or choose another directory", path)
		}
		fmt.Fprintf(log, "%s: the index in %s holds other documents; rebuilding it\n", an, path)
		if err := os.RemoveAll(path); err != nil {
			return 0, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, err
	}
	start := time.Now()
	ix, err := index.Open(path, index.Options{Segmenter: cfg.Segmenter, Analysis: an, Shards: cfg.Shards})
	if err != nil {
		return 0, err
	}
	const chunk = 5000
	for i := 0; i < len(c.Docs); i += chunk {
		if err := ix.Put(ctx, c.Docs[i:min(i+chunk, len(c.Docs))]); err != nil {
			ix.Close()
			return 0, fmt.Errorf("index the corpus with %s: %w", an, err)
		}
		n := min(i+chunk, len(c.Docs))
		fmt.Fprintf(log, "%s: indexed %d/%d (%.0f docs/s)\n", an, n, len(c.Docs), float64(n)/time.Since(start).Seconds())
	}
	// The fingerprint goes in last: an interrupted build is rebuilt.
	if err := ix.SetInternal(fingerprintKey, []byte(fp)); err != nil {
		ix.Close()
		return 0, err
	}
	if err := ix.Close(); err != nil {
		return 0, err
	}
	return time.Since(start).Seconds(), nil
}

func runSystem(ctx context.Context, path string, s System, cfg Config, qs []Query, qrels Qrels) (*SystemReport, error) {
	perQuery := cfg.PerQuery
	opts := s.Options
	opts.Analysis = analysisOf(s)
	opts.Segmenter = cfg.Segmenter
	ix, err := index.Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	mk := s.Request
	if mk == nil {
		mk = DefaultRequest
	}
	sr := &SystemReport{Name: s.Name, Analysis: string(opts.Analysis), Index: path}
	var all []Metrics
	byGroup := map[string][]Metrics{}
	lat := make([]float64, 0, len(qs))
	for _, q := range qs {
		req := mk(q)
		req.Size = max(req.Size, Depth)
		var ranked []string
		var total uint64
		t0 := time.Now()
		res, err := ix.Search(ctx, req)
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		switch {
		case err == nil:
			total = res.Total
			for _, h := range res.Hits {
				ranked = append(ranked, h.ID)
			}
		case news.ErrorCode(err) == news.EINVALID:
			if sr.Failed == 0 {
				sr.FirstError = fmt.Sprintf("%s (%s): %s", q.ID, q.Text, news.ErrorMessage(err))
			}
			sr.Failed++
		case ctx.Err() != nil:
			return nil, ctx.Err()
		default:
			return nil, fmt.Errorf("query %s: %w", q.ID, err)
		}
		m := Score(ranked, qrels[q.ID])
		all = append(all, m)
		g := Group(q.ID)
		byGroup[g] = append(byGroup[g], m)
		if perQuery {
			o := QueryOutcome{ID: q.ID, Metrics: m, Total: total, Rank: firstRelevant(ranked, qrels[q.ID])}
			if len(ranked) > 0 {
				o.Top = ranked[0]
			}
			sr.PerQuery = append(sr.PerQuery, o)
		}
	}
	sr.All = Mean(all)
	if len(byGroup) > 1 {
		sr.ByGroup = map[string]Metrics{}
		for g, ms := range byGroup {
			sr.ByGroup[g] = Mean(ms)
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		sr.SearchP50 = lat[len(lat)/2]
	}
	return sr, nil
}

func firstRelevant(ranked []string, rels map[string]int) int {
	for i, id := range ranked {
		if rels[id] > 0 {
			return i + 1
		}
	}
	return 0
}

// WriteTable prints the report as a table: one column per system and, when
// there are two, their difference (first minus second); one block of rows
// for all queries and one per query group.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "collection %s: %d documents, %d judged queries", r.Collection, r.Docs, r.Queries)
	if r.Unjudged > 0 {
		fmt.Fprintf(w, " (%d without judgements left out)", r.Unjudged)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"queries", "metric"}
	for _, s := range r.Systems {
		head = append(head, s.Name)
	}
	two := len(r.Systems) == 2
	if two {
		head = append(head, "Δ")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	blocks := []string{"all"}
	if len(r.Groups) > 1 {
		blocks = append(blocks, r.Groups...)
	}
	for _, b := range blocks {
		get := func(s SystemReport) Metrics {
			if b == "all" {
				return s.All
			}
			return s.ByGroup[b]
		}
		label := b
		if b != "all" {
			label = fmt.Sprintf("%s (%d)", b, get(r.Systems[0]).Queries)
		}
		for _, m := range []struct {
			name string
			f    func(Metrics) float64
			int  bool
		}{
			{"MRR@10", func(m Metrics) float64 { return m.MRR10 }, false},
			{"Recall@10", func(m Metrics) float64 { return m.Recall10 }, false},
			{"Recall@100", func(m Metrics) float64 { return m.Recall100 }, false},
			{"nDCG@10", func(m Metrics) float64 { return m.NDCG10 }, false},
			{"no hits", func(m Metrics) float64 { return float64(m.NoHits) }, true},
		} {
			row := []string{label, m.name}
			label = ""
			var vals []float64
			for _, s := range r.Systems {
				v := m.f(get(s))
				vals = append(vals, v)
				if m.int {
					row = append(row, fmt.Sprintf("%.0f", v))
				} else {
					row = append(row, fmt.Sprintf("%.4f", v))
				}
			}
			if two {
				if m.int {
					row = append(row, fmt.Sprintf("%+.0f", vals[0]-vals[1]))
				} else {
					row = append(row, fmt.Sprintf("%+.4f", vals[0]-vals[1]))
				}
			}
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range r.Systems {
		fmt.Fprintf(w, "%s: median search %.1f ms", s.Name, s.SearchP50)
		if s.IndexSec > 0 {
			fmt.Fprintf(w, ", index built in %.1f s", s.IndexSec)
		}
		if s.Failed > 0 {
			fmt.Fprintf(w, ", %d queries refused (first: %s)", s.Failed, s.FirstError)
		}
		fmt.Fprintln(w)
	}
	return nil
}

// ParseSystems picks systems by name from known, in the order of the
// comma-separated list names. An unknown name is an EINVALID error that
// lists the known ones.
func ParseSystems(names string, known []System) ([]System, error) {
	var out []System
	for _, n := range strings.Split(names, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		i := slices.IndexFunc(known, func(s System) bool { return s.Name == n })
		if i < 0 {
			var all []string
			for _, s := range known {
				all = append(all, s.Name)
			}
			return nil, news.Errorf(news.EINVALID, "unknown system %q: choose from %s", n, strings.Join(all, ", "))
		}
		out = append(out, known[i])
	}
	if len(out) == 0 {
		return nil, news.Errorf(news.EINVALID, "no systems named: give at least one")
	}
	return out, nil
}
