package suggest_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/suggest"
	"github.com/xinwen/xinwen/internal/testseg"
)

// slowSource lists a few words, slowly when told to: SuggestWords then
// waits until its context ends, and records whether it is reading.
type slowSource struct {
	slow    atomic.Bool
	version atomic.Uint64
	reading atomic.Int32
	entered chan struct{}
	fail    atomic.Bool
}

func (s *slowSource) SuggestVersion() suggest.Version {
	return suggest.Version{Changes: s.version.Load()}
}

func (s *slowSource) SuggestWords(ctx context.Context, title, body func(string, int)) error {
	s.reading.Add(1)
	defer s.reading.Add(-1)
	if s.fail.Load() {
		return errors.New("disk gone")
	}
	if s.slow.Load() {
		s.entered <- struct{}{}
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond) // what a reader takes to notice
		return ctx.Err()
	}
	title("新能源", 3)
	body("新疆", 2)
	return nil
}

func (s *slowSource) NewestTitles(context.Context, int) ([]string, error) {
	return []string{"新闻发布会"}, nil
}

// TestCloseWaitsForBackgroundWork: Close ends a rebuild running in the
// background and returns only when it no longer reads the source; after
// it, no rebuild starts and Suggest answers from the last snapshot.
func TestCloseWaitsForBackgroundWork(t *testing.T) {
	src := &slowSource{entered: make(chan struct{}, 1)}
	s := suggest.New(src, suggest.Options{Segmenter: testseg.Current(t), Every: time.Nanosecond})
	ctx := context.Background()
	if got, err := s.Suggest(ctx, "新", 0); err != nil || !slices.Contains(got, "新能源") {
		t.Fatalf("Suggest(新) = %q, %v", got, err)
	}
	src.slow.Store(true)
	src.version.Add(1) // changed: the next Suggest rebuilds in the background
	if _, err := s.Suggest(ctx, "新", 0); err != nil {
		t.Fatal(err)
	}
	<-src.entered
	s.Close()
	if n := src.reading.Load(); n != 0 {
		t.Fatalf("Close returned while %d rebuilds still read the source", n)
	}
	s.RefreshInBackground()
	if err := s.Refresh(ctx); news.ErrorCode(err) != news.EUNAVAILABLE {
		t.Errorf("Refresh after Close: %v, want EUNAVAILABLE", err)
	}
	if got, err := s.Suggest(ctx, "新", 0); err != nil || !slices.Contains(got, "新能源") {
		t.Errorf("Suggest after Close = %q, %v; want the last snapshot's", got, err)
	}
	if src.reading.Load() != 0 {
		t.Error("a rebuild started after Close")
	}
}

// TestCloseEndsRefresh: Close cancels a Refresh in the foreground too.
func TestCloseEndsRefresh(t *testing.T) {
	src := &slowSource{entered: make(chan struct{}, 1)}
	src.slow.Store(true)
	s := suggest.New(src, suggest.Options{})
	done := make(chan error, 1)
	go func() { done <- s.Refresh(context.Background()) }()
	<-src.entered
	s.Close()
	if src.reading.Load() != 0 {
		t.Error("Close returned while Refresh still read the source")
	}
	if err := <-done; news.ErrorCode(err) != news.EUNAVAILABLE {
		t.Errorf("Refresh ended by Close: %v, want EUNAVAILABLE", err)
	}
}

// TestBackgroundErrors: a rebuild in the background that fails keeps the
// old snapshot and says why through OnError.
func TestBackgroundErrors(t *testing.T) {
	src := &slowSource{}
	errs := make(chan error, 1)
	s := suggest.New(src, suggest.Options{Every: time.Nanosecond, OnError: func(err error) { errs <- err }})
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Suggest(ctx, "新", 0); err != nil {
		t.Fatal(err)
	}
	src.fail.Store(true)
	src.version.Add(1)
	if got, err := s.Suggest(ctx, "新", 0); err != nil || !slices.Contains(got, "新能源") {
		t.Errorf("Suggest while the source fails = %q, %v; want the old snapshot's", got, err)
	}
	select {
	case err := <-errs:
		if err == nil {
			t.Error("OnError(nil)")
		}
	case <-time.After(10 * time.Second):
		t.Error("a failed rebuild in the background was not reported")
	}
}
