package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, env *env) error
}

// env is what a subcommand may use of the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

var commands = []command{
	{"serve", "serve the search API and the reader's page", runServe},
	{"ingest", "add articles from files and directories", runIngest},
	{"search", "search from the command line", runSearch},
	{"reindex", "rebuild the index from the article store", runReindex},
	{"check", "check that the index holds exactly the stored articles; --repair", runCheck},
	{"dict", "list or edit the user dictionary", runDict},
	{"cluster", "configure or reindex a Manticore/Sphinx cluster backend", runCluster},
	{"eval", "score search relevance on a test collection, Xinwen against cjk", runEval},
	{"bench", "measure indexing and search, Xinwen against cjk, at any scale", runBench},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: xinwen COMMAND [flags] [args]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --data DIR (default ./data). Run 'xinwen COMMAND -h' for its flags.")
}

// exitError carries an exit status without a message of its own.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], &env{stdin: stdin, stdout: stdout, stderr: stderr})
		switch e := err.(type) {
		case nil:
			return 0
		case exitError:
			return int(e)
		case usageError:
			fmt.Fprintf(stderr, "xinwen %s: %v\n", c.name, e.error)
			return 2
		default:
			if err == errHelp {
				return 0
			}
			fmt.Fprintf(stderr, "xinwen %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "xinwen: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}
