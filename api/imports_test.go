package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/basis"
	"qingdan/dbtest"
	"qingdan/importer"
	"qingdan/models"
	"qingdan/testkit"
)

// upload posts a list file as the browser's form does.
func upload(t testing.TB, h http.Handler, token, fileName string, data []byte, fields map[string]string) response {
	t.Helper()
	return postFile(t, h, "/api/v1/imports", token, fileName, data, fields)
}

type previewJSON struct {
	ID      int64                   `json:"id"`
	Agency  string                  `json:"agency"`
	Title   string                  `json:"title"`
	Kind    string                  `json:"kind"`
	Columns []importer.SourceColumn `json:"columns"`
	Layout  models.Layout           `json:"layout"`
	Items   []models.ItemFields     `json:"items"`
	Report  importer.Report         `json:"report"`
}

// readableItems are items as the API sends them: cells of paragraphs as
// text, a paragraph a line.
func readableItems(items []models.ItemFields) []models.ItemFields {
	out := make([]models.ItemFields, len(items))
	for i, it := range items {
		out[i] = basis.Readable(it)
	}
	return out
}

// Every test layout imports through the API as an administrator: preview
// (nothing published), confirm as version 1, and the public reads the items
// with their extra columns and the list's own columns.
func TestImportEveryLayoutThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := newCREnv(t, db)
		for _, tc := range testkit.LayoutCases {
			agency := tc.Agency
			form := map[string]string{"agency": agency, "region_code": "640303"} // the test tables' counties are not in the seed regions
			r := upload(t, env.h, env.token["admin"], tc.File, tc.Data(), form)
			if r.Status != http.StatusCreated {
				t.Fatalf("%s: %d %s", tc.Name, r.Status, r.Body)
			}
			var p previewJSON
			r.JSON(t, &p)
			if p.Agency != agency || p.Kind != tc.Kind || len(p.Columns) == 0 {
				t.Errorf("%s: preview %q %q %d columns", tc.Name, p.Agency, p.Kind, len(p.Columns))
			}
			testkit.CheckItems(t, p.Items, readableItems(tc.Items))
			lists := env.must(t, 200, "anonymous", "GET", "/api/v1/lists", nil)
			if strings.Contains(string(lists.Body), agency) {
				t.Fatalf("%s: a preview published the list", tc.Name)
			}

			var done struct {
				ListID  int64 `json:"list_id"`
				Version int   `json:"version"`
			}
			env.must(t, 201, "admin", "POST", fmt.Sprintf("/api/v1/imports/%d/confirm", p.ID), nil).JSON(t, &done)
			if done.Version != 1 {
				t.Errorf("version %d", done.Version)
			}
			var list struct {
				Title  string        `json:"title"`
				Layout models.Layout `json:"layout"`
			}
			env.must(t, 200, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d", done.ListID), nil).JSON(t, &list)
			if fmt.Sprint(list.Layout.Columns) != fmt.Sprint(tc.Columns) {
				t.Errorf("%s: list layout %v, want %v", tc.Name, list.Layout.Columns, tc.Columns)
			}
			var items struct {
				Items []models.ItemFields `json:"items"`
			}
			env.must(t, 200, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/items", done.ListID), nil).JSON(t, &items)
			testkit.CheckItems(t, items.Items, readableItems(tc.Published()))

			// The export writes the list's columns and imports back to the same items.
			exp := env.must(t, 200, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/export?format=xlsx", done.ListID), nil)
			back, err := importer.Read("x.xlsx", exp.Body, importer.Options{})
			if err != nil {
				t.Fatalf("%s: export does not read back: %v", tc.Name, err)
			}
			testkit.CheckItems(t, back.Items, tc.Published())

			// A second file for the list is refused before anything is kept.
			again := upload(t, env.h, env.token["admin"], tc.File, tc.Data(), form)
			if again.Status != http.StatusConflict || !strings.Contains(again.ErrorMessage(t), "只能通过修订申请修改") {
				t.Errorf("%s: second upload %d %s", tc.Name, again.Status, again.Body)
			}
		}
	})
}

// The administrator corrects the detected mapping: the preview follows, the
// confirmed list keeps the corrected columns.
func TestImportMappingCorrection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := newCREnv(t, db)
		tc := testkit.LayoutCases[0] // 建平: 主管部门 is detected as 实施部门
		r := upload(t, env.h, env.token["admin"], tc.File, tc.Data(), map[string]string{"agency": "红寺堡区民政局", "kind": "duty"})
		if r.Status != http.StatusCreated {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		var p previewJSON
		r.JSON(t, &p)
		if p.Columns[5].Header != "主管部门" || p.Columns[5].Field != "department" || p.Columns[5].Score == 0 {
			t.Fatalf("detected column 6: %+v", p.Columns[5])
		}
		path := fmt.Sprintf("/api/v1/imports/%d", p.ID)
		bad := env.must(t, 400, "admin", "PUT", path+"/mapping", map[string]any{"columns": []map[string]any{{"index": 2, "field": "-"}}})
		if !strings.Contains(bad.ErrorMessage(t), "事项名称") {
			t.Errorf("mapping without a name: %s", bad.Body)
		}
		env.must(t, 200, "admin", "PUT", path+"/mapping", map[string]any{"columns": []map[string]any{{"index": 5, "field": ""}, {"index": 7, "field": "-"}}}).JSON(t, &p)
		if p.Items[0].Department != "" || p.Items[0].Extra["主管部门"] != "建平县医疗保障局" {
			t.Errorf("corrected preview: %+v", p.Items[0])
		}
		env.must(t, 200, "admin", "GET", path, nil).JSON(t, &p) // the correction is kept
		if p.Items[0].Extra["主管部门"] == "" {
			t.Error("the corrected mapping was not kept")
		}
		var done struct {
			ListID int64 `json:"list_id"`
		}
		// The list's publication before Qingdan becomes version 1's record;
		// a bad one is refused naming its field, and the import stays confirmable.
		for _, bad := range []struct {
			body  map[string]string
			field string
			msg   string
		}{
			{map[string]string{"publish_date": "2023-5-1"}, "publish_date", "YYYY-MM-DD"},
			{map[string]string{"publish_date": "2099-01-01"}, "publish_date", "不能晚于今天"},
			{map[string]string{"doc_number": strings.Repeat("号", models.MaxDocNumberRunes+1)}, "doc_number", "不能超过"},
		} {
			r := env.must(t, 400, "admin", "POST", path+"/confirm", bad.body)
			var e struct {
				Error struct {
					Message string
					Details struct{ Field string }
				}
			}
			r.JSON(t, &e)
			if e.Error.Details.Field != bad.field || !strings.Contains(e.Error.Message, bad.msg) {
				t.Errorf("confirm %v: %s", bad.body, r.Body)
			}
		}
		env.must(t, 201, "admin", "POST", path+"/confirm", map[string]string{"publish_date": "2023-05-08", "doc_number": "红政办发〔2023〕12号"}).JSON(t, &done)
		var versions struct {
			Versions []struct {
				Number      int
				PublishDate string `json:"publish_date"`
				DocNumber   string `json:"doc_number"`
			}
		}
		env.must(t, 200, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/versions", done.ListID), nil).JSON(t, &versions)
		if v := versions.Versions; len(v) != 1 || v[0].PublishDate != "2023-05-08" || v[0].DocNumber != "红政办发〔2023〕12号" {
			t.Errorf("version 1's record: %+v", v)
		}
		// In force from that day (Beijing), not from the day of the import.
		var at struct{ Version int }
		env.must(t, 200, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/items?at=2024-01-01", done.ListID), nil).JSON(t, &at)
		if at.Version != 1 {
			t.Errorf("items at 2024-01-01: version %d", at.Version)
		}
		env.must(t, 404, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/items?at=2023-05-07", done.ListID), nil)
		var list struct {
			Layout models.Layout `json:"layout"`
		}
		env.must(t, 200, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d", done.ListID), nil).JSON(t, &list)
		if !list.Layout.Has(models.FieldSubitem) || list.Layout.Has(models.FieldDepartment) || list.Layout.Has(models.FieldNote) ||
			!strings.Contains(fmt.Sprint(list.Layout.Extras()), "主管部门") {
			t.Errorf("confirmed layout %+v", list.Layout)
		}
		env.must(t, 409, "admin", "POST", path+"/confirm", nil)
		audit := env.must(t, 200, "admin", "GET", "/api/v1/audit?action=list_import", nil)
		if !strings.Contains(string(audit.Body), "红寺堡区民政局") {
			t.Errorf("import not audited: %s", audit.Body)
		}
	})
}

// Who may import, and what bad input answers: nothing is kept or published.
func TestImportRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := newCREnv(t, db)
		tc := testkit.LayoutCases[0]
		form := map[string]string{"agency": "红寺堡区民政局"}
		for _, who := range []string{"hsb-ybj", "hsb-sfj", "hsb-gov"} {
			if r := upload(t, env.h, env.token[who], tc.File, tc.Data(), form); r.Status != http.StatusForbidden {
				t.Errorf("%s may import: %d", who, r.Status)
			}
		}
		if r := upload(t, env.h, "", tc.File, tc.Data(), form); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", r.Status)
		}
		admin := env.token["admin"]
		cases := []struct {
			name   string
			file   string
			data   []byte
			form   map[string]string
			status int
			msg    string
		}{
			{"no file", "", nil, form, 400, "字段 file"},
			{"no agency", tc.File, tc.Data(), nil, 400, "请指定部门"},
			{"an agency of no known region", tc.File, tc.Data(), map[string]string{"agency": "某某县民政局"}, 400, "无法从部门名称"},
			{"an unknown agency id", tc.File, tc.Data(), map[string]string{"agency_id": "99999"}, 404, "部门 99999 不存在"},
			{"an unknown kind", tc.File, tc.Data(), map[string]string{"agency": "红寺堡区民政局", "kind": "budget"}, 400, "清单类型"},
			{"an agency that has its list", tc.File, tc.Data(), map[string]string{"agency": "红寺堡区医疗保障局", "kind": "power"}, 409, "已存在"},
			{"an old workbook", "清单.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), form, 400, "清单.xls：这是旧版 Office"},
			{"a budget table", "预算.xlsx", testkit.MustXLSX(testkit.Sheet{Name: "预算", Rows: [][]string{{"科目", "金额"}, {"201", "12"}}}), form, 400, "没有找到清单的表头"},
			{"a file past the limit", "big.csv", bytes.Repeat([]byte("a"), importer.MaxFileBytes+1), form, 413, "上限"},
		}
		for _, c := range cases {
			r := upload(t, env.h, admin, c.file, c.data, c.form)
			if r.Status != c.status || !strings.Contains(r.ErrorMessage(t), c.msg) {
				t.Errorf("%s: %d %s, want %d %q", c.name, r.Status, r.Body, c.status, c.msg)
			}
		}
		var n int64
		db.Table("imports").Count(&n)
		if n != 0 {
			t.Errorf("%d uploads kept after refusals", n)
		}
		env.must(t, 404, "admin", "GET", "/api/v1/imports/999", nil)
		r := upload(t, env.h, admin, tc.File, tc.Data(), form)
		var p previewJSON
		r.JSON(t, &p)
		env.must(t, 403, "hsb-ybj", "POST", fmt.Sprintf("/api/v1/imports/%d/confirm", p.ID), nil)
		env.must(t, 400, "admin", "PUT", fmt.Sprintf("/api/v1/imports/%d/mapping", p.ID), `{"columns":[{"index":1,"field":"colour"}]}`)
	})
}
