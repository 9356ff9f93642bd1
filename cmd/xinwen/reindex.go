package main

import (
	"context"
	"fmt"
	"time"

	"github.com/xinwen/xinwen/index"
)

func runReindex(ctx context.Context, args []string, e *env) error {
	fs := newFlags("reindex", "", "Rebuild the whole index from the article store with the current dictionary\nand mapping, beside the live index, then swap it in. An interrupted rebuild\nleaves the old index in place and is cleaned up on the next start.", e.stderr)
	dir := dataFlag(fs)
	shards := shardsFlag(fs)
	every := progressFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := checkShards(*shards); err != nil {
		return err
	}
	if err := checkProgress(*every); err != nil {
		return err
	}
	d, err := openDataWith(ctx, *dir, e.stderr, index.Options{Shards: *shards})
	if err != nil {
		return err
	}
	defer d.Close()
	total, err := d.store.Count()
	if err != nil {
		return err
	}
	start := time.Now()
	p := newProgress(e.stderr, "reindexed", total, *every)
	err = d.live.Rebuild(ctx, d.seg.Version(), p.update)
	p.done(total)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reindexed %d articles in %.1fs with dictionary %s\n", total, time.Since(start).Seconds(), d.seg.Version())
	return nil
}
