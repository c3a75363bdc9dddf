package testkit

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"qingdan/models"
)

// Test tables in the shapes of published lists (the layouts in
// docs/list-layouts.md), with the items they hold written out by hand. The
// importer, the CLI, the API and the exports' round trip read the same ones.

const (
	silBasis  = "【法律】《中华人民共和国社会保险法》\n第八十七条 社会保险经办机构以及医疗机构……"
	silMarkup = "<p>【法律】《中华人民共和国社会保险法》</p> <p>第八十七条 社会保险经办机构以及医疗机构……</p>"
	fundBasis = "【行政法规】《医疗保障基金使用监督管理条例》第三十八条"
)

// jianping is 建平县医疗保障局's 权责清单 (2023): a title merged across, a
// two-row header (项目名称 over 主项/子项; 序号 and 项目类型 merged down),
// a 主项 merged down over its two 子项 rows, a basis over several lines.
func jianping() []byte {
	return MustXLSX(Sheet{Name: "Sheet1", Rows: [][]string{
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
func suchengDOCX() []byte {
	c := func(s string) DocCell { return DocCell{Text: s} }
	return MustDOCX(
		DocBlock{Text: "宿城区司法局权力清单"},
		DocBlock{Rows: [][]DocCell{
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
func qingyuan() []byte {
	return MustXLSX(Sheet{Name: "行政许可", Rows: [][]string{
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
func sanming() []byte {
	return MustXLSX(Sheet{Name: "目录", Rows: [][]string{
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
func jixuan() []byte {
	header := []string{"序号", "事项名称", "责任科室", "是否涉企", "实施依据", "责任人员"}
	return MustXLSX(
		Sheet{Name: "说明", Rows: [][]string{{"济源市医疗保障局行政权力清单"}, {"权力类别", "数量"}, {"行政处罚", "1"}, {"行政检查", "2"}}},
		Sheet{Name: "行政处罚", Rows: [][]string{
			{"济源市医疗保障局行政处罚事项"}, header,
			{"1", "对骗保行为的处罚", "基金监管科", "是", fundBasis, "张三"},
		}},
		Sheet{Name: "行政检查", Rows: [][]string{
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

// LayoutCase is a list file in one published layout and what it holds,
// written by hand from the source.
type LayoutCase struct {
	Name, File   string
	Data         func() []byte
	AgencyOption string // the agency given with the file (the title names none)
	Title        string
	Agency       string
	Kind         string
	Format       string
	Encoding     string
	Columns      []models.Column
	Headings     bool // the category in headings or sheet names, not a column
	Items        []models.ItemFields
	// Numbers are the 序号 a published version shows where they differ from
	// the source's: a version numbers from 1 (see models.Arrangement).
	Numbers   []int
	Anomalies []string // kinds the report must hold
}

// Published is the items as a published version of the list shows them.
func (tc LayoutCase) Published() []models.ItemFields {
	items := slices.Clone(tc.Items)
	for i, n := range tc.Numbers {
		items[i].Seq = n
	}
	return items
}

// LayoutCases are the test tables, one per layout shape.
var LayoutCases = []LayoutCase{
	{Name: "建平 XLSX, two-row header, merged 主项", File: "jianping.xlsx", Data: jianping,
		Title: "建平县医疗保障局权责清单", Agency: "建平县医疗保障局", Kind: "duty", Format: "xlsx",
		Columns: Cols("序号:seq", "项目类型:category", "主项:name", "子项:subitem", "设定依据:basis", "主管部门:department", "责任事项:responsibility", "备注:note"),
		Items:   jianpingItems, Anomalies: []string{"header_mapped", "subitem_none"}},
	{Name: "巫溪 CSV in GBK, global numbering", File: "wuxi.csv", Data: func() []byte { return MustGBK(wuxiCSV) },
		Title: "巫溪县医疗保障局行政权力事项清单", Agency: "巫溪县医疗保障局", Kind: "duty", Format: "csv", Encoding: "GB18030/GBK",
		Columns: Cols("序号:seq", "实施部门:department", "事项名称:name", "事项类型:category", "设定依据:basis", "行使层级:level", "指导部门:", "追责情形:accountability", "追责依据:"),
		Items:   wuxiItems, Numbers: []int{1, 2}, Anomalies: []string{"seq_numbering"}},
	{Name: "宿城 DOCX, merges both ways, group row", File: "sucheng.docx", Data: suchengDOCX,
		Title: "宿城区司法局权力清单", Agency: "宿城区司法局", Kind: "power", Format: "docx",
		Columns: Cols("序号:seq", "权力类型:category", "权力编码:code", "事项名称:name", "法律依据:basis", "备注:note"),
		Items:   suchengItems, Anomalies: []string{"group_row"}},
	{Name: "清远 XLSX, sheet as category, 5-1 numbering", File: "qingyuan.xlsx", Data: qingyuan, AgencyOption: "清远市卫生健康局",
		Title: "清远市卫生健康局行政审批事项", Agency: "清远市卫生健康局", Kind: "power", Format: "xlsx",
		Columns: Cols("编号:seq", "事项名称:name", "子项名称:subitem", "设定依据:basis", "实施主体:department", "备注:note"), Headings: true,
		Items: qingyuanItems, Numbers: []int{1, 2, 2}, Anomalies: []string{"sheet_category", "main_item_row", "seq_numbering"}},
	{Name: "三明 XLSX, 主项 row with 子项 rows", File: "sanming.xlsx", Data: sanming,
		Title: "三明市民政局行政审批和公共服务事项通用目录", Agency: "三明市民政局", Kind: "power", Format: "xlsx",
		Columns: Cols("事项序号:seq", "行业分类:", "主项名称:name", "子项名称:subitem", "事项类型:category", "设定依据:basis", "行使层级:level", "国家目录编码:code", "备注:note"),
		Items:   sanmingItems, Anomalies: []string{"main_item_row", "subitem_none"}},
	{Name: "济源 XLSX, a sheet per 权力类型, extras", File: "jiyuan.xlsx", Data: jixuan,
		Title: "济源市医疗保障局行政权力清单", Agency: "济源市医疗保障局", Kind: "power", Format: "xlsx",
		Columns: Cols("序号:seq", "事项名称:name", "责任科室:department", "是否涉企:", "实施依据:basis", "责任人员:"), Headings: true,
		Items: jixuanItems, Anomalies: []string{"sheet_skipped", "sheet_category"}},
}

// Cols writes a layout's columns as "header:field" ("header:" an extra).
func Cols(specs ...string) []models.Column {
	out := make([]models.Column, len(specs))
	for i, s := range specs {
		h, f, _ := strings.Cut(s, ":")
		out[i] = models.Column{Header: h, Field: models.Field(f)}
	}
	return out
}

func MustXLSX(sheets ...Sheet) []byte {
	b, err := XLSX(sheets...)
	if err != nil {
		panic(err)
	}
	return b
}

func MustDOCX(blocks ...DocBlock) []byte {
	b, err := DOCX(blocks...)
	if err != nil {
		panic(err)
	}
	return b
}

func MustGBK(s string) []byte {
	b, err := GBK(s)
	if err != nil {
		panic(err)
	}
	return b
}

// CheckItems compares items field by field, citations aside (they are the basis parsed).
func CheckItems(t testing.TB, got, want []models.ItemFields) {
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

// MinzhengXLSX is the workbook the browser test imports: 红寺堡区民政局's
// list with a title merged across, a two-row header (事项名称 over 主项 and
// 子项), a 主项 merged down over its 子项 rows and a 责任科室 column.
func MinzhengXLSX() []byte {
	return MustXLSX(Sheet{Name: "权力清单", Rows: [][]string{
		{"红寺堡区民政局权力清单"},
		{"序号", "权力类型", "事项名称", "", "设定依据", "责任科室", "备注"},
		{"", "", "主项", "子项", "", "", ""},
		{"1", "行政许可", "社会团体成立、变更、注销登记", "社会团体成立登记", "【行政法规】《社会团体登记管理条例》\n第三条 成立社会团体，应当经其业务主管单位审查同意，并依照本条例的规定进行登记。", "社会组织股", ""},
		{"2", "行政许可", "", "社会团体变更登记", "【行政法规】《社会团体登记管理条例》第十八条", "社会组织股", ""},
		{"3", "行政检查", "养老机构监督检查", "无", "【部门规章】《养老机构管理办法》第三十八条", "养老服务股", "与市场监管局共同承担"},
	}, Merges: []string{"A1:G1", "C2:D2", "A2:A3", "B2:B3", "E2:E3", "F2:F3", "G2:G3", "C4:C5"}})
}
