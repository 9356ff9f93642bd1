package httpapi

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/xinwen/xinwen/internal/news"
)

// DefaultMaxConcurrent is how many API requests a server serves at once by
// default: enough to keep two cores busy, few enough that memory and
// latency stay bounded.
const DefaultMaxConcurrent = 64

// concurrencyLimit lets at most n API requests (paths under /api/) run at
// once and answers the rest 503 with Retry-After; health checks, metrics and
// the page's files are never refused.
func concurrencyLimit(n int) echo.MiddlewareFunc {
	if n < 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	if n == 0 {
		n = DefaultMaxConcurrent
	}
	slots := make(chan struct{}, n)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !strings.HasPrefix(c.Request().URL.Path, "/api/") {
				return next(c)
			}
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
				return next(c)
			default:
				c.Response().Header().Set("Retry-After", "1")
				return news.Errorf(news.EUNAVAILABLE, "the server is busy; try again in a second")
			}
		}
	}
}
