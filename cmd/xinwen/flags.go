package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xinwen/xinwen/index"
)

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ error }

var errHelp = errors.New("help shown")

// newFlags returns a flag set for a subcommand that writes its usage to w.
func newFlags(name, args, summary string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: xinwen %s [flags] %s\n\n%s\n\nflags:\n", name, args, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning -h into errHelp and bad flags into usageError.
func parse(fs *flag.FlagSet, args []string) error {
	// Go's flag package stops at the first non-flag; allow flags after
	// arguments too (xinwen search 王毅 --json).
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") {
				if f := fs.Lookup(name); f != nil {
					if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
						if i+1 < len(args) {
							flags = append(flags, args[i+1])
							i++
						}
					}
				}
			}
			continue
		}
		rest = append(rest, a)
	}
	err := fs.Parse(append(flags, append([]string{"--"}, rest...)...))
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if err != nil {
		return usageError{err}
	}
	return nil
}

// shardsFlag is --shards: the layout of an index created from now on.
func shardsFlag(fs *flag.FlagSet) *int {
	n := 0
	shardsVar(fs, &n)
	return &n
}

// shardsVar is shardsFlag stored in *p, whose value is the default.
func shardsVar(fs *flag.FlagSet, p *int) {
	fs.IntVar(p, "shards", *p, "split a new index (a new data directory's, or the one a rebuild makes) into `N` shards searched in parallel, at most one per core; 0 keeps the current index's layout (one for a new data directory)")
}

// progressFlag is --progress-every: how often a progress line is printed
// when stderr is not a terminal (a log file, a pipe).
func progressFlag(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("progress-every", 2*time.Second, "when stderr is not a terminal, print a progress line this often (`DURATION`); 0 prints one after every batch of articles")
}

// checkProgress refuses a negative --progress-every.
func checkProgress(d time.Duration) error {
	if d < 0 {
		return usageError{fmt.Errorf("--progress-every must be 0 or more, not %s", d)}
	}
	return nil
}

// checkShards refuses a --shards value out of range.
func checkShards(n int) error {
	if n < 0 || n > index.MaxShards {
		return usageError{fmt.Errorf("--shards must be from 0 to %d, not %d", index.MaxShards, n)}
	}
	return nil
}

// defaultDataDir is --data's default.
const defaultDataDir = "./data"

// dataFlag is --data: the data directory.
func dataFlag(fs *flag.FlagSet) *string {
	dir := defaultDataDir
	dataVar(fs, &dir)
	return &dir
}

// dataVar is dataFlag stored in *p, whose value is the default.
func dataVar(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "data", *p, "data `directory` (index, article store, dictionaries)")
}

// writeJSON writes v to w as indented JSON, with <, > and & left as they are
// (snippets hold <mark>).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
