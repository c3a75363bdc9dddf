package export

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"qingdan/apperr"
	"qingdan/models"
)

// table is what writeXLSX lays out: a title and a subtitle above a header
// row, then rows; a heading row has one cell that spans every column.
type table struct {
	title    string
	subtitle string
	headers  []string
	widths   []float64 // characters, one per column
	rows     []row
	struck   map[int]bool // columns whose marked runs are deletions, struck through
}

type row struct {
	cells   []string
	heading bool
	marked  map[int]Cell // cells (by column index) written as rich text with their changes marked
}

const sheet = "Sheet1"

// writeXLSX writes the table as one worksheet: the title merged across the
// columns, the header row frozen and repeated on every printed page, cells
// wrapped, bordered and top-aligned, columns readable wide, A4 landscape.
func writeXLSX(w io.Writer, t table) error {
	return writeWorkbook(w, func(f *excelize.File, styles styleIDs) error { return layOut(f, styles, t) })
}

// writeWorkbook makes a workbook with the shared styles, lets fill lay out
// its sheet, and writes it to w.
func writeWorkbook(w io.Writer, fill func(*excelize.File, styleIDs) error) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := fill(f, styles); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func layOut(f *excelize.File, styles styleIDs, t table) error {
	n := len(t.headers)
	cell := func(col, r int) string {
		name, _ := excelize.CoordinatesToCellName(col, r)
		return name
	}

	put := func(r int, text string, style int, merge bool) error {
		if err := f.SetCellStr(sheet, cell(1, r), text); err != nil {
			return err
		}
		if merge && n > 1 {
			if err := f.MergeCell(sheet, cell(1, r), cell(n, r)); err != nil {
				return err
			}
		}
		return f.SetCellStyle(sheet, cell(1, r), cell(n, r), style)
	}
	if err := put(1, t.title, styles.title, true); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, 1, 30); err != nil {
		return err
	}
	if err := put(2, t.subtitle, styles.subtitle, true); err != nil {
		return err
	}
	const headerRow = 3
	if err := f.SetSheetRow(sheet, cell(1, headerRow), &t.headers); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, cell(1, headerRow), cell(n, headerRow), styles.header); err != nil {
		return err
	}
	for i, r := range t.rows {
		at := headerRow + 1 + i
		if r.heading {
			if err := put(at, r.cells[0], styles.heading, true); err != nil {
				return err
			}
			continue
		}
		// The input limits keep cells within a spreadsheet cell; should older
		// data not be, say so rather than let the library cut the text.
		for col, text := range r.cells {
			if n := utf8.RuneCountInString(text); n > models.XLSXCellChars {
				return apperr.New(apperr.Conflict, "第 %d 行“%s”列有 %d 字，超过电子表格单元格的上限 %d 字，无法完整导出为 XLSX，请导出 CSV",
					at, t.headers[col], n, models.XLSXCellChars)
			}
		}
		if err := f.SetSheetRow(sheet, cell(1, at), &r.cells); err != nil {
			return err
		}
		for col, marked := range r.marked {
			if err := f.SetCellRichText(sheet, cell(col+1, at), richText(marked, t.struck[col])); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, cell(1, at), cell(n, at), styles.body); err != nil {
			return err
		}
		if err := f.SetRowHeight(sheet, at, rowHeight(r.cells, t.widths)); err != nil {
			return err
		}
	}
	for i, width := range t.widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: cell(1, headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	a4, landscape, oneWide, anyTall := 9, "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &oneWide, FitToHeight: &anyTall}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, headerRow, headerRow)}); err != nil {
		return err
	}
	return nil
}

// rowHeight makes a wrapped row tall enough for its longest cell: Excel does
// not grow rows that a program wrote, so without it long legal bases hide.
func rowHeight(cells []string, widths []float64) float64 {
	lines := 1.0
	for i, c := range cells {
		if i >= len(widths) {
			break
		}
		// A CJK character is about two width units wide.
		perLine := max(widths[i]/2, 1)
		n := 0.0
		for _, para := range strings.Split(c, "\n") {
			n += max(1, float64(int(float64(utf8.RuneCountInString(para))/perLine+0.999)))
		}
		lines = max(lines, n)
	}
	return min(15*lines+4, 409) // 409 points is Excel's maximum row height
}

// richText marks changed runs in red and, to survive black-and-white print,
// struck through (deletions) or underlined (insertions).
func richText(c Cell, struck bool) []excelize.RichTextRun {
	runs := make([]excelize.RichTextRun, 0, len(c))
	for _, s := range c {
		run := excelize.RichTextRun{Text: s.Text}
		if s.Changed {
			run.Font = &excelize.Font{Color: "C00000", Strike: struck}
			if !struck {
				run.Font.Underline = "single"
			}
		}
		runs = append(runs, run)
	}
	return runs
}

type styleIDs struct{ title, subtitle, header, heading, body int }

func newStyles(f *excelize.File) (styleIDs, error) {
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	specs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Size: 10, Color: "555555"}, Alignment: &excelize.Alignment{Horizontal: "center"}},
		{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Font: &excelize.Font{Bold: true}, Border: border, Alignment: &excelize.Alignment{Vertical: "center"}},
		{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}},
	}
	ids := make([]int, len(specs))
	for i, s := range specs {
		id, err := f.NewStyle(s)
		if err != nil {
			return styleIDs{}, fmt.Errorf("xlsx style: %w", err)
		}
		ids[i] = id
	}
	return styleIDs{title: ids[0], subtitle: ids[1], header: ids[2], heading: ids[3], body: ids[4]}, nil
}
