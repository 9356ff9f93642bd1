package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bin is the xinwen binary, built once with -trimpath and copied alone into a
// directory of its own: gojieba's default dictionary paths then point
// nowhere, so these tests prove the binary ships its dictionaries.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "xinwen-e2e-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "alone", "xinwen")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build xinwen:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// xinwen runs the binary from an empty working directory with the Go module
// cache out of reach.
func xinwen(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"HOME=" + cmd.Dir, "GOPATH=/nonexistent", "GOMODCACHE=/nonexistent", "PATH=/usr/bin:/bin"}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run xinwen %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// searchJSON is the contract of `search --json` and GET /api/search.
type searchJSON struct {
	Total uint64 `json:"total"`
	Hits  []struct {
		ID          string   `json:"id"`
		Title       string   `json:"title"`
		Snippet     string   `json:"snippet"`
		PublishedAt string   `json:"published_at"`
		Section     []string `json:"section"`
		Score       float64  `json:"score"`
		Region      struct {
			Province, City, County string
		} `json:"region"`
	} `json:"hits"`
}

func search(t *testing.T, data string, query ...string) searchJSON {
	t.Helper()
	r := xinwen(t, append([]string{"search", "--data", data, "--json"}, query...)...)
	if r.code != 0 {
		t.Fatalf("search %v: exit %d: %s", query, r.code, r.stderr)
	}
	var s searchJSON
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("search %v: %v\n%s", query, err, r.stdout)
	}
	return s
}

func TestHelp(t *testing.T) {
	for _, c := range []string{"serve", "ingest", "search", "reindex", "check", "dict"} {
		r := xinwen(t, c, "-h")
		if r.code != 0 || !strings.Contains(r.stderr+r.stdout, "--data") && !strings.Contains(r.stderr+r.stdout, "-data") {
			t.Errorf("%s -h: exit %d, output %q", c, r.code, r.stderr)
		}
	}
	if r := xinwen(t, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", r.code, r.stderr)
	}
}

func TestIngestAndSearch(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	in := writeFile(t, filepath.Join(dir, "in.jsonl"), strings.Join([]string{
		`{"id":"a1","title":"外交部长王毅会见外宾","body":"中共中央政治局委员、外交部长王毅在北京会见外宾。","date":"2024-05-31 19:00","section":"国内"}`,
		`{"id":"a2","title":"清水县脱贫攻坚","text":"天水市清水县全面完成脱贫攻坚任务。","published_at":"2020-09-28T08:50:00+08:00","region":"甘肃省天水市清水县"}`,
		`{"id":"a3", "title": broken json`,
		`{"id":"a4","title":"","body":""}`,
		`{"id":"a5","title":"王先生谈毅力","body":"王先生说，做事要有毅力。"}`,
	}, "\n")+"\n")
	r := xinwen(t, "ingest", "--data", data, in)
	if r.code != 1 {
		t.Errorf("ingest with bad lines: exit %d, want 1", r.code)
	}
	for _, want := range []string{"in.jsonl: line 3: invalid JSON", "in.jsonl: line 4: empty article"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "3 added") || !strings.Contains(r.stdout, "2 failed") {
		t.Errorf("summary %q", r.stdout)
	}

	s := search(t, data, "王毅")
	if s.Total != 1 || s.Hits[0].ID != "a1" {
		t.Fatalf("王毅: %+v", s)
	}
	h := s.Hits[0]
	if h.PublishedAt != "2024-05-31T19:00:00+08:00" {
		t.Errorf("published_at %q", h.PublishedAt)
	}
	if !strings.Contains(h.Snippet, "<mark>王毅</mark>") || len(h.Section) != 1 || h.Section[0] != "国内" {
		t.Errorf("hit %+v", h)
	}
	s = search(t, data, "清水縣", "脱贫")
	if s.Total != 1 || s.Hits[0].Region.County != "清水县" || s.Hits[0].Region.Province != "甘肃省" {
		t.Errorf("清水縣 脱贫: %+v", s)
	}

	// Ingesting the same file again changes nothing and loses nothing.
	r = xinwen(t, "ingest", "--data", data, in)
	if !strings.Contains(r.stdout, "0 added") || !strings.Contains(r.stdout, "3 unchanged") {
		t.Errorf("second ingest: %q", r.stdout)
	}
	// A later batch that fails entirely loses nothing already indexed.
	r = xinwen(t, "ingest", "--data", data, filepath.Join(dir, "missing.jsonl"))
	if r.code == 0 || !strings.Contains(r.stderr, "missing.jsonl") {
		t.Errorf("missing file: exit %d, %q", r.code, r.stderr)
	}
	if s := search(t, data, ""); s.Total != 3 {
		t.Errorf("after a failed batch: %d articles, want 3", s.Total)
	}
	if r := xinwen(t, "search", "--data", data, "--sort", "sideways", "王毅"); r.code != 2 || !strings.Contains(r.stderr, "unknown sort") {
		t.Errorf("bad sort: exit %d, %q", r.code, r.stderr)
	}
}

// TestUserDictionary: a word added to the user dictionary becomes one term
// after reindex and ranks as one; a bad line is reported with file and line
// and the previous dictionary stays in use.
func TestUserDictionary(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	lines := []string{`{"id":"farmer","title":"脱贫户党建子的新生活","body":"村民党建子养牛致富，党建子说日子越过越好。"}`}
	for i := range 5 { // other stories with the words 党建 and 子 apart, so that the pieces are common words
		lines = append(lines, fmt.Sprintf(`{"id":"other%d","title":"抓党建促发展","body":"第%d期：党建 子"}`, i, i))
	}
	in := writeFile(t, filepath.Join(dir, "in.jsonl"), strings.Join(lines, "\n")+"\n")
	if r := xinwen(t, "ingest", "--data", data, in); r.code != 0 {
		t.Fatalf("ingest: %s", r.stderr)
	}
	before := search(t, data, "党建子")
	if before.Total != 1 {
		t.Fatalf("党建子 before: %+v", before)
	}
	writeFile(t, filepath.Join(data, "userdict.txt"), "# people\n党建子 20 nr\n")
	if r := xinwen(t, "reindex", "--data", data); r.code != 0 {
		t.Fatalf("reindex: %s", r.stderr)
	}
	after := search(t, data, "党建子")
	if after.Total != 1 || after.Hits[0].Score <= before.Hits[0].Score {
		t.Errorf("党建子 should rank as one word after reindex: score %.3f before, %.3f after", before.Hits[0].Score, after.Hits[0].Score)
	}
	writeFile(t, filepath.Join(data, "userdict.txt"), "党建子 20 nr\n坏 词 条 多 列\n")
	r := xinwen(t, "search", "--data", data, "--json", "党建子")
	if r.code != 0 || !regexp.MustCompile(`userdict\.txt:2:`).MatchString(r.stderr) {
		t.Fatalf("bad user dictionary: exit %d, stderr %q", r.code, r.stderr)
	}
	var s searchJSON
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || s.Total != 1 || s.Hits[0].Score != after.Hits[0].Score {
		t.Errorf("with a bad dictionary the last good one must stay in use: %+v %v", s, err)
	}
}

// TestServeDemo starts the server on a free loopback port with the bundled
// demo data and searches it over HTTP, then stops it with SIGTERM.
func TestServeDemo(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--demo")
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"HOME=" + cmd.Dir, "GOMODCACHE=/nonexistent"}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base := ""
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := regexp.MustCompile(`serving (\d+) articles on (http://\S+)/`).FindStringSubmatch(sc.Text()); m != nil {
			if m[1] == "0" {
				t.Fatalf("demo loaded nothing: %s", sc.Text())
			}
			base = m[2]
			break
		}
	}
	if base == "" {
		t.Fatal("server never said where it serves")
	}
	go io.Copy(io.Discard, stdout)
	get := func(path string, v any) int {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if v != nil {
			json.NewDecoder(resp.Body).Decode(v)
		}
		return resp.StatusCode
	}
	var s searchJSON
	if code := get("/api/search?q="+url.QueryEscape("清水县"), &s); code != 200 || s.Total == 0 {
		t.Fatalf("search 清水县: %d %+v", code, s)
	}
	if h := s.Hits[0]; h.Region.County != "清水县" || h.Region.City != "天水市" || h.Region.Province != "甘肃省" || strings.Join(h.Section, ">") != "甘肃新闻>市州播报>天水" {
		t.Errorf("sample page hit: %+v", h)
	}
	// Quoted: unquoted, a query nothing matches is relaxed to its words.
	if code := get("/api/search?q="+url.QueryEscape(`"放心肉菜示范超市"`), &s); code != 200 || s.Total != 0 {
		t.Errorf("page chrome is searchable: %d %+v", code, s)
	}
	if code := get("/api/search?q=x&sort=sideways", nil); code != 400 {
		t.Errorf("bad sort: %d, want 400", code)
	}
	if code := get("/api/articles/no-such-id", nil); code != 404 {
		t.Errorf("unknown article: %d, want 404", code)
	}
	if code := get("/", nil); code != 200 {
		t.Errorf("page: %d", code)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve did not exit cleanly on SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Error("serve did not stop within 20s of SIGTERM")
	}
}

// TestIngestKilled kills an ingest with SIGKILL part-way and runs it again:
// every article ends up stored and searchable exactly once.
func TestIngestKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: kills an ingest of 20,000 articles; run without -short")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var b strings.Builder
	const n = 20000
	for i := range n {
		fmt.Fprintf(&b, `{"id":"k%d","title":"第%d号新闻：天水市清水县","body":"清水县第%d次脱贫攻坚调度会召开，会议研究部署乡村振兴工作。"}`+"\n", i, i, i)
	}
	in := writeFile(t, filepath.Join(dir, "big.jsonl"), b.String())
	cmd := exec.Command(bin, "ingest", "--data", data, in)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once it reports progress (every 2 s when not on a terminal).
	sc := bufio.NewScanner(stderr)
	killed := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "ingested") {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("ingest finished before it could be killed; make the input bigger")
	}
	r := xinwen(t, "ingest", "--data", data, in)
	if r.code != 0 {
		t.Fatalf("second ingest: exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "0 failed") || strings.Contains(r.stdout, fmt.Sprintf("%d added", n)) {
		t.Errorf("second ingest should find part of the work done: %s", r.stdout)
	}
	if s := search(t, data, ""); s.Total != n {
		t.Errorf("%d articles searchable after kill and re-run, want %d", s.Total, n)
	}
	if s := search(t, data, `"第19999号新闻"`); s.Total != 1 {
		t.Errorf("last article: %d hits, want 1", s.Total)
	}
}

// server is a running `xinwen serve`.
type server struct {
	base   string // http://127.0.0.1:PORT
	cmd    *exec.Cmd
	stderr string // the file its stderr goes to
}

// startServer runs `xinwen serve` on a free loopback port with data as its
// data directory, env added to its environment and args to its command
// line, and returns once it says where it serves. Its stderr goes to a file
// whose tail is logged if the test fails; it is killed when the test ends,
// if not before (kill). startServer fails the test if the server exits
// before it serves.
func startServer(t *testing.T, data string, env []string, args ...string) *server {
	t.Helper()
	dir := t.TempDir()
	s := &server{stderr: filepath.Join(dir, "stderr")}
	errf, err := os.Create(s.stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer errf.Close()
	s.cmd = exec.Command(bin, append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, args...)...)
	s.cmd.Dir = dir
	s.cmd.Env = append([]string{"HOME=" + dir, "GOMODCACHE=/nonexistent"}, env...)
	s.cmd.Stderr = errf
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.kill()
		if t.Failed() {
			b, _ := os.ReadFile(s.stderr)
			if len(b) > 2000 {
				b = b[len(b)-2000:]
			}
			t.Logf("server stderr ends:\n%s", b)
		}
	})
	serving := regexp.MustCompile(`serving \d+ articles on (http://\S+)/`)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := serving.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, stdout)
			s.base = m[1]
			return s
		}
	}
	s.cmd.Wait()
	b, _ := os.ReadFile(s.stderr)
	t.Fatalf("server never said where it serves: %s\n%s", s.cmd.ProcessState, b)
	return nil
}

// kill sends SIGKILL and waits for the process; killing twice is harmless.
func (s *server) kill() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

func TestPostArticles(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	base := startServer(t, data, []string{"XINWEN_EDITOR_TOKENS=s3cret, other"}).base
	post := func(token, body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", base+"/api/articles", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-ndjson")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	batch := `{"id":"p1","title":"兰州新区建设提速","body":"兰州新区项目建设加快。"}
{"id":"p2", broken
{"id":"p3","title":"敦煌文旅","content":"敦煌莫高窟游客增多。","date":"2024-05-01"}
`
	if code, _ := post("", batch); code != 401 {
		t.Errorf("no token: %d, want 401", code)
	}
	if code, v := post("wrong", batch); code != 401 || strings.Contains(fmt.Sprint(v), "s3cret") {
		t.Errorf("wrong token: %d %v", code, v)
	}
	code, v := post("s3cret", batch)
	if code != 207 {
		t.Fatalf("mixed batch: %d, want 207: %v", code, v)
	}
	if v["added"] != 2.0 || v["failed"] != 1.0 {
		t.Errorf("counts: %v", v)
	}
	results, _ := v["results"].([]any)
	if len(results) != 3 || results[1].(map[string]any)["line"] != 2.0 || results[1].(map[string]any)["status"] != "failed" {
		t.Errorf("results: %v", results)
	}
	if code, _ := post("other", `{"title":"","body":""}`); code != 400 {
		t.Errorf("all failed: %d, want 400", code)
	}
	resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape("莫高窟"))
	if err != nil {
		t.Fatal(err)
	}
	var s searchJSON
	json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()
	if s.Total != 1 || s.Hits[0].ID != "p3" {
		t.Errorf("posted article not searchable: %+v", s)
	}
	del := func(token string) int {
		req, _ := http.NewRequest("DELETE", base+"/api/articles/p3", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := del(""); code != 401 {
		t.Errorf("delete without a token: %d, want 401", code)
	}
	if code := del("s3cret"); code != 204 {
		t.Errorf("delete: %d, want 204", code)
	}
	if code := del("s3cret"); code != 404 {
		t.Errorf("delete twice: %d, want 404", code)
	}
	resp, err = http.Get(base + "/api/search?q=" + url.QueryEscape("莫高窟"))
	if err != nil {
		t.Fatal(err)
	}
	s = searchJSON{}
	json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()
	if s.Total != 0 {
		t.Errorf("deleted article still found: %+v", s)
	}
	// Without configured tokens, nobody may post.
	base2 := startServer(t, filepath.Join(t.TempDir(), "data"), nil).base
	req, _ := http.NewRequest("POST", base2+"/api/articles", strings.NewReader(batch))
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("no tokens configured: %d, want 403", resp.StatusCode)
	}
}

// TestReindexKilled kills a rebuild with SIGKILL part-way: the old index
// keeps serving, and the next start removes the half-built one.
func TestReindexKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: kills a rebuild of 20,000 articles; run without -short")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var b strings.Builder
	const n = 20000
	for i := range n {
		fmt.Fprintf(&b, `{"id":"r%d","title":"第%d号新闻：兰州新区","body":"兰州新区第%d次项目推进会召开。"}`+"\n", i, i, i)
	}
	in := writeFile(t, filepath.Join(dir, "big.jsonl"), b.String())
	if r := xinwen(t, "ingest", "--quiet", "--data", data, in); r.code != 0 {
		t.Fatalf("ingest: %s", r.stderr)
	}
	if r := xinwen(t, "reindex", "--data", data, "--progress-every", "-1s"); r.code != 2 || !strings.Contains(r.stderr, "--progress-every") {
		t.Errorf("--progress-every -1s: exit %d, %q", r.code, r.stderr)
	}
	// A progress line after every batch: the kill lands after the first
	// batch of many, however fast the machine.
	cmd := exec.Command(bin, "reindex", "--data", data, "--progress-every", "0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	killed := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "reindexed") {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			var done, total int
			if i := strings.Index(sc.Text(), "] "); i < 0 {
				t.Errorf("progress line %q has no count", sc.Text())
			} else if fmt.Sscanf(sc.Text()[i+2:], "%d/%d", &done, &total); done <= 0 || done >= n || total != n {
				t.Errorf("first progress line %q: want a count below %d of %d", sc.Text(), n, n)
			}
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatal("reindex finished before it could be killed")
	}
	if s := search(t, data, "兰州新区"); s.Total != n {
		t.Errorf("after a killed rebuild: %d articles, want %d", s.Total, n)
	}
	entries, _ := os.ReadDir(data)
	var indexes []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "index") {
			indexes = append(indexes, e.Name())
		}
	}
	if len(indexes) != 1 {
		t.Errorf("index directories after restart: %v, want one", indexes)
	}
	if r := xinwen(t, "check", "--data", data); r.code != 0 || !strings.Contains(r.stdout, "consistent") {
		t.Errorf("check after a killed rebuild: exit %d %q", r.code, r.stdout)
	}
	if r := xinwen(t, "reindex", "--data", data); r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("reindexed %d articles", n)) {
		t.Errorf("reindex after the kill: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if s := search(t, data, `"第19999号新闻"`); s.Total != 1 {
		t.Errorf("after a full reindex: %d hits for the last article", s.Total)
	}
}

// TestAdminReindex rebuilds through the API while the server serves.
func TestAdminReindex(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	base := startServer(t, data, []string{"XINWEN_TOKENS=ed:editor:editor-secret-1,in:ingest:ingest-secret-1"}, "--demo").base
	call := func(method, path, token string) (int, map[string]any) {
		req, _ := http.NewRequest(method, base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	if code, _ := call("POST", "/api/admin/reindex", ""); code != 401 {
		t.Errorf("reindex without a token: %d, want 401", code)
	}
	if code, _ := call("POST", "/api/admin/reindex", "ingest-secret-1"); code != 403 {
		t.Errorf("reindex with an ingest-only token: %d, want 403", code)
	}
	code, job := call("POST", "/api/admin/reindex", "editor-secret-1")
	if code != 202 || job["state"] != "running" {
		t.Fatalf("start reindex: %d %v", code, job)
	}
	id, _ := job["id"].(string)
	if code, v := call("POST", "/api/admin/reindex", "editor-secret-1"); code != 409 && !(code == 202 && v["id"] != id) {
		t.Errorf("second reindex while one runs: %d %v", code, v)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		code, j := call("GET", "/api/admin/jobs/"+id, "editor-secret-1")
		if code != 200 {
			t.Fatalf("job: %d %v", code, j)
		}
		if j["state"] == "done" {
			break
		}
		if j["state"] != "running" || time.Now().After(deadline) {
			t.Fatalf("job ended %v", j)
		}
		if code, _ := call("GET", "/api/search?q="+url.QueryEscape("清水县"), ""); code != 200 {
			t.Errorf("search during the rebuild: %d", code)
		}
		time.Sleep(100 * time.Millisecond)
	}
	code, st := call("GET", "/api/admin/status", "editor-secret-1")
	if code != 200 || st["rebuild_due"] != false || st["articles"] == 0.0 {
		t.Errorf("status: %d %v", code, st)
	}
	if code, _ := call("GET", "/api/admin/jobs/nope", "editor-secret-1"); code != 404 {
		t.Errorf("unknown job: %d", code)
	}
	var s searchJSON
	resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape("清水县"))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&s)
	resp.Body.Close()
	if s.Total == 0 || s.Hits[0].Region.County != "清水县" {
		t.Errorf("after the rebuild: %+v", s)
	}
}

// TestHostileInput: pathological requests get a fast 4xx (never a 500) and
// the page carries security headers.
func TestHostileInput(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	base := startServer(t, data, []string{"XINWEN_TOKENS=ed:editor:editor-secret-1"}, "--demo").base
	get := func(path string) *http.Response {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	manyOR := strings.TrimSuffix(strings.Repeat("词 OR ", 40), " OR ")
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"q=" + strings.Repeat("长", 300), 400},
		{"q=" + url.QueryEscape(manyOR), 400},
		{"q=x&page=-1", 400},
		{"q=x&page=99999", 400},
		{"q=x&size=100000", 400},
		{"q=x&page=abc", 400},
		{"q=x&from=2024-02-30", 400},
		{"q=x&sort=DROP%20TABLE", 400},
		{"q=x&cursor=not-a-cursor", 400},
		{"q=%ff%fe%00", 200},
		{"q=" + url.QueryEscape(`"unbalanced`), 200},
		{"q=*", 200},
		{"q=" + url.QueryEscape("-"), 200},
	} {
		if resp := get("/api/search?" + tc.query); resp.StatusCode != tc.want {
			t.Errorf("%.60s: %d, want %d", tc.query, resp.StatusCode, tc.want)
		}
	}
	resp := get("/")
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("page lacks %s", h)
		}
	}
	post := func(body io.Reader, token string) int {
		req, _ := http.NewRequest("POST", base+"/api/articles", body)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	big := strings.NewReader(`{"title":"大","body":"` + strings.Repeat("字", 3<<20) + `"}`)
	if code := post(big, "editor-secret-1"); code != 413 {
		t.Errorf("9 MB body: %d, want 413", code)
	}
	nested := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	if code := post(strings.NewReader(nested), "editor-secret-1"); code != 400 {
		t.Errorf("deeply nested JSON: %d, want 400", code)
	}
	if code := post(strings.NewReader(`{"title":"x","body":"y"}`), "wrong"); code != 401 {
		t.Errorf("wrong token: %d, want 401", code)
	}
}
