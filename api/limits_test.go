package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/importer"
	"qingdan/models"
)

// errorField is the message and details.field of a 400.
func errorField(t *testing.T, r response) (string, string) {
	t.Helper()
	var b struct {
		Error struct {
			Message string `json:"message"`
			Details struct {
				Field string `json:"field"`
			} `json:"details"`
		} `json:"error"`
	}
	r.JSON(t, &b)
	return b.Error.Message, b.Error.Details.Field
}

// Every text a user writes has a limit and no invisible control or bidi
// characters, every number a range: refused at the door naming the field,
// so nothing stored can break an export later.
func TestInputLimitsNameTheField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		draft := e.toState(t, e.hsb, "draft", map[string]any{"op": "add", "item": map[string]any{"name": "新事项", "category": "行政检查", "basis": crBasis}})
		review := e.toState(t, e.hsb, "legal_review", map[string]any{"op": "add", "item": map[string]any{"name": "另一新事项", "category": "行政检查", "basis": crBasis}})
		ops := fmt.Sprintf("/api/v1/change-requests/%d/operations", draft)
		add := func(item map[string]any, extra map[string]any) map[string]any {
			body := map[string]any{"op": "add", "reason": "r", "basis": crBasis, "item": item}
			for k, v := range extra {
				body[k] = v
			}
			return body
		}
		long := func(n int) string { return strings.Repeat("长", n) }
		for _, tc := range []struct {
			name, method, path, who string
			body                    any
			field, msg              string
		}{
			{"a name over its limit", "POST", ops, "hsb-ybj", add(map[string]any{"name": long(201), "category": "行政检查"}, nil), "item.name", "不能超过 200 字"},
			{"a megabyte of content", "POST", ops, "hsb-ybj", add(map[string]any{"name": "甲", "category": "行政检查", "content": long(300_000)}, nil), "item.content", "不能超过 3000 字"},
			{"a NUL in the content", "POST", ops, "hsb-ybj", add(map[string]any{"name": "甲", "category": "行政检查", "content": "a\x00b"}, nil), "item.content", "U+0000"},
			{"a bidi override in the name", "POST", ops, "hsb-ybj", add(map[string]any{"name": "甲\u202e乙", "category": "行政检查"}, nil), "item.name", "U+202E"},
			{"seq beyond any list", "POST", ops, "hsb-ybj", add(map[string]any{"name": "甲", "category": "行政检查", "seq": 3000000000}, nil), "item.seq", "序号"},
			{"a reason over its limit", "POST", ops, "hsb-ybj", add(map[string]any{"name": "甲", "category": "行政检查"}, map[string]any{"reason": long(2001)}), "reason", "2000"},
			{"an escape in the basis", "POST", ops, "hsb-ybj", add(map[string]any{"name": "甲", "category": "行政检查"}, map[string]any{"basis": crBasis + "\x1b[31m"}), "basis", "U+001B"},
			{"a title over its limit", "POST", "/api/v1/change-requests", "hsb-ybj", map[string]any{"list_id": e.hsb, "title": long(201)}, "title", "200"},
			{"a control character in the reason", "POST", "/api/v1/change-requests", "hsb-ybj", map[string]any{"list_id": e.hsb, "title": "t", "reason": "a\x07"}, "reason", "U+0007"},
			{"an edited reason over its limit", "PATCH", fmt.Sprintf("/api/v1/change-requests/%d", draft), "hsb-ybj", map[string]any{"reason": long(2001)}, "reason", "2000"},
			{"an opinion over its limit", "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", review), "hsb-sfj", map[string]any{"event": "return", "comment": long(2001)}, "comment", "2000"},
		} {
			r := e.as(t, tc.who, tc.method, tc.path, tc.body)
			msg, field := errorField(t, r)
			if r.Status != http.StatusBadRequest || field != tc.field || !strings.Contains(msg, tc.msg) {
				t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
			}
		}
	})
}

// An item with every field at its limit, named like a formula, publishes
// and exports whole: the XLSX cell holds all of it, the comparison table
// opens, the TSV is written, and the CSV shows the formula as text.
func TestLongestItemsExportWhole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		item := map[string]any{"category": "其他类"}
		layout, _ := importer.LayoutFor(models.KindPower)
		for _, c := range layout.Columns {
			switch f := c.Field; f {
			case models.FieldSeq:
				continue
			case models.FieldCategory, models.FieldCode:
				continue
			case models.FieldBasis:
				item[string(f)] = crBasis + strings.Repeat("款", f.MaxRunes()-utf8.RuneCountInString(crBasis))
			default:
				item[string(f)] = strings.Repeat("字", f.MaxRunes())
			}
		}
		item["name"] = "=HYPERLINK(\"http://example.com\",\"点击\")" + strings.Repeat("名", 150)
		e.toState(t, e.hsb, "published", map[string]any{"op": "add", "item": item})
		base := fmt.Sprintf("/api/v1/lists/%d/", e.hsb)

		x := e.must(t, 200, "anonymous", "GET", base+"export?format=xlsx", nil)
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		longest := 0
		for _, row := range rows {
			for _, c := range row {
				longest = max(longest, utf8.RuneCountInString(c))
			}
		}
		if longest != models.FieldBasis.MaxRunes() {
			t.Errorf("the longest XLSX cell has %d characters, want the whole basis of %d", longest, models.FieldBasis.MaxRunes())
		}
		e.must(t, 200, "anonymous", "GET", base+"comparison?from=1&to=2&format=xlsx", nil)
		tsv := e.must(t, 200, "anonymous", "GET", base+"export?format=tsv", nil)
		if !strings.Contains(string(tsv.Body), "\t=HYPERLINK(") {
			t.Error("the TSV does not keep the name as it is")
		}
		csv := e.must(t, 200, "anonymous", "GET", base+"export?format=csv", nil)
		if strings.Contains(string(csv.Body), ",=HYPERLINK(") || !strings.Contains(string(csv.Body), `'=HYPERLINK(`) {
			t.Error("the CSV lets a spreadsheet read the name as a formula")
		}
	})
}

// A request holds at most MaxOperations operations.
func TestOperationsPerRequestAreCapped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		id := e.toState(t, e.hsb, "draft", map[string]any{"op": "add", "item": map[string]any{"name": "事项0", "category": "行政检查", "basis": crBasis}})
		path := fmt.Sprintf("/api/v1/change-requests/%d/operations", id)
		for i := 1; i < models.MaxOperations; i++ {
			e.must(t, 201, "hsb-ybj", "POST", path, map[string]any{"op": "add", "reason": "r", "basis": crBasis,
				"item": map[string]any{"name": fmt.Sprintf("事项%d", i), "category": "行政检查", "basis": crBasis}})
		}
		r := e.as(t, "hsb-ybj", "POST", path, map[string]any{"op": "add", "reason": "r", "basis": crBasis,
			"item": map[string]any{"name": "多一项", "category": "行政检查"}})
		if msg, _ := errorField(t, r); r.Status != 400 || !strings.Contains(msg, fmt.Sprint(models.MaxOperations)) {
			t.Fatalf("operation %d: %d %s", models.MaxOperations+1, r.Status, r.Body)
		}
	})
}
