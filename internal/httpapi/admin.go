package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/xinwen/xinwen/internal/news"
)

// Rebuilder runs index rebuilds as jobs: the live index.
type Rebuilder interface {
	StartRebuild(dictVersion string) (news.Job, error)
	Job(id string) (news.Job, error)
	CancelJob(id string) (news.Job, error)
	RunningJob() (news.Job, bool)
	DictVersion() string
	Count() (uint64, error)
}

// status is the answer of GET /api/admin/status.
type status struct {
	Articles          uint64    `json:"articles"`
	IndexDictionary   string    `json:"index_dictionary"`   // the dictionary version that built the index
	CurrentDictionary string    `json:"current_dictionary"` // the one queries and new articles use
	RebuildDue        bool      `json:"rebuild_due"`
	Running           *news.Job `json:"running_job,omitempty"`
}

func (h *handlers) rebuilder() (Rebuilder, error) {
	if h.cfg.Rebuild == nil {
		return nil, news.Errorf(news.EUNAVAILABLE, "reindexing is not available on this server")
	}
	return h.cfg.Rebuild, nil
}

func (h *handlers) currentDict() string {
	if h.cfg.DictVersion == nil {
		return ""
	}
	return h.cfg.DictVersion()
}

// startReindex starts a rebuild: 202 with the job, or 409 with the job that
// is already running.
func (h *handlers) startReindex(c echo.Context) error {
	r, err := h.rebuilder()
	if err != nil {
		return err
	}
	job, err := r.StartRebuild(h.currentDict())
	if news.ErrorCode(err) == news.ECONFLICT {
		return c.JSON(http.StatusConflict, map[string]any{
			"error": map[string]string{"code": news.ECONFLICT, "message": news.ErrorMessage(err)},
			"job":   job,
		})
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/admin/jobs/"+job.ID)
	return c.JSON(http.StatusAccepted, job)
}

func (h *handlers) getJob(c echo.Context) error {
	r, err := h.rebuilder()
	if err != nil {
		return err
	}
	job, err := r.Job(c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, job)
}

func (h *handlers) cancelJob(c echo.Context) error {
	r, err := h.rebuilder()
	if err != nil {
		return err
	}
	job, err := r.CancelJob(c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, job)
}

func (h *handlers) adminStatus(c echo.Context) error {
	r, err := h.rebuilder()
	if err != nil {
		return err
	}
	n, err := r.Count()
	if err != nil {
		return err
	}
	st := status{Articles: n, IndexDictionary: r.DictVersion(), CurrentDictionary: h.currentDict()}
	st.RebuildDue = st.CurrentDictionary != "" && st.IndexDictionary != st.CurrentDictionary
	if job, ok := r.RunningJob(); ok {
		st.Running = &job
	}
	return c.JSON(http.StatusOK, st)
}
