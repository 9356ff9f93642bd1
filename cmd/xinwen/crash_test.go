package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tokens of the crash and soak tests' servers.
const (
	crashIngest = "crash-ingest-secret"
	crashEditor = "crash-editor-secret"
	crashTokens = "XINWEN_TOKENS=bot:ingest:" + crashIngest + ",ed:editor:" + crashEditor
)

// TestCrashSafety posts a stream of article batches (new articles, updates
// and deletes) to the real server and kills it with SIGKILL at random points:
// while a batch is being stored and indexed, and while a rebuild
// (POST /api/admin/reindex) runs with ingest going on. After every kill,
// `xinwen check` must find the index holding exactly the stored articles, and
// the restarted server must have every change it acknowledged, each article
// once: what GET /api/articles/{id} returns, what a scan of every search
// result lists, and what a search for each article's own word finds agree.
// Changes in flight at the kill may or may not have happened, but whichever
// did must then be there for good. Last, a store restored from an older copy
// leaves articles in the index that check must find and --repair remove.
//
// The kill points come from a seed that the test logs; XINWEN_CRASH_SEED
// repeats a run and XINWEN_CRASH_ROUNDS (default 4) sets how many kills.
func TestCrashSafety(t *testing.T) { crashSafety(t, 1) }

// TestCrashSafetySharded is TestCrashSafety on an index of three shards: a
// batch is applied shard after shard, so a kill can fall between two of
// them; the store's watermark, recorded only after every shard has the
// batch, makes the next start index it again.
func TestCrashSafetySharded(t *testing.T) { crashSafety(t, 3) }

func crashSafety(t *testing.T, shards int) {
	if testing.Short() {
		t.Skip("crash test: kills the server again and again; run without -short")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("XINWEN_CRASH_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("XINWEN_CRASH_SEED=%q: %v", s, err)
		}
	}
	rounds := 4
	if s := os.Getenv("XINWEN_CRASH_ROUNDS"); s != "" {
		var err error
		if rounds, err = strconv.Atoi(s); err != nil || rounds < 1 {
			t.Fatalf("XINWEN_CRASH_ROUNDS=%q: want a number of kills", s)
		}
	}
	t.Logf("seed %d (XINWEN_CRASH_SEED=%d repeats the kill points), %d rounds", seed, seed, rounds)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	data := filepath.Join(t.TempDir(), "data")
	m := newCrashModel()
	var srv *server
	for round := range rounds {
		// The first start makes the index; later ones keep its layout.
		srv = startServer(t, data, []string{crashTokens}, "--shards", strconv.Itoa(shards))
		if round > 0 {
			m.verify(t, srv.base, rng, false)
		}
		kind := "batch"
		if round%2 == 1 {
			kind = "rebuild"
		}
		p := m.startPosting(srv.base, rng.Uint64())
		switch kind {
		case "batch":
			// Let a few batches through, then kill at a random point of a
			// later one: somewhere within the time a batch has been taking.
			n := 2 + rng.IntN(6)
			p.waitStarted(n)
			d := time.Duration(rng.Float64() * 1.5 * float64(p.meanBatch()))
			time.Sleep(d)
			t.Logf("round %d: kill %v into batch %d (batches take %v)", round, d.Round(time.Millisecond), n, p.meanBatch().Round(time.Millisecond))
		case "rebuild":
			p.waitStarted(2)
			// Kill at a random point of the time the rebuild should take
			// (guessed from the time ingest takes an article); past its end,
			// once it has finished.
			d := time.Duration(rng.Float64() * 1.15 * float64(p.perArticle()) * float64(m.present()))
			state, done, total := m.rebuildUntil(t, srv.base, d)
			t.Logf("round %d: kill %v into a rebuild: job %s, %d of %d articles indexed", round, d.Round(time.Millisecond), state, done, total)
		}
		srv.kill()
		if err := p.stop(); err != "" {
			t.Errorf("round %d: the server refused a change before the kill: %s", round, err)
		}
		t.Logf("round %d: %d batches acknowledged, %d in flight at the kill; %d articles acknowledged so far", round, p.acked, p.inFlight(), m.present())
		if r := xinwen(t, "check", "--data", data); r.code != 0 || !strings.Contains(r.stdout, "\nconsistent") {
			t.Errorf("round %d: check after the kill: exit %d\n%s%s", round, r.code, r.stdout, r.stderr)
			if r := xinwen(t, "check", "--repair", "--data", data); r.code != 0 || !strings.Contains(r.stdout, "repaired") {
				t.Fatalf("check --repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		} else {
			t.Logf("round %d: check: %s %s", round, strings.SplitN(r.stdout, "\n", 2)[0], strings.TrimSpace(r.stderr))
		}
	}
	srv = startServer(t, data, []string{crashTokens})
	m.verify(t, srv.base, rng, true)
	srv.kill()
	if got := shardsOf(t, data); got != shards {
		t.Errorf("the index has %d shards after the kills and rebuilds, want %d", got, shards)
	}

	// Restoring the store from an older copy leaves articles in the index
	// that the store no longer has: check finds them, --repair removes them.
	backup := filepath.Join(t.TempDir(), "articles.db")
	copyFile(t, filepath.Join(data, "articles.db"), backup)
	srv = startServer(t, data, []string{crashTokens})
	extra := m.post(t, srv.base, 0, 3)
	srv.kill()
	copyFile(t, backup, filepath.Join(data, "articles.db"))
	words := make([]string, len(extra))
	for i, id := range extra {
		words[i] = crashWord(id)
	}
	anyExtra := strings.Join(words, " OR ")
	r := xinwen(t, "check", "--data", data)
	if r.code != 1 || !strings.Contains(r.stdout, "3 in the index but not stored") {
		t.Errorf("check with a store older than the index: exit %d, want 1 and 3 extra:\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := xinwen(t, "check", "--repair", "--data", data); r.code != 0 || !strings.Contains(r.stdout, "repaired") {
		t.Errorf("check --repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := xinwen(t, "check", "--data", data); r.code != 0 || !strings.Contains(r.stdout, "\nconsistent") {
		t.Errorf("check after --repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if s := search(t, data, anyExtra); s.Total != 0 {
		t.Errorf("%v, gone from the store, are still found after --repair: %+v", extra, s.Hits)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// crashModel is what the server has acknowledged, article by article.
type crashModel struct {
	mu   sync.Mutex
	next int              // the next new article's number
	rev  map[string]int   // acknowledged revision; 0: deleted (or never stored)
	sent map[string]int   // highest revision ever sent
	pend map[string][]int // changes in flight at a kill: revisions, 0 for a delete
}

func newCrashModel() *crashModel {
	return &crashModel{rev: map[string]int{}, sent: map[string]int{}, pend: map[string][]int{}}
}

// present counts the articles acknowledged as stored.
func (m *crashModel) present() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.rev {
		if r > 0 {
			n++
		}
	}
	return n
}

// crashWord is an article's own searchable word: xw and its number.
func crashWord(id string) string { return "xw" + strings.TrimPrefix(id, "c") }

var crashWords = []string{"兰州新区", "项目建设", "乡村振兴", "黄河流域", "生态保护", "文化旅游", "敦煌", "天水", "产业园区", "招商引资", "基础设施", "高质量发展", "数字经济", "农业", "教育", "医疗"}

func crashLine(rng *rand.Rand, id string, rev int) string {
	var body strings.Builder
	for range 4 + rng.IntN(6) {
		body.WriteString(crashWords[rng.IntN(len(crashWords))])
	}
	fmt.Fprintf(&body, "。修订号%d。", rev)
	b, _ := json.Marshal(map[string]any{
		"id": id, "title": fmt.Sprintf("快讯 %s %s", crashWord(id), crashWords[rng.IntN(len(crashWords))]),
		"body": body.String(), "date": fmt.Sprintf("2024-%02d-%02d 08:%02d", 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(60)),
	})
	return string(b) + "\n"
}

var revRE = regexp.MustCompile(`修订号(\d+)`)

// post sends one batch of n new articles and waits for it to be
// acknowledged; it returns their IDs.
func (m *crashModel) post(t *testing.T, base string, seed uint64, n int) []string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	var body strings.Builder
	var ids []string
	m.mu.Lock()
	for range n {
		id := fmt.Sprintf("c%06d", m.next)
		m.next++
		ids = append(ids, id)
		body.WriteString(crashLine(rng, id, 1))
	}
	m.mu.Unlock()
	code, _, err := postArticles(http.DefaultClient, base, crashIngest, body.String())
	if err != nil || code != 200 {
		t.Fatalf("post %d articles: %d %v", n, code, err)
	}
	return ids
}

type ingestReply struct {
	Failed  int `json:"failed"`
	Results []struct {
		ID, Status string
	} `json:"results"`
}

func postArticles(c *http.Client, base, token, body string) (int, ingestReply, error) {
	var v ingestReply
	req, err := http.NewRequest("POST", base+"/api/articles", strings.NewReader(body))
	if err != nil {
		return 0, v, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := c.Do(req)
	if err != nil {
		return 0, v, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return resp.StatusCode, v, err
	}
	return resp.StatusCode, v, nil
}

// poster sends batches one after another until the server stops answering.
type poster struct {
	m       *crashModel
	base    string
	rng     *rand.Rand
	started chan struct{}
	done    chan struct{}

	mu       sync.Mutex
	acked    int           // batches
	articles int           // in acknowledged batches
	took     time.Duration // all acknowledged batches
	flight   map[string]int
	err      string
}

func (m *crashModel) startPosting(base string, seed uint64) *poster {
	p := &poster{m: m, base: base, rng: rand.New(rand.NewPCG(seed, seed)), started: make(chan struct{}, 1000), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *poster) run() {
	defer close(p.done)
	client := &http.Client{Timeout: time.Minute}
	for {
		batch, deletes := p.next()
		p.started <- struct{}{}
		start := time.Now()
		var body strings.Builder
		for id, rev := range batch {
			body.WriteString(crashLine(p.rng, id, rev))
		}
		code, reply, err := postArticles(client, p.base, crashIngest, body.String())
		if err != nil || code != 200 || reply.Failed > 0 {
			p.fail(err, fmt.Sprintf("POST /api/articles: %d, %d failed: %+v", code, reply.Failed, reply.Results))
			return
		}
		p.m.mu.Lock()
		for id, rev := range batch {
			p.m.rev[id] = rev
		}
		p.m.mu.Unlock()
		p.mu.Lock()
		p.acked++
		p.articles += len(batch)
		p.took += time.Since(start)
		for id := range batch {
			delete(p.flight, id)
		}
		p.mu.Unlock()
		for _, id := range deletes {
			req, _ := http.NewRequest("DELETE", p.base+"/api/articles/"+id, nil)
			req.Header.Set("Authorization", "Bearer "+crashEditor)
			resp, err := client.Do(req)
			if err != nil {
				p.fail(err, "")
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 204 {
				p.fail(nil, "DELETE "+id+": "+resp.Status)
				return
			}
			p.m.mu.Lock()
			p.m.rev[id] = 0
			p.m.mu.Unlock()
			p.mu.Lock()
			delete(p.flight, id)
			p.mu.Unlock()
		}
	}
}

// next makes a batch: mostly new articles, some new revisions of stored
// ones, and a few stored articles to delete after it. Everything in it is in
// flight until acknowledged.
func (p *poster) next() (map[string]int, []string) {
	m := p.m
	m.mu.Lock()
	defer m.mu.Unlock()
	batch := map[string]int{}
	for range 20 + p.rng.IntN(180) {
		id := fmt.Sprintf("c%06d", m.next)
		m.next++
		batch[id] = 1
	}
	var stored []string
	for id, r := range m.rev {
		if r > 0 {
			stored = append(stored, id)
		}
	}
	slices.Sort(stored) // map order is not the seed's
	var deletes []string
	for range min(len(stored), p.rng.IntN(15)) {
		id := stored[p.rng.IntN(len(stored))]
		if _, ok := batch[id]; ok || slices.Contains(deletes, id) {
			continue // one change an article a batch
		}
		if p.rng.IntN(5) == 0 {
			deletes = append(deletes, id)
		} else {
			batch[id] = m.sent[id] + 1
		}
	}
	flight := map[string]int{}
	for id, rev := range batch {
		m.sent[id] = rev
		flight[id] = rev
	}
	for _, id := range deletes {
		flight[id] = 0
	}
	p.mu.Lock()
	p.flight = flight
	p.mu.Unlock()
	return batch, deletes
}

// fail ends the stream. An error is the kill; an answer other than success
// is a defect, reported by stop.
func (p *poster) fail(err error, answer string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err == nil {
		p.err = answer
	}
}

// waitStarted waits until the n-th batch has been sent.
func (p *poster) waitStarted(n int) {
	for range n {
		select {
		case <-p.started:
		case <-p.done:
			return
		}
	}
}

// perArticle is the time ingest has taken per acknowledged article.
func (p *poster) perArticle() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.articles == 0 {
		return time.Millisecond
	}
	return p.took / time.Duration(p.articles)
}

func (p *poster) meanBatch() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.acked == 0 {
		return 200 * time.Millisecond
	}
	return p.took / time.Duration(p.acked)
}

func (p *poster) inFlight() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.flight)
}

// stop waits for the poster to notice the server is gone and records what was
// in flight: each of those changes may or may not have happened. It returns
// the answer that stopped the poster if the server answered with anything but
// success.
func (p *poster) stop() string {
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	p.m.mu.Lock()
	defer p.m.mu.Unlock()
	for id, rev := range p.flight {
		p.m.pend[id] = append(p.m.pend[id], rev)
	}
	return p.err
}

// rebuildUntil starts a rebuild and returns after d, or once it has
// finished, with its state and progress.
func (m *crashModel) rebuildUntil(t *testing.T, base string, d time.Duration) (string, int, int) {
	t.Helper()
	call := func(method, path string) (int, map[string]any) {
		req, _ := http.NewRequest(method, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+crashEditor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	code, job := call("POST", "/api/admin/reindex")
	if code != 202 {
		t.Fatalf("start a rebuild: %d %v", code, job)
	}
	id, _ := job["id"].(string)
	start := time.Now()
	deadline := start.Add(2 * time.Minute)
	for {
		code, j := call("GET", "/api/admin/jobs/"+id)
		if code != 200 {
			t.Fatalf("job %s: %d %v", id, code, j)
		}
		state, _ := j["state"].(string)
		done, _ := j["done"].(float64)
		total, _ := j["total"].(float64)
		if state != "running" && state != "done" {
			t.Fatalf("rebuild %s: %v", state, j)
		}
		if state == "done" || time.Since(start) >= d {
			return state, int(done), int(total)
		}
		if time.Now().After(deadline) {
			t.Fatalf("rebuild still running after 2 minutes: %v", j)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// verify checks the restarted server against the model: changes in flight
// at the kill are settled to what the server has (it must keep it from then
// on). all reads every article; otherwise those in flight, the newest and a
// sample.
func (m *crashModel) verify(t *testing.T, base string, rng *rand.Rand, all bool) {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	get := func(id string) int { // the stored revision, 0 if none
		resp, err := http.Get(base + "/api/articles/" + id)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode == 404 {
			return 0
		}
		var a struct{ Body string }
		if err := json.NewDecoder(resp.Body).Decode(&a); resp.StatusCode != 200 || err != nil {
			t.Fatalf("GET %s: %s %v", id, resp.Status, err)
		}
		sub := revRE.FindStringSubmatch(a.Body)
		if sub == nil {
			t.Fatalf("GET %s: no revision in %q", id, a.Body)
		}
		n, _ := strconv.Atoi(sub[1])
		return n
	}
	// Changes in flight: either outcome, then for good.
	settled, pending := 0, len(m.pend)
	for id, revs := range m.pend {
		got := get(id)
		if got != m.rev[id] && !slices.Contains(revs, got) {
			t.Errorf("%s: revision %d stored; acknowledged %d, in flight %v", id, got, m.rev[id], revs)
		}
		if got != m.rev[id] {
			settled++
		}
		m.rev[id] = got
		delete(m.pend, id)
	}
	// Every acknowledged change, or a sample.
	var ids []string
	for id := range m.rev {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	sample := ids
	if !all && len(ids) > 300 {
		sample = ids[len(ids)-100:] // the newest
		for range 200 {
			sample = append(sample, ids[rng.IntN(len(ids))])
		}
	}
	for _, id := range sample {
		if got := get(id); got != m.rev[id] {
			t.Errorf("%s: revision %d stored, %d acknowledged", id, got, m.rev[id])
		}
	}
	// Every search result, page by page with the cursor: each article once,
	// exactly the stored ones.
	want := map[string]bool{}
	for id, r := range m.rev {
		if r > 0 {
			want[id] = true
		}
	}
	seen := map[string]bool{}
	var total uint64
	for cursor := ""; ; {
		var s struct {
			Total      uint64 `json:"total"`
			Hits       []struct{ ID string }
			NextCursor string `json:"next_cursor"`
		}
		getJSON(t, base+"/api/search?size=100&facets=false&cursor="+url.QueryEscape(cursor), &s)
		total = s.Total
		for _, h := range s.Hits {
			if seen[h.ID] {
				t.Errorf("%s is listed twice in the search results", h.ID)
			}
			seen[h.ID] = true
		}
		if cursor = s.NextCursor; cursor == "" {
			break
		}
	}
	if total != uint64(len(seen)) || len(seen) != len(want) {
		t.Errorf("search results: total %d, %d listed, %d articles stored", total, len(seen), len(want))
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s is stored but not in the search results", id)
		}
	}
	for id := range seen {
		if !want[id] {
			t.Errorf("%s is in the search results but not stored (revision %d)", id, m.rev[id])
		}
	}
	// Each article's own word finds it and only it.
	for range 20 {
		id := ids[rng.IntN(len(ids))]
		var s searchJSON
		getJSON(t, base+"/api/search?facets=false&q="+crashWord(id), &s)
		if n := len(s.Hits); m.rev[id] > 0 && (s.Total != 1 || n != 1 || s.Hits[0].ID != id) || m.rev[id] == 0 && s.Total != 0 {
			t.Errorf("search %s: %d hits %+v; article revision %d", crashWord(id), s.Total, s.Hits, m.rev[id])
		}
	}
	t.Logf("verified: %d articles stored and found once each; %d of %d changes in flight at the kill had happened; %d articles read", len(want), settled, pending, len(sample))
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s %s", u, resp.Status, b)
	}
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}
