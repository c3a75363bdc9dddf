package importer

import (
	"bytes"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"qingdan/basis"
	"qingdan/codes"
	"qingdan/models"
)

// Anomaly kinds of tables in any layout.
const (
	// The header was matched to fields by their synonyms; the mapping is shown.
	KindHeaderMapped = "header_mapped"
	// A row carrying only a category (一、行政处罚) set the category of the rows below.
	KindCategoryHeading = "category_heading"
	// The sheet's name gave the category of its rows.
	KindSheetCategory = "sheet_category"
	// A row carrying only a name (a department, 市司法局) was skipped.
	KindGroupRow = "group_row"
	// A 主项 row whose 子项 follow was not imported as an item; its name
	// became the 子项 rows' name.
	KindMainItemRow = "main_item_row"
	// A 子项 row with its 事项名称 left blank took the name of the item above
	// (a merged 主项 cell saved as CSV keeps its text in the first row only).
	KindNameFilled = "name_filled"
	// 子项名称 written as 无 or / was read as none.
	KindSubitemNone = "subitem_none"
	// 序号 is missing, hierarchical (5-1, 3.1) or does not start at 1.
	KindSeqNumbering = "seq_numbering"
	// A sheet without a list header was skipped.
	KindSheetSkipped = "sheet_skipped"
	// A row above the header was read as the list's title (or its agency).
	KindTitleRow = "title_row"
	// Rows of blank cells past the end of a table were ignored.
	KindTrailingIgnored = "trailing_ignored"
)

// ColumnChoice maps a column of the source, by index from 0, to a field:
// a field name, "" to keep the column as an extra, "-" to ignore it.
type ColumnChoice struct {
	Index int    `json:"index"`
	Field string `json:"field"`
}

// Ignore is the ColumnChoice field of a column to leave out.
const Ignore = "-"

// SourceColumn is a column of the source table as the importer read it.
type SourceColumn struct {
	Index  int    `json:"index"`
	Header string `json:"header"`
	Field  string `json:"field"` // "" extra, "-" ignored
	Score  int    `json:"score"` // how well the header matched the field (0: chosen by hand or none)
}

// Read reads a list from a file: an .xlsx workbook, a .docx document's
// tables, CSV or TSV text (UTF-8 or GB18030), or the seeds' text layouts.
// name is the file's name (for its extension); the format is found from the
// content. Old Office formats and PDF are refused with what to do instead.
func Read(name string, data []byte, opts Options) (*Parsed, error) {
	format, err := sniff(name, data)
	if err != nil {
		return nil, err
	}
	var sheets []sheet
	encoding := ""
	switch format {
	case FormatXLSX:
		sheets, err = readXLSX(data, opts.Sheet)
	case FormatDOCX:
		var sh sheet
		sh, err = readDOCX(data)
		sheets = []sheet{sh}
	case FormatCSV, FormatTSV:
		if format == FormatTSV && isSeedText(data) && opts.Mapping == nil {
			p, err := Parse(bytes.NewReader(data), opts)
			if p != nil {
				p.Format, p.Encoding = FormatText, EncodingUTF8
				for i, c := range p.Layout.Columns {
					p.Columns = append(p.Columns, SourceColumn{Index: i, Header: c.Header, Field: string(c.Field)})
				}
			}
			return p, err
		}
		var sh sheet
		if format == FormatCSV {
			sh, encoding, err = readDelimited("", data, ',')
		} else {
			sh, encoding, err = readTabs(data)
		}
		sheets = []sheet{sh}
	}
	if err != nil {
		return nil, err
	}
	p, err := parseSheets(sheets, opts)
	if err != nil {
		return nil, err
	}
	p.Format, p.Encoding = format, encoding
	return p, nil
}

// isSeedText: the text holds a header row of a seed layout, as the seeds
// and WriteTSV write it.
func isSeedText(data []byte) bool {
	for _, l := range Layouts {
		if bytes.Contains(data, []byte("\n"+strings.Join(l.Headers(), "\t"))) {
			return true
		}
	}
	return false
}

// readTabs reads tab-separated text line by line: unlike CSV it has no
// quoting, and its cells keep paragraphs as <p> markup.
func readTabs(data []byte) (sheet, string, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return sheet{}, "", err
	}
	var sh sheet
	for i, line := range strings.Split(text, "\n") {
		cells := splitRow(strings.TrimSuffix(line, "\r"))
		if isBlank(cells) {
			continue
		}
		if len(sh.rows) >= maxRows {
			return sh, enc, errorf(i+1, "超过 %d 行，不像是一份清单", maxRows)
		}
		if err := checkCells("", i+1, cells); err != nil {
			return sh, enc, err
		}
		sh.rows = append(sh.rows, srow{num: i + 1, cells: cells})
	}
	return sh, enc, nil
}

// tableParser reads sheets in any column layout.
type tableParser struct {
	opts    Options
	layout  *models.Layout
	columns []SourceColumn // of the first table, for the preview
	title   string
	agency  string

	items      []models.ItemFields
	lines      []int
	itemSheets []string
	report     Report
	anomItem   []int
}

func (t *tableParser) anomaly(sheetName string, line int, kind string, item int, msg string) {
	t.report.Anomalies = append(t.report.Anomalies, Anomaly{Sheet: sheetName, Line: line, Kind: kind, Message: msg})
	t.anomItem = append(t.anomItem, item)
}

// parseSheets finds the list table in each sheet and reads its items.
func parseSheets(sheets []sheet, opts Options) (*Parsed, error) {
	t := &tableParser{opts: opts}
	var firstErr error
	found := 0
	for _, sh := range sheets {
		err := t.sheet(sh)
		if err == nil {
			found++
			continue
		}
		if pe, ok := err.(*ParseError); ok && pe.Msg == errNoHeader && len(sheets) > 1 {
			if t.title == "" {
				t.titleRows(sh.name, sh.rows[:min(len(sh.rows), 5)]) // a cover sheet's title
			}
			t.anomaly(sh.name, 0, KindSheetSkipped, -1, fmt.Sprintf("工作表“%s”中没有清单的表头，已跳过", sh.name))
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		return nil, err
	}
	if found == 0 {
		if firstErr == nil {
			firstErr = errorf(0, "文件中没有表格")
		}
		return nil, firstErr
	}
	if len(t.items) == 0 {
		return nil, errorf(0, "找到了表头，但表头下没有事项")
	}
	return t.result()
}

const errNoHeader = "没有找到清单的表头：清单应有“序号”“事项名称”（或职权名称、权力名称等）“权力类型”“设定依据”等列"

// nearMissWords mark tables that look like lists but are not: legal-review
// catalogues (法制审核目录) and discretion benchmarks (裁量基准).
var nearMissWords = []string{"审核事项", "审核内容", "裁量", "违法事实"}

// headerAt finds the header in the first rows: the first row that names an
// item's name and at least two other fields.
func (t *tableParser) headerAt(sh sheet) (int, error) {
	for i, r := range sh.rows {
		if i >= 40 {
			break
		}
		for _, c := range r.cells {
			for _, w := range nearMissWords {
				if strings.Contains(models.NormalizeHeader(c), w) {
					return 0, sheetErrorf(sh.name, r.num, "表头“%s”像是法制审核目录或行政裁量基准，不是权力清单或权责清单", clipStart(c, 20))
				}
			}
		}
		m := matchColumns(headerTexts(r.cells, nil))
		if m.has(models.FieldName) && m.count() >= 3 {
			return i, nil
		}
	}
	return 0, sheetErrorf(sh.name, 0, errNoHeader)
}

// headerTexts are the normalised header texts of one or two header rows:
// the lower row's text where it differs from the parent above it.
func headerTexts(top, sub []string) []string {
	out := make([]string, max(len(top), len(sub)))
	for i := range out {
		a, b := cell(top, i), cell(sub, i)
		out[i] = models.NormalizeHeader(a)
		if b != "" && b != a {
			out[i] = models.NormalizeHeader(b)
		}
	}
	return out
}

func cell(cells []string, i int) string {
	if i < len(cells) {
		return strings.TrimSpace(cells[i])
	}
	return ""
}

// isSubHeader: the row under the header is its second row — its cells
// repeat the header above (merged down) or name fields, and at least one
// names a field the header row does not.
func isSubHeader(top, sub []string) bool {
	news := 0
	for i := range max(len(top), len(sub)) {
		a, b := cell(top, i), cell(sub, i)
		switch {
		case b == "" || b == a:
		case exactField(models.NormalizeHeader(b)) != "":
			news++
		default:
			return false
		}
	}
	return news > 0
}

// columnMatch is the best-scoring mapping of header texts to fields.
type columnMatch struct {
	field []models.Field // per column; "" none
	score []int
}

func (m columnMatch) has(f models.Field) bool {
	for _, g := range m.field {
		if g == f {
			return true
		}
	}
	return false
}

func (m columnMatch) count() int {
	n := 0
	for _, f := range m.field {
		if f != "" {
			n++
		}
	}
	return n
}

// headerScore: how well a header names a field — an exact synonym scores
// highest (earlier, more specific synonyms more), one contained in a longer
// header less, by its length.
func headerScore(h string, d models.FieldDef) int {
	best := 0
	for i, syn := range d.Synonyms {
		switch {
		case h == syn:
			best = max(best, 100-i)
		case strings.Contains(h, syn) && utf8.RuneCountInString(syn) >= 2:
			best = max(best, 10+utf8.RuneCountInString(syn))
		}
	}
	return best
}

func exactField(h string) models.Field {
	for _, d := range models.FieldDefs {
		if headerScore(h, d) >= 50 {
			return d.Name
		}
	}
	return ""
}

// matchColumns assigns each field to at most one column, best scores first.
func matchColumns(headers []string) columnMatch {
	type cand struct{ col, score, def int }
	var cands []cand
	for c, h := range headers {
		if h == "" {
			continue
		}
		for k, d := range models.FieldDefs {
			if s := headerScore(h, d); s > 0 {
				cands = append(cands, cand{c, s, k})
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	m := columnMatch{field: make([]models.Field, len(headers)), score: make([]int, len(headers))}
	taken := map[models.Field]bool{}
	for _, c := range cands {
		f := models.FieldDefs[c.def].Name
		if m.field[c.col] != "" || taken[f] {
			continue
		}
		m.field[c.col], m.score[c.col], taken[f] = f, c.score, true
	}
	return m
}

var (
	hierSeqRE  = regexp.MustCompile(`^(\d+)\s*[-－—.．]\s*(\d+)$`)
	mainItemRE = regexp.MustCompile(`[（(]\s*含\s*\d+\s*个子项\s*[)）]`)
	noneValues = map[string]bool{"无": true, "/": true, "／": true, "—": true, "-": true, "——": true}
)

// sheetState is what the rows of one sheet carry down to the rows below.
type sheetState struct {
	name      string
	cols      []SourceColumn
	byField   map[models.Field]int
	headerRow []string
	category  string // from the latest heading row or the sheet's name
	mainName  string // 主项 of the 子项 rows that follow
	mainSeq   int
	lastSeq   int
}

func (t *tableParser) sheet(sh sheet) error {
	hi, err := t.headerAt(sh)
	if err != nil {
		return err
	}
	t.titleRows(sh.name, sh.rows[:hi])
	top := sh.rows[hi].cells
	var sub []string
	start := hi + 1
	if start < len(sh.rows) && isSubHeader(top, sh.rows[start].cells) {
		sub = sh.rows[start].cells
		t.anomaly(sh.name, sh.rows[start].num, KindHeaderMapped, -1, "表头占两行：下一行的列名（如主项、子项）取代其上合并的列名")
		start++
	}
	st := &sheetState{name: sh.name, headerRow: top}
	for _, r := range sh.rows[:hi] { // a category heading above the first header
		if text, ok := oneText(r.cells); ok {
			if m := headingRE.FindStringSubmatch(text); m != nil && isPowerType(m[1]) {
				st.category = strings.TrimSpace(m[1])
			}
		}
	}
	texts := headerTexts(top, sub)
	m := matchColumns(texts)
	for i, h := range texts {
		if h == "" {
			continue
		}
		sc := SourceColumn{Index: i, Header: displayHeader(top, sub, i), Field: string(m.field[i]), Score: m.score[i]}
		st.cols = append(st.cols, sc)
	}
	if err := t.applyMapping(st); err != nil {
		return sheetErrorf(sh.name, sh.rows[hi].num, "%v", err)
	}
	if t.columns == nil {
		t.columns = st.cols
	}
	t.mergeLayout(st)
	var mapped []string
	for _, c := range st.cols {
		switch c.Field {
		case "":
			mapped = append(mapped, c.Header+"→（附加列）")
		case Ignore:
			mapped = append(mapped, c.Header+"→（不导入）")
		default:
			mapped = append(mapped, c.Header+"→"+t.layout.Header(models.Field(c.Field)))
		}
	}
	t.anomaly(sh.name, sh.rows[hi].num, KindHeaderMapped, -1, "表头按同义词对应到字段："+strings.Join(mapped, "，"))
	if _, hasCat := st.byField[models.FieldCategory]; !hasCat && st.category == "" {
		if c, ok := codes.Default.Canonical(strings.TrimSpace(sh.name)); ok || isPowerType(sh.name) {
			st.category = or(c, strings.TrimSpace(sh.name))
			t.anomaly(sh.name, 0, KindSheetCategory, -1, fmt.Sprintf("工作表名“%s”作为其中事项的权力类型", sh.name))
		}
	}
	n := len(t.items)
	for _, r := range sh.rows[start:] {
		if err := t.row(st, r); err != nil {
			return err
		}
	}
	if len(t.items) == n {
		return sheetErrorf(sh.name, sh.rows[hi].num, "表头下没有事项（文件可能被截断）")
	}
	t.checkNumbering(st, n)
	if sh.endedAt > 0 {
		t.anomaly(sh.name, sh.endedAt, KindTrailingIgnored, -1, fmt.Sprintf("第 %d 行以下连续 %d 行以上为空，其后的内容没有读取", sh.endedAt, maxBlankRun))
	}
	return nil
}

// displayHeader is a column's header as a person reads it: the lower row's
// text under a parent (主项 under 项目名称), line breaks removed.
func displayHeader(top, sub []string, i int) string {
	a, b := models.NormalizeHeader(cell(top, i)), models.NormalizeHeader(cell(sub, i))
	if b != "" && b != a {
		return b
	}
	return a
}

// applyMapping applies the columns chosen by hand over the detected ones.
func (t *tableParser) applyMapping(st *sheetState) error {
	for _, ch := range t.opts.Mapping {
		k := -1
		for i, c := range st.cols {
			if c.Index == ch.Index {
				k = i
			}
		}
		if k < 0 {
			return fmt.Errorf("没有第 %d 列", ch.Index+1)
		}
		if ch.Field != "" && ch.Field != Ignore && (!models.Field(ch.Field).Known() || ch.Field == string(models.FieldExtra)) {
			return fmt.Errorf("“%s”不是事项的字段", ch.Field)
		}
		if st.cols[k].Field != ch.Field { // chosen by hand: no score
			st.cols[k].Field, st.cols[k].Score = ch.Field, 0
		}
	}
	st.byField = map[models.Field]int{}
	seen := map[string]bool{}
	for i, c := range st.cols {
		if c.Field == "" || c.Field == Ignore {
			if c.Field == "" {
				// Extra columns are kept by header; a repeated header gets a number.
				h := c.Header
				for k := 2; seen[h]; k++ {
					h = fmt.Sprintf("%s（%d）", c.Header, k)
				}
				seen[h], st.cols[i].Header = true, h
			}
			continue
		}
		f := models.Field(c.Field)
		if j, dup := st.byField[f]; dup {
			return fmt.Errorf("“%s”和“%s”两列都对应到%s：一个字段只能来自一列", st.cols[j].Header, c.Header, t.fieldLabel(f))
		}
		st.byField[f] = i
	}
	if _, ok := st.byField[models.FieldName]; !ok {
		return fmt.Errorf("没有一列对应到事项名称")
	}
	return nil
}

func (t *tableParser) fieldLabel(f models.Field) string {
	d, _ := f.Def()
	return d.Label
}

// mergeLayout adds the sheet's columns to the list's layout: the first
// table's columns, then any a later sheet adds.
func (t *tableParser) mergeLayout(st *sheetState) {
	if t.layout == nil {
		t.layout = &models.Layout{}
	}
	for _, c := range st.cols {
		if c.Field == Ignore {
			continue
		}
		col := models.Column{Header: c.Header, Field: models.Field(c.Field)}
		dup := false
		for _, have := range t.layout.Columns {
			dup = dup || (col.Field != "" && have.Field == col.Field) || (col.Field == "" && have.Field == "" && have.Header == col.Header)
		}
		if !dup {
			t.layout.Columns = append(t.layout.Columns, col)
		}
	}
}

// titleRows reads the rows above the first header: the list's title and,
// from it or a 报送单位 line, the agency.
func (t *tableParser) titleRows(sheetName string, rows []srow) {
	for _, r := range rows {
		text, ok := oneText(r.cells)
		if !ok {
			text = strings.Join(nonEmpty(r.cells), " ")
		}
		text = strings.Join(strings.Fields(text), "")
		if i := strings.Index(text, "报送单位"); i >= 0 && t.agency == "" {
			rest := strings.TrimLeft(text[i+len("报送单位"):], ":：")
			if j := strings.IndexAny(rest, " 报"); j > 0 {
				rest = rest[:j]
			}
			t.agency = rest
			t.anomaly(sheetName, r.num, KindTitleRow, -1, fmt.Sprintf("表头上方的“%s”作为实施机关", rest))
			continue
		}
		if t.title == "" && (strings.Contains(text, "清单") || strings.Contains(text, "目录") || strings.Contains(text, "事项")) {
			t.title = text
			t.anomaly(sheetName, r.num, KindTitleRow, -1, fmt.Sprintf("表头上方的“%s”作为清单标题", clipStart(text, 40)))
		}
	}
}

// oneText returns the text of a row whose non-empty cells all hold the same
// text: one cell, or a cell merged across the row.
func oneText(cells []string) (string, bool) {
	text := ""
	for _, c := range cells {
		c = strings.TrimSpace(c)
		switch {
		case c == "":
		case text == "":
			text = c
		case c != text:
			return "", false
		}
	}
	return text, text != ""
}

func nonEmpty(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// powerTypeWords end the power types lists use besides the ten of the code
// rule (行政监督, 行政指导, 公共服务, 其他行政权力-备案 …).
var powerTypeWords = []string{"行政", "权力", "公共服务", "其他"}

// isPowerType: a short text that names a power type.
func isPowerType(s string) bool {
	s = strings.TrimSpace(s)
	if _, ok := codes.Default.Canonical(s); ok {
		return true
	}
	if utf8.RuneCountInString(s) > 12 || strings.ContainsAny(s, "（(：:") {
		return false
	}
	for _, w := range powerTypeWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func (t *tableParser) row(st *sheetState, r srow) error {
	cells := r.cells
	if equalCells(cells, st.headerRow) {
		t.report.Skipped.HeaderRows++
		return nil // the header repeated (on every page of a printed table)
	}
	if isSeparator(cells) {
		t.report.Skipped.SeparatorRows++
		return nil
	}
	get := func(f models.Field) string {
		if i, ok := st.byField[f]; ok {
			return strings.TrimSpace(cell(cells, st.cols[i].Index))
		}
		return ""
	}
	if text, ok := oneText(cells); ok && (get(models.FieldSeq) == "" || get(models.FieldSeq) == text) {
		return t.lineRow(st, r, text)
	}
	seqText := get(models.FieldSeq)
	name := plainText(get(models.FieldName))
	if name == "" && get(models.FieldSubitem) == "" {
		t.anomaly(st.name, r.num, KindGroupRow, -1, fmt.Sprintf("这一行没有事项名称（“%s”），已跳过", clipStart(strings.Join(nonEmpty(cells), " "), 30)))
		return nil
	}
	it := models.ItemFields{}
	for i, c := range st.cols {
		v := cell(cells, c.Index)
		switch {
		case c.Field == Ignore || c.Field == string(models.FieldSeq):
		case c.Field == "":
			if v != "" {
				if it.Extra == nil {
					it.Extra = map[string]string{}
				}
				it.Extra[st.cols[i].Header] = basis.Markup(v)
			}
		case models.Field(c.Field).Paragraphs():
			*it.Ptr(models.Field(c.Field)) = basis.Markup(v)
		default:
			*it.Ptr(models.Field(c.Field)) = plainText(v)
		}
	}
	if mainItemRE.MatchString(it.Name) {
		st.mainName = strings.TrimSpace(mainItemRE.ReplaceAllString(it.Name, ""))
		st.mainSeq, _ = strconv.Atoi(seqText)
		t.anomaly(st.name, r.num, KindMainItemRow, -1, fmt.Sprintf("“%s”是主项行，其下各子项作为事项导入，名称为“%s”", clipStart(it.Name, 30), st.mainName))
		return nil
	}
	idx := len(t.items)
	it.Seq = t.seq(st, r, seqText, &it, idx)
	if it.Name == "" {
		k := len(t.items) - 1
		if k < 0 || t.itemSheets[k] != st.name {
			return sheetErrorf(st.name, r.num, "这一行只有子项名称“%s”，没有事项名称，上方也没有可沿用的主项", clipStart(it.Subitem, 30))
		}
		it.Name = t.items[k].Name
		t.anomaly(st.name, r.num, KindNameFilled, idx, fmt.Sprintf("事项名称为空，沿用上一事项的名称“%s”", clipStart(it.Name, 30)))
	}
	if it.Subitem != "" && noneValues[it.Subitem] {
		t.anomaly(st.name, r.num, KindSubitemNone, idx, fmt.Sprintf("子项名称写作“%s”，按“无子项”读入（留空）", it.Subitem))
		it.Subitem = ""
	}
	if it.Category == "" {
		it.Category = st.category
	}
	if it.Category == "" {
		return sheetErrorf(st.name, r.num, "无法确定权力类型：表中没有“权力类型”一列，事项前也没有“一、行政处罚”这样的类别行%s", map[bool]string{true: "，工作表名也不是权力类型", false: ""}[st.name != ""])
	}
	t.items = append(t.items, it)
	t.lines = append(t.lines, r.num)
	t.itemSheets = append(t.itemSheets, st.name)
	return nil
}

// lineRow reads a row with one text across it: a category heading, a
// department's group row, or text after the table.
func (t *tableParser) lineRow(st *sheetState, r srow, text string) error {
	if m := headingRE.FindStringSubmatch(text); m != nil {
		text = strings.TrimSpace(m[1])
	}
	if isPowerType(text) {
		if _, hasCat := st.byField[models.FieldCategory]; !hasCat {
			st.category = text
			t.anomaly(st.name, r.num, KindCategoryHeading, -1, fmt.Sprintf("类别行“%s”作为以下事项的权力类型", text))
			return nil
		}
	}
	t.anomaly(st.name, r.num, KindGroupRow, -1, fmt.Sprintf("只有一段文字的行“%s”（部门或分组名称）已跳过", clipStart(text, 30)))
	return nil
}

// seq reads the 序号: a number, or a 子项's 5-1 / 3.1 under its 主项 row,
// which stops being an item when it has nothing but a name.
func (t *tableParser) seq(st *sheetState, r srow, text string, it *models.ItemFields, idx int) int {
	if _, ok := st.byField[models.FieldSeq]; !ok {
		st.lastSeq++
		return st.lastSeq
	}
	if text == "" && st.mainName != "" { // a 子项 row under its 主项 row
		if it.Name == "" {
			it.Name = st.mainName
		}
		return st.mainSeq
	}
	if n, err := strconv.Atoi(text); err == nil && n > 0 {
		if n != st.mainSeq {
			st.mainName, st.mainSeq = "", 0
		}
		st.lastSeq = n
		if st.mainName != "" && it.Name == "" {
			it.Name = st.mainName
		}
		return n
	}
	if m := hierSeqRE.FindStringSubmatch(text); m != nil {
		main, _ := strconv.Atoi(m[1])
		if st.mainSeq != main {
			t.adoptMain(st, main)
		}
		if st.mainName != "" {
			_, hasSub := st.byField[models.FieldSubitem]
			switch {
			case !hasSub && it.Name != st.mainName:
				it.Subitem, it.Name = it.Name, st.mainName
			case it.Name == "":
				it.Name = st.mainName
			}
		}
		t.anomaly(st.name, r.num, KindSeqNumbering, idx, fmt.Sprintf("序号“%s”是第 %d 项的子项，序号记为 %d", text, main, main))
		st.lastSeq = main
		return main
	}
	st.lastSeq++
	msg := "序号为空"
	if text != "" {
		msg = fmt.Sprintf("序号“%s”不是数字", clipStart(text, 12))
	}
	t.anomaly(st.name, r.num, KindSeqNumbering, idx, fmt.Sprintf("%s，按顺序记为 %d", msg, st.lastSeq))
	return st.lastSeq
}

// adoptMain makes the item numbered main the 主项 of the 子项 rows that
// follow; an item with nothing but its name is a heading, not an item.
func (t *tableParser) adoptMain(st *sheetState, main int) {
	st.mainName, st.mainSeq = "", main
	k := len(t.items) - 1
	if k < 0 || t.items[k].Seq != main || t.itemSheets[k] != st.name {
		return
	}
	last := t.items[k]
	st.mainName = last.Name
	bare := last
	bare.Name, bare.Category = "", ""
	if bare.Get(models.FieldExtra) == "" && isEmptyItem(bare) {
		t.items, t.lines, t.itemSheets = t.items[:k], t.lines[:k], t.itemSheets[:k]
		for i := range t.anomItem {
			if t.anomItem[i] == k {
				t.anomItem[i] = -1
			}
		}
		t.anomaly(st.name, 0, KindMainItemRow, -1, fmt.Sprintf("第 %d 项“%s”只有名称、其下有子项，作为主项而不作为事项导入", main, clipStart(last.Name, 30)))
	}
}

func isEmptyItem(it models.ItemFields) bool {
	for _, f := range models.TextFields {
		if it.Get(f) != "" {
			return false
		}
	}
	return true
}

// checkNumbering reports numbering that does not count 1, 2, 3 … within the
// sheet or within each category: global numbering (1177 …) is kept as written.
func (t *tableParser) checkNumbering(st *sheetState, from int) {
	if _, ok := st.byField[models.FieldSeq]; !ok || from >= len(t.items) {
		return
	}
	first := t.items[from]
	if first.Seq > 1 {
		t.anomaly(st.name, t.lines[from], KindSeqNumbering, from, fmt.Sprintf("序号从 %d 开始（沿用更大清单的编号），已照原样保留", first.Seq))
	}
}

// plainText is a plain field's text: a line break in a name is where the
// cell wrapped, not a paragraph.
func plainText(v string) string {
	if !strings.ContainsAny(v, "\r\n") {
		return strings.TrimSpace(v)
	}
	var b strings.Builder
	for _, line := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' }) {
		b.WriteString(strings.TrimSpace(line))
	}
	return b.String()
}

func equalCells(a, b []string) bool {
	for i := range max(len(a), len(b)) {
		if models.NormalizeHeader(cell(a, i)) != models.NormalizeHeader(cell(b, i)) {
			return false
		}
	}
	return true
}

// parseCitations parses every item's legal basis, on every core: a
// county's workbook has 12,000 of them, and on a loaded machine two threads
// also get twice the CPU time of one.
func parseCitations(items []models.ItemFields) {
	per := max(1, (len(items)+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for start := 0; start < len(items); start += per {
		part := items[start:min(start+per, len(items))]
		wg.Go(func() {
			for i := range part {
				part[i].Citations = basis.Parse(part[i].Basis)
			}
		})
	}
	wg.Wait()
}

func (t *tableParser) result() (*Parsed, error) {
	out := &Parsed{Title: t.title, Layout: t.layout, Items: t.items, Lines: t.lines, Sheets: t.itemSheets, Columns: t.columns}
	out.Agency, out.Kind = titleAgency(t.title), ""
	if t.agency != "" {
		out.Agency = t.agency
	}
	switch {
	case t.opts.Kind != "":
		out.Kind = t.opts.Kind
	case strings.Contains(t.title, "权责") || strings.Contains(t.title, "责任清单") ||
		t.layout.Has(models.FieldResponsibility) || t.layout.Has(models.FieldAccountability):
		out.Kind = models.KindDuty
	default:
		out.Kind = models.KindPower
	}
	if t.opts.Agency != "" {
		out.Agency = t.opts.Agency
	}
	if out.Agency == "" {
		return nil, errorf(0, "无法确定实施机关：表格上方没有“某某局权力清单”这样的标题，请指定部门")
	}
	if out.Title == "" || !strings.Contains(out.Title, out.Agency) {
		out.Title = out.Agency + models.KindLabels[out.Kind]
	}
	t.layout.Kind = out.Kind
	t.layout.CategoryHeadings = !t.layout.Has(models.FieldCategory)
	t.addFilledColumns()
	parseCitations(out.Items)
	// The content checks of the seed parser: codes, categories, citations.
	p := &parser{rule: codes.Default, layout: t.layout, lines: t.lines, report: t.report, anomItem: t.anomItem}
	if t.opts.Rule != nil {
		p.rule = *t.opts.Rule
	}
	p.checkCategoriesAndCodes(out.Items)
	p.checkCitations(out.Items)
	t.report, t.anomItem = p.report, p.anomItem
	for i := range t.report.Anomalies {
		a := &t.report.Anomalies[i]
		if k := t.anomItem[i]; k >= 0 && k < len(out.Items) {
			a.Category, a.Seq, a.Item, a.Position = out.Items[k].Category, out.Items[k].Seq, out.Items[k].Name, k+1
			a.Sheet = t.itemSheets[k]
		}
	}
	sheetOrder := map[string]int{}
	for _, s := range t.itemSheets {
		if _, ok := sheetOrder[s]; !ok {
			sheetOrder[s] = len(sheetOrder)
		}
	}
	sort.SliceStable(t.report.Anomalies, func(i, j int) bool {
		a, b := t.report.Anomalies[i], t.report.Anomalies[j]
		if a.Sheet != b.Sheet {
			return sheetOrder[a.Sheet] < sheetOrder[b.Sheet]
		}
		return a.Line < b.Line
	})
	t.report.Counts = countCategories(out.Items)
	out.Report = t.report
	return out, nil
}

// addFilledColumns gives the layout a column for every field the items
// fill that no column held: the 子项 that 5-1 numbering split from a name,
// so that an export keeps it.
func (t *tableParser) addFilledColumns() {
	for _, f := range models.TextFields {
		if t.layout.Has(f) || !slices.ContainsFunc(t.items, func(it models.ItemFields) bool { return it.Get(f) != "" }) {
			continue
		}
		col := models.Column{Header: t.fieldLabel(f), Field: f}
		at := len(t.layout.Columns)
		if i := slices.IndexFunc(t.layout.Columns, func(c models.Column) bool { return c.Field == models.FieldName }); i >= 0 && f == models.FieldSubitem {
			at = i + 1
		}
		t.layout.Columns = slices.Insert(t.layout.Columns, at, col)
	}
}

// titleAgency reads the agency from a list's title: the words before what
// names the list (权力清单, 权责清单, 行政执法事项清单 …), without a year.
func titleAgency(title string) string {
	cut := len(title)
	words := append([]string{"权力清单", "权责清单", "责任清单", "权力和责任", "行政权力", "行政执法", "执法事项", "执法主体",
		"行政审批", "权责事项", "安全生产", "其他权力", "事项", "清单", "目录"}, codes.Categories...)
	for _, w := range words {
		if i := strings.Index(title, w); i >= 0 && i < cut {
			cut = i
		}
	}
	agency := strings.TrimSpace(title[:cut])
	agency = yearRE.ReplaceAllString(agency, "")
	return strings.Trim(agency, "（()）《》“”\" ")
}

var yearRE = regexp.MustCompile(`\d{4}\s*年(度)?`)
