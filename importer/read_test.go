package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"qingdan/models"
	"qingdan/testkit"
)

// Test tables in the shapes of published lists (the layouts in
// docs/list-layouts.md), with the items they hold written out by hand.

const (
	silBasis  = "【法律】《中华人民共和国社会保险法》\n第八十七条 社会保险经办机构以及医疗机构……"
	silMarkup = "<p>【法律】《中华人民共和国社会保险法》</p> <p>第八十七条 社会保险经办机构以及医疗机构……</p>"
	fundBasis = "【行政法规】《医疗保障基金使用监督管理条例》第三十八条"
)

func mustXLSX(t testing.TB, sheets ...testkit.Sheet) []byte {
	t.Helper()
	b, err := testkit.XLSX(sheets...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustDOCX(t testing.TB, blocks ...testkit.DocBlock) []byte {
	t.Helper()
	b, err := testkit.DOCX(blocks...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustGBK(t testing.TB, s string) []byte {
	t.Helper()
	b, err := testkit.GBK(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jianping is 建平县医疗保障局's 权责清单 (2023): a title merged across, a
// two-row header (项目名称 over 主项/子项; 序号 and 项目类型 merged down),
// a 主项 merged down over its two 子项 rows, a basis over several lines.
func jianping(t testing.TB) []byte {
	return mustXLSX(t, testkit.Sheet{Name: "Sheet1", Rows: [][]string{
		{"建平县医疗保障局权责清单"},
		{"序号", "项目类型", "项目名称", "", "设定依据", "主管部门", "责任事项", "备注"},
		{"", "", "主项", "子项", "", "", "", ""},
		{"1", "行政处罚", "对定点医药机构违法行为的处罚", "对骗取医保基金的处罚", silBasis, "建平县医疗保障局", "1.立案责任\n2.调查责任", ""},
		{"", "", "", "对违规结算的处罚", silBasis, "建平县医疗保障局", "1.立案责任", "与人社局共同承担"},
		{"2", "行政检查", "医疗保障基金使用监督检查", "无", fundBasis, "建平县医疗保障局", "检查责任", ""},
	}, Merges: []string{"A1:H1", "C2:D2", "A2:A3", "B2:B3", "E2:E3", "F2:F3", "G2:G3", "H2:H3", "A4:A5", "B4:B5", "C4:C5"}})
}

var jianpingItems = []models.ItemFields{
	{Seq: 1, Category: "行政处罚", Name: "对定点医药机构违法行为的处罚", Subitem: "对骗取医保基金的处罚", Basis: silMarkup,
		Department: "建平县医疗保障局", Responsibility: "<p>1.立案责任</p> <p>2.调查责任</p>"},
	{Seq: 1, Category: "行政处罚", Name: "对定点医药机构违法行为的处罚", Subitem: "对违规结算的处罚", Basis: silMarkup,
		Department: "建平县医疗保障局", Responsibility: "1.立案责任", Note: "与人社局共同承担"},
	{Seq: 2, Category: "行政检查", Name: "医疗保障基金使用监督检查", Basis: fundBasis, Department: "建平县医疗保障局", Responsibility: "检查责任"},
}

// wuxiCSV is 巫溪县医疗保障局's 行政权力事项清单 (2025) saved by Excel on
// Chinese Windows: GBK without a BOM, global numbering from 1177, a numbered
// list in one quoted cell, columns no field holds (指导部门, 追责依据).
const wuxiCSV = "巫溪县医疗保障局行政权力事项清单,,,,,,,,\r\n" +
	"序号,实施部门,事项名称,事项类型,设定依据,行使层级,指导部门,追责情形,追责依据\r\n" +
	"1177,县人力社保局/县医保局,对欺诈骗取医保基金的处罚,行政处罚,\"" + fundBasis + "\",县级,市医保局,\"1.不履行职责的\n2.滥用职权的\",《监察法》\r\n" +
	"1178,县医保局,定点医药机构监督检查,行政检查,\"" + fundBasis + "\",县级,,未按规定检查的,\r\n"

var wuxiItems = []models.ItemFields{
	{Seq: 1177, Department: "县人力社保局/县医保局", Name: "对欺诈骗取医保基金的处罚", Category: "行政处罚", Basis: fundBasis, Level: "县级",
		Accountability: "<p>1.不履行职责的</p> <p>2.滥用职权的</p>", Extra: map[string]string{"指导部门": "市医保局", "追责依据": "《监察法》"}},
	{Seq: 1178, Department: "县医保局", Name: "定点医药机构监督检查", Category: "行政检查", Basis: fundBasis, Level: "县级", Accountability: "未按规定检查的"},
}

// suchengDOCX is 宿城区司法局's 权力清单 (2022) as a Word table: numbering
// restarting per 权力类型, 权力类型 merged down, a group row spanning the table.
func suchengDOCX(t testing.TB) []byte {
	c := func(s string) testkit.DocCell { return testkit.DocCell{Text: s} }
	return mustDOCX(t,
		testkit.DocBlock{Text: "宿城区司法局权力清单"},
		testkit.DocBlock{Rows: [][]testkit.DocCell{
			{c("序号"), c("权力类型"), c("权力编码"), c("事项名称"), c("法律依据"), c("备注")},
			{{Text: "宿城区司法局", Span: 6}},
			{c("1"), {Text: "行政许可", VMerge: "restart"}, c("0147001000"), c("法律职业资格认定"), c("【法律】《中华人民共和国法官法》\n第十二条"), c("")},
			{c("1"), c("行政处罚"), c("0247001000"), c("对律师违法行为的处罚"), c("【法律】《中华人民共和国律师法》第四十七条"), {Text: "", VMerge: "restart"}},
			{c("2"), {Text: "行政处罚", VMerge: "restart"}, c("0247002000"), c("对公证员违法行为的处罚"), c("【法律】《中华人民共和国公证法》第四十一条"), c("")},
			{c("3"), {VMerge: "continue"}, c("0247003000"), c("对基层法律服务工作者的处罚"), c("【部门规章】《基层法律服务工作者管理办法》"), c("")},
		}})
}

var suchengItems = []models.ItemFields{
	{Seq: 1, Category: "行政许可", Code: "0147001000", Name: "法律职业资格认定", Basis: "<p>【法律】《中华人民共和国法官法》</p> <p>第十二条</p>"},
	{Seq: 1, Category: "行政处罚", Code: "0247001000", Name: "对律师违法行为的处罚", Basis: "【法律】《中华人民共和国律师法》第四十七条"},
	{Seq: 2, Category: "行政处罚", Code: "0247002000", Name: "对公证员违法行为的处罚", Basis: "【法律】《中华人民共和国公证法》第四十一条"},
	{Seq: 3, Category: "行政处罚", Code: "0247003000", Name: "对基层法律服务工作者的处罚", Basis: "【部门规章】《基层法律服务工作者管理办法》"},
}

// qingyuan is a 清远 卫生 list: one sheet named for its 权力类型, no category
// column, hierarchical numbering 5 → 5-1, 5-2 under a 主项 with a name only.
func qingyuan(t testing.TB) []byte {
	return mustXLSX(t, testkit.Sheet{Name: "行政许可", Rows: [][]string{
		{"清远市卫生健康局行政审批事项"},
		{"编号", "事项名称", "设定依据", "实施主体", "备注"},
		{"4", "护士执业注册", "【行政法规】《护士条例》第八条", "市卫生健康局", ""},
		{"5", "医疗机构设置审批", "", "", ""},
		{"5-1", "医疗机构设置审批（新建）", "【行政法规】《医疗机构管理条例》第九条", "市卫生健康局", ""},
		{"5-2", "医疗机构设置审批（变更）", "【行政法规】《医疗机构管理条例》第十五条", "市卫生健康局", ""},
	}})
}

var qingyuanItems = []models.ItemFields{
	{Seq: 4, Category: "行政许可", Name: "护士执业注册", Basis: "【行政法规】《护士条例》第八条", Department: "市卫生健康局"},
	{Seq: 5, Category: "行政许可", Name: "医疗机构设置审批", Subitem: "医疗机构设置审批（新建）", Basis: "【行政法规】《医疗机构管理条例》第九条", Department: "市卫生健康局"},
	{Seq: 5, Category: "行政许可", Name: "医疗机构设置审批", Subitem: "医疗机构设置审批（变更）", Basis: "【行政法规】《医疗机构管理条例》第十五条", Department: "市卫生健康局"},
}

// sanming is a 三明 民政 catalogue: a 主项 row "（含2个子项）" followed by its
// 子项 rows, a column no field holds (行业分类), header words broken by a line.
func sanming(t testing.TB) []byte {
	return mustXLSX(t, testkit.Sheet{Name: "目录", Rows: [][]string{
		{"三明市民政局行政审批和公共服务事项通用目录"},
		{"事项\n序号", "行业分类", "主项名称", "子项名称", "事项\n类型", "设定依据", "行使层级", "国家目录编码", "备注"},
		{"1", "养老服务", "养老机构备案（含2个子项）", "", "其他行政权力", "", "", "", ""},
		{"", "", "", "养老机构备案（新设）", "其他行政权力", "【法律】《中华人民共和国老年人权益保障法》第四十三条", "县级", "", ""},
		{"", "", "", "养老机构备案（变更）", "其他行政权力", "【法律】《中华人民共和国老年人权益保障法》第四十三条", "县级", "", ""},
		{"2", "社会组织", "社会团体成立登记", "/", "行政许可", "【行政法规】《社会团体登记管理条例》第三条", "市级、县级", "", ""},
	}, Merges: []string{"B3:B5"}})
}

var sanmingItems = []models.ItemFields{
	{Seq: 1, Name: "养老机构备案", Subitem: "养老机构备案（新设）", Category: "其他行政权力", Basis: "【法律】《中华人民共和国老年人权益保障法》第四十三条", Level: "县级", Extra: map[string]string{"行业分类": "养老服务"}},
	{Seq: 1, Name: "养老机构备案", Subitem: "养老机构备案（变更）", Category: "其他行政权力", Basis: "【法律】《中华人民共和国老年人权益保障法》第四十三条", Level: "县级", Extra: map[string]string{"行业分类": "养老服务"}},
	{Seq: 2, Name: "社会团体成立登记", Category: "行政许可", Basis: "【行政法规】《社会团体登记管理条例》第三条", Level: "市级、县级", Extra: map[string]string{"行业分类": "社会组织"}},
}

// jixuan is a workbook with a cover sheet and one sheet per 权力类型 (济源's
// columns with 宁强's 责任人员): categories from sheet names, extra columns.
func jixuan(t testing.TB) []byte {
	header := []string{"序号", "事项名称", "责任科室", "是否涉企", "实施依据", "责任人员"}
	return mustXLSX(t,
		testkit.Sheet{Name: "说明", Rows: [][]string{{"济源市医疗保障局行政权力清单"}, {"权力类别", "数量"}, {"行政处罚", "1"}, {"行政检查", "2"}}},
		testkit.Sheet{Name: "行政处罚", Rows: [][]string{
			{"济源市医疗保障局行政处罚事项"}, header,
			{"1", "对骗保行为的处罚", "基金监管科", "是", fundBasis, "张三"},
		}},
		testkit.Sheet{Name: "行政检查", Rows: [][]string{
			header,
			{"1", "医保基金使用检查", "基金监管科", "是", fundBasis, ""},
			{"2", "医疗救助资金检查", "待遇保障科", "否", fundBasis, "李四"},
		}},
	)
}

var jixuanItems = []models.ItemFields{
	{Seq: 1, Category: "行政处罚", Name: "对骗保行为的处罚", Department: "基金监管科", Basis: fundBasis, Extra: map[string]string{"是否涉企": "是", "责任人员": "张三"}},
	{Seq: 1, Category: "行政检查", Name: "医保基金使用检查", Department: "基金监管科", Basis: fundBasis, Extra: map[string]string{"是否涉企": "是"}},
	{Seq: 2, Category: "行政检查", Name: "医疗救助资金检查", Department: "待遇保障科", Basis: fundBasis, Extra: map[string]string{"是否涉企": "否", "责任人员": "李四"}},
}

type readCase struct {
	name, file string
	data       func(t testing.TB) []byte
	opts       Options
	title      string
	agency     string
	kind       string
	format     string
	encoding   string
	columns    []models.Column
	headings   bool
	items      []models.ItemFields
	anomalies  []string // kinds that must be reported
}

var readCases = []readCase{
	{name: "建平 XLSX, two-row header, merged 主项", file: "jianping.xlsx", data: jianping,
		title: "建平县医疗保障局权责清单", agency: "建平县医疗保障局", kind: "duty", format: FormatXLSX,
		columns: cols("序号:seq", "项目类型:category", "主项:name", "子项:subitem", "设定依据:basis", "主管部门:department", "责任事项:responsibility", "备注:note"),
		items: jianpingItems, anomalies: []string{KindHeaderMapped, KindSubitemNone}},
	{name: "巫溪 CSV in GBK, global numbering", file: "wuxi.csv", data: func(t testing.TB) []byte { return mustGBK(t, wuxiCSV) },
		title: "巫溪县医疗保障局行政权力事项清单", agency: "巫溪县医疗保障局", kind: "duty", format: FormatCSV, encoding: EncodingGB18030,
		columns: cols("序号:seq", "实施部门:department", "事项名称:name", "事项类型:category", "设定依据:basis", "行使层级:level", "指导部门:", "追责情形:accountability", "追责依据:"),
		items: wuxiItems, anomalies: []string{KindSeqNumbering}},
	{name: "宿城 DOCX, merges both ways, group row", file: "sucheng.docx", data: suchengDOCX,
		title: "宿城区司法局权力清单", agency: "宿城区司法局", kind: "power", format: FormatDOCX,
		columns: cols("序号:seq", "权力类型:category", "权力编码:code", "事项名称:name", "法律依据:basis", "备注:note"),
		items: suchengItems, anomalies: []string{KindGroupRow}},
	{name: "清远 XLSX, sheet as category, 5-1 numbering", file: "qingyuan.xlsx", data: qingyuan, opts: Options{Agency: "清远市卫生健康局"},
		title: "清远市卫生健康局行政审批事项", agency: "清远市卫生健康局", kind: "power", format: FormatXLSX,
		columns: cols("编号:seq", "事项名称:name", "设定依据:basis", "实施主体:department", "备注:note"), headings: true,
		items: qingyuanItems, anomalies: []string{KindSheetCategory, KindMainItemRow, KindSeqNumbering}},
	{name: "三明 XLSX, 主项 row with 子项 rows", file: "sanming.xlsx", data: sanming,
		title: "三明市民政局行政审批和公共服务事项通用目录", agency: "三明市民政局", kind: "power", format: FormatXLSX,
		columns: cols("事项序号:seq", "行业分类:", "主项名称:name", "子项名称:subitem", "事项类型:category", "设定依据:basis", "行使层级:level", "国家目录编码:code", "备注:note"),
		items: sanmingItems, anomalies: []string{KindMainItemRow, KindSubitemNone}},
	{name: "济源 XLSX, a sheet per 权力类型, extras", file: "jiyuan.xlsx", data: jixuan,
		title: "济源市医疗保障局行政权力清单", agency: "济源市医疗保障局", kind: "power", format: FormatXLSX,
		columns: cols("序号:seq", "事项名称:name", "责任科室:department", "是否涉企:", "实施依据:basis", "责任人员:"), headings: true,
		items: jixuanItems, anomalies: []string{KindSheetSkipped, KindSheetCategory}},
}

func TestReadLayouts(t *testing.T) {
	for _, tc := range readCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Read(tc.file, tc.data(t), tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if p.Title != tc.title || p.Agency != tc.agency || p.Kind != tc.kind || p.Format != tc.format || p.Encoding != tc.encoding {
				t.Errorf("got title %q agency %q kind %q format %q encoding %q", p.Title, p.Agency, p.Kind, p.Format, p.Encoding)
			}
			if !slices.Equal(p.Layout.Columns, tc.columns) || p.Layout.CategoryHeadings != tc.headings {
				t.Errorf("layout\n got %v (headings %v)\nwant %v (headings %v)", p.Layout.Columns, p.Layout.CategoryHeadings, tc.columns, tc.headings)
			}
			checkItems(t, p.Items, tc.items)
			kinds := map[string]bool{}
			for _, a := range p.Report.Anomalies {
				kinds[a.Kind] = true
				if a.Line < 0 || (a.Sheet == "" && tc.format == FormatXLSX) {
					t.Errorf("anomaly without its place: %+v", a)
				}
			}
			for _, k := range tc.anomalies {
				if !kinds[k] {
					t.Errorf("no %s anomaly in %+v", k, p.Report.Anomalies)
				}
			}
		})
	}
}

func checkItems(t *testing.T, got, want []models.ItemFields) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d items, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g := got[i]
		g.Citations = nil
		if len(g.Extra) == 0 {
			g.Extra = nil
		}
		if !reflect.DeepEqual(g, want[i]) {
			t.Errorf("item %d\n got %+v\nwant %+v", i+1, g, want[i])
		}
	}
}

// A corrected mapping re-reads the table: a column kept as an extra, one
// ignored, one moved to another field.
func TestReadMapping(t *testing.T) {
	p, err := Read("jianping.xlsx", jianping(t), Options{Mapping: []ColumnChoice{{Index: 5, Field: ""}, {Index: 7, Field: Ignore}, {Index: 6, Field: "duty"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := cols("序号:seq", "项目类型:category", "主项:name", "子项:subitem", "设定依据:basis", "主管部门:", "责任事项:duty")
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
		if _, err := Read("jianping.xlsx", jianping(t), Options{Mapping: bad.m}); err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("mapping %v: got %v, want %q", bad.m, err, bad.msg)
		}
	}
}

// Files that are not lists, or not readable, are refused with a message
// naming the file's problem and, where there is one, its sheet and row.
func TestReadRefuses(t *testing.T) {
	jp := jianping(t)
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
		{"a budget table", "budget.xlsx", mustXLSX(t, testkit.Sheet{Name: "预算", Rows: [][]string{{"2024年部门预算"}, {"科目编码", "科目名称", "金额（万元）"}, {"201", "一般公共服务", "120.5"}}}), Options{}, "没有找到清单的表头"},
		{"a letter", "letter.docx", mustDOCX(t, testkit.DocBlock{Text: "关于报送权力清单的函\n各乡镇人民政府："}), Options{}, "没有找到清单的表头"},
		{"法制审核目录", "xianning.xlsx", mustXLSX(t, testkit.Sheet{Name: "Sheet1", Rows: [][]string{{"序号", "权利类型", "审核事项", "审核依据", "审核内容", "审核部门", "审核时限"}}}), Options{}, "法制审核目录"},
		{"裁量基准", "panjin.xlsx", mustXLSX(t, testkit.Sheet{Name: "Sheet1", Rows: [][]string{{"序号", "行政权力名称", "法律依据", "违法事实性质和情节", "行政裁量权基准"}}}), Options{}, "裁量"},
		{"no category anywhere", "a.csv", []byte("某局权力清单\n序号,事项名称,设定依据,备注\n1,甲,依据,\n"), Options{}, "第3行：无法确定权力类型"},
		{"a cell past Excel's limit", "a.xlsx", replaceInZip(t, mustXLSX(t, testkit.Sheet{Name: "清单", Rows: [][]string{{"某局权力清单"}, {"序号", "事项名称", "权力类型", "设定依据"}, {"1", "甲", "行政处罚", "LONGCELL"}}}), "LONGCELL", big), Options{}, "工作表“清单”第3行：第 4 列的单元格超过 32767 个字符"},
		{"a CSV cell past Excel's limit", "a.csv", []byte("某局权力清单\n序号,事项名称,权力类型,设定依据\n1,甲,行政处罚," + big + "\n"), Options{}, "第3行：第 4 列的单元格超过"},
		{"a sheet that is not there", "a.xlsx", jp, Options{Sheet: "第二页"}, "没有工作表“第二页”（有：Sheet1）"},
		{"neither UTF-8 nor GBK", "a.csv", []byte{0x81, 0x30, 0xff, 0xfe, 0x41}, Options{}, "既不是UTF-8也不是GB18030"},
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

// cols writes a layout's columns as "header:field" ("header:" an extra).
func cols(specs ...string) []models.Column {
	out := make([]models.Column, len(specs))
	for i, s := range specs {
		h, f, _ := strings.Cut(s, ":")
		out[i] = models.Column{Header: h, Field: models.Field(f)}
	}
	return out
}
