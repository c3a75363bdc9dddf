package models

import (
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"
)

// Limits on what a user may write, defined once: the workflow checks them,
// the importer refuses files beyond them, exports rely on them (a
// spreadsheet cell holds at most XLSXCellChars characters, and the
// comparison table puts all of an item's fields in one cell), and clients
// read them to size their inputs. Each item field's own limit is in the
// field table (FieldDef.MaxRunes).

// Limits of the other texts and numbers a client sends.
const (
	MaxExtraRunes     = 3000 // the value of an extra column (承接单位, 是否涉企 …)
	MaxTitleRunes     = 200  // a change request's title
	MaxReasonRunes    = 2000 // a request's or an operation's reason, an operation's basis and source
	MaxOpinionRunes   = 2000 // a reviewer's or approver's opinion
	MaxDocNumberRunes = 100  // a 文号 (红政函〔2026〕12号)
	MaxOperations     = 500  // operations in one change request
	MaxSeq            = 99999
	XLSXCellChars     = 32767 // what a spreadsheet cell holds
)

// TextProblem says what is wrong with a text a user typed: too long, or a
// control character other than a line break or tab, or a bidirectional
// override that could make it read differently from what it is; "" when
// nothing is.
func TextProblem(s string, maxRunes int) string {
	if n := utf8.RuneCountInString(s); n > maxRunes {
		return fmt.Sprintf("不能超过 %d 字（现有 %d 字）", maxRunes, n)
	}
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t', r == 0x7f:
			return fmt.Sprintf("含有不可见的控制字符 U+%04X，请删除", r)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("含有改变文字方向的控制字符 U+%04X，请删除", r)
		}
	}
	return ""
}

// ItemTextProblem checks every field and extra column of an item against
// its limit and returns the first field that breaks one ("extra.<header>"
// for an extra column) with the problem; "" when none does.
func ItemTextProblem(f ItemFields) (Field, string) {
	for _, name := range TextFields {
		if p := TextProblem(f.Get(name), name.MaxRunes()); p != "" {
			return name, p
		}
	}
	for _, k := range slices.Sorted(maps.Keys(f.Extra)) {
		if p := TextProblem(f.Extra[k], MaxExtraRunes); p != "" {
			return Field(ExtraPrefix + k), p
		}
	}
	if f.Seq < 0 || f.Seq > MaxSeq {
		return FieldSeq, fmt.Sprintf("序号应在 0 到 %d 之间", MaxSeq)
	}
	return "", ""
}
