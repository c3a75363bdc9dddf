package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

type listBody struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Kind   string `json:"kind"`
	Agency struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"agency"`
	Region struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"region"`
	Version   int `json:"version"`
	ItemCount int `json:"item_count"`
}

type itemsBody struct {
	ListID  int64            `json:"list_id"`
	Version int              `json:"version"`
	Items   []map[string]any `json:"items"`
}

func TestReadAPIServesBothSeeds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ids := importSeeds(t, models.NewStore(db))
		h := newRouter(db)

		r := call(t, h, "GET", "/healthz", nil, "")
		if r.Status != 200 || !strings.Contains(string(r.Body), `"status":"ok"`) {
			t.Fatalf("healthz: %d %s", r.Status, r.Body)
		}

		var lists struct{ Lists []listBody }
		r = call(t, h, "GET", "/api/v1/lists", nil, "")
		r.JSON(t, &lists)
		if r.Status != 200 || len(lists.Lists) != 2 {
			t.Fatalf("lists: %d %s", r.Status, r.Body)
		}
		want := map[int64]listBody{}
		for _, l := range lists.Lists {
			want[l.ID] = l
		}
		hsb, yt := want[ids[0]], want[ids[1]]
		for _, tc := range []struct {
			got                                      listBody
			title, kind, agency, regionCode, regName string
			items                                    int
		}{
			{hsb, "红寺堡区医疗保障局权力清单", "power", "红寺堡区医疗保障局", "640303", "红寺堡区", 23},
			{yt, "于田县医疗保障局权责清单目录", "duty", "于田县医疗保障局", "653226", "于田县", 19},
		} {
			g := tc.got
			if g.Title != tc.title || g.Kind != tc.kind || g.Agency.Name != tc.agency || g.Agency.ID == 0 ||
				g.Region.Code != tc.regionCode || g.Region.Name != tc.regName || g.Version != 1 || g.ItemCount != tc.items {
				t.Errorf("list = %+v, want %s %s %s %s %s %d items at version 1", g, tc.title, tc.kind, tc.agency, tc.regionCode, tc.regName, tc.items)
			}
		}

		var one listBody
		r = call(t, h, "GET", fmt.Sprintf("/api/v1/lists/%d", ids[0]), nil, "")
		r.JSON(t, &one)
		if r.Status != 200 || one != hsb {
			t.Fatalf("one list: %d %+v", r.Status, one)
		}

		var items itemsBody
		r = call(t, h, "GET", fmt.Sprintf("/api/v1/lists/%d/items", ids[0]), nil, "")
		r.JSON(t, &items)
		if r.Status != 200 || items.ListID != ids[0] || items.Version != 1 || len(items.Items) != 23 {
			t.Fatalf("items: %d list %d version %d, %d items", r.Status, items.ListID, items.Version, len(items.Items))
		}
		perCategory := map[string]int{}
		for _, it := range items.Items {
			perCategory[it["category"].(string)]++
		}
		if fmt.Sprint(perCategory) != fmt.Sprint(map[string]int{"行政处罚": 10, "行政强制": 1, "行政给付": 2, "行政检查": 7, "其他类": 3}) {
			t.Errorf("categories = %v", perCategory)
		}
		first := items.Items[0]
		for _, key := range []string{"id", "seq", "code", "name", "subitem", "category", "department", "basis", "citations",
			"level", "content", "duty", "responsibility", "responsibility_basis", "accountable", "accountability", "note"} {
			if _, ok := first[key]; !ok {
				t.Errorf("item lacks %q: %v", key, first)
			}
		}
		if first["code"] != "0247001000" || first["seq"] != float64(1) || first["level"] != "县级" || first["duty"] != "" {
			t.Errorf("first item = %v", first)
		}
		if cites := first["citations"].([]any); len(cites) == 0 || cites[0].(map[string]any)["level"] != "法律" {
			t.Errorf("first item's citations = %v", first["citations"])
		}

		var one2 map[string]any
		r = call(t, h, "GET", fmt.Sprintf("/api/v1/items/%v", first["id"]), nil, "")
		r.JSON(t, &one2)
		if r.Status != 200 || one2["name"] != first["name"] || one2["id"] != first["id"] {
			t.Fatalf("one item: %d %v", r.Status, r.Body)
		}

		var yti itemsBody
		call(t, h, "GET", fmt.Sprintf("/api/v1/lists/%d/items?category=%s", ids[1], "行政检查"), nil, "").JSON(t, &yti)
		if len(yti.Items) != 9 {
			t.Errorf("于田 行政检查 = %d items, want 9", len(yti.Items))
		}
		for _, it := range yti.Items {
			if it["code"] != "" || it["duty"] == "" {
				t.Errorf("于田 items have no code and a 部门职责: %v", it["name"])
			}
		}
		var q itemsBody
		call(t, h, "GET", fmt.Sprintf("/api/v1/lists/%d/items?q=0647", ids[0]), nil, "").JSON(t, &q)
		if len(q.Items) != 6 {
			t.Errorf("q=0647 (code substring) = %d items, want 6 (行政检查 1–6)", len(q.Items))
		}
		call(t, h, "GET", fmt.Sprintf("/api/v1/lists/%d/items?q=%s", ids[0], "医疗救助"), nil, "").JSON(t, &q)
		if len(q.Items) == 0 {
			t.Errorf("q=医疗救助 (name substring) found nothing")
		}
		var v1 itemsBody
		call(t, h, "GET", fmt.Sprintf("/api/v1/lists/%d/items?at=2099-12-31", ids[0]), nil, "").JSON(t, &v1)
		if v1.Version != 1 || len(v1.Items) != 23 {
			t.Errorf("at a future date: version %d, %d items", v1.Version, len(v1.Items))
		}
	})
}

func TestReadAPIRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ids := importSeeds(t, models.NewStore(db))
		h := newRouter(db)
		items := fmt.Sprintf("/api/v1/lists/%d/items", ids[0])
		for _, tc := range []struct {
			path   string
			status int
			msg    string
		}{
			{"/api/v1/lists/abc", http.StatusBadRequest, "正整数"},
			{"/api/v1/lists/0", http.StatusBadRequest, "正整数"},
			{"/api/v1/lists/99999999999999999999", http.StatusBadRequest, "正整数"},
			{"/api/v1/lists/999", http.StatusNotFound, "不存在"},
			{"/api/v1/lists/999/items", http.StatusNotFound, "不存在"},
			{items + "?version=2", http.StatusNotFound, "第 2 版"},
			{items + "?version=x", http.StatusBadRequest, "version"},
			{items + "?version=-1", http.StatusBadRequest, "version"},
			{items + "?version=99999999999", http.StatusBadRequest, "超出范围"},
			{items + "?at=2024-13-01", http.StatusBadRequest, "YYYY-MM-DD"},
			{items + "?at=2000-01-01", http.StatusNotFound, "尚未公布"},
			{items + "?version=1&at=2099-01-01", http.StatusBadRequest, "只能给出一个"},
			{"/api/v1/items/999999", http.StatusNotFound, "不存在"},
			{"/api/v1/items/x", http.StatusBadRequest, "正整数"},
			{"/api/v1/nothing-here", http.StatusNotFound, "没有这个地址"},
		} {
			r := call(t, h, "GET", tc.path, nil, "")
			if r.Status != tc.status || !strings.Contains(r.ErrorMessage(t), tc.msg) {
				t.Errorf("GET %s = %d %s, want %d with %q", tc.path, r.Status, r.Body, tc.status, tc.msg)
			}
		}
	})
}

func TestMetricsLabelRoutesNotPaths(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ids := importSeeds(t, models.NewStore(db))
		h := newRouter(db)
		call(t, h, "GET", fmt.Sprintf("/api/v1/lists/%d", ids[0]), nil, "")
		call(t, h, "GET", fmt.Sprintf("/api/v1/lists/%d", ids[1]), nil, "")
		r := call(t, h, "GET", "/metrics", nil, "")
		body := string(r.Body)
		if r.Status != 200 || !strings.Contains(body, `route="/api/v1/lists/:id"`) || strings.Contains(body, fmt.Sprintf(`route="/api/v1/lists/%d"`, ids[0])) {
			t.Fatalf("metrics must label by route template: %d\n%.2000s", r.Status, body)
		}
		if !strings.Contains(body, `go_sql_max_open_connections{db_name="qingdan"}`) {
			t.Errorf("metrics lack the database pool")
		}
	})
}
