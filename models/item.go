package models

import (
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

// ItemFields are the fields both list layouts share (DESIGN.md §1 "An item").
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
)

// TextFields are every text field of an item, in the column order of the
// lists (Seq, a number, and Citations, derived from Basis, are not among them).
var TextFields = []Field{
	FieldCode, FieldName, FieldSubitem, FieldCategory, FieldDepartment, FieldBasis,
	FieldLevel, FieldContent, FieldDuty, FieldResponsibility, FieldResponsibilityBasis,
	FieldAccountable, FieldAccountability, FieldNote,
}

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
	if name == FieldSeq {
		return strconv.Itoa(f.Seq)
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
	default:
		if p := f.Ptr(name); p != nil {
			*p = *src.Ptr(name)
		}
	}
}
