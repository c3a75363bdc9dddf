package api

import (
	"github.com/gin-gonic/gin"

	"qingdan/models"
)

// routes is the one table of every route Qingdan serves.
func (s *Server) routes(r *gin.Engine) {
	r.GET("/healthz", s.healthz)
	if s.metricsHandler != nil {
		r.GET("/metrics", s.metrics)
	}

	// Logging in and out read the token themselves: a stale one must not block them.
	r.POST("/api/v1/auth/login", s.login)
	r.POST("/api/v1/auth/logout", s.logout)

	// Every other API route knows its user (nil when anonymous); see auth.go.
	// What a logged-in user is refused is audited (security.go).
	v1 := r.Group("/api/v1", s.authenticate, s.auditRefusals)
	// Public reading: anonymous readers see published versions.
	v1.GET("/meta", s.meta) // fields, layouts and labels for the UI (meta.go)
	v1.GET("/lists", s.listLists)
	v1.GET("/lists/:id", s.getList)
	v1.GET("/lists/:id/items", s.listItems)
	v1.GET("/items/:id", s.getItem)
	// History: versions, differences, item timelines, exports, comparison tables (history.go, export.go).
	v1.GET("/lists/:id/versions", s.listVersions)
	// The costly ones are limited per client IP for anonymous callers (security.go).
	v1.GET("/lists/:id/diff", s.limitAnonymous, s.listDiff)
	v1.GET("/lists/:id/export", s.limitAnonymous, s.exportList)
	v1.GET("/lists/:id/comparison", s.limitAnonymous, s.listComparison)
	v1.GET("/items/:id/history", s.itemHistory)
	// 全域检索 and statistics across lists (search.go, stats.go).
	v1.GET("/search", s.search)
	v1.GET("/stats/items", s.statsItems)
	v1.GET("/stats/changes", s.statsChanges)
	v1.GET("/stats/findings", s.statsFindings)
	v1.GET("/stats/requests", requireRole(models.RoleAdmin, models.RoleLegalReviewer, models.RoleStaffingReviewer, models.RoleApprover), s.statsRequests)
	// The national region catalogue (regions.go).
	v1.GET("/regions", s.listRegions)
	v1.GET("/regions/:code", s.getRegion)

	// The logged-in user; the audit log (admins: all of it, region administrators:
	// their regions', legal reviewers: their region's).
	v1.GET("/me", requireLogin, s.me)
	v1.PUT("/me/password", requireLogin, s.changeOwnPassword)
	v1.GET("/limits", s.limits) // the input limits, for clients to size their inputs (limits.go)
	v1.GET("/audit", requireRole(models.RoleAdmin, models.RoleRegionAdmin, models.RoleLegalReviewer), s.listAudit)

	// Accounts and agencies, for admins and region administrators within their
	// region (the same rules as `qingdan user`; users.go, agencies.go).
	admins := requireRole(models.RoleAdmin, models.RoleRegionAdmin)
	v1.GET("/users", admins, s.listUsers)
	v1.POST("/users", admins, s.createUser)
	v1.PATCH("/users/:username", admins, s.updateUser)
	v1.PUT("/users/:username/password", admins, s.setUserPassword)
	v1.POST("/users/:username/disable", admins, s.disableUser)
	v1.POST("/users/:username/unlock", admins, s.unlockUser)
	v1.GET("/agencies", s.listAgencies)
	v1.POST("/agencies", admins, s.createAgency)
	v1.PATCH("/agencies/:id", admins, s.updateAgency)
	v1.GET("/onboarding/template", admins, s.onboardingTemplate) // bulk onboarding (onboarding.go)
	v1.POST("/onboarding/preview", admins, s.previewOnboarding)
	v1.POST("/onboarding", admins, s.commitOnboarding)

	// Importing a list file (imports.go): who may is the importer's rule.
	imports := v1.Group("/imports", requireLogin)
	imports.POST("", s.createImport)
	imports.GET("/:id", s.getImport)
	imports.PUT("/:id/mapping", s.setImportMapping)
	imports.POST("/:id/confirm", s.confirmImport)

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
	crs.POST("/:id/attachments", s.addAttachment)   // 批复, 会议纪要, 调整依据 (attachments.go)
	crs.GET("/:id/attachments", s.listAttachments)
	crs.GET("/:id/attachments/:aid", s.downloadAttachment)
	crs.DELETE("/:id/attachments/:aid", s.deleteAttachment)
	v1.GET("/lists/:id/publishable", requireLogin, s.publishableRequests) // 集中调整 (publish.go)
	v1.POST("/lists/:id/batches", requireLogin, s.publishBatch)

	// Working-day calendars, limits, 督办 and the message centre (clocks.go).
	adminOnly := requireRole(models.RoleAdmin)
	v1.GET("/calendar", s.getCalendar)
	v1.GET("/calendar/workdays", s.workdays)
	v1.POST("/calendar/days", adminOnly, s.addCalendarDays)
	v1.DELETE("/calendar/days/:id", adminOnly, s.deleteCalendarDay)
	v1.GET("/regions/:code/limits", requireLogin, s.getLimits)
	v1.PUT("/regions/:code/limits", adminOnly, s.setLimits)
	v1.GET("/regions/:code/process", requireLogin, s.getProcess) // 流程设置 (process.go)
	v1.PUT("/regions/:code/process", requireRole(models.RoleAdmin, models.RoleRegionAdmin), s.setProcess)
	v1.GET("/supervision", requireRole(models.RoleAdmin, models.RoleLegalReviewer, models.RoleStaffingReviewer), s.supervision)
	crs.POST("/:id/urge", s.urge)
	msgs := v1.Group("/notifications", requireLogin)
	msgs.GET("", s.listNotifications)
	msgs.GET("/unread-count", s.unreadNotifications)
	msgs.POST("/:id/read", s.readNotification)
	msgs.POST("/read-all", s.readAllNotifications)
	msgs.GET("/settings", s.notificationSettings)
	msgs.PUT("/settings", s.setNotificationSettings)

	// The instrument registry (法规库), the basis check and law changes (instruments.go).
	v1.GET("/instruments", s.listInstruments)
	v1.GET("/instruments/:id", s.getInstrument)
	v1.GET("/lists/:id/basis-check", s.basisCheck)
	registry := requireRole(models.RoleAdmin, models.RoleLegalReviewer)
	v1.POST("/instruments", registry, s.createInstrument)
	v1.POST("/instruments/import", registry, s.importInstruments)
	v1.PUT("/instruments/:id", registry, s.updateInstrument)
	v1.POST("/instruments/:id/editions", registry, s.addInstrumentEdition)
	v1.POST("/instruments/:id/changes", registry, s.recordInstrumentChange)
	v1.GET("/instrument-changes/:id/impact", registry, s.instrumentChangeImpact)
	v1.POST("/instrument-changes/:id/drafts", registry, s.createChangeDrafts)
	v1.GET("/basis-report", registry, s.basisReport)
}
