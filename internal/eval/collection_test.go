package eval_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/eval"
	"github.com/xinwen/xinwen/internal/news"
)

func TestReadQueries(t *testing.T) {
	got, err := eval.ReadQueries(strings.NewReader("qid\tquery\ntitle-1\t国务院 常务会议\r\n\nshort-1\t 新质生产力 \nrecency-1\t高考\t2024-06-08\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []eval.Query{{ID: "title-1", Text: "国务院 常务会议"}, {ID: "short-1", Text: "新质生产力"}, {ID: "recency-1", Text: "高考", AsOf: "2024-06-08"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, bad := range []struct{ in, msg string }{
		{"q1 no tab\n", "line 1: want qid<TAB>query"},
		{"q1\tx\nq1\ty\n", `line 2: query "q1" appears twice`},
		{"q1\tx\nq2\t \n", "line 2: empty"},
		{"q1\tx\t2024-6-8\n", `line 1: as_of "2024-6-8" is not a day`},
	} {
		_, err := eval.ReadQueries(strings.NewReader(bad.in))
		if news.ErrorCode(err) != news.EINVALID || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%q: %v, want EINVALID with %q", bad.in, err, bad.msg)
		}
	}
}

func TestReadQrels(t *testing.T) {
	// Both layouts, tabs and spaces, a header, a repeated judgement.
	in := "query-id\tcorpus-id\tscore\n" +
		"q1\td1\t1\n" +
		"q1 0 d2 2\n" +
		"q2\t0\td3\t0\n" +
		"\n" +
		"q1\td1\t3\n"
	got, err := eval.ReadQrels(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := eval.Qrels{"q1": {"d1": 3, "d2": 2}, "q2": {"d3": 0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []struct{ in, msg string }{
		{"q1\td1\n", "line 1: want qid, docid and relevance"},
		{"q1\td1\t1\nq1\td2\tyes\n", `line 2: relevance "yes"`},
		{"q1 a b c d\n", "found 5 fields"},
	} {
		_, err := eval.ReadQrels(strings.NewReader(bad.in))
		if news.ErrorCode(err) != news.EINVALID || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("%q: %v, want EINVALID with %q", bad.in, err, bad.msg)
		}
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	qs := []eval.Query{{ID: "q-2", Text: "a\tb"}, {ID: "q-1", Text: "新闻"}}
	qrels := eval.Qrels{"q-1": {"z": 1, "a": 2}, "q-2": {"d": 1}}
	var qb, rb bytes.Buffer
	if err := eval.WriteQueries(&qb, qs); err != nil {
		t.Fatal(err)
	}
	if err := eval.WriteQrels(&rb, qs, qrels); err != nil {
		t.Fatal(err)
	}
	if got, want := rb.String(), "q-2\t0\td\t1\nq-1\t0\ta\t2\nq-1\t0\tz\t1\n"; got != want {
		t.Errorf("qrels written:\n%s\nwant\n%s", got, want)
	}
	gotQ, err := eval.ReadQueries(&qb)
	if err != nil {
		t.Fatal(err)
	}
	if gotQ[0].Text != "a b" || gotQ[1] != qs[1] {
		t.Errorf("queries read back: %+v", gotQ)
	}
	gotR, err := eval.ReadQrels(&rb)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotR, qrels) {
		t.Errorf("qrels read back: %v", gotR)
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{"title-0042": "title", "question-trad-7": "question-trad", "42": "", "-1": ""} {
		if got := eval.Group(in); got != want {
			t.Errorf("Group(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDefaultRequest: a query searched as of a day sees the stories
// published up to the end of that day (China Standard Time).
func TestDefaultRequest(t *testing.T) {
	req := eval.DefaultRequest(eval.Query{ID: "r-1", Text: "高考", AsOf: "2024-06-08"})
	if want := time.Date(2024, 6, 9, 0, 0, 0, 0, news.CST); !req.To.Equal(want) || req.Query != "高考" || req.Size != eval.Depth {
		t.Errorf("DefaultRequest = %+v, want up to %v", req, want)
	}
	if req := eval.DefaultRequest(eval.Query{Text: "高考"}); !req.To.IsZero() {
		t.Errorf("without as_of: to %v", req.To)
	}
}
