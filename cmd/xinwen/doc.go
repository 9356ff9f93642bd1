// Command xinwen is Xinwen's one binary: it ingests articles, serves the
// search API and the reader's page, searches from the command line and
// rebuilds the index. It is the only place where packages are wired together.
//
// It may import every package of the module and their outside dependencies;
// nothing imports it. One file a subcommand, each with its own flags.
package main
