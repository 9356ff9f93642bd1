package main

import (
	"context"
	"fmt"
	"strings"
)

func runCheck(ctx context.Context, args []string, e *env) error {
	fs := newFlags("check", "", "Check that the index holds exactly the articles of the store (the source of\ntruth). Exit status 1 if not; with --repair, index what is missing and\nremove what should not be there.", e.stderr)
	dir := dataFlag(fs)
	repair := fs.Bool("repair", false, "fix what the check finds")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := openData(ctx, *dir, e.stderr)
	if err != nil {
		return err
	}
	defer d.Close()
	r, err := d.pipe.Check(ctx, *repair)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d articles stored, %d indexed: %d missing from the index, %d in the index but not stored\n",
		r.Stored, r.Indexed, len(r.Missing), len(r.Extra))
	show := func(what string, ids []string) {
		if len(ids) > 0 {
			fmt.Fprintf(e.stdout, "%s: %s\n", what, strings.Join(ids[:min(len(ids), 10)], " "))
		}
	}
	show("missing", r.Missing)
	show("extra", r.Extra)
	switch {
	case r.Consistent():
		fmt.Fprintln(e.stdout, "consistent")
	case r.Repaired:
		fmt.Fprintln(e.stdout, "repaired")
	default:
		fmt.Fprintln(e.stdout, "inconsistent: run xinwen check --repair")
		return exitError(1)
	}
	return nil
}
