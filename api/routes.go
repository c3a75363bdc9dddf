package api

import (
	"github.com/gin-gonic/gin"

	"qingdan/models"
)

// routes is the one table of every route Qingdan serves.
func (s *Server) routes(r *gin.Engine) {
	r.GET("/healthz", s.healthz)
	r.GET("/metrics", s.metrics)

	// Logging in and out read the token themselves: a stale one must not block them.
	r.POST("/api/v1/auth/login", s.login)
	r.POST("/api/v1/auth/logout", s.logout)

	// Every other API route knows its user (nil when anonymous); see auth.go.
	v1 := r.Group("/api/v1", s.authenticate)
	// Public reading: anonymous readers see published versions.
	v1.GET("/lists", s.listLists)
	v1.GET("/lists/:id", s.getList)
	v1.GET("/lists/:id/items", s.listItems)
	v1.GET("/items/:id", s.getItem)
	// History: versions, differences, item timelines, exports, comparison tables (history.go, export.go).
	v1.GET("/lists/:id/versions", s.listVersions)
	v1.GET("/lists/:id/diff", s.listDiff)
	v1.GET("/lists/:id/export", s.exportList)
	v1.GET("/lists/:id/comparison", s.listComparison)
	v1.GET("/items/:id/history", s.itemHistory)

	// The logged-in user; the audit log (admins: all of it, legal reviewers: their region's).
	v1.GET("/me", requireLogin, s.me)
	v1.GET("/audit", requireRole(models.RoleAdmin, models.RoleLegalReviewer), s.listAudit)

	// Accounts, for admins (the same rules as `qingdan user`).
	adminOnly := requireRole(models.RoleAdmin)
	v1.GET("/users", adminOnly, s.listUsers)
	v1.POST("/users", adminOnly, s.createUser)
	v1.PUT("/users/:username/password", adminOnly, s.setUserPassword)
	v1.POST("/users/:username/disable", adminOnly, s.disableUser)

	// Change requests (修订申请): all need a login; who may see and do what is the workflow's rule.
	crs := v1.Group("/change-requests", requireLogin)
	crs.POST("", s.createChangeRequest)
	crs.GET("", s.listChangeRequests)
	crs.GET("/counts", s.changeRequestCounts)
	crs.GET("/:id", s.getChangeRequest)
	crs.PATCH("/:id", s.updateChangeRequest)
	crs.DELETE("/:id", s.deleteChangeRequest)
	crs.POST("/:id/operations", s.addOperation)
	crs.PATCH("/:id/operations/:op_id", s.editOperation)
	crs.DELETE("/:id/operations/:op_id", s.deleteOperation)
	crs.GET("/:id/include-candidates", s.includeCandidates) // the 列入 picker
	crs.POST("/:id/transitions", s.fireTransition)
	crs.POST("/:id/rebase", s.rebaseChangeRequest)
	crs.GET("/:id/comparison", s.requestComparison) // 修订对照表 (export.go)
}
