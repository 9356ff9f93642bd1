package audit_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/audit"
)

func TestLogAppendsLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	if err := l.Record(audit.Entry{Time: when, Who: "alice", Action: "POST /api/articles", Outcome: "ok", Status: 200, RequestID: "r1"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := l.Record(audit.Entry{Who: fmt.Sprint("w", i), Outcome: "denied", Status: 401}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Record(audit.Entry{Who: "late"}); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Record after Close: %v, want os.ErrClosed", err)
	}
	// Reopening appends rather than truncates.
	l, err = audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l.Record(audit.Entry{Who: "again", Outcome: "ok", Status: 200})
	l.Close()

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []audit.Entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e audit.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %d %q: %v", len(got)+1, sc.Text(), err)
		}
		got = append(got, e)
	}
	if len(got) != 52 {
		t.Fatalf("%d entries, want 52", len(got))
	}
	if e := got[0]; !e.Time.Equal(when) || e.Who != "alice" || e.Action != "POST /api/articles" || e.Status != 200 || e.RequestID != "r1" {
		t.Errorf("first entry: %+v", e)
	}
	if got[1].Time.IsZero() {
		t.Error("a zero Time was not filled in")
	}
	if got[51].Who != "again" {
		t.Errorf("last entry: %+v", got[51])
	}
}

func TestOpenError(t *testing.T) {
	if _, err := audit.Open(filepath.Join(t.TempDir(), "missing", "audit.log")); err == nil {
		t.Error("Open in a missing directory: no error")
	}
}
