package news_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// TestJobJSON pins the JSON of a rebuild job: the admin API sends it and the
// OpenAPI document describes it.
func TestJobJSON(t *testing.T) {
	started := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		j    news.Job
		want string
	}{
		{news.Job{ID: "j1", Kind: "reindex", State: news.JobRunning, Done: 10, Total: 40, Rate: 5, ETASeconds: 6, Dictionary: "base", Started: started},
			`{"id":"j1","kind":"reindex","state":"running","done":10,"total":40,"rate":5,"eta_seconds":6,"dictionary":"base","started":"2024-05-01T08:00:00Z"}`},
		{news.Job{ID: "j2", Kind: "reindex", State: news.JobFailed, Done: 3, Total: 40, Errors: []string{"disk full"}, Dictionary: "a1b2", Started: started, Finished: started.Add(time.Minute)},
			`{"id":"j2","kind":"reindex","state":"failed","done":3,"total":40,"rate":0,"errors":["disk full"],"dictionary":"a1b2","started":"2024-05-01T08:00:00Z","finished":"2024-05-01T08:01:00Z"}`},
	} {
		b, err := json.Marshal(tc.j)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(b); got != tc.want {
			t.Errorf("%+v:\n got %s\nwant %s", tc.j, got, tc.want)
		}
	}
	for got, want := range map[string]string{
		news.JobRunning:   "running",
		news.JobDone:      "done",
		news.JobFailed:    "failed",
		news.JobCancelled: "cancelled",
	} {
		if got != want {
			t.Errorf("state %q, want %q", got, want)
		}
	}
}
