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
// limit makes the collector work harder before the heap nears it.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 1536 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
