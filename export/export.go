// Package export writes published versions of a list as XLSX, CSV and TSV
// files, and revision comparison tables (修订对照表) as XLSX and printable HTML.
package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/importer"
	"qingdan/models"
)

// Format is a file format an export is written in.
type Format string

const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
	TSV  Format = "tsv"
	HTML Format = "html"
)

// VersionFormats are the formats a version exports to; ComparisonFormats
// those of a comparison table.
var (
	VersionFormats    = []Format{XLSX, CSV, TSV}
	ComparisonFormats = []Format{XLSX, HTML}
)

// ParseFormat accepts one of the allowed formats and refuses anything else
// with a message listing them.
func ParseFormat(s string, allowed []Format) (Format, error) {
	names := ""
	for i, f := range allowed {
		if string(f) == s {
			return f, nil
		}
		if i > 0 {
			names += "、"
		}
		names += string(f)
	}
	return "", apperr.New(apperr.Invalid, "参数 format 应为 %s 之一，收到 %q", names, s)
}

// ContentType is the media type a file of the format is served with.
func (f Format) ContentType() string {
	switch f {
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case CSV:
		return "text/csv; charset=utf-8"
	case TSV:
		// Plain text: the TSV is the re-importable data format, cells exactly
		// as stored, and not meant to be opened by a spreadsheet (see CSV).
		return "text/plain; charset=utf-8"
	case HTML:
		return "text/html; charset=utf-8"
	}
	return "application/octet-stream"
}

// Version is one published version of a list, as an export writes it.
type Version struct {
	ListID      int64
	Title       string
	Kind        string
	Agency      string
	Number      int
	PublishedAt time.Time
	Record      models.ListVersion  // its 文号, 公布日期 and batch (Publication)
	Layout      *models.Layout      // the list's own columns; nil: its kind's seed layout
	Items       []models.ItemFields // in list order
}

// layout is the columns the version is written in.
func (v Version) layout() (*models.Layout, error) {
	if v.Layout != nil {
		return v.Layout, nil
	}
	if l, ok := models.SeedLayout(v.Kind); ok {
		return l, nil
	}
	return nil, fmt.Errorf("export list %d: unknown kind %q", v.ListID, v.Kind)
}

// FileName is the name a downloaded export of the version gets.
func (v Version) FileName(f Format) string {
	return fmt.Sprintf("%s-第%d版.%s", v.Title, v.Number, f)
}

// LoadVersion reads version number of a list (0: the current version).
func LoadVersion(ctx context.Context, store *models.Store, listID int64, number int) (Version, error) {
	l, err := store.List(ctx, listID)
	if err != nil {
		return Version{}, err
	}
	if number == 0 {
		number = l.CurrentVersion
	}
	pv, err := store.Version(ctx, listID, number)
	if err != nil {
		return Version{}, err
	}
	revs, err := store.ItemsAt(ctx, listID, number, models.ItemFilter{})
	if err != nil {
		return Version{}, err
	}
	v := Version{ListID: l.ID, Title: l.Title, Kind: l.Kind, Agency: l.Agency.Name, Number: number,
		PublishedAt: pv.PublishedAt, Record: pv, Layout: l.ColumnLayout()}
	for i := range revs {
		v.Items = append(v.Items, revs[i].Fields())
	}
	return v, nil
}

// Write writes the version in the format.
func Write(w io.Writer, f Format, v Version) error {
	layout, err := v.layout()
	if err != nil {
		return err
	}
	switch f {
	case XLSX:
		return writeXLSX(w, versionTable(layout, v))
	case CSV:
		return writeCSV(w, layout, v)
	case TSV:
		// The re-importable data format keeps the seed layout exactly: the
		// title, then the items. Its version's 文号 and 公布日期 are not in
		// it (a line for them would not read back); the file name names the
		// version, and the XLSX and CSV carry the record.
		// Into a buffer first: WriteTSV refuses items it cannot write
		// faithfully, and that refusal is for the user, unlike a write error.
		var buf bytes.Buffer
		if err := importer.WriteTSV(&buf, v.Title, layout, v.Items); err != nil {
			return apperr.New(apperr.Conflict, "第 %d 版无法按原清单格式导出为 TSV：%v", v.Number, err)
		}
		_, err := buf.WriteTo(w)
		return err
	}
	return apperr.New(apperr.Invalid, "清单不能导出为 %s", f)
}

// subtitle says which version a file holds.
func (v Version) subtitle() string {
	return fmt.Sprintf("%s　第 %d 版　%s", v.Agency, v.Number, Publication(v.Record))
}

// Publication cites how a version was published, as a list's heading does:
// its batch (集中调整), its 文号 and its 公布日期.
func Publication(v models.ListVersion) string {
	day := v.PublishedAt.In(models.China)
	if d, err := time.ParseInLocation(time.DateOnly, v.PublishDate, models.China); err == nil {
		day = d
	}
	parts := make([]string, 0, 3)
	for _, p := range []string{v.BatchName, v.DocNumber} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(append(parts, "公布于 "+day.Format("2006年1月2日")), "　")
}

// versionTable lays a version out in its layout's columns. A power list has
// no category column: like the seed, it gets a heading row per category.
func versionTable(l *importer.Layout, v Version) table {
	t := table{title: v.Title, subtitle: v.subtitle(), headers: l.Headers()}
	for _, c := range l.Columns {
		t.widths = append(t.widths, columnWidth(c))
	}
	heading := 0
	for i, it := range v.Items {
		if l.CategoryHeadings && (i == 0 || it.Category != v.Items[i-1].Category) {
			heading++
			t.rows = append(t.rows, row{heading: true, cells: []string{importer.ChineseNumber(heading) + "、" + it.Category}})
		}
		t.rows = append(t.rows, row{cells: plainRow(l, it)})
	}
	return t
}

// plainRow is an item's cells as readable text.
func plainRow(l *importer.Layout, it models.ItemFields) []string {
	cells := l.Row(it)
	for i, c := range cells {
		cells[i] = cellText(l.Columns[i].Field, c)
	}
	return cells
}

// cellText is a cell as readable text: the descriptive cells of a list mark
// their paragraphs with <p>, which become lines. Names and identifiers are
// plain text and stay exactly as they are, whatever characters they hold.
// Extra columns hold paragraphs, as the importer reads them.
func cellText(f models.Field, v string) string {
	if f.Paragraphs() {
		return basis.Text(v)
	}
	return v
}

// writeCSV writes a flat table in UTF-8 with a byte-order mark, which Excel
// needs to read Chinese text as UTF-8. Above the header, as in the XLSX, the
// list's title and the version with its 文号 and 公布日期, each a row as
// wide as the table (a strict CSV reader wants every row alike): the
// importer reads them as the title rows they are. A power list gets its
// category as a column, since a flat table has no headings.
func writeCSV(w io.Writer, l *importer.Layout, v Version) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	headers := l.Headers()
	if l.CategoryHeadings {
		headers = append([]string{"权力类型"}, headers...)
	}
	for _, text := range []string{v.Title, v.subtitle()} {
		row := make([]string, len(headers))
		row[0] = defuse(text)
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	if err := cw.Write(headers); err != nil {
		return err
	}
	for _, it := range v.Items {
		cells := plainRow(l, it)
		if l.CategoryHeadings {
			cells = append([]string{it.Category}, cells...)
		}
		for i := range cells {
			cells[i] = defuse(cells[i])
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse keeps a spreadsheet from reading a cell as a formula: a cell that
// starts with = + - @ (or a tab or carriage return, which some read past)
// gets a leading apostrophe, which shows the text as it is.
func defuse(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// columnWidth is a readable width, in characters, of a column: the field's,
// or for an extra column one that fits its header and a short value.
func columnWidth(c models.Column) float64 {
	if d, ok := c.Field.Def(); ok {
		return d.Width
	}
	return max(12, float64(utf8.RuneCountInString(c.Header))*2+2)
}
