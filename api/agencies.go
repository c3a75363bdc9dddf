package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"qingdan/auth"
	"qingdan/models"
)

// Agencies: anyone reads them (their names head the public lists); admins
// and region administrators (within their region) create, rename and
// (de)activate them.

type agencyRowJSON struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Kind           string `json:"kind" ts:"AgencyKind"`
	KindName       string `json:"kind_name"`
	RegionCode     string `json:"region_code"`
	RegionFullName string `json:"region_full_name"`
	Active         bool   `json:"active"`
	ListCount      int    `json:"list_count"`
	UserCount      int    `json:"user_count"`
}

func toAgencyRowJSON(a models.AgencyRow) agencyRowJSON {
	return agencyRowJSON{ID: a.ID, Name: a.Name, Kind: a.Kind, KindName: models.AgencyKindLabels[a.Kind], RegionCode: a.RegionCode,
		RegionFullName: a.RegionFullName, Active: a.Active, ListCount: a.ListCount, UserCount: a.UserCount}
}

type agencyPageJSON struct {
	Agencies []agencyRowJSON `json:"agencies"`
	Total    int64           `json:"total"`
}

func (s *Server) listAgencies(c *gin.Context) {
	page, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := models.AgencyFilter{Within: c.Query("region"), Kind: c.Query("kind")}
	if u := currentUser(c); u != nil && u.Role == models.RoleRegionAdmin { // sees their region's only
		if f.Within, err = s.administeredRegion(c); err != nil {
			fail(c, err)
			return
		}
	}
	if f.Q, err = queryText(c, "q", 64); err != nil {
		fail(c, err)
		return
	}
	if f.Kind != "" {
		if err := auth.CheckAgencyKind(f.Kind); err != nil {
			fail(c, err)
			return
		}
	}
	if f.Active, err = optionalBool(c, "active"); err != nil {
		fail(c, err)
		return
	}
	rows, total, err := s.store.Agencies(c.Request.Context(), f, page)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]agencyRowJSON, len(rows))
	for i, r := range rows {
		out[i] = toAgencyRowJSON(r)
	}
	c.JSON(http.StatusOK, agencyPageJSON{Agencies: out, Total: total})
}

// answerAgency sends the agency as the list shows it.
func (s *Server) answerAgency(c *gin.Context, status int, id int64) {
	row, err := s.store.AgencyRow(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, toAgencyRowJSON(row))
}

func (s *Server) createAgency(c *gin.Context) {
	var req struct {
		RegionCode string `json:"region_code"`
		Name       string `json:"name"`
		Kind       string `json:"kind"`
	}
	if !bindBody(c, &req, `{"region_code","name","kind"}`) {
		return
	}
	ag, err := s.auth.AddAgency(c.Request.Context(), auth.ActorOf(currentUser(c)), req.RegionCode, req.Name, req.Kind)
	if err != nil {
		fail(c, err)
		return
	}
	s.answerAgency(c, http.StatusCreated, ag.ID)
}

func (s *Server) updateAgency(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var req struct {
		Name   *string `json:"name"`
		Active *bool   `json:"active"`
	}
	if !bindBody(c, &req, `{"name","active"}`) {
		return
	}
	if _, err := s.auth.UpdateAgency(c.Request.Context(), auth.ActorOf(currentUser(c)), id, req.Name, req.Active); err != nil {
		fail(c, err)
		return
	}
	s.answerAgency(c, http.StatusOK, id)
}
