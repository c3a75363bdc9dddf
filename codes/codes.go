// Package codes checks 基本编码, the code a list gives each power item.
//
// The usual rule is 10 digits: 2 for the power type, then the
// main item, then 3 for the sub-item (000 = none). Provinces code differently,
// so the rule is a value a caller can replace; Default is the usual one.
package codes

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Categories are the ten power types (权力类型) in their usual order, which is
// also the order of their type digits 01…10.
var Categories = []string{
	"行政许可", "行政处罚", "行政强制", "行政征收", "行政给付",
	"行政检查", "行政确认", "行政奖励", "行政裁决", "其他",
}

// Type is one row of a rule's type-digit table.
type Type struct {
	Digits   string `json:"digits"`   // leading digits of a code, e.g. "02"
	Category string `json:"category"` // canonical category, one of Categories
}

// Rule says what a well-formed code looks like and which leading digits
// belong to which category.
type Rule struct {
	Length  int               `json:"length"`   // number of digits in a code
	TypeLen int               `json:"type_len"` // leading digits that give the power type
	Types   []Type            `json:"types"`    // type-digit table
	Aliases map[string]string `json:"aliases"`  // other spellings of a category → canonical
}

// Default is the rule both seed lists follow.
var Default = Rule{
	Length:  10,
	TypeLen: 2,
	Types: []Type{
		{"01", "行政许可"}, {"02", "行政处罚"}, {"03", "行政强制"},
		{"04", "行政征收"}, {"05", "行政给付"}, {"06", "行政检查"},
		{"07", "行政确认"}, {"08", "行政奖励"}, {"09", "行政裁决"},
		{"10", "其他"},
	},
	// The seeds write the tenth type as 其他类 (Ningxia) and 其他行政权力
	// (Xinjiang); both are the same type.
	Aliases: map[string]string{"其他类": "其他", "其他行政权力": "其他", "其他权力": "其他"},
}

// FormatError: the code is not of the shape the rule asks for.
type FormatError struct {
	Code   string
	Length int
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("基本编码“%s”格式不正确：应为%d位数字（现为%d个字符）",
		e.Code, e.Length, utf8.RuneCountInString(e.Code))
}

// CategoryMismatchError: the code's type digits belong to another category
// than the item's 权力类型 (or to none at all).
type CategoryMismatchError struct {
	Code         string
	Category     string // the item's category as written
	CodeDigits   string // the code's type digits
	CodeCategory string // category of CodeDigits; empty if the table has none
	WantDigits   string // digits the item's category should have
}

func (e *CategoryMismatchError) Error() string {
	got := "不属于任何权力类型"
	if e.CodeCategory != "" {
		got = "表示“" + e.CodeCategory + "”"
	}
	return fmt.Sprintf("基本编码“%s”的类型位“%s”%s，与权力类型“%s”（应为“%s”）不一致",
		e.Code, e.CodeDigits, got, e.Category, e.WantDigits)
}

// UnknownCategoryError: the item's category is not in the rule's table, so
// the code's type digits cannot be checked.
type UnknownCategoryError struct {
	Code     string
	Category string
}

func (e *UnknownCategoryError) Error() string {
	return fmt.Sprintf("权力类型“%s”不在编码规则的类型表中，无法核对基本编码“%s”的类型位",
		e.Category, e.Code)
}

// Canonical returns the canonical name of a category (aliases resolved,
// spaces trimmed) and whether the rule knows it.
func (r Rule) Canonical(category string) (string, bool) {
	c := strings.TrimSpace(category)
	if a, ok := r.Aliases[c]; ok {
		c = a
	}
	for _, t := range r.Types {
		if t.Category == c {
			return c, true
		}
	}
	return c, false
}

// TypeDigits returns the type digits of a category under the rule.
func (r Rule) TypeDigits(category string) (string, bool) {
	c, ok := r.Canonical(category)
	if !ok {
		return "", false
	}
	for _, t := range r.Types {
		if t.Category == c {
			return t.Digits, true
		}
	}
	return "", false
}

// WellFormed reports whether code has the rule's shape. The importer also
// uses it to recognise a code that sits in the wrong column.
func (r Rule) WellFormed(code string) bool {
	if len(code) != r.Length {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// Check validates a code against an item's category. An empty code is valid
// (the Yutian list has none); an empty category only gets a format check.
// Errors are *FormatError, *CategoryMismatchError or *UnknownCategoryError.
func (r Rule) Check(code, category string) error {
	if code == "" {
		return nil
	}
	if !r.WellFormed(code) {
		return &FormatError{Code: code, Length: r.Length}
	}
	if strings.TrimSpace(category) == "" {
		return nil
	}
	want, ok := r.TypeDigits(category)
	if !ok {
		return &UnknownCategoryError{Code: code, Category: category}
	}
	got := code[:min(r.TypeLen, len(code))]
	if got == want {
		return nil
	}
	e := &CategoryMismatchError{Code: code, Category: category, CodeDigits: got, WantDigits: want}
	for _, t := range r.Types {
		if t.Digits == got {
			e.CodeCategory = t.Category
		}
	}
	return e
}

// TypeDigits returns the type digits of a category under the Default rule.
func TypeDigits(category string) (string, bool) { return Default.TypeDigits(category) }
