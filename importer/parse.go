// Package importer reads county power lists as agencies keep them — XLSX,
// CSV/TSV (UTF-8 or GBK), Word tables (sources.go, table.go) — and the two
// seed text layouts (this file): the 9-column 权力清单 with category headings
// (Hongsibu) and the 13-column 权责清单 with a header before every item
// (Yutian). Read returns the items and a report of every quirk it met and
// what it did about it; load.go stores a parsed list.
package importer

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"qingdan/basis"
	"qingdan/codes"
	"qingdan/models"
)

// maxSize bounds the input: the seeds are ~60 KB; anything this large is not
// a county list.
const maxSize = 32 << 20

// Options adjust Parse, and Import.
type Options struct {
	Agency string      // agency (实施机关); overrides the title's
	Kind   string      // "power" or "duty"; overrides the title's
	Rule   *codes.Rule // code rule; nil means codes.Default
	Sheet  string      // the one worksheet of a workbook to read; "" every sheet
	// Mapping overrides the detected field of columns (Read, not the seed text layouts).
	Mapping []ColumnChoice
	// At is when Import takes the list in: its version 1's publication and
	// 公布日期, before which no later version may be dated. Zero is now.
	At time.Time
	// Record is the list's publication as the county made it (Import).
	Record Record
}

// Parsed is one list read from a file.
type Parsed struct {
	Title  string              `json:"title"`
	Agency string              `json:"agency"`
	Kind   string              `json:"kind"` // "power" (权力清单) or "duty" (权责清单)
	Layout *Layout             `json:"layout"`
	Items  []models.ItemFields `json:"items"`
	Lines  []int               `json:"lines"`            // source line of each item's first row
	Sheets []string            `json:"sheets,omitempty"` // worksheet of each item (workbooks)
	Report Report              `json:"report"`
	// Of tables read by Read: the format, the text encoding found, and the
	// columns of the (first) table with the field each was mapped to.
	Format   string         `json:"format,omitempty"`
	Encoding string         `json:"encoding,omitempty"`
	Columns  []SourceColumn `json:"columns,omitempty"`
}

// Parse reads a list in one of the seed layouts. A file that is not such a
// list returns a *ParseError naming the line.
func Parse(r io.Reader, opts Options) (*Parsed, error) {
	if opts.Kind != "" && opts.Kind != Power.Kind && opts.Kind != Duty.Kind {
		return nil, fmt.Errorf("importer: unknown kind %q (want %q or %q)", opts.Kind, Power.Kind, Duty.Kind)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("importer: read: %w", err)
	}
	if len(data) > maxSize {
		return nil, errorf(1, "文件超过%dMB，不是一份清单", maxSize>>20)
	}
	p := &parser{opts: opts, rule: codes.Default, cur: -1}
	if opts.Rule != nil {
		p.rule = *opts.Rule
	}
	if err := p.run(string(data)); err != nil {
		return nil, err
	}
	return p.result()
}

type parser struct {
	opts Options
	rule codes.Rule

	layout    *Layout
	title     string
	titleLine int

	category        string // current heading (power layout)
	headingLine     int
	headingItems    int
	headerLine      int // last header row
	rowsSinceHeader int // data and continuation rows since it

	items []models.ItemFields
	lines []int
	cur   int // item that continuation rows continue; -1 none

	lastRow int // last data or continuation row, for the truncation check

	report   Report
	anomItem []int // item index of each anomaly (-1 none); names are final only at the end
}

func (p *parser) run(text string) error {
	text = strings.TrimPrefix(text, "\uFEFF")
	if strings.TrimSpace(text) == "" {
		return errorf(1, "文件为空")
	}
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		n := i + 1
		if !utf8.ValidString(line) {
			return errorf(n, "不是有效的UTF-8文本（可能是二进制文件，或GBK等其他编码）")
		}
		if strings.ContainsRune(line, 0) {
			return errorf(n, "含有NUL字符，像是二进制文件")
		}
		if err := p.row(n, splitRow(strings.TrimSuffix(line, "\r"))); err != nil {
			return err
		}
	}
	return p.finish(len(lines))
}

func (p *parser) row(n int, cells []string) error {
	switch {
	case isBlank(cells):
		p.report.Skipped.BlankLines++
		return nil
	case isSeparator(cells):
		p.report.Skipped.SeparatorRows++
		p.anomaly(n, KindSeparatorSkipped, -1, "跳过由短横线组成的分隔行")
		return nil
	case cells[0] == "序号":
		return p.header(n, cells)
	}
	if text, ok := singleCell(cells); ok {
		if m := headingRE.FindStringSubmatch(text); m != nil {
			return p.heading(n, strings.TrimSpace(m[1]))
		}
		if p.title == "" && p.layout == nil && p.category == "" {
			p.title, p.titleLine = text, n
			return nil
		}
		return errorf(n, "无法识别的行“%s”：不是标题、类别标题、表头或事项", clipStart(text, 30))
	}
	if p.layout == nil {
		return errorf(n, "数据行出现在表头（序号 …）之前")
	}
	if cells[0] == "" {
		return p.continuation(n, cells)
	}
	return p.item(n, cells)
}

func (p *parser) header(n int, cells []string) error {
	l := matchHeader(cells)
	if l == nil {
		return errorf(n, "无法识别的表头“%s”：权力清单应为“%s”，权责清单应为“%s”",
			clipStart(strings.Join(cells, " "), 60), strings.Join(Power.Headers(), " "), strings.Join(Duty.Headers(), " "))
	}
	if p.layout != nil && p.layout != l {
		return errorf(n, "表头与前面的不同：一个文件不能混用权力清单和权责清单两种格式")
	}
	if !l.CategoryHeadings && p.category != "" {
		return errorf(n, "权责清单格式的权力类型在列中，不应有类别标题（第%d行“%s”）", p.headingLine, p.category)
	}
	p.layout = l
	p.report.Skipped.HeaderRows++
	p.headerLine, p.rowsSinceHeader = n, 0
	return nil
}

func (p *parser) heading(n int, category string) error {
	if p.layout != nil && !p.layout.CategoryHeadings {
		return errorf(n, "权责清单格式的权力类型在列中，不应有类别标题“%s”", category)
	}
	if p.category != "" && p.headingItems == 0 {
		p.anomaly(p.headingLine, KindEmptyCategory, -1, fmt.Sprintf("类别“%s”下没有事项", p.category))
	}
	p.category, p.headingLine, p.headingItems = category, n, 0
	p.cur = -1 // a continuation row cannot reach back into another category's table
	return nil
}

func (p *parser) align(n int, cells []string) (alignment, error) {
	if p.layout == Power {
		if len(cells) == 8 && p.rule.WellFormed(cells[3]) {
			return alignment{}, errorf(n, "这一行只有8列，基本编码却仍在第4列：缺少的是最后几列（文件可能被截断）")
		}
		if a, ok := alignPower(cells, p.rule); ok {
			return a, nil
		}
		return alignment{}, errorf(n, "这一行有%d列，权力清单应为9列（缺子项名称时8列）：文件可能被截断，或不是这种清单", len(cells))
	}
	a, ok := alignDuty(cells)
	if !ok {
		return alignment{}, errorf(n, "这一行有%d列，权责清单应为13列（部门职责重复时14列）：文件可能被截断，或不是这种清单", len(cells))
	}
	if a.ambiguous {
		return alignment{}, errorf(n, "部门职责与责任事项内容相同，而责任事项依据不含【层级】：这一行可能是部门职责重复又缺了一列，无法确定对齐方式")
	}
	return a, nil
}

func (p *parser) item(n int, cells []string) error {
	seq, err := strconv.Atoi(cells[0])
	if err != nil || seq <= 0 {
		return errorf(n, "序号“%s”不是正整数", clipStart(cells[0], 20))
	}
	if p.layout.CategoryHeadings && p.category == "" {
		return errorf(n, "事项出现在任何类别标题（如“一、行政处罚”）之前，无法确定权力类型")
	}
	a, err := p.align(n, cells)
	if err != nil {
		return err
	}
	it := models.ItemFields{Seq: seq}
	for i, c := range p.layout.Columns {
		if f := it.Ptr(c.Field); f != nil {
			*f = a.cells[i]
		}
	}
	if p.layout.CategoryHeadings {
		it.Category = p.category
	}
	p.items = append(p.items, it)
	p.lines = append(p.lines, n)
	p.cur = len(p.items) - 1
	p.headingItems++
	p.rowsSinceHeader++
	p.lastRow = n
	p.alignmentAnomalies(n, a, cells, false)
	return nil
}

func (p *parser) continuation(n int, cells []string) error {
	if p.cur < 0 {
		return errorf(n, "续行（序号为空）前面没有可接续的事项")
	}
	a, err := p.align(n, cells)
	if err != nil {
		return err
	}
	it := &p.items[p.cur]
	var parts []string
	for i, c := range p.layout.Columns {
		frag := a.cells[i]
		if frag == "" {
			continue
		}
		f := it.Ptr(c.Field)
		if f == nil || c.Field == models.FieldCode || c.Field == models.FieldCategory {
			return errorf(n, "续行的“%s”列有内容“%s”：编码、类型不会跨行，这一行无法接续", c.Header, clipStart(frag, 20))
		}
		prev := *f
		joined, how := joinContinuation(prev, frag)
		*f = joined
		parts = append(parts, describeJoin(c, prev, frag, how))
	}
	p.lastRow = n
	p.rowsSinceHeader++
	p.anomaly(n, KindContinuationMerged, p.cur, "续行（序号为空）接入上一事项："+strings.Join(parts, "；"))
	p.alignmentAnomalies(n, a, cells, true)
	return nil
}

func describeJoin(c Column, prev, frag string, how joinHow) string {
	s := fmt.Sprintf("%s“%s”接上“%s”", c.Header, clipEnd(prev, 12), clipStart(frag, 16))
	switch how {
	case joinInline:
		s += "（句子被分页断开，已并入末段）"
	case joinParagraphs:
		s += "（另起一段）"
	}
	if c.Field == models.FieldName {
		s = "名称被拆成两行，" + s
	}
	return s
}

func (p *parser) alignmentAnomalies(n int, a alignment, cells []string, cont bool) {
	what := "这一行"
	if cont {
		what = "这一续行"
	}
	if a.shifted {
		msg := fmt.Sprintf("%s缺少空的子项名称单元格，其后各列左移了一列", what)
		if code := a.cells[3]; code != "" {
			msg += fmt.Sprintf("（基本编码“%s”落在子项名称列）", code)
		} else if len(cells) == 8 {
			msg += "（只有8列）"
		}
		p.anomaly(n, KindShiftedRowRealigned, p.cur, msg+"：已按右移一列对齐，子项名称留空")
	}
	if a.noLevel {
		p.anomaly(n, KindMissingLevel, p.cur, fmt.Sprintf(
			"%s缺少实施层级及权限：该列写的是部门职责“%s”，与下一列相同。已把它作为部门职责，实施层级及权限留空，请补正", what, clipStart(cells[6], 16)))
	}
	if a.dupDuty {
		p.anomaly(n, KindDuplicateColumnDropped, p.cur, fmt.Sprintf(
			"%s的部门职责重复出现（第%d、%d列内容相同“%s”），已删去重复的第%d列", what, a.dropIndex, a.dropIndex+1, clipStart(cells[a.dropIndex], 16), a.dropIndex+1))
	}
}

func (p *parser) anomaly(line int, kind string, item int, msg string) {
	p.report.Anomalies = append(p.report.Anomalies, Anomaly{Line: line, Kind: kind, Message: msg})
	p.anomItem = append(p.anomItem, item)
}

func (p *parser) finish(nLines int) error {
	if p.layout == nil {
		return errorf(nLines, "没有找到表头（序号 …）：不是权力清单或权责清单")
	}
	if p.rowsSinceHeader == 0 {
		return errorf(p.headerLine, "表头后没有事项（文件可能被截断）")
	}
	if p.layout.CategoryHeadings && p.headingItems == 0 {
		return errorf(p.headingLine, "类别“%s”下没有事项（文件可能被截断）", p.category)
	}
	// A file cut inside a cell usually loses cells (caught above); cut inside
	// the last cell, an unclosed <p> in the last item may still show it.
	last := p.items[len(p.items)-1]
	for _, f := range models.TextFields {
		c := *last.Ptr(f)
		if strings.Count(c, "<p>")+strings.Count(c, "<p ") > strings.Count(c, "</p>") {
			return errorf(p.lastRow, "最后一个事项的%s中段落标记<p>没有闭合（文件可能在单元格中间被截断）", p.layout.Header(f))
		}
	}
	return nil
}

func (p *parser) result() (*Parsed, error) {
	out := &Parsed{Title: p.title, Layout: p.layout, Items: p.items, Lines: p.lines}
	out.Agency, out.Kind = titleParts(p.title)
	if out.Kind == "" {
		out.Kind = p.layout.Kind
	}
	if p.opts.Agency != "" {
		out.Agency = p.opts.Agency
	}
	if p.opts.Kind != "" {
		out.Kind = p.opts.Kind
	}
	if out.Agency == "" {
		return nil, errorf(max(p.titleLine, 1), "无法确定实施机关：缺少“某某局权力清单”或“某某局权责清单”这样的标题行")
	}
	for i := range out.Items {
		if f, problem := models.ItemTextProblem(out.Items[i]); problem != "" { // what the workflow would refuse
			return nil, errorf(p.lines[i], "“%s”%s", p.layout.Header(f), problem)
		}
		out.Items[i].Citations = basis.Parse(out.Items[i].Basis)
	}
	p.check(out.Items)
	for i := range p.report.Anomalies {
		if k := p.anomItem[i]; k >= 0 {
			a := &p.report.Anomalies[i]
			a.Category, a.Seq, a.Item = out.Items[k].Category, out.Items[k].Seq, out.Items[k].Name
		}
	}
	sort.SliceStable(p.report.Anomalies, func(i, j int) bool {
		return p.report.Anomalies[i].Line < p.report.Anomalies[j].Line
	})
	p.report.Counts = countCategories(out.Items)
	out.Report = p.report
	return out, nil
}

// titleParts reads agency and kind from a title like 红寺堡区医疗保障局权力清单
// or 于田县医疗保障局权责清单目录.
func titleParts(title string) (agency, kind string) {
	for _, k := range []struct{ word, kind string }{{"权责清单", Duty.Kind}, {"权力清单", Power.Kind}} {
		if i := strings.Index(title, k.word); i >= 0 {
			return strings.TrimSpace(title[:i]), k.kind
		}
	}
	return "", ""
}

func countCategories(items []models.ItemFields) []CategoryCount {
	var counts []CategoryCount
	idx := map[string]int{}
	for _, it := range items {
		i, ok := idx[it.Category]
		if !ok {
			i = len(counts)
			idx[it.Category] = i
			counts = append(counts, CategoryCount{Category: it.Category})
		}
		counts[i].Count++
	}
	return counts
}
