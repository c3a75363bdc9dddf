package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"

	"qingdan/auth"
	"qingdan/models"
)

// seedDemo creates the demo accounts where missing (serve --demo) and
// prints them.
func seedDemo(ctx context.Context, a *auth.Service, w io.Writer) error {
	accounts, err := a.SeedDemo(ctx)
	if err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	fmt.Fprintf(w, "演示账号（新建账号的密码均为 %s）：\n", auth.DemoPassword)
	rows := [][]string{{"用户名", "角色", "所属", "状态"}}
	for _, acc := range accounts {
		state := "新建"
		if !acc.Created {
			state = "已存在，未改动（密码可能已修改）"
		}
		rows = append(rows, []string{acc.Username, models.RoleLabels[acc.Role], acc.Scope, state})
	}
	printTable(w, rows)
	return nil
}

// printTable prints rows in aligned columns, counting a Chinese character
// as two columns as a terminal shows it (text/tabwriter counts one).
func printTable(w io.Writer, rows [][]string) {
	widths := map[int]int{}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		// Han characters, CJK punctuation (。、「」) and full-width forms (（），：).
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFF60) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
