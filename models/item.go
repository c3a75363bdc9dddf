package models

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
)

// Citation is one structured reference of a legal basis:
// 【level】《title》（edition）articles.
type Citation struct {
	Level    string `json:"level"`
	Title    string `json:"title"`
	Edition  string `json:"edition"`
	Articles string `json:"articles"`
}

// ItemFields are the fields of an item in every list layout (FieldDefs).
// A layout without a column leaves its field empty.
type ItemFields struct {
	Seq                 int        `json:"seq"`
	Code                string     `json:"code"`
	Name                string     `json:"name"`
	Subitem             string     `json:"subitem"`
	Category            string     `json:"category"`
	Department          string     `json:"department"`
	Basis               string     `json:"basis"`
	Citations           []Citation `json:"citations"`
	Level               string     `json:"level"`
	Content             string     `json:"content"`
	Duty                string     `json:"duty"`
	Responsibility      string     `json:"responsibility"`
	ResponsibilityBasis string     `json:"responsibility_basis"`
	Accountable         string     `json:"accountable"`
	Accountability      string     `json:"accountability"`
	Note                string     `json:"note"`
	// Extra holds the cells of the list's extra columns (承接单位, 是否涉企 …)
	// by header: columns of its source that map to no field.
	Extra map[string]string `json:"extra,omitempty"`
}

// Field names an item field as in its JSON; layouts, diffs and the workflow
// all address fields by these names.
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
	// FieldExtra names the extra columns as a whole, for code that copies
	// or compares fields by name.
	FieldExtra Field = "extra"
)

// TextFields are every text field of an item, in the column order of the
// lists (Seq, a number, and Citations, derived from Basis, are not among
// them): the field table's order.
var TextFields = func() []Field {
	var out []Field
	for _, d := range FieldDefs {
		if d.Name != FieldSeq {
			out = append(out, d.Name)
		}
	}
	return out
}()

// Ptr points at a text field, for code that edits fields by name; nil for
// Seq and unknown names.
func (f *ItemFields) Ptr(name Field) *string {
	switch name {
	case FieldCode:
		return &f.Code
	case FieldName:
		return &f.Name
	case FieldSubitem:
		return &f.Subitem
	case FieldCategory:
		return &f.Category
	case FieldDepartment:
		return &f.Department
	case FieldBasis:
		return &f.Basis
	case FieldLevel:
		return &f.Level
	case FieldContent:
		return &f.Content
	case FieldDuty:
		return &f.Duty
	case FieldResponsibility:
		return &f.Responsibility
	case FieldResponsibilityBasis:
		return &f.ResponsibilityBasis
	case FieldAccountable:
		return &f.Accountable
	case FieldAccountability:
		return &f.Accountability
	case FieldNote:
		return &f.Note
	}
	return nil
}

// Get returns a field as text (Seq in decimal; "" for an unknown name).
func (f ItemFields) Get(name Field) string {
	switch name {
	case FieldSeq:
		return strconv.Itoa(f.Seq)
	case FieldExtra:
		return f.extraText()
	}
	if p := f.Ptr(name); p != nil {
		return *p
	}
	return ""
}

// CopyField sets one field from src; the basis brings its citations along.
func (f *ItemFields) CopyField(name Field, src ItemFields) {
	switch name {
	case FieldSeq:
		f.Seq = src.Seq
	case FieldBasis:
		f.Basis, f.Citations = src.Basis, slices.Clone(src.Citations)
	case FieldExtra:
		f.Extra = maps.Clone(src.Extra)
	default:
		if p := f.Ptr(name); p != nil {
			*p = *src.Ptr(name)
		}
	}
}

// extraText is the extra cells as one comparable text: JSON with sorted keys,
// empty cells left out, "" when there are none.
func (f ItemFields) extraText() string {
	m := make(map[string]string, len(f.Extra))
	for k, v := range f.Extra {
		if v != "" {
			m[k] = v
		}
	}
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m) // a map of strings always encodes
	return string(b)
}
