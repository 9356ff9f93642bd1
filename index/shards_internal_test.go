package index

import (
	"strconv"
	"testing"
)

// TestShardOf: stable values (indexes on disk depend on them) and an even
// split of IDs that differ only in a suffix, as copies and replicas do.
func TestShardOf(t *testing.T) {
	for _, c := range []struct {
		id   string
		want [3]int // of 2, 3 and 4 shards
	}{
		{"a", [3]int{1, 2, 3}},
		{"VIDEWOl9TtNDSPPJRKQyExO7220101", [3]int{0, 0, 0}},
		{"gscn-2020-09-28-qingshui", [3]int{1, 2, 3}},
		{"s001~7", [3]int{0, 1, 2}},
	} {
		for i, n := range []int{2, 3, 4} {
			if got := shardOf(c.id, n); got != c.want[i] {
				t.Errorf("shardOf(%q, %d) = %d, was %d: indexes on disk would lose track of articles", c.id, n, got, c.want[i])
			}
		}
	}
	if shardOf("anything", 1) != 0 || shardOf("anything", 0) != 0 {
		t.Error("one shard: not shard 0")
	}
	for _, n := range []int{2, 3, 4} {
		counts := make([]int, n)
		for i := range 6000 {
			counts[shardOf("VIDE7myV00Kp65VkMEtrOlzK220103~"+strconv.Itoa(i), n)]++
		}
		for k, c := range counts {
			if c < 6000/n*9/10 || c > 6000/n*11/10 {
				t.Errorf("%d shards: shard %d has %d of 6000 IDs", n, k, c)
			}
		}
	}
}
