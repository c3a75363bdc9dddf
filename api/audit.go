package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/models"
)

type auditEventJSON struct {
	ID         int64           `json:"id"`
	At         time.Time       `json:"at"`
	ActorID    *int64          `json:"actor_id"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	TargetType string          `json:"target_type"`
	TargetID   string          `json:"target_id"`
	RegionCode string          `json:"region_code"`
	Before     json.RawMessage `json:"before"` // JSON as recorded, null for none
	After      json.RawMessage `json:"after"`
	Hash       string          `json:"hash"`
	PrevHash   string          `json:"prev_hash"`
}

// rawJSON passes recorded JSON through; text that is not JSON (a row edited
// by hand) is shown as a string rather than failing the whole page.
func rawJSON(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	if !json.Valid([]byte(s)) {
		b, _ := json.Marshal(s) // a string always marshals
		return b
	}
	return json.RawMessage(s)
}

// listAudit pages through the audit log, newest first: an admin sees every
// event, a region administrator those of the regions they administer (their
// own and those under it), a legal reviewer those of their own region.
func (s *Server) listAudit(c *gin.Context) {
	u := currentUser(c)
	page, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := models.AuditFilter{Limit: page.Limit, Offset: page.Offset, Action: c.Query("action")}
	switch u.Role {
	case models.RoleAdmin:
	case models.RoleRegionAdmin:
		regions, err := s.store.RegionsUnder(c.Request.Context(), u.ScopeRegion())
		if err != nil {
			fail(c, err)
			return
		}
		f.Regions = make([]string, len(regions))
		for i, r := range regions {
			f.Regions[i] = r.Code
		}
	default:
		f.Regions = []string{u.ScopeRegion()}
	}
	if v, ok := c.GetQuery("before_id"); ok {
		if f.BeforeID, err = positiveInt(v, "before_id"); err != nil {
			fail(c, err)
			return
		}
	}
	events, err := s.store.AuditEvents(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	total, err := s.store.CountAuditEvents(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]auditEventJSON, 0, len(events))
	for _, e := range events {
		out = append(out, auditEventJSON{
			ID: e.ID, At: e.CreatedAt, ActorID: e.ActorID, Actor: e.Actor, Action: e.Action,
			TargetType: e.TargetType, TargetID: e.TargetID, RegionCode: e.RegionCode,
			Before: rawJSON(e.Before), After: rawJSON(e.After), Hash: e.Hash, PrevHash: e.PrevHash,
		})
	}
	c.JSON(http.StatusOK, gin.H{"events": out, "total": total})
}
