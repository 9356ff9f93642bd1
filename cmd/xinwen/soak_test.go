package main_test

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSoak runs concurrent searches, article reads, suggestions and ingests
// (new revisions of a fixed set of articles, so the corpus stays the same
// size) against the real server on loopback for a bounded time: 20 seconds,
// or XINWEN_SOAK (a duration such as 5m). Every request must succeed, the
// heap in use (go_memstats_heap_inuse_bytes at /metrics) must stay flat after
// the warm-up, within generous bounds, and the goroutines must come back to
// where they started once the clients have gone. Latency is logged per
// interval, never asserted: BENCHMARKS.md records it.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: runs for 20 seconds or XINWEN_SOAK; run without -short")
	}
	dur := 20 * time.Second
	if s := os.Getenv("XINWEN_SOAK"); s != "" {
		var err error
		if dur, err = time.ParseDuration(s); err != nil || dur < 10*time.Second {
			t.Fatalf("XINWEN_SOAK=%q: want a duration of 10s or more, like 5m", s)
		}
	}
	interval := dur / 5
	if dur >= 3*time.Minute {
		interval = time.Minute
	}
	data := filepath.Join(t.TempDir(), "data")
	srv := startServer(t, data, []string{crashTokens}, "--demo")
	base := srv.base
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer client.CloseIdleConnections()

	// The fixed set of articles the ingester revises, stored once first.
	const pool = 500
	rng := rand.New(rand.NewPCG(1, 2))
	var body strings.Builder
	for i := range pool {
		body.WriteString(crashLine(rng, fmt.Sprintf("c%06d", i), 1))
	}
	if code, reply, err := postArticles(client, base, crashIngest, body.String()); err != nil || code != 200 {
		t.Fatalf("store the pool: %d %v %+v", code, err, reply)
	}
	// Goroutines and heap at rest, with the suggestions built.
	getJSON(t, base+"/api/suggest?q="+url.QueryEscape("兰"), new(any))
	time.Sleep(time.Second)
	rest := scrape(t, client, base)

	st := newSoakStats(interval)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	worker := func(seed uint64, pause time.Duration, work func(*rand.Rand) (string, int, error)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, seed))
			for {
				select {
				case <-stop:
					return
				case <-time.After(pause):
				}
				start := time.Now()
				kind, code, err := work(rng)
				st.add(kind, time.Since(start), code, err)
			}
		}()
	}
	get := func(u string) (int, error) {
		resp, err := client.Get(base + u)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	for i := range 4 { // readers: searches, and now and then an article, its related list, a suggestion
		worker(uint64(i), 0, func(rng *rand.Rand) (string, int, error) {
			switch r := rng.IntN(10); {
			case r == 0:
				code, err := get(fmt.Sprintf("/api/articles/c%06d", rng.IntN(pool)))
				return "article", code, err
			case r == 1:
				code, err := get(fmt.Sprintf("/api/articles/c%06d/related", rng.IntN(pool)))
				return "related", code, err
			case r == 2:
				w := []rune(soakQueries[rng.IntN(len(soakQueries))])
				code, err := get("/api/suggest?q=" + url.QueryEscape(string(w[:1])))
				return "suggest", code, err
			}
			code, err := get("/api/search?" + soakSearch(rng))
			return "search", code, err
		})
	}
	rev := map[int]int{}
	worker(99, 500*time.Millisecond, func(rng *rand.Rand) (string, int, error) { // the ingester: 25 new revisions, then a pause
		var body strings.Builder
		for range 25 {
			i := rng.IntN(pool)
			rev[i]++
			body.WriteString(crashLine(rng, fmt.Sprintf("c%06d", i), rev[i]+1))
		}
		code, reply, err := postArticles(client, base, crashIngest, body.String())
		if err == nil && reply.Failed > 0 {
			err = fmt.Errorf("%d records failed: %+v", reply.Failed, reply.Results)
		}
		return "ingest", code, err
	})

	var samples []metricsSample
	start := time.Now()
	tick := time.NewTicker(time.Second)
	for now := range tick.C {
		s := scrape(t, client, base)
		s.at = now.Sub(start)
		samples = append(samples, s)
		if s.at >= dur {
			break
		}
	}
	tick.Stop()
	close(stop)
	wg.Wait()
	client.CloseIdleConnections()

	// Heap in use: the mean of the last fifth of the run against the highest
	// of the second fifth (the first is warm-up). Goroutines: back to rest.
	var warm, late []float64
	for _, s := range samples {
		switch {
		case s.at > dur/5 && s.at <= 2*dur/5:
			warm = append(warm, s.heap)
		case s.at > 4*dur/5:
			late = append(late, s.heap)
		}
	}
	warmMax, lateMean := slices.Max(warm), mean(late)
	st.report(t, samples, dur)
	t.Logf("heap in use: %.1f MiB at rest, at most %.1f MiB after warm-up, %.1f MiB on average at the end", rest.heap/(1<<20), warmMax/(1<<20), lateMean/(1<<20))
	if lateMean > 2*warmMax+64<<20 {
		t.Errorf("heap in use grew from at most %.1f MiB after warm-up to %.1f MiB at the end", warmMax/(1<<20), lateMean/(1<<20))
	}
	var after metricsSample
	for range 20 { // connections close and their goroutines end
		time.Sleep(250 * time.Millisecond)
		if after = scrape(t, client, base); after.goroutines <= rest.goroutines+5 {
			break
		}
	}
	t.Logf("goroutines: %.0f at rest, %.0f after the load", rest.goroutines, after.goroutines)
	if after.goroutines > rest.goroutines+5 {
		t.Errorf("goroutines: %.0f at rest, %.0f once the load has gone: a leak", rest.goroutines, after.goroutines)
	}
	if n := st.errors(); n > 0 {
		t.Errorf("%d requests failed; the first: %s", n, st.firstErr)
	}
	if st.total() < 100 {
		t.Errorf("only %d requests in %v: the soak did not run", st.total(), dur)
	}
}

// soakQueries are what readers type: words, names, phrases, OR, exclusions,
// single characters, Latin.
var soakQueries = []string{"清水县", "王毅", "发展", "甘肃", `"新质生产力"`, "5G", "经济 OR 教育", "发展 -天水", "张", "兰州新区", "乡村振兴", "黄河", "xw000042", "敦煌 文化旅游", "高质量发展", "数字经济"}

func soakSearch(rng *rand.Rand) string {
	v := url.Values{"q": {soakQueries[rng.IntN(len(soakQueries))]}}
	switch rng.IntN(6) {
	case 0:
		v.Set("province", "甘肃省")
	case 1:
		v.Set("sort", "date")
	case 2:
		v.Set("from", "2024-01-01")
	case 3:
		v.Set("page", strconv.Itoa(1+rng.IntN(5)))
	}
	if rng.IntN(4) == 0 {
		v.Set("facets", "false")
	}
	return v.Encode()
}

type metricsSample struct {
	at                    time.Duration
	heap, rss, goroutines float64
}

// scrape reads the heap in use, resident memory and goroutines from /metrics.
func scrape(t *testing.T, c *http.Client, base string) metricsSample {
	t.Helper()
	resp, err := c.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s metricsSample
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		f, _ := strconv.ParseFloat(val, 64)
		switch name {
		case "go_memstats_heap_inuse_bytes":
			s.heap = f
		case "process_resident_memory_bytes":
			s.rss = f
		case "go_goroutines":
			s.goroutines = f
		}
	}
	if s.heap == 0 || s.goroutines == 0 {
		t.Fatalf("/metrics lacks go_memstats_heap_inuse_bytes or go_goroutines")
	}
	return s
}

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// soakStats counts requests and keeps latencies by interval.
type soakStats struct {
	mu       sync.Mutex
	start    time.Time
	interval time.Duration
	buckets  []map[string][]time.Duration
	errs     []int
	firstErr string
}

func newSoakStats(interval time.Duration) *soakStats {
	return &soakStats{start: time.Now(), interval: interval}
}

func (s *soakStats) add(kind string, d time.Duration, code int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := int(time.Since(s.start) / s.interval)
	for len(s.buckets) <= i {
		s.buckets = append(s.buckets, map[string][]time.Duration{})
		s.errs = append(s.errs, 0)
	}
	s.buckets[i][kind] = append(s.buckets[i][kind], d)
	if err != nil || code/100 != 2 {
		s.errs[i]++
		if s.firstErr == "" {
			s.firstErr = fmt.Sprintf("%s: status %d, %v", kind, code, err)
		}
	}
}

func (s *soakStats) errors() int {
	n := 0
	for _, e := range s.errs {
		n += e
	}
	return n
}

func (s *soakStats) total() int {
	n := 0
	for _, b := range s.buckets {
		for _, ds := range b {
			n += len(ds)
		}
	}
	return n
}

// report logs one line per interval: requests, errors, heap and resident
// memory at its end, and search and ingest latency (p50/p99).
func (s *soakStats) report(t *testing.T, samples []metricsSample, dur time.Duration) {
	t.Helper()
	pct := func(ds []time.Duration, p float64) string {
		if len(ds) == 0 {
			return "-"
		}
		ds = slices.Clone(ds)
		slices.Sort(ds)
		return fmt.Sprintf("%.1f", float64(ds[int(p*float64(len(ds)-1))].Microseconds())/1000)
	}
	t.Logf("| until | requests | errors | searches | ingests (25 each) | heap in use MiB | RSS MiB | goroutines | search p50/p99 ms | ingest p50/p99 ms |")
	for i, b := range s.buckets {
		end := time.Duration(i+1) * s.interval
		if end-s.interval >= dur {
			break // the few requests in flight when the load stopped
		}
		var last metricsSample
		for _, m := range samples {
			if m.at <= end {
				last = m
			}
		}
		n := 0
		for _, ds := range b {
			n += len(ds)
		}
		t.Logf("| %v | %d | %d | %d | %d | %.1f | %.1f | %.0f | %s / %s | %s / %s |", end, n, s.errs[i], len(b["search"]), len(b["ingest"]),
			last.heap/(1<<20), last.rss/(1<<20), last.goroutines,
			pct(b["search"], .5), pct(b["search"], .99), pct(b["ingest"], .5), pct(b["ingest"], .99))
	}
}
