package importer

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"qingdan/codes"
	"qingdan/models"
)

// WriteTSV writes items in the seed layout of kind ("power" or "duty") so
// that Parse reads them back to the same items, field by field:
//   - power: the title, then per run of items of one category a heading
//     一、<category>, the header and the items (序号 as stored);
//   - duty: the title, one header, the items.
//
// It refuses items it cannot write faithfully instead of writing a file that
// reads back differently: a field the layout has no column for, invalid
// UTF-8, a tab or line break in a cell, surrounding spaces, a 序号 below 1, a power item without
// category, a row with nothing but 序号, or a row that would be read as
// shifted or doubled (under codes.Default).
func WriteTSV(w io.Writer, title, kind string, items []models.ItemFields) error {
	l, ok := LayoutFor(kind)
	if !ok {
		return fmt.Errorf("importer: unknown kind %q", kind)
	}
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
	for _, f := range models.TextFields {
		v := *it.Ptr(f)
		switch {
		case v == "":
		case !l.Has(f) && !(f == models.FieldCategory && l.CategoryHeadings):
			return fmt.Errorf("字段 %s 有内容，但%s格式没有这一列", f, l.Kind)
		case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
			return fmt.Errorf("字段 %s 不是有效的UTF-8文本", f)
		case strings.ContainsAny(v, "\t\r\n"):
			return fmt.Errorf("字段 %s 含有制表符或换行，写不进一个单元格（段落请用<p>标记）", f)
		case v != strings.TrimSpace(v):
			return fmt.Errorf("字段 %s 两端有空白，读回时会被去掉", f)
		}
	}
	if l.CategoryHeadings {
		if m := headingRE.FindStringSubmatch("一、" + it.Category); m == nil || strings.TrimSpace(m[1]) != it.Category {
			return fmt.Errorf("权力清单的事项必须有权力类型（写成类别标题）")
		}
	}
	row := l.Row(it)
	if _, only := singleCell(row); only {
		return fmt.Errorf("除序号外各列都为空，读回时不是事项行")
	}
	if l == Power {
		if a, _ := alignPower(row, codes.Default); a.shifted {
			return fmt.Errorf("子项名称像基本编码而基本编码为空，读回时会被当作左移的行")
		}
	} else if a, _ := alignDuty(row); a.dupDuty {
		return fmt.Errorf("实施层级及权限与部门职责相同，读回时会被当作缺少实施层级的行")
	} else if a.ambiguous {
		return fmt.Errorf("部门职责与责任事项内容相同而责任事项依据不含【层级】，读回时无法确定对齐")
	}
	return nil
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
