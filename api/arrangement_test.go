package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/importer"
	"qingdan/models"
)

// placed is an item as a version lays it out: its category, 序号 and name.
type placed struct {
	Category string
	Seq      int
	Name     string
}

// TestPublishedVersionIsAWellFormedList: on both seed lists a request with
// every operation type — items added after a named item, at the end and in
// a category the list did not have, included first in a category, modified,
// recategorised, removed — is published through the API. The new version,
// as page data and as XLSX, CSV and TSV, lists its items by category in the
// list's order, each category once, numbered as the list numbers (红寺堡
// 1…n per category, 于田 1…N through the list), every entering item where
// its operation put it.
func TestPublishedVersionIsAWellFormedList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		for _, c := range []struct {
			name        string
			list        int64
			perCategory bool
			ops         func(id func(string) int64) []map[string]any
			categories  []string
			want        []placed // where some items must be
			gone        string
		}{{
			name: "红寺堡", list: e.hsb, perCategory: true,
			ops: func(id func(string) int64) []map[string]any {
				return []map[string]any{
					{"op": "add", "after_item_id": id("缴费单位伪造、变造社会保险登记"), "item": map[string]any{
						"name": "新增处罚甲", "category": "行政处罚", "code": "0247011000", "department": "医疗保障行政部门", "basis": crBasis}},
					{"op": "add", "item": map[string]any{"name": "新增许可乙", "category": "行政许可", "code": "0147001000", "basis": crBasis}},
					{"op": "include", "after_item_id": 0, "source": "自治区医疗保障权力事项目录", "item": map[string]any{
						"name": "列入检查丙", "category": "行政检查", "code": "0647011000", "basis": crBasis}},
					{"op": "modify", "item_id": id("对定点医疗、医药机构违法违规操作"), "item": map[string]any{"content": "调整后的行使内容"}},
					{"op": "recategorize", "item_id": id("建立医疗卫生机构、人员等信用记录制度"), "item": map[string]any{"category": "行政检查", "code": "0647012000"}},
					{"op": "remove", "item_id": id("以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出")},
				}
			},
			categories: []string{"行政许可", "行政处罚", "行政强制", "行政给付", "行政检查", "其他类"},
			want: []placed{
				{"行政许可", 1, "新增许可乙"},
				{"行政处罚", 1, "以欺诈、伪造证明材料或者其他手段骗取社会保险待遇"},
				{"行政处罚", 3, "新增处罚甲"},
				{"行政处罚", 8, "对定点医疗、医药机构违法违规操作"},
				{"行政处罚", 10, "对骗取医疗救助资金的处罚"},
				{"行政检查", 1, "列入检查丙"},
				{"行政检查", 2, "社会保险基金监督检查"},
				{"行政检查", 9, "建立医疗卫生机构、人员等信用记录制度"},
				{"其他类", 2, "社保关系转移接续"},
			},
			gone: "以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出",
		}, {
			name: "于田", list: e.yt, perCategory: false,
			ops: func(id func(string) int64) []map[string]any {
				return []map[string]any{
					{"op": "add", "after_item_id": id("对参加药品采购投标的投标人"), "item": map[string]any{
						"name": "新增处罚甲", "category": "行政处罚", "department": "于田县医疗保障局", "basis": crBasis}},
					{"op": "add", "item": map[string]any{"name": "新增裁决乙", "category": "行政裁决", "basis": crBasis}},
					{"op": "include", "source": "自治区医疗保障权责事项目录", "item": map[string]any{"name": "列入检查丙", "category": "行政检查", "basis": crBasis}},
					{"op": "modify", "item_id": id("医疗保险稽核"), "item": map[string]any{"duty": "负责县级医疗保险稽核"}},
					{"op": "recategorize", "item_id": id("建立医疗卫生机构、人员等信用记录制度"), "after_item_id": id("医疗保险稽核"),
						"item": map[string]any{"category": "行政检查"}},
					{"op": "remove", "item_id": id("对医疗保险经办机构以及医疗机构")},
				}
			},
			categories: []string{"行政处罚", "行政强制", "行政检查", "行政奖励", "行政确认", "行政给付", "行政裁决"},
			want: []placed{
				{"行政处罚", 1, "对参加药品采购投标的投标人"},
				{"行政处罚", 2, "新增处罚甲"},
				{"行政强制", 6, "对可能被转移、隐匿或者灭失的医疗保险基金"},
				{"行政检查", 7, "医疗保险稽核"},
				{"行政检查", 8, "建立医疗卫生机构、人员等信用记录制度"},
				{"行政检查", 17, "列入检查丙"},
				{"行政给付", 20, "医疗救助待遇给付"},
				{"行政裁决", 21, "新增裁决乙"},
			},
			gone: "对医疗保险经办机构以及医疗机构",
		}} {
			t.Run(c.name, func(t *testing.T) {
				p := e.region(c.list)
				req := e.create(t, p+"-ybj", c.list)
				for _, op := range c.ops(func(name string) int64 { return e.itemID(t, c.list, name) }) {
					e.addOp(t, p+"-ybj", req, op)
				}
				e.fire(t, p+"-ybj", req, "submit", "", "legal_review")
				e.fire(t, p+"-sfj", req, "pass", "", "approval")
				e.fire(t, p+"-gov", req, "approve", "", "approved")
				done := e.fire(t, p+"-gov", req, "publish", "", "published")
				v := strconv.Itoa(*done.PublishedVersion)

				_, items := e.items(t, c.list, v)
				page := make([]placed, 0, len(items))
				for _, it := range items {
					page = append(page, placed{it.Category, it.Seq, it.Name})
				}
				checkWellFormed(t, "page data", page, c.categories, c.perCategory)
				for _, w := range c.want {
					i := slices.IndexFunc(page, func(p placed) bool { return strings.HasPrefix(p.Name, w.Name) })
					if i < 0 || page[i].Category != w.Category || page[i].Seq != w.Seq {
						t.Errorf("%s: want %s 序号 %d, got %+v", w.Name, w.Category, w.Seq, page[max(i, 0)])
					}
				}
				if _, ok := findItem(items, c.gone); ok {
					t.Errorf("removed item %s still listed", c.gone)
				}
				// The same layout in every download of the version.
				export := func(format string) []byte {
					return e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/export?format=%s&version=%s", c.list, format, v), nil).Body
				}
				l, _ := importer.LayoutFor(map[int64]string{e.hsb: models.KindPower, e.yt: models.KindDuty}[c.list])
				for format, rows := range map[string][]placed{
					"xlsx": xlsxRows(t, l, export("xlsx"), c.categories),
					"csv":  csvRows(t, l, export("csv")),
					"tsv":  tsvRows(t, export("tsv")),
				} {
					if !reflect.DeepEqual(rows, page) {
						t.Errorf("%s differs from the page data:\n got %v\nwant %v", format, rows, page)
					}
				}
			})
		}
	})
}

// checkWellFormed: each category once, in the wanted order, 序号 1…n per
// category or 1…N through the list.
func checkWellFormed(t *testing.T, what string, rows []placed, categories []string, perCategory bool) {
	t.Helper()
	var runs []string
	for i, r := range rows {
		if i == 0 || r.Category != rows[i-1].Category {
			runs = append(runs, r.Category)
		}
		want := i + 1
		if perCategory {
			want = 1
			if i > 0 && r.Category == rows[i-1].Category {
				want = rows[i-1].Seq + 1
			}
		}
		if r.Seq != want {
			t.Errorf("%s: %s 序号 %d, want %d", what, r.Name, r.Seq, want)
		}
	}
	if !reflect.DeepEqual(runs, categories) {
		t.Errorf("%s: categories %v, want %v", what, runs, categories)
	}
}

var headingRE = regexp.MustCompile(`^([一二三四五六七八九十]+)、(.+)$`)

// xlsxRows reads a version's worksheet: under the title, subtitle and header,
// a power list's heading rows 一、… (one per category, numbered in order)
// and the item rows under them; a duty list's rows carry their category.
func xlsxRows(t *testing.T, l *importer.Layout, data []byte, categories []string) []placed {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows[2], l.Headers()) {
		t.Fatalf("xlsx header %q", rows[2])
	}
	var out []placed
	var headings []string
	category := ""
	for _, r := range rows[3:] {
		if m := headingRE.FindStringSubmatch(r[0]); m != nil && len(slices.DeleteFunc(slices.Clone(r), func(s string) bool { return s == "" })) == 1 {
			category = m[2]
			if want := importer.ChineseNumber(len(headings)+1) + "、" + category; r[0] != want {
				t.Errorf("xlsx heading %q, want %q", r[0], want)
			}
			headings = append(headings, category)
			continue
		}
		out = append(out, layoutRow(t, l, r, category))
	}
	if l.CategoryHeadings && !reflect.DeepEqual(headings, categories) {
		t.Errorf("xlsx headings %v, want %v", headings, categories)
	}
	return out
}

// layoutRow reads 序号, name and category from a row in the layout's columns
// (category, when the layout has no column for it, from its heading).
func layoutRow(t *testing.T, l *importer.Layout, cells []string, category string) placed {
	t.Helper()
	p := placed{Category: category}
	for i, c := range l.Columns {
		if i >= len(cells) {
			break
		}
		switch c.Field {
		case models.FieldSeq:
			n, err := strconv.Atoi(cells[i])
			if err != nil {
				t.Fatalf("序号 %q: %v", cells[i], err)
			}
			p.Seq = n
		case models.FieldName:
			p.Name = cells[i]
		case models.FieldCategory:
			p.Category = cells[i]
		}
	}
	return p
}

// csvRows reads the CSV export: below its title, version and header rows, a
// power list's category is its first column.
func csvRows(t *testing.T, l *importer.Layout, data []byte) []placed {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []placed
	for _, r := range records[3:] {
		if l.CategoryHeadings {
			out = append(out, layoutRow(t, l, r[1:], r[0]))
		} else {
			out = append(out, layoutRow(t, l, r, ""))
		}
	}
	return out
}

// tsvRows reads the TSV export back with the importer.
func tsvRows(t *testing.T, data []byte) []placed {
	t.Helper()
	parsed, err := importer.Parse(bytes.NewReader(data), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []placed
	for _, it := range parsed.Items {
		out = append(out, placed{it.Category, it.Seq, it.Name})
	}
	return out
}

// TestMessagesNameListsByTitle: a reader who asks for a version a list does
// not have is told which list by its title, not by an internal number.
func TestMessagesNameListsByTitle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newRouter(db)
		ids := importSeeds(t, models.NewStore(db))
		const title = "“红寺堡区医疗保障局权力清单”"
		base := "/api/v1/lists/" + itoa(ids[0])
		for _, c := range []struct {
			path   string
			status int
			msg    string
		}{
			{base + "/items?at=2000-01-01", 404, title + "在 2000-01-01 之前尚未公布任何版本"},
			{base + "/items?version=9", 404, title + "没有第 9 版"},
			{base + "/export?format=csv&version=9", 404, title + "没有第 9 版"},
			{base + "/diff?from=1&to=9", 400, title + "现有第 1 至第 1 版，没有第 9 版"},
		} {
			res := call(t, h, "GET", c.path, nil, "")
			msg := res.ErrorMessage(t)
			if res.Status != c.status || msg != c.msg || strings.Contains(msg, "清单 "+itoa(ids[0])) {
				t.Errorf("GET %s: %d %q, want %d %q", c.path, res.Status, msg, c.status, c.msg)
			}
		}
	})
}
