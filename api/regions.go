package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"qingdan/models"
)

// The national region catalogue (GB/T 2260), readable by anyone.

type regionRowJSON struct {
	Code       string  `json:"code"`
	Name       string  `json:"name"`
	Level      string  `json:"level" ts:"RegionLevel"`
	LevelName  string  `json:"level_name"`
	ParentCode *string `json:"parent_code"`
	FullName   string  `json:"full_name"`
}

func toRegionRowJSON(r models.RegionRow) regionRowJSON {
	return regionRowJSON{Code: r.Code, Name: r.Name, Level: r.Level, LevelName: models.RegionLevels[r.Level], ParentCode: r.ParentCode, FullName: r.FullName}
}

type regionPageJSON struct {
	Regions []regionRowJSON `json:"regions"`
	Total   int64           `json:"total"`
}

// regionWithParentsJSON is a region and the regions above it.
type regionWithParentsJSON struct {
	Region  regionRowJSON   `json:"region"`
	Parents []regionRowJSON `json:"parents"`
}

func (s *Server) listRegions(c *gin.Context) {
	page, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	q, err := queryText(c, "q", 50)
	if err != nil {
		fail(c, err)
		return
	}
	f := models.RegionFilter{Q: q, Parent: c.Query("parent"), Level: c.Query("level")}
	if _, ok := models.RegionLevels[f.Level]; f.Level != "" && !ok {
		fail(c, fieldError("level", "应为 province、prefecture 或 county，收到 %q", f.Level))
		return
	}
	rows, total, err := s.store.Regions(c.Request.Context(), f, page)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]regionRowJSON, len(rows))
	for i, r := range rows {
		out[i] = toRegionRowJSON(r)
	}
	c.JSON(http.StatusOK, regionPageJSON{Regions: out, Total: total})
}

func (s *Server) getRegion(c *gin.Context) {
	r, parents, err := s.store.RegionWithParents(c.Request.Context(), c.Param("code"))
	if err != nil {
		fail(c, err)
		return
	}
	ps := make([]regionRowJSON, len(parents))
	for i, p := range parents {
		ps[i] = toRegionRowJSON(p)
	}
	c.JSON(http.StatusOK, regionWithParentsJSON{Region: toRegionRowJSON(r), Parents: ps})
}
