package api

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"qingdan/search"
)

// search is 全域检索 over the current items of every list, open to anyone
// like the published lists themselves (search/search.go).
func (s *Server) search(c *gin.Context) {
	q := search.Query{Q: c.Query("q"), Region: c.Query("region"), Category: c.Query("category")}
	var err error
	if _, ok := c.GetQuery("agency_id"); ok {
		if q.AgencyID, err = positiveInt(c.Query("agency_id"), "agency_id"); err != nil {
			fail(c, err)
			return
		}
	}
	for name, dst := range map[string]*int{"limit": &q.Limit, "offset": &q.Offset} {
		if v, ok := c.GetQuery(name); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				invalid(c, "参数 %s 应为整数，收到 %q", name, v)
				return
			}
			*dst = n
		}
	}
	if _, ok := c.GetQuery("cites"); ok {
		if q.Cites, err = positiveInt(c.Query("cites"), "cites"); err != nil {
			fail(c, err)
			return
		}
		// Citations published since the last link run are linked first; a
		// reader is not failed for it (a read-only database still answers).
		if err := s.flow.LinkPending(c.Request.Context()); err != nil {
			slog.WarnContext(c.Request.Context(), "linking citations failed", "err", err)
		}
	}
	res, err := s.searcher.Run(c.Request.Context(), q)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}
