package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/models"
	"qingdan/workflow"
)

// A region's process (流程设置): reviews, 审定 by operation type, limits.

type processJSON struct {
	Region  string           `json:"region"`
	Process workflow.Process `json:"process"`
	// From is the region whose setting applies: the region itself, the
	// nearest region above it with a setting, or "" for the default.
	From     string           `json:"from"`
	Defaults workflow.Process `json:"defaults"`
}

func (s *Server) getProcess(c *gin.Context) {
	code := c.Param("code")
	p, err := s.flow.RegionProcess(c.Request.Context(), code)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, processJSON{Region: code, Process: p.Process, From: p.From, Defaults: workflow.DefaultProcess()})
}

func (s *Server) setProcess(c *gin.Context) {
	var in workflow.ProcessInput
	if !bindBody(c, &in, workflow.ProcessShape) {
		return
	}
	ctx, code := c.Request.Context(), c.Param("code")
	cur, err := s.flow.RegionProcess(ctx, code)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := in.Process(cur.Process.Limits)
	if err == nil {
		err = s.flow.SetRegionProcess(ctx, currentUser(c), code, p)
	}
	if err != nil {
		fail(c, err)
		return
	}
	s.getProcess(c)
}

type countersignJSON struct {
	ID         int64      `json:"id"`
	AgencyID   int64      `json:"agency_id"`
	AgencyName string     `json:"agency_name"`
	Reason     string     `json:"reason"`
	Answer     string     `json:"answer"` // "", agree, disagree
	Opinion    string     `json:"opinion"`
	Answerer   string     `json:"answerer"`
	AnsweredAt *time.Time `json:"answered_at"`
}

func toCountersignsJSON(cs []models.CountersignRow) []countersignJSON {
	out := make([]countersignJSON, 0, len(cs))
	for _, c := range cs {
		out = append(out, countersignJSON{ID: c.ID, AgencyID: c.AgencyID, AgencyName: c.AgencyName, Reason: c.Reason,
			Answer: c.Answer, Opinion: c.Opinion, Answerer: c.AnsweredName, AnsweredAt: c.AnsweredAt})
	}
	return out
}
