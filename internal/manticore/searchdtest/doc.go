// Package searchdtest runs a cluster of real searchd daemons (Sphinx 2.2 or
// Manticore) on loopback for tests: configurations from manticore.Config,
// one process a node in a temporary directory, stopped when the test ends.
//
// Sphinx has no sharded tables, so managed mode (manticore.Options.Table)
// is tested on a node that holds the table as a local real-time index
// (StartManaged): the same statements by the same names, with nothing to
// shard or replicate.
//
// A test that needs searchd fails without it when the CI environment
// variable is set (CI installs it and never skips), and skips with a
// message elsewhere.
package searchdtest
