package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// maxJobs is how many finished jobs are remembered.
const maxJobs = 20

type jobs struct {
	mu      sync.Mutex
	list    []*news.Job // oldest first
	running *news.Job
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

func (js *jobs) cancelAll() {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.cancel != nil {
		js.cancel()
	}
}

func (js *jobs) wait() { js.wg.Wait() }

// StartRebuild starts rebuilding the index from the store in the background
// with the given user-dictionary version, and returns the job. Only one
// rebuild runs at a time: while one runs, it returns that job and an
// ECONFLICT error.
func (l *Service) StartRebuild(dictVersion string) (news.Job, error) {
	js := &l.jobs
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.running != nil {
		return *js.running, news.Errorf(news.ECONFLICT, "a rebuild is already running (job %s, %d of %d articles); wait for it or cancel it", js.running.ID, js.running.Done, js.running.Total)
	}
	total, err := l.store.Count()
	if err != nil {
		return news.Job{}, err
	}
	id := make([]byte, 8)
	rand.Read(id)
	job := &news.Job{ID: hex.EncodeToString(id), Kind: "reindex", State: news.JobRunning, Total: total, Dictionary: dictVersion, Started: time.Now()}
	ctx, cancel := context.WithCancel(context.Background())
	js.running, js.cancel = job, cancel
	js.list = append(js.list, job)
	if len(js.list) > maxJobs {
		js.list = js.list[len(js.list)-maxJobs:]
	}
	js.wg.Add(1)
	go func() {
		defer js.wg.Done()
		defer cancel()
		err := l.rebuild(ctx, dictVersion, func(done int) {
			js.mu.Lock()
			defer js.mu.Unlock()
			job.Done = done
			if el := time.Since(job.Started).Seconds(); el > 0 {
				job.Rate = float64(done) / el
				if job.Rate > 0 && job.Total > done {
					job.ETASeconds = float64(job.Total-done) / job.Rate
				} else {
					job.ETASeconds = 0
				}
			}
		})
		js.mu.Lock()
		defer js.mu.Unlock()
		job.Finished = time.Now()
		job.ETASeconds = 0
		switch {
		case err == nil:
			job.State = news.JobDone
		case errors.Is(err, context.Canceled):
			job.State = news.JobCancelled
		default:
			job.State = news.JobFailed
			job.Errors = append(job.Errors, err.Error())
		}
		js.running, js.cancel = nil, nil
	}()
	return *job, nil
}

// Rebuild rebuilds the index and waits for it; for the command line.
func (l *Service) Rebuild(ctx context.Context, dictVersion string, progress func(done int)) error {
	l.jobs.mu.Lock()
	busy := l.jobs.running != nil
	l.jobs.mu.Unlock()
	if busy {
		return news.Errorf(news.ECONFLICT, "a rebuild is already running")
	}
	return l.rebuild(ctx, dictVersion, progress)
}

// Job returns a job by ID (ENOTFOUND if unknown or forgotten).
func (l *Service) Job(id string) (news.Job, error) {
	js := &l.jobs
	js.mu.Lock()
	defer js.mu.Unlock()
	for _, j := range js.list {
		if j.ID == id {
			return *j, nil
		}
	}
	return news.Job{}, news.Errorf(news.ENOTFOUND, "no job %q", id)
}

// CancelJob cancels a running job. Cancelling a finished job is ECONFLICT.
func (l *Service) CancelJob(id string) (news.Job, error) {
	js := &l.jobs
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.running != nil && js.running.ID == id {
		js.cancel()
		return *js.running, nil
	}
	for _, j := range js.list {
		if j.ID == id {
			return *j, news.Errorf(news.ECONFLICT, "job %s is %s, not running", id, j.State)
		}
	}
	return news.Job{}, news.Errorf(news.ENOTFOUND, "no job %q", id)
}

// RunningJob returns the running job, if any.
func (l *Service) RunningJob() (news.Job, bool) {
	js := &l.jobs
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.running == nil {
		return news.Job{}, false
	}
	return *js.running, true
}
