// Package eval measures the relevance of Xinwen's search against Bleve's cjk
// bigram baseline on test collections in the common format: a JSON Lines
// corpus (id, title, text), a TSV of queries (qid, query) and a TSV of
// relevance judgements (qid, [iteration,] docid, relevance).
//
// Run builds one index per analysis of the corpus, runs every judged query on
// every System and reports MRR@10, Recall@10, Recall@100 and nDCG@10, overall
// and per query group. A System is a name, the index.Options it opens the
// index with and, optionally, how it turns a query into a news.SearchRequest:
// ranking features that are switches in either can be compared in one run.
//
// MakeKnownItem and MakeQuestions generate collections from a corpus of
// stories (the CCTV transcripts): each sampled story's headline and a
// shortened headline as queries for that story, and template questions
// whose answer is in a known story, with traditional-script twins.
//
// eval is a harness, like cmd: it wires the index, the segmenter
// (internal/segment, to generate queries), extract (to read corpora),
// textnorm and golang.org/x/text (Big5, to choose traditional forms). The
// caller gives Run its segmenter (Config.Segmenter). Nothing imports eval
// but cmd and tests.
package eval
