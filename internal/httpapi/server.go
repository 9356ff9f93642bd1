package httpapi

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

// Searcher answers searches: the index.
type Searcher interface {
	Search(ctx context.Context, req news.SearchRequest) (*news.SearchResult, error)
}

// Articles gives whole articles: the store.
type Articles interface {
	Get(ctx context.Context, id string) (news.Article, error)
}

// Ingester stores and indexes records: the ingest pipeline.
type Ingester interface {
	Put(ctx context.Context, recs []extract.Record) ([]news.IngestOutcome, error)
}

// Deleter removes an article from the store and the index: the pipeline.
type Deleter interface {
	Delete(ctx context.Context, id string) error
}

// Config is what the server needs.
type Config struct {
	Search   Searcher
	Articles Articles
	Ingest   Ingester
	Delete   Deleter
	// Rebuild runs reindex jobs; DictVersion is the user-dictionary version
	// queries and new articles use now (to tell when a rebuild is due).
	Rebuild     Rebuilder
	DictVersion func() string
	// Dictionary serves /api/admin/dictionary (GET, PUT, POST) to editors;
	// without it those routes are not registered.
	Dictionary DictionaryManager
	// Suggest and Related serve GET /api/suggest and
	// /api/articles/{id}/related; without them those answer 503.
	Suggest Suggester
	Related Relater
	// Tokens are the bearer tokens that may change things (only their
	// hashes). With none, every route that needs a token answers 403.
	Tokens []Token
	// Audit records every request to a route that needs a token, allowed
	// or not (nil: no audit).
	Audit  Auditor
	Web    fs.FS // the reader's page, served at /
	Logger *slog.Logger
	// Ready reports whether the server can answer searches (nil: always).
	Ready func() error
	// DocCount reports how many documents the index holds, for the
	// xinwen_index_documents gauge at GET /metrics (nil: no gauge).
	DocCount       func() (uint64, error)
	RequestTimeout time.Duration
	// MaxConcurrent caps the API requests served at once (0:
	// DefaultMaxConcurrent; negative: no cap). Beyond it a request gets 503
	// with Retry-After at once instead of queueing without bound.
	MaxConcurrent int
	// MaxBody caps a request body in bytes (0: DefaultMaxBody; negative: no
	// cap). A bigger body gets 413 with a message naming the limit.
	MaxBody int64
}

// New returns the Echo instance with every route.
func New(cfg Config) *echo.Echo {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(cfg.Logger)
	m := newMetrics(cfg.DocCount, cfg.Logger)
	cfg.Ingest = m.countIngest(cfg.Ingest)
	e.Use(middleware.Recover())
	e.Use(middleware.RequestID())
	e.Use(m.middleware)
	e.Use(accessLog(cfg.Logger))
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: cfg.RequestTimeout}))
	e.Use(bodyLimit(cfg.MaxBody))
	e.Use(concurrencyLimit(cfg.MaxConcurrent))
	e.Use(middleware.SecureWithConfig(securityHeaders))

	h := &handlers{cfg: cfg}
	e.GET("/api/search", h.search)
	e.GET("/api/articles/:id", h.article)
	e.GET("/api/articles/:id/related", h.related)
	e.GET("/api/suggest", h.suggest)
	e.POST("/api/articles", h.postArticles, h.requireScope(ScopeIngest))
	e.DELETE("/api/articles/:id", h.deleteArticle, h.requireScope(ScopeEditor))
	e.POST("/api/admin/reindex", h.startReindex, h.editor)
	e.GET("/api/admin/jobs/:id", h.getJob, h.editor)
	e.DELETE("/api/admin/jobs/:id", h.cancelJob, h.editor)
	e.GET("/api/admin/status", h.adminStatus, h.editor)
	h.dictionaryRoutes(e)
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", h.ready)
	e.GET("/metrics", m.handler())
	e.GET("/api/openapi.json", serveOpenAPI)
	if cfg.Web != nil {
		e.GET("/*", echo.WrapHandler(http.FileServerFS(cfg.Web)))
	}
	return e
}

// securityHeaders go on every response. The page loads only its own script
// and style files and talks only to this server, so the policy can be strict:
// even if text from an article slipped into the page as HTML, no script in it
// could run.
var securityHeaders = middleware.SecureConfig{
	XSSProtection:         "0", // legacy filter off; the CSP does the work
	ContentTypeNosniff:    "nosniff",
	XFrameOptions:         "DENY",
	ReferrerPolicy:        "no-referrer",
	ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
}

type handlers struct{ cfg Config }

func (h *handlers) ready(c echo.Context) error {
	if h.cfg.Ready != nil {
		if err := h.cfg.Ready(); err != nil {
			return news.Errorf(news.EUNAVAILABLE, "not ready: %v", err)
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (h *handlers) search(c echo.Context) error {
	req, err := searchRequest(c)
	if err != nil {
		return err
	}
	res, err := h.cfg.Search.Search(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (h *handlers) article(c echo.Context) error {
	a, err := h.cfg.Articles.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// searchRequest reads the query parameters of GET /api/search.
func searchRequest(c echo.Context) (news.SearchRequest, error) {
	p := c.QueryParams()
	req := news.SearchRequest{
		Query:    p.Get("q"),
		Section:  p.Get("section"),
		Region:   p.Get("region"),
		Province: p.Get("province"),
		City:     p.Get("city"),
		County:   p.Get("county"),
		Sort:     p.Get("sort"),
		Cursor:   p.Get("cursor"),
		Facets:   p.Get("facets") != "false" && p.Get("facets") != "0",
	}
	num := func(name string) (int, error) {
		s := p.Get(name)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, news.Errorf(news.EINVALID, "%s must be a whole number, not %q", name, s)
		}
		return n, nil
	}
	var err error
	if req.Page, err = num("page"); err != nil {
		return req, err
	}
	if req.Size, err = num("size"); err != nil {
		return req, err
	}
	if req.From, err = news.ParseFrom(p.Get("from")); err != nil {
		return req, err
	}
	if req.To, err = news.ParseTo(p.Get("to")); err != nil {
		return req, err
	}
	return req, nil
}

// errorHandler maps errors to statuses and JSON bodies {"error": {"code", "message"}}.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, code, msg := http.StatusInternalServerError, news.EINTERNAL, "internal error"
		var he *echo.HTTPError
		switch {
		case errors.As(err, &he):
			status = he.Code
			code = statusCode(status)
			msg = http.StatusText(status)
			if m, ok := he.Message.(string); ok && m != "" {
				msg = m
			}
		case errors.Is(err, context.DeadlineExceeded):
			status, code, msg = http.StatusServiceUnavailable, news.EUNAVAILABLE, "the request took too long; try a narrower query"
		default:
			code = news.ErrorCode(err)
			status = httpStatus(code)
			msg = news.ErrorMessage(err)
		}
		if status >= 500 && code == news.EINTERNAL {
			log.Error("request failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		}
		if c.Request().Method == http.MethodHead {
			c.NoContent(status)
			return
		}
		c.JSON(status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
	}
}

var statuses = map[string]int{
	news.EINVALID:      http.StatusBadRequest,
	news.ENOTFOUND:     http.StatusNotFound,
	news.ECONFLICT:     http.StatusConflict,
	news.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	news.EUNAUTHORIZED: http.StatusUnauthorized,
	news.EFORBIDDEN:    http.StatusForbidden,
	news.EUNAVAILABLE:  http.StatusServiceUnavailable,
	news.EINTERNAL:     http.StatusInternalServerError,
}

func httpStatus(code string) int {
	if s, ok := statuses[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

func statusCode(status int) string {
	for code, s := range statuses {
		if s == status {
			return code
		}
	}
	if status < 500 {
		return news.EINVALID
	}
	return news.EINTERNAL
}

// accessLog writes one structured line per request.
func accessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			log.Info("request",
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method,
				"route", c.Path(),
				"path", c.Request().URL.Path,
				"status", c.Response().Status,
				"bytes", c.Response().Size,
				"ms", float64(time.Since(start).Microseconds())/1000,
			)
			return nil
		}
	}
}
