package models

import (
	"maps"
	"slices"
	"strings"
)

// FieldDef describes one item field: the one table of item fields from which
// the importer's header matching, the exports, the diff, the workflow's
// validation and the UI (GET /api/v1/meta) all derive.
type FieldDef struct {
	Name  Field  `json:"name"`
	Label string `json:"label"` // the field's usual Chinese name
	// Synonyms are the header texts real published lists give the column,
	// most specific first (line breaks and spaces removed). Header matching
	// scores an exact synonym above one contained in a longer header.
	Synonyms []string `json:"synonyms"`
	// Paragraphs: the cell holds paragraphs (<p> markup), written as lines in
	// exports; otherwise plain text kept exactly.
	Paragraphs bool    `json:"paragraphs"`
	Width      float64 `json:"width"` // readable column width in characters
	// MaxRunes is the longest text of the field, in characters as stored
	// (paragraphs marked up): the workflow refuses more, the importer refuses
	// files with more, the UI sizes its inputs by it. 0 for 序号, a number
	// bounded by MaxSeq.
	MaxRunes int `json:"max_runes"`
}

// FieldDefs are the item fields in the column order of the lists.
var FieldDefs = []FieldDef{
	{FieldSeq, "序号", []string{"序号", "事项序号", "编号", "顺序号"}, false, 6, 0},
	{FieldCode, "基本编码", []string{"基本编码", "权力编码", "事项编码", "地方权力编码", "国家目录编码", "职权编码", "权力事项编码", "编码"}, false, 13, 32},
	{FieldName, "事项名称", []string{"事项名称", "职权名称", "权力名称", "权力事项名称", "执法事项名称", "行政权力名称", "项目名称", "主项名称", "主项", "项目", "名称"}, false, 30, 200},
	{FieldSubitem, "子项名称", []string{"子项名称", "子项", "子项目"}, false, 16, 200},
	{FieldCategory, "权力类型", []string{"权力类型", "职权类型", "职权类别", "权力类别", "事项类型", "执法类别", "执法类型", "项目类型", "权利类型", "权力种类", "类别", "类型"}, false, 10, 20},
	{FieldDepartment, "实施部门", []string{"实施部门", "行使主体", "实施主体", "法定实施主体", "执法主体", "实施机关", "责任主体", "承办机构", "责任科室", "责任机构", "承办科室", "主管部门"}, true, 14, 100},
	{FieldBasis, "设定依据", []string{"职权依据", "实施依据", "设定依据", "法律依据", "法定依据", "权力依据", "执法依据", "设立依据", "设定和实施依据", "法律法规依据", "依据"}, true, 60, 6000},
	{FieldLevel, "行使层级", []string{"行使层级", "实施层级及权限", "法定行使层级", "层级和部门", "实施层级", "行使层级及权限"}, true, 12, 50},
	{FieldContent, "行使内容", []string{"行使内容", "权力运行内容"}, true, 40, 3000},
	{FieldDuty, "部门职责", []string{"部门职责"}, true, 36, 3000},
	{FieldResponsibility, "责任事项", []string{"责任事项内容", "责任事项"}, true, 44, 3000},
	{FieldResponsibilityBasis, "责任事项依据", []string{"责任事项依据"}, true, 50, 6000},
	{FieldAccountable, "追责对象范围", []string{"追责对象范围", "追责对象"}, true, 24, 500},
	{FieldAccountability, "追责情形", []string{"追责情形", "追责情形及追责依据", "问责情形"}, true, 44, 3000},
	{FieldNote, "备注", []string{"备注", "说明"}, true, 24, 1000},
}

var fieldDefs = func() map[Field]FieldDef {
	m := make(map[Field]FieldDef, len(FieldDefs))
	for _, d := range FieldDefs {
		m[d.Name] = d
	}
	return m
}()

// Def returns the field's definition; ok is false for an unknown name.
func (f Field) Def() (FieldDef, bool) {
	d, ok := fieldDefs[f]
	return d, ok
}

// MaxRunes is the longest text of the field (FieldDef.MaxRunes).
func (f Field) MaxRunes() int {
	return fieldDefs[f].MaxRunes
}

// Known reports whether f names an item field.
func (f Field) Known() bool {
	_, ok := fieldDefs[f]
	return ok
}

// Paragraphs reports whether f's cells hold paragraphs rather than plain
// text. Extra columns (a layout column without a field, or "extra.<header>") do.
func (f Field) Paragraphs() bool {
	if f == "" || strings.HasPrefix(string(f), ExtraPrefix) {
		return true
	}
	return fieldDefs[f].Paragraphs
}

// Column is one column of a list's layout: its header text as the source
// wrote it and the field it holds, or no field for an extra column kept
// verbatim in the items' Extra under its header.
type Column struct {
	Header string `json:"header"`
	Field  Field  `json:"field,omitempty"`
}

// Layout is the column structure of a list: the seeds' two layouts, or the
// columns of the file a list was imported from, in their order. Exports write
// it, so that an export imports back to the same items.
type Layout struct {
	Kind    string   `json:"kind"` // "power" (权力清单) or "duty" (权责清单)
	Columns []Column `json:"columns"`
	// CategoryHeadings: the category comes from headings 一、行政处罚 … above
	// each table (or from sheet names) rather than from a column.
	CategoryHeadings bool `json:"category_headings"`
}

// PowerLayout is the 9-column layout of the Hongsibu 权力清单.
var PowerLayout = &Layout{
	Kind: KindPower,
	Columns: []Column{
		{"序号", FieldSeq}, {"职权名称", FieldName}, {"子项名称", FieldSubitem},
		{"基本编码", FieldCode}, {"实施部门", FieldDepartment}, {"职权依据", FieldBasis},
		{"行使层级", FieldLevel}, {"行使内容", FieldContent}, {"备注", FieldNote},
	},
	CategoryHeadings: true,
}

// DutyLayout is the 13-column layout of the Yutian 权责清单.
var DutyLayout = &Layout{
	Kind: KindDuty,
	Columns: []Column{
		{"序号", FieldSeq}, {"事项名称", FieldName}, {"子项名称", FieldSubitem},
		{"权力类型", FieldCategory}, {"实施依据", FieldBasis}, {"行使主体", FieldDepartment},
		{"实施层级及权限", FieldLevel}, {"部门职责", FieldDuty}, {"责任事项内容", FieldResponsibility},
		{"责任事项依据", FieldResponsibilityBasis}, {"追责对象范围", FieldAccountable},
		{"追责情形", FieldAccountability}, {"备注", FieldNote},
	},
}

// SeedLayouts are the layouts of the two seed kinds, the layout of a list
// imported before lists kept their own.
var SeedLayouts = []*Layout{PowerLayout, DutyLayout}

// SeedLayout returns the seed layout of a list kind.
func SeedLayout(kind string) (*Layout, bool) {
	for _, l := range SeedLayouts {
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

// Row is an item's cells in column order; an extra column's cell is the
// item's extra value under the column's header.
func (l *Layout) Row(it ItemFields) []string {
	r := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		if c.Field == "" {
			r[i] = it.Extra[c.Header]
		} else {
			r[i] = it.Get(c.Field)
		}
	}
	return r
}

// Has reports whether the layout holds field f: in a column, or for the
// category, in headings.
func (l *Layout) Has(f Field) bool {
	if f == FieldCategory && l.CategoryHeadings {
		return true
	}
	return slices.ContainsFunc(l.Columns, func(c Column) bool { return c.Field == f })
}

// Extras are the headers of the extra columns, in order.
func (l *Layout) Extras() []string {
	var out []string
	for _, c := range l.Columns {
		if c.Field == "" {
			out = append(out, c.Header)
		}
	}
	return out
}

// ExtraPrefix names one extra column as a field where fields are listed by
// name (diffs, comparisons): "extra.承接单位".
const ExtraPrefix = "extra."

// Header returns the header text of f's column; the field's label when the
// layout has none (a power list keeps its category in headings).
func (l *Layout) Header(f Field) string {
	if h, ok := strings.CutPrefix(string(f), ExtraPrefix); ok {
		return h
	}
	for _, c := range l.Columns {
		if c.Field == f {
			return c.Header
		}
	}
	if d, ok := f.Def(); ok {
		return d.Label
	}
	return string(f)
}

// Missing names the first field or extra column the item fills that the
// layout cannot hold, as its label; "" when the layout holds all of it.
// A field the layout lacks would be lost on export (and refused by TSV).
func (l *Layout) Missing(it ItemFields) string {
	for _, f := range TextFields {
		if it.Get(f) != "" && !l.Has(f) {
			return l.Header(f)
		}
	}
	extras := l.Extras()
	for _, k := range slices.Sorted(maps.Keys(it.Extra)) {
		if it.Extra[k] != "" && !slices.Contains(extras, k) {
			return k
		}
	}
	return ""
}

// NormalizeHeader removes what varies in how a header is written: spaces
// and line breaks inside words (职权\n类别).
func NormalizeHeader(h string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '\u00a0':
			return -1
		}
		return r
	}, h)
}

// KindLabels are the Chinese names of the list kinds.
var KindLabels = map[string]string{KindPower: "权力清单", KindDuty: "权责清单"}
