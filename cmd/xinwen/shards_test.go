package main_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// shardsOf reads how many shards the current index of data has.
func shardsOf(t *testing.T, data string) int {
	t.Helper()
	cur, err := os.ReadFile(filepath.Join(data, "CURRENT"))
	name := strings.TrimSpace(string(cur))
	if err != nil || name == "" {
		name = "index"
	}
	b, err := os.ReadFile(filepath.Join(data, name, "xinwen-shards"))
	if errors.Is(err, fs.ErrNotExist) {
		return 1
	}
	n, perr := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || perr != nil {
		t.Fatalf("shards of %s: %v %v", data, err, perr)
	}
	return n
}

// TestShards: ingest --shards makes a sharded index that search reads,
// reindex keeps its layout unless told otherwise, and a bad value is a
// usage error.
func TestShards(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	lines := []string{
		`{"id":"a1","title":"外交部长王毅会见外宾","body":"中共中央政治局委员、外交部长王毅在北京会见外宾。","date":"2024-05-31 19:00"}`,
		`{"id":"a2","title":"清水县脱贫攻坚","text":"天水市清水县全面完成脱贫攻坚任务。","date":"2020-09-28 08:50"}`,
		`{"id":"a3","title":"王毅出席东盟外长会","body":"王毅在雅加达出席东盟外长会议。","date":"2023-07-13 19:00"}`,
		`{"id":"a4","title":"甘肃天水春耕","body":"天水市各县春耕生产有序推进。","date":"2024-03-20 19:00"}`,
	}
	in := writeFile(t, filepath.Join(dir, "in.jsonl"), strings.Join(lines, "\n")+"\n")
	if r := xinwen(t, "ingest", "--data", data, "--shards", "3", in); r.code != 0 {
		t.Fatalf("ingest --shards 3: exit %d: %s", r.code, r.stderr)
	}
	shards := func() string { return strconv.Itoa(shardsOf(t, data)) }
	if got := shards(); got != "3" {
		t.Fatalf("after ingest --shards 3: %s shards", got)
	}
	if s := search(t, data, "王毅"); s.Total != 2 {
		t.Errorf("王毅 over three shards: %+v", s)
	}
	if s := search(t, data, ""); s.Total != 4 || s.Hits[0].ID != "a1" {
		t.Errorf("everything, newest first: %+v", s)
	}
	if r := xinwen(t, "reindex", "--data", data); r.code != 0 {
		t.Fatalf("reindex: exit %d: %s", r.code, r.stderr)
	}
	if got := shards(); got != "3" {
		t.Errorf("after reindex: %s shards, want the 3 it had", got)
	}
	if r := xinwen(t, "reindex", "--data", data, "--shards", "1"); r.code != 0 {
		t.Fatalf("reindex --shards 1: exit %d: %s", r.code, r.stderr)
	}
	if got := shards(); got != "1" {
		t.Errorf("after reindex --shards 1: %s shards", got)
	}
	if s := search(t, data, "天水"); s.Total != 2 {
		t.Errorf("天水 after going back to one index: %+v", s)
	}
	if r := xinwen(t, "ingest", "--data", data, "--shards", "-1", in); r.code != 2 || !strings.Contains(r.stderr, "--shards") {
		t.Errorf("--shards -1: exit %d, %q", r.code, r.stderr)
	}
}
