package audit

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// Entry is one audited request.
type Entry struct {
	Time      time.Time `json:"time"`
	Who       string    `json:"who"`              // token name, or "anonymous"
	Action    string    `json:"action"`           // method and route, e.g. "POST /api/articles"
	Target    string    `json:"target,omitempty"` // the request path
	Outcome   string    `json:"outcome"`          // "ok", "denied" or "failed"
	Detail    string    `json:"detail,omitempty"`
	Status    int       `json:"status"`
	RequestID string    `json:"request_id,omitempty"`
}

// Log appends entries as JSON lines to a file. It is safe for concurrent use.
type Log struct {
	mu   sync.Mutex
	f    *os.File
	path string
}

// Open opens (creating if needed, mode 0600) the audit log at path for
// appending. It returns an error if the file cannot be opened.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	return &Log{f: f, path: path}, nil
}

// Record appends e as one line with a single write, so concurrent writers
// (even other processes appending to the same file) never interleave
// within a line. A zero Time is set to now. It returns an error if the log
// is closed or the write fails.
func (l *Log) Record(e Entry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit entry: %w", err)
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return fmt.Errorf("audit log %s: %w", l.path, os.ErrClosed)
	}
	if _, err := l.f.Write(b); err != nil {
		return fmt.Errorf("write audit log %s: %w", l.path, err)
	}
	return nil
}

// Close flushes the log to disk and closes it. Later Records fail.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Sync()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
