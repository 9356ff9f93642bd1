// Package store is Xinwen's article store: the source of truth that indexing
// and reindexing read from. It keeps every news.Article in one embedded bbolt
// file (no server), together with a change feed and a near-duplicate index.
//
// What it owns:
//
//   - the "articles" bucket: article ID → record (a fixed header with the change
//     sequence, the order of first insertion, the SimHash, a content hash and
//     the DuplicateOf link, followed by the article as JSON). Bodies are not
//     compressed: compress/flate, the only codec in the standard library,
//     shrank the CCTV corpus to 66% at 30 MB/s and read it back at ~90 MB/s,
//     which costs more time than the 13 MB it saves is worth. The header has a
//     flags byte so a codec can be added without a migration.
//   - the "changes" bucket: sequence number (big-endian uint64) → flag byte +
//     ID. Only the latest change of each ID is kept, so the bucket holds one
//     entry per stored article plus one tombstone per deleted ID.
//   - the "tombstones" bucket: deleted ID → sequence number of its deletion,
//     so a re-added ID can drop its tombstone from the change feed.
//   - the "band0" … "band3" buckets: 16-bit SimHash band value + ID → SimHash,
//     the candidate index for near-duplicate detection.
//   - the "meta" bucket: schema version, the change counter and the count.
//
// Durability: every Put and Delete is one bbolt read-write transaction, which
// is fsync'd before it returns; an acknowledged write survives kill -9 and
// power loss (as far as the disk honours fsync).
//
// Near duplicates: see Put. An article's DuplicateOf names an article added
// before it, so links never form a cycle; that article may itself be a
// near-copy (a chain), so follow the links to find a cluster's first article.
// Deleting or rewriting an article leaves the articles that name it pointing
// at it: consumers must treat a DuplicateOf that names a missing article as
// "no longer grouped".
//
// Reindexing without a snapshot: Each reads in short read transactions (so a
// long walk never pins old pages or blocks the file from growing) and is
// therefore not a point-in-time snapshot. To rebuild an index, take
// since := Seq() first, walk Each, then apply Changes(since): every article
// written or deleted during the walk has a change after since.
//
// It may import the standard library, go.etcd.io/bbolt and internal/news. It
// must not import the index, the segmenter, the HTTP layer or any other
// adapter; cmd/ wires them together.
package store
