package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/metrics"
)

// observe records every request under labels from fixed sets, so no client
// can grow /metrics: the route template (/lists/1 and /lists/2 are one
// series; unmatched paths share "unmatched"), a known method or "other",
// and the status.
func observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	method := c.Request.Method
	if !knownMethods[method] {
		method = "other"
	}
	metrics.Requests.WithLabelValues(route, method, strconv.Itoa(c.Writer.Status())).Inc()
	metrics.Latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
}

var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}
