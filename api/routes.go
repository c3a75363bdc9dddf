package api

import "github.com/gin-gonic/gin"

// routes is the one table of every route Qingdan serves.
func (s *Server) routes(r *gin.Engine) {
	r.GET("/healthz", s.healthz)
	r.GET("/metrics", s.metrics)

	v1 := r.Group("/api/v1")
	// Public reading: anonymous readers see published versions.
	v1.GET("/lists", s.listLists)
	v1.GET("/lists/:id", s.getList)
	v1.GET("/lists/:id/items", s.listItems)
	v1.GET("/items/:id", s.getItem)
}
