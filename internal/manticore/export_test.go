package manticore

import "github.com/xinwen/xinwen/internal/related"

// SetFirstGroups makes searches ask for n facet groups first (so that tests
// reach the path that asks again for more) and returns the undo.
func SetFirstGroups(n int) func() {
	old := firstGroups
	firstGroups = n
	return func() { firstGroups = old }
}

// OutOfCluster reports whether managed mode takes err for a node cut off
// from its replication cluster, and so tries the next node.
var OutOfCluster = outOfCluster

// WordStats returns the related.WordStats that b's Related uses.
func WordStats(b *Backend) related.WordStats { return b.wordStats }
