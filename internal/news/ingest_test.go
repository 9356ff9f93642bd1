package news_test

import (
	"encoding/json"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
)

// TestIngestOutcomeJSON pins the JSON of an outcome: POST /api/articles
// sends it and the OpenAPI document describes it.
func TestIngestOutcomeJSON(t *testing.T) {
	for _, tc := range []struct {
		o    news.IngestOutcome
		want string
	}{
		{news.IngestOutcome{Status: news.OutcomeAdded}, `{"status":"added"}`},
		{news.IngestOutcome{ID: "b", Status: news.OutcomeDuplicate, DuplicateOf: "a", File: "in.jsonl", Line: 3},
			`{"id":"b","status":"duplicate","duplicate_of":"a","file":"in.jsonl","line":3}`},
		{news.IngestOutcome{Status: news.OutcomeFailed, Error: "no title", Line: 2}, `{"status":"failed","error":"no title","line":2}`},
	} {
		b, err := json.Marshal(tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(b); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.o, got, tc.want)
		}
	}
	for got, want := range map[string]string{
		news.OutcomeAdded:     "added",
		news.OutcomeUpdated:   "updated",
		news.OutcomeUnchanged: "unchanged",
		news.OutcomeDuplicate: "duplicate",
		news.OutcomeFailed:    "failed",
	} {
		if got != want {
			t.Errorf("status %q, want %q", got, want)
		}
	}
}

func TestIngestSummary(t *testing.T) {
	var s news.IngestSummary
	for _, st := range []string{
		news.OutcomeAdded, news.OutcomeAdded, news.OutcomeAdded,
		news.OutcomeUpdated,
		news.OutcomeUnchanged, news.OutcomeUnchanged,
		news.OutcomeDuplicate,
		news.OutcomeFailed, news.OutcomeFailed,
		"", "exploded", // not statuses: not counted
	} {
		s.Add(news.IngestOutcome{Status: st})
	}
	if got, want := s, (news.IngestSummary{Added: 3, Updated: 1, Unchanged: 2, Duplicates: 1, Failed: 2}); got != want {
		t.Errorf("summary %+v, want %+v", got, want)
	}
	if got, want := s.String(), "3 added, 1 updated, 2 unchanged, 1 duplicates, 2 failed"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
