package main_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestCaps: serve's --max-body, --max-window and --max-facet-size take
// effect, and their refusals name the limit.
func TestCaps(t *testing.T) {
	if r := xinwen(t, "serve", "--max-window", "50"); r.code != 2 || !strings.Contains(r.stderr, "--max-window must be at least 100") {
		t.Errorf("--max-window 50: exit %d, %q", r.code, r.stderr)
	}
	if r := xinwen(t, "serve", "--max-body", "lots"); r.code != 2 || !strings.Contains(r.stderr, "8MiB") {
		t.Errorf("--max-body lots: exit %d, %q", r.code, r.stderr)
	}
	data := filepath.Join(t.TempDir(), "data")
	srv := startServer(t, data, []string{crashTokens}, "--max-body", "64KiB", "--max-window", "200", "--max-facet-size", "3")
	var body strings.Builder
	for i := range 10 {
		fmt.Fprintf(&body, `{"id":"cap%d","title":"兰州新区建设 %d","body":"兰州新区项目建设加快。","section":"栏目%d"}`+"\n", i, i, i%5)
	}
	if code, reply, err := postArticles(http.DefaultClient, srv.base, crashIngest, body.String()); code != 200 || err != nil {
		t.Fatalf("post 10 articles: %d %v %+v", code, err, reply)
	}
	big := `{"title":"大","body":"` + strings.Repeat("字", 30000) + `"}` // 90 KB
	code, msg := call(t, "POST", srv.base+"/api/articles", crashIngest, big)
	if code != 413 || !strings.Contains(msg, "64 KiB") {
		t.Errorf("a 90 KB body with --max-body 64KiB: %d %q, want 413 naming 64 KiB", code, msg)
	}
	for _, tc := range []struct {
		query string
		code  int
	}{
		{"page=20", 200},
		{"page=21", 400},
		{"page=2&size=100", 200},
		{"page=3&size=100", 400},
		{"page=922337203685477581", 400}, // page*size overflows
	} {
		code, msg := call(t, "GET", srv.base+"/api/search?q=&"+tc.query, "", "")
		if code != tc.code || code == 400 && !strings.Contains(msg, "first 200 results") {
			t.Errorf("%s with --max-window 200: %d %q, want %d", tc.query, code, msg, tc.code)
		}
	}
	var s struct {
		Total  int
		Facets struct{ Section []struct{ Value string } }
	}
	getJSON(t, srv.base+"/api/search?q=", &s)
	if s.Total != 10 || len(s.Facets.Section) != 3 {
		t.Errorf("--max-facet-size 3: %d hits in 5 sections, %d sections listed (%v), want 3", s.Total, len(s.Facets.Section), s.Facets.Section)
	}
}

// call sends a request and returns the status and the error message of the
// answer, if it has one.
func call(t *testing.T, method, u, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	var v struct{ Error struct{ Message string } }
	json.NewDecoder(resp.Body).Decode(&v)
	return resp.StatusCode, v.Error.Message
}

// TestSlowClients: clients that trickle their headers (slowloris) or their
// body, and a client that asks for much and never reads the answers, are cut
// off by serve's timeouts, while other clients go on being served.
func TestSlowClients(t *testing.T) {
	// A big article (300 KB of text) for the client that does not read,
	// stored before the server starts (posting it could take longer than
	// the short write timeout on a busy machine).
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	in := writeFile(t, filepath.Join(dir, "big.json"), `{"id":"big","title":"长文","body":"`+strings.Repeat("长", 100000)+`"}`)
	if r := xinwen(t, "ingest", "--data", data, in); r.code != 0 {
		t.Fatalf("ingest a big article: exit %d: %s", r.code, r.stderr)
	}
	const writeTimeout = 3 * time.Second
	srv := startServer(t, data, []string{crashTokens}, "--read-header-timeout", "1s", "--read-timeout", "3s", "--write-timeout", writeTimeout.String())
	addr := strings.TrimPrefix(srv.base, "http://")
	const patience = 20 * time.Second // far beyond every timeout: nobody waits this long unless the server never cuts

	// cutOff reports how a connection ended: read returns once the server
	// closes it (or answers), or after patience.
	type ending struct {
		what   string
		closed bool // by the server, within patience
		sent   int  // bytes the client managed to send
		got    string
	}
	var mu sync.Mutex
	var endings []ending
	var wg sync.WaitGroup
	trickle := func(what, head string, rest string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			var sent int
			var sentMu sync.Mutex
			go func() { // one byte every 100 ms, never finishing
				conn.Write([]byte(head))
				for i := range len(rest) {
					if _, err := conn.Write([]byte{rest[i]}); err != nil {
						return
					}
					sentMu.Lock()
					sent = len(head) + i + 1
					sentMu.Unlock()
					time.Sleep(100 * time.Millisecond)
				}
			}()
			conn.SetReadDeadline(time.Now().Add(patience))
			b, err := io.ReadAll(conn)
			var ne net.Error
			timedOut := errors.As(err, &ne) && ne.Timeout()
			sentMu.Lock()
			defer sentMu.Unlock()
			mu.Lock()
			defer mu.Unlock()
			endings = append(endings, ending{what, !timedOut, sent, string(b)})
		}()
	}
	slowHeaders := "X-Slow: " + strings.Repeat("a", 400) + "\r\n\r\n"
	for i := range 20 {
		trickle(fmt.Sprintf("slowloris %d", i), "GET /api/search?q=x HTTP/1.1\r\nHost: xinwen\r\n", slowHeaders)
	}
	slowBody := `{"title":"慢","body":"` + strings.Repeat("b", 400) + `"}`
	trickle("slow body", fmt.Sprintf("POST /api/articles HTTP/1.1\r\nHost: xinwen\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n", crashIngest, len(slowBody)), slowBody)

	// The client that never reads: 100 requests for the big article (30 MB
	// of answers) sent at once on a connection with a small receive buffer.
	const asked = 100
	wg.Add(1)
	go func() {
		defer wg.Done()
		d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
			return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		}}
		conn, err := d.Dial("tcp", addr)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		if _, err := conn.Write([]byte(strings.Repeat("GET /api/articles/big HTTP/1.1\r\nHost: xinwen\r\n\r\n", asked))); err != nil {
			t.Error(err)
			return
		}
		time.Sleep(writeTimeout + 4*time.Second) // not reading: the server blocks writing, and its write timeout passes
		conn.SetReadDeadline(time.Now().Add(patience))
		b, err := io.ReadAll(conn)
		var ne net.Error
		timedOut := errors.As(err, &ne) && ne.Timeout()
		mu.Lock()
		defer mu.Unlock()
		endings = append(endings, ending{"never reads", !timedOut, 0, fmt.Sprintf("%d of %d answers", strings.Count(string(b), "HTTP/1.1 200"), asked)})
	}()

	// Meanwhile, other clients are served.
	served, deadline := 0, time.Now().Add(8*time.Second)
	client := &http.Client{Timeout: 10 * time.Second}
	for time.Now().Before(deadline) {
		resp, err := client.Get(srv.base + "/api/search?q=" + "长文")
		if err != nil {
			t.Fatalf("a search while slow clients hang on: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("a search while slow clients hang on: %s", resp.Status)
		}
		served++
		time.Sleep(50 * time.Millisecond)
	}
	wg.Wait()
	t.Logf("%d searches served while the slow clients hung on", served)
	for _, e := range endings {
		switch {
		case !e.closed:
			t.Errorf("%s: the server never cut the connection off (%d bytes sent)", e.what, e.sent)
		case strings.HasPrefix(e.what, "slowloris") && strings.Contains(e.got, " 200 "):
			t.Errorf("%s: served after %d bytes: %q", e.what, e.sent, e.got)
		case e.what == "slow body" && strings.Contains(e.got, " 200 "):
			t.Errorf("slow body: stored after %d bytes: %q", e.sent, e.got)
		case e.what == "never reads" && strings.HasPrefix(e.got, fmt.Sprint(asked)):
			t.Errorf("never reads: %s; the server should have given up", e.got)
		}
	}
	if t.Failed() {
		return
	}
	for _, e := range endings {
		t.Logf("%s: cut off after %d bytes sent; %.60q received", e.what, e.sent, e.got)
	}
}
