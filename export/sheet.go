package export

import (
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// WriteSheet writes a table of figures (statistics) as one worksheet: the
// title above a frozen header row, then the rows, numbers kept as numbers so
// that they can be summed and charted in Excel.
func WriteSheet(w io.Writer, title, subtitle string, columns []string, rows [][]any) error {
	return writeWorkbook(w, func(f *excelize.File, styles styleIDs) error {
		return layOutSheet(f, styles, title, subtitle, columns, rows)
	})
}

func layOutSheet(f *excelize.File, styles styleIDs, title, subtitle string, columns []string, rows [][]any) error {
	cell := func(col, r int) string {
		name, _ := excelize.CoordinatesToCellName(col, r)
		return name
	}
	n := max(len(columns), 1)
	for r, text := range []string{title, subtitle} {
		if err := f.SetCellStr(sheet, cell(1, r+1), text); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, cell(1, r+1), cell(n, r+1)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell(1, r+1), cell(n, r+1), []int{styles.title, styles.subtitle}[r]); err != nil {
			return err
		}
	}
	const headerRow = 3
	if err := f.SetSheetRow(sheet, cell(1, headerRow), &columns); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, cell(1, headerRow), cell(n, headerRow), styles.header); err != nil {
		return err
	}
	widths := make([]int, n)
	for i, c := range columns {
		widths[i] = utf8.RuneCountInString(c)
	}
	for i, r := range rows {
		r := r
		if err := f.SetSheetRow(sheet, cell(1, headerRow+1+i), &r); err != nil {
			return err
		}
		for j, v := range r {
			if s, ok := v.(string); ok && j < n {
				widths[j] = max(widths[j], utf8.RuneCountInString(s))
			}
		}
	}
	if len(rows) > 0 {
		if err := f.SetCellStyle(sheet, cell(1, headerRow+1), cell(n, headerRow+len(rows)), styles.body); err != nil {
			return err
		}
	}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		// CJK characters are about two Latin widths.
		if err := f.SetColWidth(sheet, col, col, float64(min(max(wd*2+2, 8), 60))); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: cell(1, headerRow+1), ActivePane: "bottomLeft"})
}
