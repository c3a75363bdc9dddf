package api

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/metrics"
)

// observe records every request under its route template, so /lists/1 and
// /lists/2 are one series; unmatched paths share the label "unmatched".
func observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	metrics.Requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
	metrics.Latency.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
}
