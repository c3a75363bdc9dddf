package importer

import (
	"strconv"

	"qingdan/models"
)

// Field names an ItemFields field by its JSON name.
type Field string

const (
	FieldSeq                 Field = "seq"
	FieldCode                Field = "code"
	FieldName                Field = "name"
	FieldSubitem             Field = "subitem"
	FieldCategory            Field = "category"
	FieldDepartment          Field = "department"
	FieldBasis               Field = "basis"
	FieldLevel               Field = "level"
	FieldContent             Field = "content"
	FieldDuty                Field = "duty"
	FieldResponsibility      Field = "responsibility"
	FieldResponsibilityBasis Field = "responsibility_basis"
	FieldAccountable         Field = "accountable"
	FieldAccountability      Field = "accountability"
	FieldNote                Field = "note"
)

// Column is one column of a seed layout: its header text and the field it holds.
type Column struct {
	Header string `json:"header"`
	Field  Field  `json:"field"`
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
		{"序号", FieldSeq}, {"职权名称", FieldName}, {"子项名称", FieldSubitem},
		{"基本编码", FieldCode}, {"实施部门", FieldDepartment}, {"职权依据", FieldBasis},
		{"行使层级", FieldLevel}, {"行使内容", FieldContent}, {"备注", FieldNote},
	},
	CategoryHeadings: true,
}

// Duty is the 13-column layout of the Yutian 权责清单.
var Duty = &Layout{
	Kind: "duty",
	Columns: []Column{
		{"序号", FieldSeq}, {"事项名称", FieldName}, {"子项名称", FieldSubitem},
		{"权力类型", FieldCategory}, {"实施依据", FieldBasis}, {"行使主体", FieldDepartment},
		{"实施层级及权限", FieldLevel}, {"部门职责", FieldDuty}, {"责任事项内容", FieldResponsibility},
		{"责任事项依据", FieldResponsibilityBasis}, {"追责对象范围", FieldAccountable},
		{"追责情形", FieldAccountability}, {"备注", FieldNote},
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
		r[i] = Get(it, c.Field)
	}
	return r
}

// Has reports whether the layout has a column for f.
func (l *Layout) Has(f Field) bool {
	for _, c := range l.Columns {
		if c.Field == f {
			return true
		}
	}
	return false
}

// header returns the header text of f's column.
func (l *Layout) header(f Field) string {
	for _, c := range l.Columns {
		if c.Field == f {
			return c.Header
		}
	}
	if f == FieldCategory { // power lists write it as headings
		return "权力类型"
	}
	return string(f)
}

// Get returns a field as cell text (Seq as a decimal number).
func Get(it models.ItemFields, f Field) string {
	if f == FieldSeq {
		return strconv.Itoa(it.Seq)
	}
	if p := textField(&it, f); p != nil {
		return *p
	}
	return ""
}

// textField points at a string field of it; nil for Seq and unknown fields.
func textField(it *models.ItemFields, f Field) *string {
	switch f {
	case FieldCode:
		return &it.Code
	case FieldName:
		return &it.Name
	case FieldSubitem:
		return &it.Subitem
	case FieldCategory:
		return &it.Category
	case FieldDepartment:
		return &it.Department
	case FieldBasis:
		return &it.Basis
	case FieldLevel:
		return &it.Level
	case FieldContent:
		return &it.Content
	case FieldDuty:
		return &it.Duty
	case FieldResponsibility:
		return &it.Responsibility
	case FieldResponsibilityBasis:
		return &it.ResponsibilityBasis
	case FieldAccountable:
		return &it.Accountable
	case FieldAccountability:
		return &it.Accountability
	case FieldNote:
		return &it.Note
	}
	return nil
}

// allTextFields are every string field of ItemFields, for checks that must
// not miss one (a field outside the layout would be lost on export).
var allTextFields = []Field{
	FieldCode, FieldName, FieldSubitem, FieldCategory, FieldDepartment, FieldBasis,
	FieldLevel, FieldContent, FieldDuty, FieldResponsibility, FieldResponsibilityBasis,
	FieldAccountable, FieldAccountability, FieldNote,
}
