package news

import "time"

// Job states: a job is JobRunning until it ends in one of the other three.
const (
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// Job is a rebuild of the index from the article store, run in the
// background: its progress and outcome, as the admin API shows it. State is
// one of the Job states; Finished is zero while it runs.
type Job struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	State      string    `json:"state"`
	Done       int       `json:"done"`  // articles indexed so far
	Total      int       `json:"total"` // articles in the store when it started
	Rate       float64   `json:"rate"`  // articles a second
	ETASeconds float64   `json:"eta_seconds,omitempty"`
	Errors     []string  `json:"errors,omitempty"`
	Dictionary string    `json:"dictionary"` // the user-dictionary version it builds with
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished,omitzero"`
}
