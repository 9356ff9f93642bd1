package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the report as a table, one column per analysis and,
// when there are two, the ratio of the first to the second.
func (r *Report) WriteTable(w io.Writer) error {
	switch {
	case r.RawBytes > 0:
		fmt.Fprintf(w, "%d articles, %.1f MB of title and body text, GOMAXPROCS %d, GOGC %d while searching\n", r.Docs, float64(r.RawBytes)/1e6, r.GoMaxProcs, r.QueryGOGC)
	case r.Docs > 0:
		fmt.Fprintf(w, "%d articles, GOMAXPROCS %d, GOGC %d while searching\n", r.Docs, r.GoMaxProcs, r.QueryGOGC)
	case r.GoMaxProcs > 0:
		fmt.Fprintf(w, "GOMAXPROCS %d, GOGC %d while searching\n", r.GoMaxProcs, r.QueryGOGC)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	two := len(r.Engines) == 2
	row := func(label string, cell func(e Engine) string, ratio func(e Engine) float64) {
		cells := []string{label}
		for _, e := range r.Engines {
			cells = append(cells, cell(e))
		}
		if two {
			if ratio != nil && ratio(r.Engines[1]) != 0 {
				cells = append(cells, fmt.Sprintf("%.2f×", ratio(r.Engines[0])/ratio(r.Engines[1])))
			} else {
				cells = append(cells, "")
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	head := []string{""}
	for _, e := range r.Engines {
		head = append(head, e.Analysis)
	}
	if two {
		head = append(head, "ratio")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	mb := func(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	indexed := len(r.Engines) > 0 && r.Engines[0].Docs > 0
	if indexed {
		row("indexing docs/s", func(e Engine) string { return fmt.Sprintf("%.0f", e.DocsPerSec) }, func(e Engine) float64 { return e.DocsPerSec })
		row("indexing MB/s", func(e Engine) string { return fmt.Sprintf("%.2f", e.MBPerSec) }, nil)
		row("indexing docs/CPU-s", func(e Engine) string { return fmt.Sprintf("%.0f", e.DocsPerCPUSec) }, func(e Engine) float64 { return e.DocsPerCPUSec })
		row("indexing wall time", func(e Engine) string { return fmt.Sprintf("%.0f s", e.WallSec) }, func(e Engine) float64 { return e.WallSec })
	}
	row("index size", func(e Engine) string { return mb(e.IndexBytes) }, func(e Engine) float64 { return float64(e.IndexBytes) })
	if indexed {
		row("index size / raw text", func(e Engine) string { return fmt.Sprintf("%.2f×", e.XRaw) }, nil)
	}
	row("segments", func(e Engine) string { return fmt.Sprint(e.Segments) }, nil)
	memRows := func(phase string, m func(e Engine) Memory) {
		row("peak Go heap, "+phase, func(e Engine) string { return fmt.Sprintf("%.0f MB", m(e).PeakHeapMB) }, func(e Engine) float64 { return m(e).PeakHeapMB })
		row("peak RSS, "+phase, func(e Engine) string {
			mm := m(e)
			switch {
			case mm.PeakRSSMB == 0:
				return "n/a"
			case mm.RSSSinceStart:
				return fmt.Sprintf("%.0f MB*", mm.PeakRSSMB)
			}
			return fmt.Sprintf("%.0f MB", mm.PeakRSSMB)
		}, func(e Engine) float64 { return m(e).PeakRSSMB })
	}
	if indexed {
		memRows("indexing", func(e Engine) Memory { return e.Indexing })
	}
	memRows("searching", func(e Engine) Memory { return e.Searching })
	if len(r.Engines) > 0 {
		for i, q := range r.Engines[0].Queries {
			row(q.Name+" p50 / p99", func(e Engine) string {
				if i >= len(e.Queries) {
					return ""
				}
				return fmt.Sprintf("%.2f / %.1f ms", e.Queries[i].P50MS, e.Queries[i].P99MS)
			}, func(e Engine) float64 {
				if i >= len(e.Queries) {
					return 0
				}
				return e.Queries[i].P50MS
			})
			row(q.Name+" CPU p50 / p99", func(e Engine) string {
				if i >= len(e.Queries) {
					return ""
				}
				return fmt.Sprintf("%.2f / %.1f ms", e.Queries[i].CPUP50MS, e.Queries[i].CPUP99MS)
			}, func(e Engine) float64 {
				if i >= len(e.Queries) {
					return 0
				}
				return e.Queries[i].CPUP50MS
			})
			row(q.Name+" hits", func(e Engine) string {
				if i >= len(e.Queries) {
					return ""
				}
				return fmt.Sprint(e.Queries[i].Total)
			}, nil)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// Checkpoints, each as its own table.
	for i := 0; len(r.Engines) > 0 && i < len(r.Engines[0].Checkpoints); i++ {
		cp := Report{GoMaxProcs: r.GoMaxProcs, QueryGOGC: r.QueryGOGC}
		for _, e := range r.Engines {
			if i < len(e.Checkpoints) {
				cp.Engines = append(cp.Engines, e.Checkpoints[i])
				cp.Docs = e.Checkpoints[i].Docs
			}
		}
		fmt.Fprintf(w, "\ncheckpoint: ")
		if err := cp.WriteTable(w); err != nil {
			return err
		}
	}
	return nil
}
