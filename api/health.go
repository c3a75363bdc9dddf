package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *Server) healthz(c *gin.Context) {
	sqlDB, err := s.store.DB(c.Request.Context()).DB()
	if err == nil {
		err = sqlDB.PingContext(c.Request.Context())
	}
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": "数据库无响应"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// metrics serves the Prometheus collectors, including the database pool's.
func (s *Server) metrics(c *gin.Context) {
	s.metricsHandler.ServeHTTP(c.Writer, c.Request)
}
