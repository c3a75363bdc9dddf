package api_test

import (
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
)

// TestCollectionsPageOnTheServer: lists and the audit log take limit and
// offset, answer the total and filter on the server.
func TestCollectionsPageOnTheServer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		type listsBody struct {
			Lists []struct {
				ID    int64  `json:"id"`
				Title string `json:"title"`
			} `json:"lists"`
			Total int `json:"total"`
		}
		for _, tc := range []struct {
			query      string
			total, got int
		}{
			{"", 2, 2},
			{"?limit=1", 2, 1},
			{"?limit=1&offset=1", 2, 1},
			{"?offset=5", 2, 0},
			{"?region=640000", 1, 1},
			{"?region=653226", 1, 1},
			{"?kind=duty", 1, 1},
			{"?q=红寺堡", 1, 1},
			{"?q=医疗保障", 2, 2},
			{"?q=100%25", 0, 0},
		} {
			var b listsBody
			e.must(t, 200, "anonymous", "GET", "/api/v1/lists"+tc.query, nil).JSON(t, &b)
			if b.Total != tc.total || len(b.Lists) != tc.got {
				t.Errorf("lists%s: %d of %d, want %d of %d", tc.query, len(b.Lists), b.Total, tc.got, tc.total)
			}
		}
		for _, bad := range []string{"?limit=501", "?kind=other", "?agency_id=x"} {
			if r := e.as(t, "anonymous", "GET", "/api/v1/lists"+bad, nil); r.Status != 400 {
				t.Errorf("lists%s: %d, want 400", bad, r.Status)
			}
		}

		type auditBody struct {
			Events []struct{ ID int64 } `json:"events"`
			Total  int                  `json:"total"`
		}
		var all, page auditBody
		e.must(t, 200, "admin", "GET", "/api/v1/audit?limit=500", nil).JSON(t, &all)
		e.must(t, 200, "admin", "GET", "/api/v1/audit?limit=3&offset=2", nil).JSON(t, &page)
		if all.Total != len(all.Events) || page.Total != all.Total || len(page.Events) != 3 || page.Events[0].ID != all.Events[2].ID {
			t.Fatalf("audit paging: total %d/%d, page %+v", all.Total, page.Total, page.Events)
		}
	})
}
