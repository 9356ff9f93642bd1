package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

// ingestResponse lists what happened to every record of a request.
type ingestResponse struct {
	Added      int                  `json:"added"`
	Updated    int                  `json:"updated"`
	Unchanged  int                  `json:"unchanged"`
	Duplicates int                  `json:"duplicates"`
	Failed     int                  `json:"failed"`
	Results    []news.IngestOutcome `json:"results"`
}

// postArticles takes one JSON article, a JSON array or NDJSON (one article a
// line). It answers 200 when every record was stored, 207 when some failed
// (the others are stored), 400 when all failed; results name each record's
// line (or array index) and outcome.
func (h *handlers) postArticles(c echo.Context) error {
	if h.cfg.Ingest == nil {
		return news.Errorf(news.EUNAVAILABLE, "ingest is not available on this server")
	}
	var recs []extract.Record
	err := extract.JSON(c.Request().Body, "request", func(r extract.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range recs { // a body cut at the limit: refuse it whole
		if err := tooLarge(r.Err); err != nil {
			return err
		}
	}
	if len(recs) == 0 {
		return news.Errorf(news.EINVALID, "the request body has no articles: send one JSON object, a JSON array, or one object per line")
	}
	for i := range recs {
		recs[i].File = "" // the request is the file; the line says where
	}
	outs, err := h.cfg.Ingest.Put(c.Request().Context(), recs)
	if err != nil {
		return err
	}
	var sum news.IngestSummary
	for _, o := range outs {
		sum.Add(o)
	}
	status := http.StatusOK
	switch {
	case sum.Failed == len(outs):
		status = http.StatusBadRequest
	case sum.Failed > 0:
		status = http.StatusMultiStatus
	}
	return c.JSON(status, ingestResponse{
		Added: sum.Added, Updated: sum.Updated, Unchanged: sum.Unchanged,
		Duplicates: sum.Duplicates, Failed: sum.Failed, Results: outs,
	})
}

// deleteArticle removes an article from the store and the index: 204, or
// 404 for an unknown ID. Editors only.
func (h *handlers) deleteArticle(c echo.Context) error {
	if h.cfg.Delete == nil {
		return news.Errorf(news.EUNAVAILABLE, "deleting articles is not available on this server")
	}
	if err := h.cfg.Delete.Delete(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
