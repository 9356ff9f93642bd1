package bench

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time the process has used, all
// threads together (0 where getrusage fails).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// memory samples the Go heap every 20 ms and resets the process's peak
// resident set at the start, until stop.
type memory struct {
	done      chan struct{}
	wg        sync.WaitGroup
	peakHeap  uint64
	sinceBoot bool
}

func startMemory() *memory {
	m := &memory{done: make(chan struct{})}
	// Writing 5 to clear_refs resets VmHWM to the current resident set
	// (Linux 4.0 and later).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		m.sinceBoot = true
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			m.peakHeap = max(m.peakHeap, ms.HeapInuse)
			select {
			case <-m.done:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memory) stop() Memory {
	close(m.done)
	m.wg.Wait()
	out := Memory{PeakHeapMB: float64(m.peakHeap) / (1 << 20), RSSSinceStart: m.sinceBoot}
	if kb, ok := procStatus("VmHWM"); ok {
		out.PeakRSSMB = float64(kb) / 1024
	} else {
		out.RSSSinceStart = false
	}
	return out
}

// procStatus returns a field of /proc/self/status in kB.
func procStatus(field string) (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != field {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		return n, err == nil
	}
	return 0, false
}
