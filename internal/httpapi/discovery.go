package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/xinwen/xinwen/internal/news"
)

// Suggester completes partly typed queries: the index's suggestions.
type Suggester interface {
	// Suggest returns up to n completions of prefix, best first; n 0 means
	// the default number. Bad input is an EINVALID error.
	Suggest(ctx context.Context, prefix string, n int) ([]string, error)
}

// Relater finds the articles most like a given one: the index.
type Relater interface {
	// Related returns up to n hits like a, best first, never a itself or
	// its near-duplicates; n 0 means the default number. Bad input is an
	// EINVALID error.
	Related(ctx context.Context, a news.Article, n int) ([]news.Hit, error)
}

// suggestResponse is the body of GET /api/suggest.
type suggestResponse struct {
	Q           string   `json:"q"`
	Suggestions []string `json:"suggestions"`
}

// relatedResponse is the body of GET /api/articles/{id}/related.
type relatedResponse struct {
	ID   string     `json:"id"`
	Hits []news.Hit `json:"hits"`
}

// suggest answers GET /api/suggest?q=&n=: completions of q for a search
// box, fast enough for every keystroke.
func (h *handlers) suggest(c echo.Context) error {
	if h.cfg.Suggest == nil {
		return news.Errorf(news.EUNAVAILABLE, "suggestions are not available on this server")
	}
	n, err := countParam(c)
	if err != nil {
		return err
	}
	q := c.QueryParam("q")
	out, err := h.cfg.Suggest.Suggest(c.Request().Context(), q, n)
	if err != nil {
		return err
	}
	if out == nil {
		out = []string{}
	}
	return c.JSON(http.StatusOK, suggestResponse{Q: q, Suggestions: out})
}

// related answers GET /api/articles/{id}/related?n=: the articles most
// like a stored one; 404 if there is no article with that ID.
func (h *handlers) related(c echo.Context) error {
	if h.cfg.Related == nil {
		return news.Errorf(news.EUNAVAILABLE, "related articles are not available on this server")
	}
	n, err := countParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	a, err := h.cfg.Articles.Get(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	hits, err := h.cfg.Related.Related(ctx, a, n)
	if err != nil {
		return err
	}
	if hits == nil {
		hits = []news.Hit{}
	}
	return c.JSON(http.StatusOK, relatedResponse{ID: a.ID, Hits: hits})
}

// countParam reads the optional parameter n, how many results to return at
// most (0 if absent); the limits are the index's to check.
func countParam(c echo.Context) (int, error) {
	s := c.QueryParam("n")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, news.Errorf(news.EINVALID, "n must be a whole number of 1 or more, not %q", s)
	}
	return n, nil
}
