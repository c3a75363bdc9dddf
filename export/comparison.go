package export

import (
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"qingdan/diff"
	"qingdan/importer"
	"qingdan/models"
)

// Comparison is a revision comparison table (修订对照表): what each changed
// item was, what it became, and why — the document reviewers sign off.
type Comparison struct {
	Title    string // 红寺堡区医疗保障局权力清单修订对照表
	Subtitle string // which versions or which change request
	FileBase string // the downloaded file's name without extension
	Rows     []ComparisonRow
	At       time.Time // when the table was made
}

// ComparisonRow is one changed item: 序号, 事项名称, 修改前, 修改后, 修改理由, 备注.
type ComparisonRow struct {
	Seq    int
	Name   string
	Before Cell
	After  Cell
	Reason string
	Note   string
}

// Cell is the text of a 修改前 or 修改后 cell as runs, so a reviewer sees at
// a glance what a long legal basis lost or gained.
type Cell []Span

// Span is a run of a cell's text; Changed marks what the revision deleted
// (in 修改前) or inserted (in 修改后).
type Span struct {
	Text    string
	Changed bool
}

// Plain is a cell of unmarked text.
func Plain(text string) Cell { return Cell{{Text: text}} }

func (c Cell) String() string {
	var b strings.Builder
	for _, s := range c {
		b.WriteString(s.Text)
	}
	return b.String()
}

// add appends text, merging it into the last run when it is marked alike.
func (c Cell) add(text string, changed bool) Cell {
	if text == "" {
		return c
	}
	if n := len(c); n > 0 && c[n-1].Changed == changed {
		c[n-1].Text += text
		return c
	}
	return append(c, Span{Text: text, Changed: changed})
}

// ComparisonHeaders are the table's columns.
var ComparisonHeaders = []string{"序号", "事项名称", "修改前", "修改后", "修改理由", "备注"}

// Headers are the table's columns, for the page template.
func (Comparison) Headers() []string { return ComparisonHeaders }

// Why says why an item changed: the reason of the operation behind it and a
// remark for the 备注 column. An empty Note falls back to the kind of change.
type Why struct {
	Reason string
	Note   string
}

// ComparisonRows turns changes into rows. Before and after show the fields
// that changed, each as 【column header】text; an added or removed item shows
// all its fields. why[i] explains changes[i].
func ComparisonRows(l *importer.Layout, changes []diff.Change, why []Why) []ComparisonRow {
	rows := make([]ComparisonRow, 0, len(changes))
	for i, c := range changes {
		r := ComparisonRow{Seq: i + 1, Reason: why[i].Reason, Note: why[i].Note}
		if c.After != nil {
			r.Name = c.After.Name
		} else {
			r.Name = c.Before.Name
		}
		switch c.Kind {
		case diff.Added:
			r.Before, r.After = Plain("（无）"), Plain(describeItem(l, c.After.Fields()))
		case diff.Removed:
			r.Before, r.After = Plain(describeItem(l, c.Before.Fields())), Plain("（取消）")
		case diff.Merged: // the items merged before, the new one after: one row
			r.Before, r.After = Plain(describeItems(l, c.From)), Plain(describeItem(l, c.After.Fields()))
		case diff.Split:
			r.Before, r.After = Plain(describeItem(l, c.Before.Fields())), Plain(describeItems(l, c.Into))
		default:
			r.Before, r.After = redline(l, c.Fields)
		}
		if r.Note == "" {
			r.Note = models.ItemChangeLabels[c.Kind]
		}
		rows = append(rows, r)
	}
	return rows
}

// describeItems describes several items, each under its name: the sources
// of a 合并, the parts of a 分设.
func describeItems(l *importer.Layout, revs []*models.ItemRevision) string {
	parts := make([]string, 0, len(revs))
	for i, r := range revs {
		parts = append(parts, fmt.Sprintf("%d. %s\n%s", i+1, models.ItemTitle(r.Name, r.Subitem), describeItem(l, r.Fields())))
	}
	return strings.Join(parts, "\n\n")
}

// redline shows the changed fields under their headers, the deleted and
// inserted characters marked. diff.Fields compares the readable text, not
// the stored markup, so the marks fall on what the reader sees.
func redline(l *importer.Layout, fields []diff.Field) (before, after Cell) {
	for i, f := range fields {
		field := models.Field(f.Field)
		label := "【" + l.Header(field) + "】"
		if i > 0 {
			label = "\n" + label
		}
		before, after = before.add(label, false), after.add(label, false)
		b, a := f.Before, f.After
		if b == "" || a == "" {
			before, after = before.add(or(b, "（空）"), b != ""), after.add(or(a, "（空）"), a != "")
			continue
		}
		for _, seg := range f.Segments {
			if seg.Op != diff.Insert {
				before = before.add(seg.Text, seg.Op == diff.Delete)
			}
			if seg.Op != diff.Delete {
				after = after.add(seg.Text, seg.Op == diff.Insert)
			}
		}
	}
	return before, after
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// describeItem lists an item's non-empty fields in its layout's order,
// leaving out the 序号 (a table position) and the name (its own column).
func describeItem(l *importer.Layout, f models.ItemFields) string {
	var lines []string
	if l.CategoryHeadings {
		lines = append(lines, labelled(l, models.FieldCategory, f.Category))
	}
	for _, c := range l.Columns {
		if c.Field == models.FieldSeq || c.Field == models.FieldName {
			continue
		}
		if v := f.Get(c.Field); v != "" {
			lines = append(lines, labelled(l, c.Field, v))
		}
	}
	return strings.Join(lines, "\n")
}

// labelled is a field's value as readable text under its column's header.
func labelled(l *importer.Layout, f models.Field, value string) string {
	return "【" + l.Header(f) + "】" + or(cellText(f, value), "（空）")
}

// ListComparison compares two published versions of a list as a table. The
// reason of each row is that of the operation that gave the item its state in
// the later of the two versions (or removed it).
func ListComparison(ctx context.Context, store *models.Store, listID int64, from, to int) (Comparison, error) {
	res, err := diff.Versions(ctx, store, listID, from, to)
	if err != nil {
		return Comparison{}, err
	}
	l, ok := importer.LayoutFor(res.List.Kind)
	if !ok {
		return Comparison{}, fmt.Errorf("comparison of list %d: unknown kind %q", listID, res.List.Kind)
	}
	// The item's state in the later of the two versions; nil if removed by then.
	later := func(c diff.Change) *models.ItemRevision {
		if from <= to {
			return c.After
		}
		return c.Before
	}
	var opIDs, removed []int64
	for _, c := range res.Changes {
		switch state := later(c); {
		case state == nil:
			removed = append(removed, c.ItemID)
		case state.OperationID != nil:
			opIDs = append(opIDs, *state.OperationID)
		}
	}
	ops, err := store.OperationsByID(ctx, opIDs)
	if err != nil {
		return Comparison{}, err
	}
	removals, err := store.Removals(ctx, listID, removed)
	if err != nil {
		return Comparison{}, err
	}
	why := make([]Why, len(res.Changes))
	for i, c := range res.Changes {
		var op models.Operation
		var version int
		if state := later(c); state != nil {
			version = state.ValidFrom
			if state.OperationID != nil {
				op = ops[*state.OperationID]
			}
		} else {
			version = removals[c.ItemID].Version
			if o := removals[c.ItemID].Operation; o != nil {
				op = *o
			}
		}
		note := models.ItemChangeLabels[c.Kind]
		if label, ok := models.OpLabels[op.Op]; ok && from < to && models.KindOf(op.Op) == c.Kind {
			note = label // 列入 rather than 增加, when the one operation explains the change
		}
		why[i] = Why{Reason: reasonOf(op), Note: fmt.Sprintf("%s（第 %d 版）", note, version)}
	}
	// The later version is cited by its publication (文号, 公布日期).
	pub, err := store.Version(ctx, listID, max(from, to))
	if err != nil {
		return Comparison{}, err
	}
	subtitle := fmt.Sprintf("第 %d 版 → 第 %d 版（第 %d 版%s）", from, to, max(from, to), Publication(pub))
	return Comparison{
		Title:    res.List.Title + "修订对照表",
		Subtitle: subtitle,
		FileBase: fmt.Sprintf("%s修订对照表-第%d版至第%d版", res.List.Title, from, to),
		Rows:     ComparisonRows(l, res.Changes, why),
		At:       time.Now(),
	}, nil
}

// WriteComparison writes the table as XLSX or as a printable HTML page.
func WriteComparison(w io.Writer, f Format, c Comparison) error {
	switch f {
	case XLSX:
		t := table{title: c.Title, subtitle: c.Subtitle, headers: ComparisonHeaders, widths: []float64{6, 26, 50, 50, 30, 16},
			struck: map[int]bool{2: true}}
		for _, r := range c.Rows {
			t.rows = append(t.rows, row{cells: []string{fmt.Sprint(r.Seq), r.Name, r.Before.String(), r.After.String(), r.Reason, r.Note},
				marked: map[int]Cell{2: r.Before, 3: r.After}})
		}
		return writeXLSX(w, t)
	case HTML:
		return comparisonPage.Execute(w, c)
	}
	return fmt.Errorf("comparison table: unsupported format %q", f)
}

//go:embed comparison.html
var comparisonHTML string

// comparisonPage is rendered with html/template: every value from the data
// is escaped in its context, none is ever written as HTML.
var comparisonPage = template.Must(template.New("comparison").Funcs(template.FuncMap{
	"date": func(t time.Time) string { return t.In(models.China).Format("2006年1月2日 15:04") },
}).Parse(comparisonHTML))
