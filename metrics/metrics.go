// Package metrics holds Qingdan's Prometheus collectors: HTTP requests per
// route, transitions per event, publication duration and the database pool.
package metrics

import (
	"database/sql"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var (
	// Requests counts HTTP requests by route template (never the raw path), method and status.
	Requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qingdan_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	// Latency observes HTTP request duration by route template and method.
	Latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "qingdan_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "method"})
	// Transitions counts change-request transitions that committed, by event.
	Transitions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qingdan_transitions_total", Help: "Committed change-request transitions by event.",
	}, []string{"event"})
	// PublishDuration observes how long a publication transaction takes.
	PublishDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "qingdan_publication_duration_seconds", Help: "Duration of publication transactions.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	})
)

// Handler serves the collectors above, the Go runtime's and the database
// pool's in the Prometheus text format.
func Handler(db *sql.DB) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(Requests, Latency, Transitions, PublishDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(db, "qingdan"))
	}
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}
