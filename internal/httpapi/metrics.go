package httpapi

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/xinwen/xinwen/internal/extract"
	"github.com/xinwen/xinwen/internal/news"
)

// Metric names, as scraped from GET /metrics.
const (
	MetricRequests = "xinwen_http_requests_total"           // counter{route,method,status}
	MetricDuration = "xinwen_http_request_duration_seconds" // histogram{route,method,status}
	MetricDocs     = "xinwen_index_documents"               // gauge: documents in the index
	MetricIngested = "xinwen_articles_ingested_total"       // counter{outcome}: POST /api/articles records
)

// unmatchedRoute labels requests that matched no route, so that a scan of
// random URLs cannot grow the number of series.
const unmatchedRoute = "unmatched"

// ingestError labels records of a request whose batch failed before they got
// an outcome.
const ingestError = "error"

// metrics holds the server's collectors in a registry of its own, so that
// several servers (in tests) do not collide.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	ingested *prometheus.CounterVec
}

func newMetrics(docCount func() (uint64, error), log *slog.Logger) *metrics {
	labels := []string{"route", "method", "status"}
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricRequests,
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricDuration,
			Help:    "Time to answer HTTP requests, by route pattern, method and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, labels),
		ingested: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricIngested,
			Help: "Articles received through POST /api/articles, by outcome (added, updated, unchanged, duplicate, failed, error).",
		}, []string{"outcome"}),
	}
	for _, o := range []string{news.OutcomeAdded, news.OutcomeUpdated, news.OutcomeUnchanged, news.OutcomeDuplicate, news.OutcomeFailed, ingestError} {
		m.ingested.WithLabelValues(o) // start every outcome at 0 so rate() works from the first scrape
	}
	m.reg.MustRegister(m.requests, m.duration, m.ingested,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if docCount != nil {
		m.reg.MustRegister(&docGauge{
			desc:  prometheus.NewDesc(MetricDocs, "Documents in the search index.", nil, nil),
			count: docCount,
			log:   log,
		})
	}
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
}

// middleware counts and times every request under its route pattern
// (c.Path(), never the URL). It answers errors itself, as accessLog does, so
// that the status it records is the one sent.
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = unmatchedRoute
		}
		l := prometheus.Labels{
			"route":  route,
			"method": c.Request().Method,
			"status": strconv.Itoa(c.Response().Status),
		}
		m.requests.With(l).Inc()
		m.duration.With(l).Observe(time.Since(start).Seconds())
		return nil
	}
}

// countIngest wraps an Ingester to count the outcome of every record.
func (m *metrics) countIngest(in Ingester) Ingester {
	if in == nil {
		return nil
	}
	return countingIngester{in, m.ingested}
}

type countingIngester struct {
	Ingester
	n *prometheus.CounterVec
}

func (ci countingIngester) Put(ctx context.Context, recs []extract.Record) ([]news.IngestOutcome, error) {
	outs, err := ci.Ingester.Put(ctx, recs)
	counted := 0
	for _, o := range outs {
		if o.Status != "" {
			ci.n.WithLabelValues(o.Status).Inc()
			counted++
		}
	}
	if err != nil && counted < len(recs) {
		ci.n.WithLabelValues(ingestError).Add(float64(len(recs) - counted))
	}
	return outs, err
}

// docGauge reports the index's document count at scrape time. When the
// index cannot answer, the gauge is left out of that scrape (and the error
// logged) rather than failing the whole scrape.
type docGauge struct {
	desc  *prometheus.Desc
	count func() (uint64, error)
	log   *slog.Logger
}

func (g *docGauge) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

func (g *docGauge) Collect(ch chan<- prometheus.Metric) {
	n, err := g.count()
	if err != nil {
		g.log.Warn("metrics: count index documents", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(g.desc, prometheus.GaugeValue, float64(n))
}
