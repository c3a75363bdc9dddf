package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"qingdan/testkit"
)

func TestReadLayouts(t *testing.T) {
	for _, tc := range testkit.LayoutCases {
		t.Run(tc.Name, func(t *testing.T) {
			p, err := Read(tc.File, tc.Data(), Options{Agency: tc.AgencyOption})
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != tc.Title || p.Agency != tc.Agency || p.Kind != tc.Kind || p.Format != tc.Format || p.Encoding != tc.Encoding {
				t.Errorf("got title %q agency %q kind %q format %q encoding %q", p.Title, p.Agency, p.Kind, p.Format, p.Encoding)
			}
			if !slices.Equal(p.Layout.Columns, tc.Columns) || p.Layout.CategoryHeadings != tc.Headings {
				t.Errorf("layout\n got %v (headings %v)\nwant %v (headings %v)", p.Layout.Columns, p.Layout.CategoryHeadings, tc.Columns, tc.Headings)
			}
			testkit.CheckItems(t, p.Items, tc.Items)
			kinds := map[string]bool{}
			for _, a := range p.Report.Anomalies {
				kinds[a.Kind] = true
				if a.Line < 0 || (a.Sheet == "" && tc.Format == FormatXLSX) {
					t.Errorf("anomaly without its place: %+v", a)
				}
			}
			for _, k := range tc.Anomalies {
				if !kinds[k] {
					t.Errorf("no %s anomaly in %+v", k, p.Report.Anomalies)
				}
			}
		})
	}
}

// A corrected mapping re-reads the table: a column kept as an extra, one
// ignored, one moved to another field.
func TestReadMapping(t *testing.T) {
	p, err := Read("jianping.xlsx", testkit.LayoutCases[0].Data(), Options{Mapping: []ColumnChoice{{Index: 5, Field: ""}, {Index: 7, Field: Ignore}, {Index: 6, Field: "duty"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := testkit.Cols("序号:seq", "项目类型:category", "主项:name", "子项:subitem", "设定依据:basis", "主管部门:", "责任事项:duty")
	if !slices.Equal(p.Layout.Columns, want) {
		t.Errorf("layout %v", p.Layout.Columns)
	}
	it := p.Items[1]
	if it.Department != "" || it.Extra["主管部门"] != "建平县医疗保障局" || it.Duty != "1.立案责任" || it.Responsibility != "" || it.Note != "" {
		t.Errorf("item 2 after the correction: %+v", it)
	}
	for _, bad := range []struct {
		m   []ColumnChoice
		msg string
	}{
		{[]ColumnChoice{{Index: 2, Field: "-"}}, "事项名称"},
		{[]ColumnChoice{{Index: 4, Field: "name"}}, "两列都对应到事项名称"},
		{[]ColumnChoice{{Index: 4, Field: "colour"}}, "不是事项的字段"},
		{[]ColumnChoice{{Index: 40, Field: "note"}}, "没有第 41 列"},
	} {
		if _, err := Read("jianping.xlsx", testkit.LayoutCases[0].Data(), Options{Mapping: bad.m}); err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("mapping %v: got %v, want %q", bad.m, err, bad.msg)
		}
	}
}

// A merged 主项 cell saved as CSV keeps its text in its first row only: the
// 子项 rows below it take that name, and the report says so.
func TestReadFillsBlankNames(t *testing.T) {
	p, err := Read("a.csv", []byte("序号,主项,子项,权力类型\n1,对违法行为的处罚,甲,行政处罚\n2,,乙,行政处罚\n"), Options{Agency: "某局"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || p.Items[1].Name != "对违法行为的处罚" || p.Items[1].Subitem != "乙" {
		t.Fatalf("items %+v", p.Items)
	}
	if !slices.ContainsFunc(p.Report.Anomalies, func(a Anomaly) bool { return a.Kind == KindNameFilled && a.Line == 3 }) {
		t.Errorf("no name_filled anomaly on line 3: %+v", p.Report.Anomalies)
	}
}

// Files that are not lists, or not readable, are refused with a message
// naming the file's problem and, where there is one, its sheet and row.
func TestReadRefuses(t *testing.T) {
	jp := testkit.LayoutCases[0].Data()
	big := strings.Repeat("长", maxCellRunes+1)
	cases := []struct {
		name, file string
		data       []byte
		opts       Options
		msg        string
	}{
		{"empty", "a.xlsx", nil, Options{}, "文件为空"},
		{"old Excel", "a.xls", []byte(oleMagic + "\x00\x00rest of a workbook"), Options{}, "另存为"},
		{"WPS", "a.et", []byte(oleMagic + "\x00\x00"), Options{}, ".et"},
		{"encrypted", "a.xlsx", append([]byte(oleMagic), utf16("EncryptionInfo")...), Options{}, "密码"},
		{"PDF", "a.pdf", []byte("%PDF-1.7 ..."), Options{}, "PDF"},
		{"truncated workbook", "a.xlsx", jp[:len(jp)/2], Options{}, "损坏"},
		{"an xlsx that is not one", "a.xlsx", []byte("序号,事项名称\n1,甲\n"), Options{}, "内容却不是这种格式"},
		{"a budget table", "budget.xlsx", testkit.MustXLSX(testkit.Sheet{Name: "预算", Rows: [][]string{{"2024年部门预算"}, {"科目编码", "科目名称", "金额（万元）"}, {"201", "一般公共服务", "120.5"}}}), Options{}, "没有找到清单的表头"},
		{"a letter", "letter.docx", testkit.MustDOCX(testkit.DocBlock{Text: "关于报送权力清单的函\n各乡镇人民政府："}), Options{}, "没有找到清单的表头"},
		{"法制审核目录", "xianning.xlsx", testkit.MustXLSX(testkit.Sheet{Name: "Sheet1", Rows: [][]string{{"序号", "权利类型", "审核事项", "审核依据", "审核内容", "审核部门", "审核时限"}}}), Options{}, "法制审核目录"},
		{"裁量基准", "panjin.xlsx", testkit.MustXLSX(testkit.Sheet{Name: "Sheet1", Rows: [][]string{{"序号", "行政权力名称", "法律依据", "违法事实性质和情节", "行政裁量权基准"}}}), Options{}, "裁量"},
		{"no category anywhere", "a.csv", []byte("某局权力清单\n序号,事项名称,设定依据,备注\n1,甲,依据,\n"), Options{}, "第3行：无法确定权力类型"},
		{"a cell past Excel's limit", "a.xlsx", replaceInZip(t, testkit.MustXLSX(testkit.Sheet{Name: "清单", Rows: [][]string{{"某局权力清单"}, {"序号", "事项名称", "权力类型", "设定依据"}, {"1", "甲", "行政处罚", "LONGCELL"}}}), "LONGCELL", big), Options{}, "工作表“清单”第3行：第 4 列的单元格超过 32767 个字符"},
		{"a CSV cell past Excel's limit", "a.csv", []byte("某局权力清单\n序号,事项名称,权力类型,设定依据\n1,甲,行政处罚," + big + "\n"), Options{}, "第3行：第 4 列的单元格超过"},
		{"a sheet that is not there", "a.xlsx", jp, Options{Sheet: "第二页"}, "没有工作表“第二页”（有：Sheet1）"},
		{"neither UTF-8 nor GBK", "a.csv", []byte{0x81, 0x30, 0xff, 0xfe, 0x41}, Options{}, "既不是UTF-8也不是GB18030"},
		{"a 子项 without any 事项名称", "a.csv", []byte("序号,主项,子项,权力类型\n1,,乙,行政许可\n"), Options{}, "第2行：这一行只有子项名称“乙”"},
		{"header without items", "a.csv", []byte("某局权力清单\n序号,事项名称,权力类型,设定依据\n"), Options{}, "表头下没有事项"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.file, tc.data, tc.opts)
			var pe *ParseError
			if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %v, want a *ParseError with %q", err, tc.msg)
			}
		})
	}
}

// replaceInZip rewrites a text in every part of a zip container: cells
// excelize itself would refuse to write.
func replaceInZip(t testing.TB, data []byte, old, repl string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(bytes.ReplaceAll(body, []byte(old), []byte(repl)))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Workbooks built to exhaust the reader are refused or cut short with a
// message, in bounded memory.
func TestReadHostileWorkbooks(t *testing.T) {
	header := []string{"序号", "事项名称", "权力类型", "设定依据"}
	// A sheet that inflates past the limit (honestly declared): refused unread.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	for _, name := range []string{"xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		w, _ := zw.Create(name)
		if name == "xl/workbook.xml" {
			w.Write([]byte("<workbook/>"))
			continue
		}
		chunk := bytes.Repeat([]byte("<row/>"), 1<<16)
		for n := 0; n <= maxUnzipped; n += len(chunk) {
			w.Write(chunk)
		}
	}
	zw.Close()
	if _, err := Read("bomb.xlsx", bomb.Bytes(), Options{}); err == nil || !strings.Contains(err.Error(), "压缩炸弹") {
		t.Errorf("zip bomb: %v", err)
	}
	// The same bomb declaring a small size: the reader stops at the declared size.
	lying := bytes.Clone(bomb.Bytes())
	for i := bytes.LastIndex(lying, []byte("PK\x01\x02")); i >= 0; i = bytes.LastIndex(lying[:i], []byte("PK\x01\x02")) {
		copy(lying[i+24:i+28], []byte{0xe8, 0x03, 0, 0}) // uncompressed size 1000
	}
	if _, err := Read("bomb.xlsx", lying, Options{}); err == nil {
		t.Error("a zip bomb lying about its size was read")
	}

	// A million empty rows after the table: the table is read, the rest is not.
	rows := [][]string{{"某局权力清单"}, header, {"1", "甲", "行政处罚", "依据"}}
	sparse := testkit.MustXLSX(testkit.Sheet{Name: "清单", Rows: rows})
	padded := replaceInZip(t, sparse, "</sheetData>", `<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>尾</t></is></c></row></sheetData>`)
	p, err := Read("padded.xlsx", padded, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || !slices.ContainsFunc(p.Report.Anomalies, func(a Anomaly) bool { return a.Kind == KindTrailingIgnored && a.Line == 3 }) {
		t.Errorf("padded sheet: %d items, %+v", len(p.Items), p.Report.Anomalies)
	}

	// A truncated Word document, and a Word document with no table.
	doc := testkit.LayoutCases[2].Data()
	for _, data := range [][]byte{doc[:len(doc)-30], doc[:len(doc)/2]} {
		if _, err := Read("a.docx", data, Options{}); err == nil {
			t.Error("a truncated document was read")
		}
	}
}

var updateFixtures = flag.Bool("update-fixtures", false, "rewrite the browser test's workbook from testkit.MinzhengXLSX")

// The workbook the browser test uploads is testkit.MinzhengXLSX, committed
// (go test ./importer -run TestE2EWorkbook -update-fixtures).
func TestE2EWorkbook(t *testing.T) {
	path := filepath.Join("..", "frontend", "e2e", "fixtures", "红寺堡区民政局权力清单.xlsx")
	if *updateFixtures {
		if err := os.WriteFile(path, testkit.MinzhengXLSX(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Read(path, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Agency != "红寺堡区民政局" || len(p.Items) != 3 || p.Items[1].Name != "社会团体成立、变更、注销登记" || p.Items[1].Subitem != "社会团体变更登记" ||
		p.Items[2].Subitem != "" || p.Items[0].Department != "社会组织股" || p.Columns[5].Header != "责任科室" {
		t.Errorf("fixture reads as %q %+v %+v", p.Agency, p.Items, p.Columns)
	}
}

// The merged ranges of a sheet are found after its rows however long the
// sheet is (its part is streamed, not held): 实施部门 merged down over each
// department's rows of a 1 MB sheet applies to every row it covers.
func TestReadMergesAfterALongSheet(t *testing.T) {
	rows := [][]string{{"某县行政许可事项清单"}, {"序号", "事项名称", "实施部门", "设定依据"}}
	var merges []string
	basis := "【法律】《中华人民共和国行政许可法》" + strings.Repeat("第十二条 下列事项可以设定行政许可。", 20)
	const n, per = 1500, 100
	for i := range n {
		dept := ""
		if i%per == 0 {
			dept = "第" + strconv.Itoa(i/per) + "部门"
			merges = append(merges, "C"+strconv.Itoa(i+3)+":C"+strconv.Itoa(i+per+2))
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), "事项" + strconv.Itoa(i), dept, basis})
	}
	data := testkit.MustXLSX(testkit.Sheet{Name: "行政许可", Rows: rows, Merges: append(merges, "A1:D1")})
	p, err := Read("county.xlsx", data, Options{Agency: "某县人民政府", Kind: "power"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != n {
		t.Fatalf("%d items, want %d", len(p.Items), n)
	}
	for i, it := range p.Items {
		if want := "第" + strconv.Itoa(i/per) + "部门"; it.Department != want {
			t.Fatalf("item %d: department %q, want %q", i+1, it.Department, want)
		}
	}
}
