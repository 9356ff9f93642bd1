package manticore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/xinwen/xinwen/internal/highlight"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/related"
	"github.com/xinwen/xinwen/internal/textnorm"
	"github.com/xinwen/xinwen/internal/tokens"
)

// relatedRanking ranks related articles: BM25F over the jieba words of
// titles and bodies, a title word counting three times a body word as in
// Search, each query word's IDF multiplied by its weight (the ^ of the
// query). The IDF is plain, log(N/n), which is never negative (Sphinx's
// default goes negative for a word in more than half of a shard), and
// there is no length normalization (b = 0): the indexes keep no field
// lengths. BM25F is between 0 and 1; the factor keeps five digits of it in
// the integer weight.
const relatedRanking = "ranker=expr('bm25f(1.2, 0, {title_w=3, body_w=1})*100000'), idf='plain'"

// Related returns up to n articles most like a (related.Default if n is
// 0), best first, as hits like those of Search, with the contract of the
// embedded index's Related: the query is a's most distinctive words
// (related.Words), words common in the cluster dropped, each weighted
// by its TF-IDF and looked up in the jieba words of titles (boosted as in
// Search) and bodies; a itself, its original and every near-duplicate of
// either never appear, and of a group of near-duplicates only the best
// ranked does (related.OnePerGroup); titles and snippets mark the shared
// words. n outside 0 to related.Max is an EINVALID error; an article
// without distinctive words has no related articles.
//
// The cluster differs from the embedded index in what it counts and
// scores: how common a word is comes from its dictionary (see wordStats),
// and the ranking is BM25F (relatedRanking) with each shard's statistics
// where the embedded index sums a BM25 score per field over the whole
// index, so the order of similar hits may differ.
//
// As with Search, a node that does not answer is skipped for the next, and
// with client-side sharding the articles of a shard whose node is down are
// missing (the answer is partial, silently: a list of hits has no room to
// say so); if no node answers, the error is an EUNAVAILABLE.
func (b *Backend) Related(ctx context.Context, a news.Article, n int) ([]news.Hit, error) {
	n, err := related.Count(n)
	if err != nil {
		return nil, err
	}
	seg := b.opts.Segmenter.Load()
	kws, err := related.Words(ctx, seg, a, b.wordStats)
	if err != nil {
		return nil, err
	}
	var (
		terms []string
		lits  []string
	)
	for _, kw := range kws {
		// The word as the embedded index's match query takes it: the
		// words analyzer's words of it, any of which counts.
		boost := "^" + strconv.FormatFloat(kw.Weight, 'f', 4, 64)
		for _, t := range tokens.Words(seg, textnorm.New(kw.Word)) {
			terms = append(terms, keyword(string(t.Term))+boost)
		}
		lits = append(lits, kw.Word)
	}
	if len(terms) == 0 {
		return []news.Hit{}, nil
	}

	group := related.Group(a)
	not := strconv.FormatUint(hash63(a.ID), 10) + "," + strconv.FormatUint(hash63(group), 10)
	limit := related.Candidates(n)
	stmt := fmt.Sprintf("SELECT %s, dup_of FROM %s WHERE MATCH(%s) AND id NOT IN (%s) AND dup_h NOT IN (%s) ORDER BY w DESC, pub DESC, aid ASC LIMIT 0, %d OPTION max_matches=%d, %s",
		hitColumns, b.dist, quote(wordFields+" ("+strings.Join(terms, " | ")+")"), not, not, limit, max(1000, limit), relatedRanking)
	var (
		cands []news.Hit
		dupOf []string
	)
	err = b.onCoordinator(ctx, "find related articles", func(c context.Context, conn *sql.Conn) error {
		cands, dupOf = nil, nil
		rows, err := conn.QueryContext(c, stmt)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d string
			h, err := scanHit(rows, &d)
			if err != nil {
				return err
			}
			cands, dupOf = append(cands, h), append(dupOf, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(cands))
	for i, h := range cands {
		ids[i] = h.ID
	}
	hits := make([]news.Hit, 0, n)
	for _, i := range related.OnePerGroup(ids, dupOf, group, n) {
		hits = append(hits, cands[i])
	}
	if err := highlight.Hits(ctx, b.opts.Texts, lits, hits); err != nil {
		return nil, err
	}
	return hits, nil
}

// wordStats is the related.WordStats of the cluster, read from its
// dictionaries in one statement: a search of the words, stopped at the
// first match, whose SHOW META lists how many documents have each keyword,
// summed over the shards by the coordinator (CALL KEYWORDS would do on a
// node's own index, but Sphinx 2.2 refuses it on a distributed one). The
// number of articles is that of the keyword every document has
// (everyWord). A dictionary counts a keyword in any field, so a two-character
// word counts the articles with the same two characters anywhere (the
// bigram fields) and not only those with the word in the body; a real-time
// index also counts documents replaced or deleted until it merges their
// segments. The counts are therefore at least the embedded index's: the
// cluster may drop as common a word the embedded index keeps, never the
// reverse. With a shard missing, they are the other shards'.
func (b *Backend) wordStats(ctx context.Context, ws []string) (int, []int, error) {
	kws := make([]string, len(ws))
	for i, w := range ws {
		kws[i] = keyword(w)
	}
	stmt := fmt.Sprintf("SELECT id FROM %s WHERE MATCH(%s) LIMIT 1 OPTION ranker=none, cutoff=1; SHOW META",
		b.dist, quote("("+everyField+" "+everyWord+") | (@body_w ("+strings.Join(kws, " | ")+"))"))
	var docs map[string]int
	err := b.onCoordinator(ctx, "count words", func(c context.Context, conn *sql.Conn) error {
		rows, err := conn.QueryContext(c, stmt)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		if !rows.NextResultSet() {
			return fmt.Errorf("count words: no SHOW META result: %w", rows.Err())
		}
		docs, err = keywordDocs(rows)
		return err
	})
	if err != nil {
		return 0, nil, err
	}
	counts := make([]int, len(kws))
	for i, k := range kws {
		counts[i] = docs[k]
	}
	return docs[everyWord], counts, nil
}

// keywordDocs reads the current result set of rows as SHOW META: how many
// documents have each keyword of the statement before.
func keywordDocs(rows *sql.Rows) (map[string]int, error) {
	kw := map[string]string{} // keyword[i] -> its keyword
	docs := map[string]int{}  // docs[i] -> its count
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		switch {
		case strings.HasPrefix(k, "keyword["):
			kw[strings.TrimPrefix(k, "keyword")] = v
		case strings.HasPrefix(k, "docs["):
			docs[strings.TrimPrefix(k, "docs")], _ = strconv.Atoi(v)
		}
	}
	out := map[string]int{}
	for i, k := range kw {
		out[k] = max(out[k], docs[i])
	}
	return out, rows.Err()
}

// onCoordinator runs fn on a connection to one node, which coordinates the
// statements fn sends, as Search does: the next node in round robin, and
// the next after it while one does not answer. An error a node answers
// with is returned wrapped with what; if ctx ends or no node answers, the
// error is an EUNAVAILABLE. fn is given a context bounded by the backend's
// timeout; it must send statements only, and may be called once a node.
func (b *Backend) onCoordinator(ctx context.Context, what string, fn func(ctx context.Context, conn *sql.Conn) error) error {
	first := int(b.next.Add(1)) % len(b.shards)
	for k := range b.shards {
		s := b.shards[(first+k)%len(b.shards)]
		err := func() error {
			c, cancel := b.ctx(ctx)
			defer cancel()
			conn, err := s.db.Conn(c)
			if err != nil {
				return err
			}
			defer conn.Close()
			return fn(c, conn)
		}()
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return &news.Error{Code: news.EUNAVAILABLE, Message: what + ": cancelled or timed out", Err: err}
		case !unavailable(err):
			return fmt.Errorf("%s on %s: %w", what, s.addr, err)
		}
	}
	return news.Errorf(news.EUNAVAILABLE, "%s: no node of the search cluster answers; try again later", what)
}
