package importer

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"qingdan/codes"
	"qingdan/models"
)

// WriteTSV writes items in a list's layout so that Read reads them back to
// the same items, field by field:
//   - category in headings (power): the title, then per run of items of one
//     category a heading 一、<category>, the header and the items (序号 as stored);
//   - category in a column (duty): the title, one header, the items.
//
// The seed layouts come out exactly as the seeds are written.
//
// It refuses items it cannot write faithfully instead of writing a file that
// reads back differently: a field the layout has no column for, invalid
// UTF-8, a tab or line break in a cell, surrounding spaces, a 序号 below 1, a power item without
// category, a row with nothing but 序号, or a row that would be read as
// shifted or doubled (under codes.Default).
func WriteTSV(w io.Writer, title string, l *Layout, items []models.ItemFields) error {
	if strings.ContainsAny(title, "\t\r\n\x00") || !utf8.ValidString(title) || title != strings.TrimSpace(title) ||
		headingRE.MatchString(title) || isSeparator([]string{title}) || title == "序号" {
		return fmt.Errorf("importer: title %q would not read back as a title", title)
	}
	for i, it := range items {
		if err := writable(l, it); err != nil {
			return fmt.Errorf("importer: item %d (序号%d “%s”): %w", i+1, it.Seq, it.Name, err)
		}
	}
	bw := bufio.NewWriter(w)
	line := func(cells ...string) { bw.WriteString(strings.Join(cells, "\t") + "\n") }
	line(title)
	line()
	if !l.CategoryHeadings {
		line(l.Headers()...)
	}
	heading := 0
	for i, it := range items {
		if l.CategoryHeadings && (i == 0 || it.Category != items[i-1].Category) {
			if i > 0 {
				line()
			}
			heading++
			line(ChineseNumber(heading) + "、" + it.Category)
			line()
			line(l.Headers()...)
		}
		line(l.Row(it)...)
	}
	return bw.Flush()
}

func writable(l *Layout, it models.ItemFields) error {
	if it.Seq < 1 {
		return fmt.Errorf("序号必须是正整数")
	}
	// What the reader (and the workflow) would refuse is not written either.
	if f, problem := models.ItemTextProblem(it); problem != "" {
		return fmt.Errorf("字段 %s %s", f, problem)
	}
	for _, f := range models.TextFields { // read back, an unclosed <p> looks like a cut file
		if c := it.Get(f); strings.Count(c, "<p>")+strings.Count(c, "<p ") > strings.Count(c, "</p>") {
			return fmt.Errorf("字段 %s 的段落标记<p>没有闭合", f)
		}
	}
	if miss := l.Missing(it); miss != "" {
		return fmt.Errorf("“%s”有内容，但清单的格式没有这一列", miss)
	}
	for i, v := range l.Row(it) {
		f := l.Columns[i].Header
		switch {
		case v == "":
		case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
			return fmt.Errorf("字段 %s 不是有效的UTF-8文本", f)
		case strings.ContainsAny(v, "\t\r\n"):
			return fmt.Errorf("字段 %s 含有制表符或换行，写不进一个单元格（段落请用<p>标记）", f)
		case v != strings.TrimSpace(v):
			return fmt.Errorf("字段 %s 两端有空白，读回时会被去掉", f)
		}
	}
	if l.CategoryHeadings {
		// The category is written as a heading, not a cell: checked here.
		if !utf8.ValidString(it.Category) || strings.ContainsAny(it.Category, "\x00\t\r\n") {
			return fmt.Errorf("权力类型不是一行有效的UTF-8文本，写不成类别标题")
		}
		if m := headingRE.FindStringSubmatch("一、" + it.Category); m == nil || strings.TrimSpace(m[1]) != it.Category {
			return fmt.Errorf("权力清单的事项必须有权力类型（写成类别标题）")
		}
	}
	row := l.Row(it)
	if _, only := singleCell(row); only {
		return fmt.Errorf("除序号外各列都为空，读回时不是事项行")
	}
	if sameColumns(l, Power) {
		if a, _ := alignPower(row, codes.Default); a.shifted {
			return fmt.Errorf("子项名称像基本编码而基本编码为空，读回时会被当作左移的行")
		}
	} else if !sameColumns(l, Duty) {
		return nil
	} else if a, _ := alignDuty(row); a.dupDuty {
		return fmt.Errorf("实施层级及权限与部门职责相同，读回时会被当作缺少实施层级的行")
	} else if a.ambiguous {
		return fmt.Errorf("部门职责与责任事项内容相同而责任事项依据不含【层级】，读回时无法确定对齐")
	}
	return nil
}

// sameColumns: l has the columns of seed (a list imported from a seed file
// keeps them as its own layout).
func sameColumns(l, seed *Layout) bool {
	return l.CategoryHeadings == seed.CategoryHeadings && slices.Equal(l.Columns, seed.Columns)
}

// ChineseNumber writes category heading numbers as the seeds do: 一, 十, 十一, 二十一, 一百零一.
func ChineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + strings.TrimPrefix(digits[n%10], "零")
	case n < 100:
		return digits[n/10] + "十" + strings.TrimPrefix(digits[n%10], "零")
	}
	s, rest := ChineseNumber(n/100)+"百", n%100
	switch {
	case rest == 0:
		return s
	case rest < 10:
		return s + "零" + digits[rest]
	case rest < 20:
		return s + "一" + ChineseNumber(rest)
	}
	return s + ChineseNumber(rest)
}
