// Package manticore is Xinwen's cluster backend: a news.Backend over
// Manticore Search or Sphinx (2.2 and later) daemons that speak SphinxQL.
// It runs in one of two modes:
//
//   - Managed mode (Options.Table), for production: a Manticore (27.1.5 or
//     later, with Buddy) replication cluster shards and replicates one
//     table of articles itself (CREATE TABLE c:t (...) shards='N' rf='M').
//     Every write and search names the table; any node takes them, so the
//     nodes are equivalent entry points, tried in round robin, and one
//     that does not answer is skipped. The watermark lives in a companion
//     table, MetaTable: one shard, replicated alike.
//   - Client-side sharding (the default), for development and CI, where
//     Sphinx 2.2 has no sharded tables: each node holds one shard of the
//     articles in a real-time index, searched through a distributed index
//     that fans out to every node.
//
// Analysis stays in Go and is the embedded index's: jieba words for ranking
// and character bigrams at unit positions for exact-string recall, both cut
// by internal/tokens. Tokens are written space-separated into full-text
// fields whose charset_table keeps each one a single keyword; a unit
// without a bigram (a separator) is written as a stopword, so that keyword
// positions equal unit positions and a query word is, as in the embedded
// index, a phrase of its bigrams. What both backends share comes from
// packages that do not import Bleve: queries are parsed and requests
// validated by internal/query (which also chooses the words a clause ranks
// by), snippets are highlighted by internal/highlight on the original text
// from the article store, facet counts come from GROUP BY queries and are
// shaped by news.NewFacets, and related articles (Backend.Related) look for
// the words of related.Words in the jieba word fields, with how common each
// is read from the nodes' dictionaries, keeping one of each group of
// near-duplicates by related.OnePerGroup.
//
// With client-side sharding, writes go to the node that owns an article (a
// hash of its ID); a search goes to any node's distributed index, and to
// the next node if that one does not answer. When a shard does not answer,
// the result says so (Partial, Warnings) and writes for it fail with
// EUNAVAILABLE. In managed mode Manticore keeps copies of every shard; a
// result is partial only when the cluster's warnings say so, and an
// operation fails with EUNAVAILABLE only when no node answers.
//
// The package also generates the daemons' configuration for development
// and tests (Config, WriteConfigs; a node's Node.Table stands in for a
// managed table on Sphinx) and the production recipe: Manticore settings
// and SQL for managed mode (Recipe), or for client-side sharding
// (ClientRecipe).
//
// It imports internal/news, internal/query, internal/tokens,
// internal/segment, internal/highlight, internal/related and the MySQL
// protocol driver. It must not import Bleve or the index package (go list
// -deps shows none), the store, the ingest pipeline or the HTTP layer.
package manticore
