package importer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"qingdan/codes"
)

// headingRE matches a category heading of the power layout: 一、行政处罚.
var headingRE = regexp.MustCompile(`^[一二三四五六七八九十百零]+、\s*(\S.*)$`)

// splitRow cuts a line into trimmed cells.
func splitRow(line string) []string {
	cells := strings.Split(line, "\t")
	for i, c := range cells {
		cells[i] = strings.TrimSpace(c)
	}
	return cells
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// isSeparator: a row of dashes (a Markdown-style table rule).
func isSeparator(cells []string) bool {
	seen := false
	for _, c := range cells {
		if c == "" {
			continue
		}
		if strings.Trim(c, "-:—") != "" {
			return false
		}
		seen = true
	}
	return seen
}

// singleCell returns the text of a row whose only non-empty cell is the first.
func singleCell(cells []string) (string, bool) {
	for _, c := range cells[1:] {
		if c != "" {
			return "", false
		}
	}
	return cells[0], cells[0] != ""
}

// matchHeader returns the layout whose header the row is. Trailing empty
// cells are ignored (Yutian repeats its header with an empty 14th cell).
func matchHeader(cells []string) *Layout {
	n := len(cells)
	for n > 0 && cells[n-1] == "" {
		n--
	}
	for _, l := range Layouts {
		if n == len(l.Columns) && strings.Join(cells[:n], "\t") == strings.Join(l.Headers(), "\t") {
			return l
		}
	}
	return nil
}

// alignment is how a data or continuation row was mapped onto its layout.
type alignment struct {
	cells     []string // one per layout column
	shifted   bool     // 子项名称 was missing (power)
	dupDuty   bool     // 部门职责 repeated, copy dropped (duty)
	noLevel   bool     // 实施层级及权限 missing (duty)
	dropIndex int      // raw index of the dropped duplicate, for messages
	ambiguous bool     // cannot tell how the row is aligned (duty)
}

// alignPower maps a power-layout row. 9 cells are the header's columns,
// unless the 10-digit code sits in the 子项名称 column and the last cell is
// empty: then the empty 子项名称 cell was lost and the row is shifted left
// by one with a trailing empty cell. 8 cells are always that shift without
// the trailing cell (the seeds' continuation rows of shifted items too).
func alignPower(cells []string, rule codes.Rule) (alignment, bool) {
	switch len(cells) {
	case 9:
		if rule.WellFormed(cells[2]) && !rule.WellFormed(cells[3]) && cells[8] == "" {
			return shiftPower(cells[:8]), true
		}
		return alignment{cells: cells}, true
	case 8:
		return shiftPower(cells), true
	}
	return alignment{}, false
}

func shiftPower(cells []string) alignment {
	out := make([]string, 0, 9)
	out = append(out, cells[0], cells[1], "")
	out = append(out, cells[2:]...)
	return alignment{cells: out, shifted: true}
}

// alignDuty maps a duty-layout row.
//   - 13 cells are the header's columns, except when the level cell holds the
//     same duty text as the next cell (Yutian item 5): the level is missing
//     and 部门职责 doubled, which keeps the count at 13.
//   - 14 cells: 部门职责 doubled (the two cells equal), or else an empty
//     trailing cell like the one on Yutian's 14-cell header rows.
//
// 13-cell rows whose duty and responsibility hold the same text (Yutian
// items 1, 19) are not doubled: their level is a level and their 责任事项依据
// is a legal basis (has a 【level】). Without that basis the row might be a
// doubled row that lost a cell, so it is ambiguous.
func alignDuty(cells []string) (alignment, bool) {
	switch len(cells) {
	case 13:
		if cells[6] != "" && cells[6] == cells[7] && !levelLike(cells[6]) {
			out := make([]string, 0, 13)
			out = append(out, cells[:6]...)
			out = append(out, "")
			out = append(out, cells[6])
			out = append(out, cells[8:]...)
			return alignment{cells: out, dupDuty: true, noLevel: true, dropIndex: 7}, true
		}
		ambiguous := cells[7] != "" && cells[7] == cells[8] && !strings.Contains(cells[9], "【")
		return alignment{cells: cells, ambiguous: ambiguous}, true
	case 14:
		if cells[7] != "" && cells[7] == cells[8] {
			out := make([]string, 0, 13)
			out = append(out, cells[:8]...)
			out = append(out, cells[9:]...)
			return alignment{cells: out, dupDuty: true, dropIndex: 8}, true
		}
		if cells[13] == "" {
			return alignment{cells: cells[:13]}, true
		}
	}
	return alignment{}, false
}

// levelLike: a 实施层级 value is short and names a level (县级, 市级、县级…).
func levelLike(s string) bool {
	return utf8.RuneCountInString(s) <= 20 && strings.Contains(s, "级")
}
