package httpapi

import (
	"errors"
	"net/http"
	"strconv"
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

// DefaultMaxBody is the largest request body a server accepts by default, in
// bytes: thousands of articles of ordinary length in one POST. A body is read
// whole before it is stored, so the memory requests can hold grows with this
// times MaxConcurrent.
const DefaultMaxBody = 8 << 20

// bodyLimit refuses a request whose body is over max bytes (negative: no
// cap) with 413 naming the limit: at once when Content-Length says so, and
// otherwise once reading passes the limit (see tooLarge).
func bodyLimit(max int64) echo.MiddlewareFunc {
	if max < 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	if max == 0 {
		max = DefaultMaxBody
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > max {
				return bodyTooLarge(max)
			}
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = http.MaxBytesReader(c.Response(), r.Body, max)
			}
			return next(c)
		}
	}
}

// tooLarge returns the 413 error if err (or a record error) comes from
// reading past the body limit, and nil otherwise.
func tooLarge(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return bodyTooLarge(mb.Limit)
	}
	return nil
}

func bodyTooLarge(max int64) error {
	return news.Errorf(news.ETOOLARGE, "the request body is over the limit of %s (%d bytes); send fewer articles per request", sizeName(max), max)
}

// sizeName writes a byte count the way a person would: 8 MiB, 512 KiB, 100 bytes.
func sizeName(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
