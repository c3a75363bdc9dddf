package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"qingdan/basis"
	"qingdan/dbtest"
	"qingdan/export"
	"qingdan/historytest"
	"qingdan/importer"
	"qingdan/models"
	"qingdan/testkit"
)

var seeds = map[string]string{
	models.KindPower: "hongsibu-medical-security-power-list.txt",
	models.KindDuty:  "yutian-medical-security-duty-list.txt",
}

// importSeed imports one real list and returns its id.
func importSeed(t *testing.T, s *models.Store, kind string) int64 {
	t.Helper()
	ctx := context.Background()
	if err := s.EnsureRegions(ctx, models.KnownRegions); err != nil {
		t.Fatal(err)
	}
	_, file, _, _ := runtime.Caller(0)
	f, err := os.Open(filepath.Join(filepath.Dir(filepath.Dir(file)), "seeds", seeds[kind]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, res, err := importer.Import(ctx, s, f, importer.Options{At: testkit.Imported}, "")
	if err != nil {
		t.Fatal(err)
	}
	return res.ListID
}

// reviseSeed publishes a request that modifies, recategorizes, adds and
// removes items, so exports are of a version the importer never wrote.
func reviseSeed(t *testing.T, s *models.Store, listID int64) {
	t.Helper()
	l, err := s.List(context.Background(), listID)
	if err != nil {
		t.Fatal(err)
	}
	ppl := historytest.NewPeople(t, s, l.AgencyID, l.Kind)
	v1 := historytest.Items(t, s, listID, 1)
	// The states are what the workflow publishes: citations parsed from the basis.
	modified := v1[0].Fields()
	modified.Level = "县级（调整后）"
	modified.Basis += "<p>【行政法规】《医疗保障基金使用监督管理条例》（2021年）</p>"
	modified.Citations = basis.Parse(modified.Basis)
	modified.Note = "调整"
	moved := v1[len(v1)-1].Fields()
	moved.Category, moved.Note = "行政检查", "由其他类别改为行政检查"
	added := models.ItemFields{Seq: 99, Name: "对定点医药机构违规行为的处罚", Category: "行政处罚",
		Basis: "<p>【法律】《中华人民共和国社会保险法》（2018年修正）</p><p>第八十七条 …</p>", Note: "增加"}
	added.Citations = basis.Parse(added.Basis)
	if l.Kind == models.KindPower {
		added.Code, added.Department, added.Level = "0247099000", "医疗保障行政部门", "县级"
		moved.Code = "0647098000" // a power moving to another category takes that category's code
	} else {
		added.Department, added.Duty = "于田县医疗保障局", "依法查处违法行为"
	}
	historytest.Publish(t, s, ppl, listID, "2024年动态调整", time.Date(2024, 6, 1, 2, 0, 0, 0, time.UTC),
		historytest.Change{Op: models.OpModify, ItemID: v1[0].ItemID, Fields: &modified, Reason: "上位法修正"},
		historytest.Change{Op: models.OpRecategorize, ItemID: v1[len(v1)-1].ItemID, Fields: &moved, Reason: "归类调整"},
		historytest.Change{Op: models.OpAdd, Fields: &added, Reason: "新增职权"},
		historytest.Change{Op: models.OpRemove, ItemID: v1[1].ItemID, Reason: "上位法废止"})
}

func write(t *testing.T, f export.Format, v export.Version) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.Write(&buf, f, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fields are every field of an item but its citations.
var fields = []models.Field{models.FieldSeq, models.FieldCode, models.FieldName, models.FieldSubitem,
	models.FieldCategory, models.FieldDepartment, models.FieldBasis, models.FieldLevel, models.FieldContent,
	models.FieldDuty, models.FieldResponsibility, models.FieldResponsibilityBasis, models.FieldAccountable,
	models.FieldAccountability, models.FieldNote}

// Exporting a version as TSV and importing the file gives the same items,
// field by field — for both seeds, as imported and after a revision.
func TestTSVExportReimportsToTheSameItems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		for _, kind := range []string{models.KindPower, models.KindDuty} {
			listID := importSeed(t, s, kind)
			reviseSeed(t, s, listID)
			for _, number := range []int{1, 2} {
				v, err := export.LoadVersion(ctx, s, listID, number)
				if err != nil {
					t.Fatal(err)
				}
				parsed, err := importer.Parse(bytes.NewReader(write(t, export.TSV, v)), importer.Options{})
				if err != nil {
					t.Fatalf("%s version %d: the export does not parse: %v", kind, number, err)
				}
				if parsed.Title != v.Title || parsed.Kind != kind || len(parsed.Items) != len(v.Items) {
					t.Fatalf("%s version %d: read back %q %s with %d items, want %q %s with %d",
						kind, number, parsed.Title, parsed.Kind, len(parsed.Items), v.Title, kind, len(v.Items))
				}
				for i, want := range v.Items {
					got := parsed.Items[i]
					for _, f := range fields {
						if g, w := got.Get(f), want.Get(f); g != w {
							t.Errorf("%s version %d item %d %s: got %.40q, want %.40q", kind, number, i+1, f, g, w)
						}
					}
					if len(got.Citations)+len(want.Citations) > 0 && !reflect.DeepEqual(got.Citations, want.Citations) {
						t.Errorf("%s version %d item %d: citations %+v, want %+v", kind, number, i+1, got.Citations, want.Citations)
					}
				}
			}
		}
	})
}

func TestXLSXHasTitleLayoutColumnsAndReadableCells(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		for _, kind := range []string{models.KindPower, models.KindDuty} {
			listID := importSeed(t, s, kind)
			v, err := export.LoadVersion(ctx, s, listID, 0)
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(write(t, export.XLSX, v)))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows(f.GetSheetName(0))
			if err != nil {
				t.Fatal(err)
			}
			layout, _ := importer.LayoutFor(kind)
			if rows[0][0] != v.Title {
				t.Errorf("%s: A1 = %q, want the title %q", kind, rows[0][0], v.Title)
			}
			if !strings.Contains(rows[1][0], "第 1 版") {
				t.Errorf("%s: subtitle %q does not name the version", kind, rows[1][0])
			}
			if !reflect.DeepEqual(rows[2], layout.Headers()) || len(rows[2]) != map[string]int{"power": 9, "duty": 13}[kind] {
				t.Errorf("%s: headers %v, want %v", kind, rows[2], layout.Headers())
			}
			first := rows[3]
			if kind == models.KindPower {
				if first[0] != "一、"+v.Items[0].Category {
					t.Errorf("power list: row 4 = %q, want the category heading", first[0])
				}
				first = rows[4]
			}
			if first[1] != v.Items[0].Name {
				t.Errorf("%s: first item name %q, want %q", kind, first[1], v.Items[0].Name)
			}
			basisCol := 5
			if kind == models.KindDuty {
				basisCol = 4
			}
			if b := first[basisCol]; strings.Contains(b, "<p>") || !strings.Contains(b, "\n") || !strings.HasPrefix(b, "【法律】") {
				t.Errorf("%s: basis cell keeps markup or lost its paragraphs: %.60q", kind, b)
			}
			style, err := f.GetCellStyle(f.GetSheetName(0), "F5")
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(style)
			if err != nil || st.Alignment == nil || !st.Alignment.WrapText {
				t.Errorf("%s: item cells are not wrapped (%v)", kind, err)
			}
			width, err := f.GetColWidth(f.GetSheetName(0), "B")
			if err != nil || width < 20 {
				t.Errorf("%s: name column %v wide, want a readable width", kind, width)
			}
		}
	})
}

// The CSV is UTF-8 with a BOM, titled as the XLSX (the list, then the
// version with its batch, 文号 and 公布日期), each title row as wide as the
// table, a power list's category as its first column.
func TestCSVIsUTF8WithBOMAndCategoryColumn(t *testing.T) {
	v := export.Version{Title: "红寺堡区医疗保障局权力清单", Kind: models.KindPower, Agency: "红寺堡区医疗保障局", Number: 2,
		Record: models.ListVersion{BatchName: "2026年第二批", DocNumber: "红政函〔2026〕12号", PublishDate: "2026-03-02"}}
	v.Items = []models.ItemFields{
		{Seq: 1, Code: "0247001000", Name: "对骗取医疗保障基金的处罚", Category: "行政处罚", Basis: "<p>【法律】《社会保险法》</p> <p>第八十七条，“骗取”</p>"},
		{Seq: 1, Name: "医疗保障基金使用的检查", Category: "行政检查"},
	}
	data := write(t, export.CSV, v)
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("CSV starts with % x, want the UTF-8 byte-order mark", data[:3])
	}
	rows, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"红寺堡区医疗保障局权力清单", "", "", "", "", "", "", "", "", ""},
		{"红寺堡区医疗保障局　第 2 版　2026年第二批　红政函〔2026〕12号　公布于 2026年3月2日", "", "", "", "", "", "", "", "", ""},
		{"权力类型", "序号", "职权名称", "子项名称", "基本编码", "实施部门", "职权依据", "行使层级", "行使内容", "备注"},
		{"行政处罚", "1", "对骗取医疗保障基金的处罚", "", "0247001000", "", "【法律】《社会保险法》\n第八十七条，“骗取”", "", "", ""},
		{"行政检查", "1", "医疗保障基金使用的检查", "", "", "", "", "", "", ""},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("CSV rows\n got %q\nwant %q", rows, want)
	}
}

func TestParseFormatRefusesUnknownFormats(t *testing.T) {
	for _, c := range []struct {
		in      string
		allowed []export.Format
		ok      bool
	}{
		{"xlsx", export.VersionFormats, true}, {"tsv", export.VersionFormats, true}, {"html", export.VersionFormats, false},
		{"html", export.ComparisonFormats, true}, {"csv", export.ComparisonFormats, false}, {"", export.VersionFormats, false},
		{"XLSX", export.VersionFormats, false}, {"pdf", export.VersionFormats, false},
	} {
		_, err := export.ParseFormat(c.in, c.allowed)
		if (err == nil) != c.ok {
			t.Errorf("ParseFormat(%q, %v): err %v", c.in, c.allowed, err)
		}
	}
}

func TestListComparisonRowsSayWhatChangedAndWhy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		listID := importSeed(t, s, models.KindPower)
		v1 := historytest.Items(t, s, listID, 1)
		reviseSeed(t, s, listID)
		c, err := export.ListComparison(ctx, s, listID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if c.Title != "红寺堡区医疗保障局权力清单修订对照表" || c.Subtitle != "第 1 版 → 第 2 版（第 2 版公布于 2024年6月1日）" {
			t.Errorf("title %q subtitle %q", c.Title, c.Subtitle)
		}
		type brief struct{ name, reason, note string }
		var got []brief
		for i, r := range c.Rows {
			got = append(got, brief{r.Name, r.Reason, r.Note})
			if r.Seq != i+1 {
				t.Errorf("row %d numbered %d", i+1, r.Seq)
			}
		}
		want := []brief{
			{v1[0].Name, "上位法修正", "调整（第 2 版）"},
			{v1[1].Name, "上位法废止\n【事中事后监管措施】纳入日常监管，发现问题依法处理", "取消（第 2 版）"}, // the material beside the reason
			{"对定点医药机构违规行为的处罚", "新增职权", "增加（第 2 版）"},                       // at the end of 行政处罚
			{v1[len(v1)-1].Name, "归类调整", "改为（第 2 版）"},                     // now in a later category
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("rows\n got %v\nwant %v", got, want)
		}
		mod := c.Rows[0]
		before, after := mod.Before.String(), mod.After.String()
		if !strings.HasPrefix(before, "【职权依据】【法律】") || !strings.Contains(after, "\n【行使层级】县级（调整后）") {
			t.Errorf("modified row does not show the changed fields under their headers:\nbefore %.80q\nafter %.200q", before, after)
		}
		if strings.Contains(before+after, "<p>") {
			t.Error("comparison cells keep <p> markup")
		}
		// The marks fall on what changed, in the readable text.
		var inserted, deleted []string
		for _, s := range mod.After {
			if s.Changed {
				inserted = append(inserted, s.Text)
			}
		}
		for _, s := range mod.Before {
			if s.Changed {
				deleted = append(deleted, s.Text)
			}
		}
		if want := []string{"\n【行政法规】《医疗保障基金使用监督管理条例》（2021年）", "（调整后）", "调整"}; !reflect.DeepEqual(inserted, want) {
			t.Errorf("marked as inserted %q, want %q", inserted, want)
		}
		if len(deleted) != 0 { // only additions: the empty 备注 placeholder is not deleted text
			t.Errorf("marked as deleted %q, want nothing", deleted)
		}
		if c.Rows[1].After.String() != "（取消）" || c.Rows[2].Before.String() != "（无）" || !strings.Contains(c.Rows[2].After.String(), "【权力类型】行政处罚\n") {
			t.Errorf("removed/added rows: %q / %q", c.Rows[1].After, c.Rows[2].After)
		}
		if !strings.Contains(c.Rows[3].Before.String(), "【权力类型】其他类") || !strings.Contains(c.Rows[3].After.String(), "【权力类型】行政检查") {
			t.Errorf("recategorized row: %q → %q", c.Rows[3].Before, c.Rows[3].After)
		}
	})
}

func TestComparisonHTMLEscapesItemText(t *testing.T) {
	c := export.Comparison{Title: "某局权力清单修订对照表", Subtitle: "第 1 版 → 第 2 版", At: time.Now(), Rows: []export.ComparisonRow{{
		Seq: 1, Name: `<img src=x onerror=alert(1)>`, Before: export.Cell{{Text: "处"}, {Text: "二</del>倍", Changed: true}},
		After: export.Cell{{Text: "【职权名称】<script>alert(2)</script>\n第二行"}, {Text: "一倍", Changed: true}}, Reason: `"引号" & <b>`, Note: "增加",
	}}}
	var buf bytes.Buffer
	if err := export.WriteComparison(&buf, export.HTML, c); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, raw := range []string{"<img", "<script", "<b>"} {
		if strings.Contains(page, raw) {
			t.Errorf("page contains raw %s from the data", raw)
		}
	}
	for _, escaped := range []string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;", "&#34;引号&#34; &amp; &lt;b&gt;",
		"<td>处<del>二&lt;/del&gt;倍</del></td>", "第二行<ins>一倍</ins></td>"} {
		if !strings.Contains(page, escaped) {
			t.Errorf("page lacks the escaped text %s", escaped)
		}
	}
	for _, want := range []string{`<html lang="zh-CN">`, "@page { size: A4", "<th>修改前</th>", "<th>修改理由</th>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestComparisonXLSXOpensWithItsRows(t *testing.T) {
	c := export.Comparison{Title: "某局权力清单修订对照表", Subtitle: "第 1 版 → 第 2 版", Rows: []export.ComparisonRow{
		{Seq: 1, Name: "甲", Before: export.Cell{{Text: "【行使内容】"}, {Text: "旧", Changed: true}},
			After: export.Cell{{Text: "【行使内容】"}, {Text: "新", Changed: true}}, Reason: "上位法修正", Note: "调整（第 2 版）"},
	}}
	var buf bytes.Buffer
	if err := export.WriteComparison(&buf, export.XLSX, c); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	want := [][]string{{c.Title}, {c.Subtitle}, export.ComparisonHeaders, {"1", "甲", "【行使内容】旧", "【行使内容】新", "上位法修正", "调整（第 2 版）"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n got %q\nwant %q", rows, want)
	}
	for cell, strike := range map[string]bool{"C4": true, "D4": false} {
		runs, err := f.GetCellRichText(f.GetSheetName(0), cell)
		if err != nil || len(runs) != 2 || runs[1].Font == nil || runs[1].Font.Strike != strike || runs[1].Font.Color != "C00000" {
			t.Errorf("%s: the changed run is not marked (strike %v): %+v %v", cell, strike, runs, err)
		}
	}
}
