// Package testcorpus locates the shared corpora for tests and benchmarks and
// reads the CCTV corpus, once per test process, as ingest reads it.
//
// The corpora are too large and too much someone else's copyright to commit;
// they lie in a folder named shared beside the repository, in the developers'
// workspace and in CI. A test that needs them fails without them when the CI
// environment variable is set (CI never skips it), and skips with a message
// on a person's machine that lacks them. A corpus-scale test calls SkipShort
// first, so that go test -short leaves it out.
//
// Only tests import testcorpus. It imports the standard library,
// internal/extract and internal/news, nothing else of Xinwen's.
package testcorpus
