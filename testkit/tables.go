package testkit

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Sheet is a worksheet to build: its rows of cells and its merged ranges
// ("A1:F1"). As in real workbooks, a merged range holds its value in its
// top-left cell only.
type Sheet struct {
	Name   string
	Rows   [][]string
	Merges []string
}

// XLSX builds a workbook of the sheets, in order.
func XLSX(sheets ...Sheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.Name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(sh.Name); err != nil {
			return nil, err
		}
		for r, row := range sh.Rows {
			cells := make([]any, len(row))
			for c, v := range row {
				cells[c] = v
			}
			axis, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sh.Name, axis, &cells); err != nil {
				return nil, err
			}
		}
		for _, m := range sh.Merges {
			a, b, _ := strings.Cut(m, ":")
			if err := f.MergeCell(sh.Name, a, b); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// GBK encodes text as Excel saves a CSV on Chinese Windows.
func GBK(text string) ([]byte, error) {
	return simplifiedchinese.GBK.NewEncoder().Bytes([]byte(text))
}

// DocCell is a cell of a Word table: its text (lines become paragraphs), the
// grid columns it spans, and its vertical merge ("restart", "continue" or "").
type DocCell struct {
	Text   string
	Span   int
	VMerge string
}

// DocBlock is a paragraph (Text) or a table (Rows) of a Word document.
type DocBlock struct {
	Text string
	Rows [][]DocCell
}

// DOCX builds a Word document of the blocks.
func DOCX(blocks ...DocBlock) ([]byte, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	para := func(text string) {
		for _, line := range strings.Split(text, "\n") {
			b.WriteString("<w:p><w:r><w:t xml:space=\"preserve\">")
			xml.EscapeText(&b, []byte(line))
			b.WriteString("</w:t></w:r></w:p>")
		}
	}
	for _, bl := range blocks {
		if bl.Rows == nil {
			para(bl.Text)
			continue
		}
		b.WriteString("<w:tbl>")
		for _, row := range bl.Rows {
			b.WriteString("<w:tr>")
			for _, c := range row {
				b.WriteString("<w:tc><w:tcPr>")
				if c.Span > 1 {
					b.WriteString(`<w:gridSpan w:val="` + string(rune('0'+c.Span)) + `"/>`)
				}
				switch c.VMerge {
				case "restart":
					b.WriteString(`<w:vMerge w:val="restart"/>`)
				case "continue":
					b.WriteString(`<w:vMerge/>`)
				}
				b.WriteString("</w:tcPr>")
				para(c.Text)
				b.WriteString("</w:tc>")
			}
			b.WriteString("</w:tr>")
		}
		b.WriteString("</w:tbl>")
	}
	b.WriteString("</w:body></w:document>")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml":   b.String(),
	} {
		w, err := zw.Create(name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
