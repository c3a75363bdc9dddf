package api_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

type regionsBody struct {
	Regions []struct {
		Code       string  `json:"code"`
		Name       string  `json:"name"`
		Level      string  `json:"level"`
		ParentCode *string `json:"parent_code"`
		FullName   string  `json:"full_name"`
	} `json:"regions"`
	Total int64 `json:"total"`
}

func TestRegionCatalogue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newRouter(db)
		get := func(path string) regionsBody {
			t.Helper()
			r := call(t, h, "GET", path, nil, "")
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", path, r.Status, r.Body)
			}
			var b regionsBody
			r.JSON(t, &b)
			return b
		}
		// The whole national catalogue, by level.
		for _, tc := range []struct {
			level    string
			min, max int64
		}{{"province", 31, 34}, {"prefecture", 330, 340}, {"county", 2800, 2900}} {
			if b := get("/api/v1/regions?level=" + tc.level); b.Total < tc.min || b.Total > tc.max || len(b.Regions) != int(min(b.Total, 50)) {
				t.Errorf("%s: total %d (%d on the page), want %d–%d", tc.level, b.Total, len(b.Regions), tc.min, tc.max)
			}
		}
		b := get("/api/v1/regions?q=" + "南沙区")
		if b.Total != 1 || b.Regions[0].Code != "440115" || b.Regions[0].FullName != "广东省广州市南沙区" || b.Regions[0].Level != "county" || *b.Regions[0].ParentCode != "440100" {
			t.Fatalf("search 南沙区: %+v", b)
		}
		if b := get("/api/v1/regions?q=广州市南沙"); b.Total != 1 {
			t.Fatalf("search on the full name: %+v", b)
		}
		if b := get("/api/v1/regions?q=4401"); b.Total != 12 || b.Regions[0].Code != "440100" {
			t.Fatalf("search by code prefix: total %d, first %+v", b.Total, b.Regions[0])
		}
		// Browsing the tree: children of a prefecture; counties directly under a municipality.
		if b := get("/api/v1/regions?parent=440100&limit=500"); b.Total != 11 || len(b.Regions) != 11 {
			t.Fatalf("广州市's districts: %d", b.Total)
		}
		if b := get("/api/v1/regions?parent=110000&limit=500"); b.Total != 16 || b.Regions[0].FullName != "北京市东城区" {
			t.Fatalf("北京市's districts: %d %+v", b.Total, b.Regions[0])
		}
		// Paging: pages do not overlap and add up to the total.
		p1, p2 := get("/api/v1/regions?level=province&limit=20"), get("/api/v1/regions?level=province&limit=20&offset=20")
		if len(p1.Regions)+len(p2.Regions) != int(p1.Total) || p1.Regions[19].Code >= p2.Regions[0].Code {
			t.Fatalf("pages: %d + %d of %d", len(p1.Regions), len(p2.Regions), p1.Total)
		}
		for _, bad := range []string{"limit=0", "limit=501", "offset=-1", "limit=x", "level=town", "q=" + strings.Repeat("区", 51)} {
			if r := call(t, h, "GET", "/api/v1/regions?"+bad, nil, ""); r.Status != 400 {
				t.Errorf("?%s: %d, want 400", bad, r.Status)
			}
		}

		var one struct {
			Region  struct{ Code, FullName string } `json:"region"`
			Parents []struct{ Code, Name string }   `json:"parents"`
		}
		r := call(t, h, "GET", "/api/v1/regions/440115", nil, "")
		r.JSON(t, &one)
		if r.Status != 200 || one.Region.Code != "440115" || len(one.Parents) != 2 || one.Parents[0].Code != "440000" || one.Parents[1].Name != "广州市" {
			t.Fatalf("one region: %d %s", r.Status, r.Body)
		}
		if r := call(t, h, "GET", "/api/v1/regions/999999", nil, ""); r.Status != 404 {
			t.Fatalf("unknown region: %d", r.Status)
		}
	})
}

func TestRegionForAgencyName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		for _, tc := range []struct{ agency, code, refusal string }{
			{"广州市南沙区卫生健康局", "440115", ""},
			{"红寺堡区医疗保障局", "640303", ""},
			{"吴忠市红寺堡区司法局", "640303", ""},
			{"广东省广州市南沙区人民政府", "440115", ""},
			{"于田县医疗保障局", "653226", ""},
			{"广州市卫生健康委员会", "440100", ""},
			{"北京市东城区民政局", "110101", ""},
			{"湖北省仙桃市财政局", "429004", ""},
			{"南京市鼓楼区市场监督管理局", "320106", ""},
			{"鼓楼区市场监督管理局", "", "南京市鼓楼区（320106）"},
			{"城关区人民政府", "", "兰州市城关区（620102）"},
			{"某某局", "", "无法从部门名称"},
		} {
			got, err := store.RegionForAgencyName(t.Context(), tc.agency)
			switch {
			case tc.refusal == "" && err != nil:
				t.Errorf("%s: %v", tc.agency, err)
			case tc.refusal == "" && got.Code != tc.code:
				t.Errorf("%s: %s %s, want %s", tc.agency, got.Code, got.Name, tc.code)
			case tc.refusal != "" && (err == nil || !strings.Contains(err.Error(), tc.refusal) || !strings.Contains(err.Error(), "--region")):
				t.Errorf("%s: %v (%s), want a refusal naming %s and --region", tc.agency, err, got.Code, tc.refusal)
			}
		}
	})
}
