package importer

import (
	"fmt"
	"io"
	"strings"
)

// Anomaly kinds: stable ids for what the importer found and how it dealt
// with it.
const (
	// A row with an empty 序号 continued the cells of the item above.
	KindContinuationMerged = "continuation_merged"
	// The empty 子项名称 cell was missing; later cells were moved right.
	KindShiftedRowRealigned = "shifted_row_realigned"
	// 部门职责 appeared twice in a row; the copy was dropped.
	KindDuplicateColumnDropped = "duplicate_column_dropped"
	// 实施层级及权限 was missing from a row; the level was left empty.
	KindMissingLevel = "missing_level"
	// A row of dashes between rows was skipped.
	KindSeparatorSkipped = "separator_skipped"
	// A 基本编码 is not of the rule's shape.
	KindCodeFormat = "code_format"
	// A 基本编码's type digits belong to another category than the item's.
	KindCodeCategoryMismatch = "code_category_mismatch"
	// A category is not one of the ten power types.
	KindUnknownCategory = "unknown_category"
	// The same instrument is cited under different levels.
	KindCitationLevelConflict = "citation_level_conflict"
	// A citation's title is not in 《》, so it was read from the text.
	KindCitationTitleUnmarked = "citation_title_unmarked"
	// Legal-basis text that stands before any 【level】.
	KindCitationWithoutLevel = "citation_without_level"
	// 序号 does not count 1, 2, 3 … within its table.
	KindSeqIrregular = "seq_irregular"
	// A category heading with no items under it.
	KindEmptyCategory = "empty_category"
)

// Report is what an import found, for the person running it.
type Report struct {
	Counts    []CategoryCount `json:"counts"`
	Anomalies []Anomaly       `json:"anomalies"`
	Skipped   Skipped         `json:"skipped"`
}

// CategoryCount is the number of items of one category, in document order.
type CategoryCount struct {
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// Anomaly is one irregularity of the file and what was done about it.
type Anomaly struct {
	Sheet    string `json:"sheet,omitempty"`
	Line     int    `json:"line"`
	Position int    `json:"position,omitempty"` // of the item in the file, from 1
	Kind     string `json:"kind"`
	Category string `json:"category,omitempty"`
	Seq      int    `json:"seq,omitempty"`
	Item     string `json:"item,omitempty"`
	Message  string `json:"message"`
}

// Skipped counts rows that carry no data. They are counted rather than listed
// one by one: the Yutian list repeats its header before every item.
type Skipped struct {
	BlankLines    int `json:"blank_lines"`
	SeparatorRows int `json:"separator_rows"`
	HeaderRows    int `json:"header_rows"`
}

// Total is the number of items.
func (r Report) Total() int {
	n := 0
	for _, c := range r.Counts {
		n += c.Count
	}
	return n
}

// WriteText writes the report as plain text, one anomaly a line.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "事项共%d项：", r.Total())
	for i, c := range r.Counts {
		if i > 0 {
			b.WriteString("，")
		}
		fmt.Fprintf(&b, "%s %d", c.Category, c.Count)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "跳过：空行%d，分隔行%d，表头行%d\n",
		r.Skipped.BlankLines, r.Skipped.SeparatorRows, r.Skipped.HeaderRows)
	fmt.Fprintf(&b, "发现%d处异常：\n", len(r.Anomalies))
	for _, a := range r.Anomalies {
		fmt.Fprintf(&b, "第%d行\t%s\t%s\n", a.Line, a.Kind, a.Message)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ParseError says why a file is not a list Parse can read, and where: the
// sheet (of a workbook) and the row or line; Line 0 is the file as a whole.
type ParseError struct {
	Sheet string `json:"sheet,omitempty"`
	Line  int    `json:"line"`
	Msg   string `json:"message"`
}

func (e *ParseError) Error() string {
	var where string
	if e.Sheet != "" {
		where = "工作表“" + e.Sheet + "”"
	}
	if e.Line > 0 {
		where += fmt.Sprintf("第%d行", e.Line)
	}
	if where == "" {
		return e.Msg
	}
	return where + "：" + e.Msg
}

func sheetErrorf(sheet string, line int, format string, args ...any) error {
	return &ParseError{Sheet: sheet, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func errorf(line int, format string, args ...any) error {
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
}
