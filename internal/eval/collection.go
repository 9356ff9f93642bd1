package eval

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

// Query is one query of a collection.
type Query struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// AsOf, if set, is the day the reader searches (YYYY-MM-DD, China
	// Standard Time): only stories published up to its end exist for the
	// query, and freshness counts from there (DefaultRequest sets the
	// request's To to it).
	AsOf string `json:"as_of,omitempty"`
}

// Group is the query group of a query ID: the ID up to its last "-"
// ("title-0042" is in group "title"), or "" when the ID has no "-". Reports
// give every group its own scores, so one collection can hold several kinds
// of query (full headlines and shortened ones, simplified and traditional).
func Group(qid string) string {
	if i := strings.LastIndexByte(qid, '-'); i > 0 {
		return qid[:i]
	}
	return ""
}

// Collection is a test collection: documents, queries and judgements.
type Collection struct {
	Name    string
	Docs    []news.Article
	Queries []Query
	Qrels   Qrels
	// Skipped is how many corpus records could not be read (no title and
	// no body, bad JSON); SkipErr is the first reason.
	Skipped int
	SkipErr error
}

// Load reads a collection from a corpus (JSON Lines, optionally .gz or .xz;
// fields as extract.JSON reads them, so id, title and text are enough), a
// queries TSV and a qrels TSV (see ReadQueries and ReadQrels). The
// collection's name is the queries file's name without its extension.
func Load(ctx context.Context, corpus, queries, qrels string) (*Collection, error) {
	c, err := readCorpus(ctx, corpus)
	if err != nil {
		return nil, err
	}
	if err := c.readJudged(queries, qrels); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadDir reads the corpus once and every collection of dir over it: each
// NAME.queries.tsv with its NAME.qrels.tsv (as in ../shared/eval), in name
// order. A queries file without its judgements, or a dir without any, is an
// EINVALID error.
func LoadDir(ctx context.Context, corpus, dir string) ([]*Collection, error) {
	queries, err := filepath.Glob(filepath.Join(dir, "*.queries.tsv"))
	if err != nil {
		return nil, err
	}
	if len(queries) == 0 {
		return nil, news.Errorf(news.EINVALID, "%s holds no NAME.queries.tsv", dir)
	}
	slices.Sort(queries)
	docs, err := readCorpus(ctx, corpus)
	if err != nil {
		return nil, err
	}
	var out []*Collection
	for _, q := range queries {
		qrels := strings.TrimSuffix(q, ".queries.tsv") + ".qrels.tsv"
		if _, err := os.Stat(qrels); err != nil {
			return nil, news.Errorf(news.EINVALID, "%s has no judgements beside it (%s)", q, filepath.Base(qrels))
		}
		c := *docs
		if err := c.readJudged(q, qrels); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	return out, nil
}

// readCorpus returns a collection of the corpus's documents, without
// queries.
func readCorpus(ctx context.Context, corpus string) (*Collection, error) {
	c := &Collection{}
	err := extract.Walk(ctx, []string{corpus}, func(r extract.Record) error {
		if r.Err != nil {
			if r.Article.ID == "" && r.Line == 0 {
				return r.Err // the file itself cannot be read
			}
			if c.Skipped == 0 {
				c.SkipErr = r.Err
			}
			c.Skipped++
			return nil
		}
		c.Docs = append(c.Docs, r.Article)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	}
	if len(c.Docs) == 0 {
		return nil, news.Errorf(news.EINVALID, "corpus %s holds no documents", corpus)
	}
	return c, nil
}

// readJudged reads c's queries and judgements and names c after the
// queries file.
func (c *Collection) readJudged(queries, qrels string) error {
	c.Name = strings.TrimSuffix(filepath.Base(queries), filepath.Ext(queries))
	c.Name = strings.TrimSuffix(c.Name, ".queries")
	f, err := os.Open(queries)
	if err != nil {
		return fmt.Errorf("read queries: %w", err)
	}
	defer f.Close()
	if c.Queries, err = ReadQueries(f); err != nil {
		return fmt.Errorf("read queries %s: %w", queries, err)
	}
	g, err := os.Open(qrels)
	if err != nil {
		return fmt.Errorf("read judgements: %w", err)
	}
	defer g.Close()
	if c.Qrels, err = ReadQrels(g); err != nil {
		return fmt.Errorf("read judgements %s: %w", qrels, err)
	}
	return nil
}

// ReadQueries reads a TSV of queries, one "qid<TAB>query[<TAB>as_of]" a
// line, as_of a day YYYY-MM-DD (see Query.AsOf). Blank lines are skipped,
// and so is a first line that is a header (its first field is "qid",
// "query-id", "query_id" or "id"). A line without a tab, an empty ID or
// query, a repeated ID, or an as_of that is not a day is an EINVALID error
// naming the line.
func ReadQueries(r io.Reader) ([]Query, error) {
	var out []Query
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		id, text, ok := strings.Cut(line, "\t")
		text, asOf, _ := strings.Cut(text, "\t")
		id, text, asOf = strings.TrimSpace(id), strings.TrimSpace(text), strings.TrimSpace(asOf)
		if n == 1 && isHeader(id) {
			continue
		}
		switch {
		case !ok:
			return nil, news.Errorf(news.EINVALID, "line %d: want qid<TAB>query, found no tab", n)
		case id == "" || text == "":
			return nil, news.Errorf(news.EINVALID, "line %d: empty query ID or query", n)
		case seen[id]:
			return nil, news.Errorf(news.EINVALID, "line %d: query %q appears twice", n, id)
		}
		if asOf != "" {
			if _, err := time.ParseInLocation(time.DateOnly, asOf, news.CST); err != nil {
				return nil, news.Errorf(news.EINVALID, "line %d: as_of %q is not a day like 2024-05-31", n, asOf)
			}
		}
		seen[id] = true
		out = append(out, Query{ID: id, Text: text, AsOf: asOf})
	}
	return out, sc.Err()
}

func isHeader(field string) bool {
	switch strings.ToLower(field) {
	case "qid", "query-id", "query_id", "id":
		return true
	}
	return false
}

// ReadQrels reads relevance judgements, one a line: "qid docid rel" or, as
// TREC writes them, "qid iteration docid rel" (the iteration is ignored).
// Fields are separated by tabs or, if a line has no tab, by spaces. Blank
// lines are skipped, and so is a first line whose relevance is not a number
// (a header). Anything else malformed is an EINVALID error naming the line.
// A repeated judgement keeps the last one.
func ReadQrels(r io.Reader) (Qrels, error) {
	out := Qrels{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		var f []string
		if strings.Contains(line, "\t") {
			f = strings.Split(line, "\t")
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
		} else {
			f = strings.Fields(line)
		}
		if len(f) != 3 && len(f) != 4 {
			return nil, news.Errorf(news.EINVALID, "line %d: want qid, docid and relevance (or qid, 0, docid, relevance), found %d fields", n, len(f))
		}
		rel, err := strconv.Atoi(f[len(f)-1])
		if err != nil {
			if n == 1 {
				continue // a header such as query-id, corpus-id, score
			}
			return nil, news.Errorf(news.EINVALID, "line %d: relevance %q is not a whole number", n, f[len(f)-1])
		}
		qid, doc := f[0], f[len(f)-2]
		if qid == "" || doc == "" {
			return nil, news.Errorf(news.EINVALID, "line %d: empty query or document ID", n)
		}
		if out[qid] == nil {
			out[qid] = map[string]int{}
		}
		out[qid][doc] = rel
	}
	return out, sc.Err()
}

// Fingerprint identifies the documents of a collection (IDs, text, dates and
// sections), so that an index built from them can be recognized and reused.
func (c *Collection) Fingerprint() string {
	h := sha256.New()
	for i := range c.Docs {
		a := &c.Docs[i]
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d\x00", a.ID, a.Title, a.Body, a.SectionPath(), a.PublishedAt.Unix())
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// corpusRecord is how WriteCorpus writes an article.
type corpusRecord struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Text    string `json:"text"`
	Date    string `json:"date,omitempty"` // RFC 3339
	Section string `json:"section,omitempty"`
	URL     string `json:"url,omitempty"`
}

// WriteCorpus writes articles as a JSON Lines corpus in the common format
// (id, title, text) plus date, section and url, which Load reads back.
func WriteCorpus(w io.Writer, arts []news.Article) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range arts {
		a := &arts[i]
		rec := corpusRecord{ID: a.ID, Title: a.Title, Text: a.Body, Section: a.SectionPath(), URL: a.URL}
		if !a.PublishedAt.IsZero() {
			rec.Date = a.PublishedAt.In(news.CST).Format(time.RFC3339)
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteQueries writes queries as ReadQueries reads them. Tabs and line
// breaks inside a query become spaces.
func WriteQueries(w io.Writer, qs []Query) error {
	bw := bufio.NewWriter(w)
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	for _, q := range qs {
		fmt.Fprintf(bw, "%s\t%s\n", q.ID, clean.Replace(q.Text))
	}
	return bw.Flush()
}

// WriteQrels writes judgements in the TREC layout (qid 0 docid rel,
// tab-separated), queries in the order given, documents sorted.
func WriteQrels(w io.Writer, qs []Query, qrels Qrels) error {
	bw := bufio.NewWriter(w)
	for _, q := range qs {
		docs := make([]string, 0, len(qrels[q.ID]))
		for d := range qrels[q.ID] {
			docs = append(docs, d)
		}
		slices.Sort(docs)
		for _, d := range docs {
			fmt.Fprintf(bw, "%s\t0\t%s\t%d\n", q.ID, d, qrels[q.ID][d])
		}
	}
	return bw.Flush()
}

// writeFile writes a file through fn, atomically (a temporary file renamed).
func writeFile(path string, fn func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = fn(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("write %s: %w", path, err), os.Remove(tmp))
	}
	return nil
}
