package importer

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Limits on what a file may hold: a county's lists run to a few thousand
// rows and a few hundred KB of XML; anything past these is not a list, and
// reading it must not take the server's memory.
const (
	maxRows      = 100_000                            // non-empty rows in a file
	maxBlankRun  = 10_000                             // blank rows after which a sheet is taken to have ended
	maxCellRunes = 32_767                             // Excel's own limit on a cell
	maxUnzipped  = 128 << 20                          // all parts of an .xlsx/.docx, decompressed
	maxPartXML   = 64 << 20                           // one part (a sheet, the document)
	streamXML    = 1 << 20                            // a larger part is read from a temporary file, not memory
	oleMagic     = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" // .xls, .doc, .et, .wps, and encrypted .xlsx
)

// sheet is one table source: a worksheet, a Word document's tables, or a
// text file. Only non-empty rows are kept, with their row numbers.
type sheet struct {
	name string
	rows []srow
	// endedAt is the row after which only blank rows were seen for
	// maxBlankRun rows: the rest of the sheet was not read.
	endedAt int
}

type srow struct {
	num   int
	cells []string
}

// Format names the kinds of file Read takes.
const (
	FormatXLSX = "xlsx"
	FormatDOCX = "docx"
	FormatCSV  = "csv"
	FormatTSV  = "tsv"
	FormatText = "text" // the seeds' tab-separated layouts
)

// sniff tells what a file is from its bytes (and, for zip containers, its
// parts), or refuses a format with what to do instead.
func sniff(name string, data []byte) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case len(data) == 0:
		return "", errorf(0, "文件为空")
	case bytes.HasPrefix(data, []byte(oleMagic)):
		if bytes.Contains(data, utf16("EncryptionInfo")) || bytes.Contains(data, utf16("EncryptedPackage")) {
			return "", errorf(0, "工作簿设有打开密码（已加密）：请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再导入")
		}
		return "", errorf(0, "这是旧版 Office 或 WPS 格式（%s）：请在 Excel 或 WPS 中“另存为” .xlsx（表格）或 .docx（文档）后再导入", or(ext, ".xls/.doc/.et/.wps"))
	case bytes.HasPrefix(data, []byte("%PDF")):
		return "", errorf(0, "这是 PDF 文件，其中的表格无法可靠读出：请使用原始的 .xlsx 或 .docx 文件，或将表格另存为 .xlsx 后导入")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return "", errorf(0, "文件已损坏或不完整（不是有效的 .xlsx/.docx 压缩包）：%v", err)
		}
		var total uint64
		kind := ""
		for _, f := range zr.File {
			total += f.UncompressedSize64
			switch {
			case f.Name == "xl/workbook.xml":
				kind = FormatXLSX
			case f.Name == "word/document.xml":
				kind = FormatDOCX
			}
		}
		if total > maxUnzipped {
			return "", errorf(0, "文件解压后超过 %d MB，不是一份清单（可能是压缩炸弹）", maxUnzipped>>20)
		}
		if kind == "" {
			return "", errorf(0, "压缩包中没有工作表或文档正文：不是 .xlsx 或 .docx 文件")
		}
		return kind, nil
	}
	switch ext {
	case ".xls", ".et", ".doc", ".wps", ".pdf", ".xlsx", ".docx":
		return "", errorf(0, "文件扩展名是 %s，内容却不是这种格式：文件可能已损坏", ext)
	case ".csv":
		return FormatCSV, nil
	}
	return FormatTSV, nil // .tsv, .txt: tab-separated; readText tells the seed layouts apart
}

func utf16(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// readXLSX reads every sheet (or the one named) with merged cells filled.
func readXLSX(data []byte, only string) ([]sheet, error) {
	// The merged ranges come from a reading of the package of its own, done
	// meanwhile on another core.
	type found struct {
		merges map[string][]string
		err    error
	}
	mergesFound := make(chan found, 1)
	go func() {
		m, err := mergeRanges(data)
		mergesFound <- found{m, err}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: streamXML})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookPassword) || errors.Is(err, excelize.ErrWorkbookFileFormat) {
			return nil, errorf(0, "无法打开工作簿（已加密或格式不受支持）：请另存为不设密码的 .xlsx 后导入")
		}
		return nil, errorf(0, "工作簿已损坏或不完整，无法打开：%v", err)
	}
	defer f.Close()
	names := f.GetSheetList()
	if only != "" {
		found := false
		for _, n := range names {
			found = found || n == only
		}
		if !found {
			return nil, errorf(0, "工作簿中没有工作表“%s”（有：%s）", only, strings.Join(names, "、"))
		}
		names = []string{only}
	}
	mf := <-mergesFound
	if mf.err != nil {
		return nil, errorf(0, "工作簿已损坏或不完整，无法读取合并单元格：%v", mf.err)
	}
	merges := mf.merges
	var out []sheet
	total := 0
	for _, name := range names {
		if v, _ := f.GetSheetVisible(name); !v && only == "" {
			continue
		}
		sh, err := readWorksheet(f, name, merges[name], &total)
		if err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, nil
}

func readWorksheet(f *excelize.File, name string, merges []string, total *int) (sheet, error) {
	sh := sheet{name: name}
	rows, err := f.Rows(name)
	if err != nil {
		return sh, sheetErrorf(name, 0, "无法读取：%v", err)
	}
	defer rows.Close()
	num, blank := 0, 0
	for rows.Next() {
		num++
		cells, err := rows.Columns()
		if err != nil {
			return sh, sheetErrorf(name, num, "无法读取：%v", err)
		}
		if isBlank(cells) {
			if blank++; blank > maxBlankRun && len(sh.rows) > 0 {
				sh.endedAt = num - blank // a sheet padded with empty rows: the table has ended
				break
			}
			continue
		}
		blank = 0
		if *total++; *total > maxRows {
			return sh, sheetErrorf(name, num, "超过 %d 行，不像是一份清单", maxRows)
		}
		if err := checkCells(name, num, cells); err != nil {
			return sh, err
		}
		sh.rows = append(sh.rows, srow{num: num, cells: cells})
	}
	if err := rows.Error(); err != nil {
		return sh, sheetErrorf(name, num, "工作表已损坏：%v", err)
	}
	for _, ref := range merges {
		a, b, _ := strings.Cut(ref, ":")
		c1, r1, err1 := excelize.CellNameToCoordinates(a)
		c2, r2, err2 := excelize.CellNameToCoordinates(b)
		if err1 != nil || err2 != nil || c2 < c1 || r2 < r1 || c2-c1 > 200 {
			continue
		}
		sh.fill(r1, r2, c1-1, c2-1, sh.cell(r1, c1-1))
	}
	return sh, nil
}

// cell is the text of a cell (row number, column index), "" if empty.
func (sh *sheet) cell(num, col int) string {
	i := sort.Search(len(sh.rows), func(i int) bool { return sh.rows[i].num >= num })
	if i < len(sh.rows) && sh.rows[i].num == num && col < len(sh.rows[i].cells) {
		return sh.rows[i].cells[col]
	}
	return ""
}

var mergeRefRE = regexp.MustCompile(`<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})"`)

// mergeRanges reads the merged ranges of each worksheet, by sheet name,
// straight from the package: excelize's own GetMergeCells loads the whole
// sheet into memory and looks each value up by scanning its rows, which on
// a county's workbook costs minutes and hundreds of MB.
func mergeRanges(data []byte) (map[string][]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	part := func(name string) ([]byte, error) {
		f, err := zr.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxPartXML+1))
		if err == nil && len(b) > maxPartXML {
			err = fmt.Errorf("%s 超过 %d MB", name, maxPartXML>>20)
		}
		return b, err
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, v := range map[string]any{"xl/workbook.xml": &wb, "xl/_rels/workbook.xml.rels": &rels} {
		b, err := part(name)
		if err != nil {
			return nil, err
		}
		if err := xml.Unmarshal(b, v); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	out := map[string][]string{}
	for _, sh := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID != sh.RID {
				continue
			}
			path := strings.TrimPrefix(r.Target, "/")
			if !strings.HasPrefix(r.Target, "/") {
				path = "xl/" + path
			}
			b, err := afterSheetData(zr, path)
			if err != nil {
				return nil, err
			}
			if b == nil { // no </sheetData>: look through the whole part
				if b, err = part(path); err != nil {
					return nil, err
				}
			}
			for _, m := range mergeRefRE.FindAllSubmatch(b, -1) {
				out[sh.Name] = append(out[sh.Name], string(m[1]))
			}
		}
	}
	return out, nil
}

// afterSheetData returns what follows a worksheet part's </sheetData>
// (where <mergeCells> is), nil if it has none. The rows before it, most of
// the part (16 MB for one sheet of a county's workbook), are streamed past
// instead of held.
func afterSheetData(zr *zip.Reader, name string) ([]byte, error) {
	f, err := zr.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	const keep = 64 // bytes kept between reads: a closing tag cut by a read, with its prefix
	var tail []byte
	found := false
	buf := make([]byte, 64<<10)
	read := 0
	for {
		n, err := f.Read(buf)
		if read += n; read > maxPartXML {
			return nil, fmt.Errorf("%s 超过 %d MB", name, maxPartXML>>20)
		}
		tail = append(tail, buf[:n]...)
		if i := closingSheetData(tail); i >= 0 {
			tail, found = append(tail[:0], tail[i:]...), true
		} else if !found && len(tail) > keep {
			tail = append(tail[:0], tail[len(tail)-keep:]...)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if !found {
		return nil, nil
	}
	return tail, nil
}

// closingSheetData is the index of the last </sheetData> (any prefix) in b, or -1.
func closingSheetData(b []byte) int {
	last := -1
	for from := 0; ; {
		i := bytes.Index(b[from:], []byte("sheetData>")) // forward: Index is vectorised, LastIndex is not
		if i < 0 {
			return last
		}
		i += from
		if j := bytes.LastIndexByte(b[:i], '<'); j >= 0 && i-j <= 32 && b[j+1] == '/' {
			last = j
		}
		from = i + len("sheetData>")
	}
}

// fill gives every cell of a merged range the range's value: a 主项 merged
// down over its 子项 rows, a parent header merged across its columns.
func (sh *sheet) fill(r1, r2, c1, c2 int, v string) {
	i := sort.Search(len(sh.rows), func(i int) bool { return sh.rows[i].num >= r1 })
	for ; i < len(sh.rows) && sh.rows[i].num <= r2; i++ {
		cells := sh.rows[i].cells
		for len(cells) <= c2 {
			cells = append(cells, "")
		}
		for c := c1; c <= c2; c++ {
			cells[c] = v
		}
		sh.rows[i].cells = cells
	}
}

func checkCells(sheetName string, num int, cells []string) error {
	for i, c := range cells {
		if len(c) > maxCellRunes && utf8.RuneCountInString(c) > maxCellRunes {
			return sheetErrorf(sheetName, num, "第 %d 列的单元格超过 %d 个字符（Excel 单元格的上限），文件不正常", i+1, maxCellRunes)
		}
	}
	return nil
}

// readDelimited reads CSV or TSV text, in UTF-8 (with or without a BOM) or
// GB18030/GBK as Excel writes it on Chinese Windows; it says which it read.
func readDelimited(name string, data []byte, comma rune) (sheet, string, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return sheet{}, "", err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = comma, -1, true
	if comma == '\t' {
		r.LazyQuotes = false
	}
	sh := sheet{name: name}
	total := 0
	for {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return sh, enc, sheetErrorf("", line, "无法按%s读取：%v", map[rune]string{',': "CSV", '\t': "制表符分隔文本"}[comma], err)
		}
		if isBlank(cells) {
			continue
		}
		if total++; total > maxRows {
			return sh, enc, sheetErrorf("", line, "超过 %d 行，不像是一份清单", maxRows)
		}
		if err := checkCells("", line, cells); err != nil {
			return sh, enc, err
		}
		sh.rows = append(sh.rows, srow{num: line, cells: cells})
	}
	return sh, enc, nil
}

// Encodings a text file is read in, as the report names them.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8（带BOM）"
	EncodingGB18030 = "GB18030/GBK"
)

func decodeText(data []byte) (string, string, error) {
	if b, ok := bytes.CutPrefix(data, []byte("\uFEFF")); ok {
		if !utf8.Valid(b) {
			return "", "", errorf(0, "文件以UTF-8的BOM开头，内容却不是有效的UTF-8文本")
		}
		return string(b), EncodingUTF8BOM, nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", errorf(0, "含有NUL字符，像是二进制文件而不是文本表格")
	}
	if utf8.Valid(data) {
		return string(data), EncodingUTF8, nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", "", errorf(0, "既不是UTF-8也不是GB18030/GBK编码的文本：请在 Excel 中另存为“CSV UTF-8”后导入")
	}
	return string(out), EncodingGB18030, nil
}

// readDOCX reads the tables of a Word document into one sheet: paragraphs
// between tables (一、行政处罚, the title) as one-cell rows, each table row
// with horizontal (gridSpan) and vertical (vMerge) merges filled. Rows are
// numbered through the document.
func readDOCX(data []byte) (sheet, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return sheet{}, errorf(0, "文档已损坏或不完整：%v", err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return sheet{}, errorf(0, "不是 Word 文档：缺少 word/document.xml")
	}
	rc, err := doc.Open()
	if err != nil {
		return sheet{}, errorf(0, "文档已损坏：%v", err)
	}
	defer rc.Close()
	d := &docxReader{dec: xml.NewDecoder(io.LimitReader(rc, maxPartXML))}
	if err := d.read(); err != nil {
		return sheet{}, errorf(0, "文档已损坏或不完整：%v", err)
	}
	return d.sh, d.err
}

type docxReader struct {
	dec *xml.Decoder
	sh  sheet
	num int
	err error

	depth  int      // table nesting
	row    []string // cells of the table row being read
	spans  []int    // grid columns of each cell (gridSpan)
	vm     []string // vMerge of each cell: "", "restart" or "continue"
	prev   []string // the previous row of the table, by grid column
	cell   strings.Builder
	para   strings.Builder
	inCell bool
	inText bool
}

func (d *docxReader) read() error {
	for {
		tok, err := d.dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d.start(t)
		case xml.EndElement:
			d.end(t.Name.Local)
		case xml.CharData:
			if d.inText {
				d.para.Write(t)
			}
		}
		if d.err != nil {
			return nil
		}
	}
}

func attr(t xml.StartElement, name string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (d *docxReader) start(t xml.StartElement) {
	switch t.Name.Local {
	case "tbl":
		d.depth++
	case "tr":
		if d.depth == 1 {
			d.row, d.spans, d.vm = d.row[:0], d.spans[:0], d.vm[:0]
		}
	case "tc":
		if d.depth == 1 {
			d.inCell = true
			d.cell.Reset()
			d.spans = append(d.spans, 1)
			d.vm = append(d.vm, "")
		}
	case "gridSpan":
		if v, ok := attr(t, "val"); ok && d.depth == 1 && len(d.spans) > 0 {
			n := 0
			fmt.Sscanf(v, "%d", &n)
			d.spans[len(d.spans)-1] = min(max(n, 1), 200)
		}
	case "vMerge":
		if d.depth == 1 && len(d.vm) > 0 {
			v, _ := attr(t, "val")
			d.vm[len(d.vm)-1] = or(v, "continue")
		}
	case "p":
		d.para.Reset()
	case "t":
		d.inText = true
	case "tab":
		d.para.WriteByte(' ')
	case "br", "cr":
		d.para.WriteByte('\n')
	}
}

func (d *docxReader) end(name string) {
	switch name {
	case "t":
		d.inText = false
	case "p":
		text := strings.TrimSpace(d.para.String())
		switch {
		case d.inCell:
			if d.cell.Len() > 0 {
				d.cell.WriteByte('\n')
			}
			d.cell.WriteString(text)
		case d.depth == 0 && text != "":
			d.emit([]string{text})
		}
		d.para.Reset()
	case "tc":
		if d.depth == 1 {
			d.row = append(d.row, strings.TrimSpace(d.cell.String()))
			d.inCell = false
		}
	case "tr":
		if d.depth == 1 {
			d.endRow()
		}
	case "tbl":
		if d.depth--; d.depth == 0 {
			d.prev = nil
		}
	}
}

// endRow lays the row's cells on the table's grid: a cell spanning columns
// fills each of them, a cell continuing a vertical merge takes the value above.
func (d *docxReader) endRow() {
	var grid []string
	for i, text := range d.row {
		col := len(grid)
		if d.vm[i] == "continue" && col < len(d.prev) {
			text = d.prev[col]
		}
		for range d.spans[i] {
			grid = append(grid, text)
		}
	}
	d.prev = grid
	if !isBlank(grid) {
		d.emit(slices.Clone(grid))
	}
}

func (d *docxReader) emit(cells []string) {
	d.num++
	if len(d.sh.rows) >= maxRows {
		d.err = errorf(d.num, "超过 %d 行，不像是一份清单", maxRows)
		return
	}
	if err := checkCells("", d.num, cells); err != nil {
		d.err = err
		return
	}
	d.sh.rows = append(d.sh.rows, srow{num: d.num, cells: cells})
}
