package importer

import (
	"qingdan/models"
)

// Column is one column of a seed layout: its header text and the field it holds.
type Column struct {
	Header string       `json:"header"`
	Field  models.Field `json:"field"`
}

// Layout is the column structure of one kind of list. Exporters use it to
// write a file that Parse reads back to the same items.
type Layout struct {
	Kind    string   `json:"kind"` // "power" (权力清单) or "duty" (权责清单)
	Columns []Column `json:"columns"`
	// CategoryHeadings: the category comes from headings 一、行政处罚 … above
	// each table (power layout) rather than from a column (duty layout).
	CategoryHeadings bool `json:"category_headings"`
}

// Power is the 9-column layout of the Hongsibu 权力清单.
var Power = &Layout{
	Kind: "power",
	Columns: []Column{
		{"序号", models.FieldSeq}, {"职权名称", models.FieldName}, {"子项名称", models.FieldSubitem},
		{"基本编码", models.FieldCode}, {"实施部门", models.FieldDepartment}, {"职权依据", models.FieldBasis},
		{"行使层级", models.FieldLevel}, {"行使内容", models.FieldContent}, {"备注", models.FieldNote},
	},
	CategoryHeadings: true,
}

// Duty is the 13-column layout of the Yutian 权责清单.
var Duty = &Layout{
	Kind: "duty",
	Columns: []Column{
		{"序号", models.FieldSeq}, {"事项名称", models.FieldName}, {"子项名称", models.FieldSubitem},
		{"权力类型", models.FieldCategory}, {"实施依据", models.FieldBasis}, {"行使主体", models.FieldDepartment},
		{"实施层级及权限", models.FieldLevel}, {"部门职责", models.FieldDuty}, {"责任事项内容", models.FieldResponsibility},
		{"责任事项依据", models.FieldResponsibilityBasis}, {"追责对象范围", models.FieldAccountable},
		{"追责情形", models.FieldAccountability}, {"备注", models.FieldNote},
	},
}

// Layouts are the layouts Parse recognises.
var Layouts = []*Layout{Power, Duty}

// LayoutFor returns the layout of a list kind ("power" or "duty").
func LayoutFor(kind string) (*Layout, bool) {
	for _, l := range Layouts {
		if l.Kind == kind {
			return l, true
		}
	}
	return nil, false
}

// Headers are the header cells in order.
func (l *Layout) Headers() []string {
	h := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		h[i] = c.Header
	}
	return h
}

// Row is an item's cells in column order.
func (l *Layout) Row(it models.ItemFields) []string {
	r := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		r[i] = it.Get(c.Field)
	}
	return r
}

// Has reports whether the layout has a column for f.
func (l *Layout) Has(f models.Field) bool {
	for _, c := range l.Columns {
		if c.Field == f {
			return true
		}
	}
	return false
}

// Header returns the header text of f's column; a power list keeps its
// category in headings, which the seeds title 权力类型.
func (l *Layout) Header(f models.Field) string {
	for _, c := range l.Columns {
		if c.Field == f {
			return c.Header
		}
	}
	if f == models.FieldCategory { // power lists write it as headings
		return "权力类型"
	}
	return string(f)
}
