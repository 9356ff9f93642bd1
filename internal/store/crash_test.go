package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/store"
)

// crashChildEnv, when set to a path, makes TestCrashSafety the child: it puts
// batches into the store at that path until it is killed.
const crashChildEnv = "XINWEN_STORE_CRASH_CHILD"

const (
	crashBatch     = 100 // articles per Put; one ack line stays under PIPE_BUF
	crashMaxBatch  = 2000
	crashKillAfter = 5 // acknowledged batches before the parent kills the child
)

func crashArticle(batch, i int) news.Article {
	return article(fmt.Sprintf("b%04d-%03d", batch, i), uint64(batch*crashBatch+i), 450)
}

// crashChild puts batches and writes "acked ID... end" to stdout after each
// Put returns. One write per line, so the parent never sees half a line.
func crashChild(path string) {
	s, err := store.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for b := range crashMaxBatch {
		arts := make([]news.Article, crashBatch)
		ids := make([]string, crashBatch)
		for i := range arts {
			arts[i] = crashArticle(b, i)
			ids[i] = arts[i].ID
		}
		if _, err := s.Put(context.Background(), arts); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Stdout.WriteString("acked " + strings.Join(ids, " ") + " end\n")
	}
	os.Exit(3) // the parent should have killed us long ago
}

func TestCrashSafety(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("needs SIGKILL and a re-executable test binary")
	}
	path := t.TempDir() + "/articles.db"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrashSafety$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	// Every complete ack line, including those written before the kill landed.
	var acked []string
	batches := 0
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != crashBatch+2 || f[0] != "acked" || f[len(f)-1] != "end" {
			continue
		}
		acked = append(acked, f[1:len(f)-1]...)
		if batches++; batches == crashKillAfter {
			// The child is already inside its next Put.
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child did not die of SIGKILL: %v\nstderr:\n%s", err, stderr.String())
	}
	if batches < crashKillAfter {
		t.Fatalf("child acknowledged %d batches, want at least %d", batches, crashKillAfter)
	}
	t.Logf("child acknowledged %d batches (%d articles) before SIGKILL", batches, len(acked))

	// The store opens without recovery and has every acknowledged article.
	s := MustOpenPath(t, path)
	for _, id := range acked {
		var b, i int
		if _, err := fmt.Sscanf(id, "b%04d-%03d", &b, &i); err != nil {
			t.Fatalf("bad ack %q", id)
		}
		got, err := s.Get(context.Background(), id)
		if err != nil {
			t.Fatalf("acknowledged article lost: %v", err)
		}
		if !sameArticle(got, crashArticle(b, i)) {
			t.Fatalf("acknowledged article %q differs from what was put", id)
		}
	}
	// Whatever else is there is whole batches: a Put is all or nothing.
	n := count(t, s)
	if n < len(acked) || n%crashBatch != 0 {
		t.Errorf("Count() = %d, want a multiple of %d and at least %d", n, crashBatch, len(acked))
	}
	if got := len(ids(t, s)); got != n {
		t.Errorf("Each visits %d articles, Count() says %d", got, n)
	}
	if got := len(changes(t, s, 0)); got != n {
		t.Errorf("Changes(0) has %d entries, want %d", got, n)
	}
	if got, want := s.Seq(), uint64(n); got != want {
		t.Errorf("Seq() = %d, want %d", got, want)
	}
	MustPut(t, s, article("after-crash", 1, 100))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// bbolt's own consistency check finds nothing wrong.
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("bbolt check: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
