package main

import (
	"os"
	"runtime/debug"
)

// Garbage collector settings for serve, unless GOGC or GOMEMLIMIT say
// otherwise. The live heap of a server is small (the index is mapped from
// disk, outside the heap) and a search allocates a lot that dies at once, so
// collecting at four times the live heap instead of twice costs little memory
// and took 15% off the CPU time of a search (see BENCHMARKS.md); the soft
// limit makes the collector work harder before the heap nears it. xinwen
// bench runs its query mix with them too.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 1536 << 20
)

// tuneGC applies serve's settings and returns what undoes them.
func tuneGC() (restore func()) {
	percent, limit := 0, int64(-1)
	gogc := os.Getenv("GOGC") == ""
	if gogc {
		percent = debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(serveMemoryLimit)
	}
	return func() {
		if gogc {
			debug.SetGCPercent(percent)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}
