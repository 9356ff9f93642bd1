package news

import "fmt"

// Ingest outcome statuses: what happened to one record.
const (
	OutcomeAdded     = "added"     // a new article was stored
	OutcomeUpdated   = "updated"   // the stored article with its ID was replaced
	OutcomeUnchanged = "unchanged" // the stored article was the same already
	OutcomeDuplicate = "duplicate" // a new article, stored as a near-copy of DuplicateOf
	OutcomeFailed    = "failed"    // not stored: Error says why
)

// IngestOutcome is what happened to one ingested record: its article's ID,
// one of the Outcome statuses, and where the record came from.
type IngestOutcome struct {
	ID          string `json:"id,omitempty"`
	Status      string `json:"status"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
	Error       string `json:"error,omitempty"`
	File        string `json:"file,omitempty"`
	Line        int    `json:"line,omitempty"` // the NDJSON line or array element, from 1
}

// IngestSummary counts ingest outcomes by status.
type IngestSummary struct {
	Added, Updated, Unchanged, Duplicates, Failed int
}

// Add counts o under its status; an unknown status is not counted.
func (s *IngestSummary) Add(o IngestOutcome) {
	switch o.Status {
	case OutcomeAdded:
		s.Added++
	case OutcomeUpdated:
		s.Updated++
	case OutcomeUnchanged:
		s.Unchanged++
	case OutcomeDuplicate:
		s.Duplicates++
	case OutcomeFailed:
		s.Failed++
	}
}

// String reads like "3 added, 0 updated, 1 unchanged, 0 duplicates, 2 failed".
func (s IngestSummary) String() string {
	return fmt.Sprintf("%d added, %d updated, %d unchanged, %d duplicates, %d failed",
		s.Added, s.Updated, s.Unchanged, s.Duplicates, s.Failed)
}
