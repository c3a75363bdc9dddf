package basis

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"qingdan/apperr"
	"qingdan/models"
)

// seedTSV is the registry's starting content: the instruments the two seed
// lists cite, checked against official sources (see data/README.md).
//
//go:embed data/instruments.tsv
var seedTSV []byte

// SeedInstruments returns the instruments of the embedded registry file.
func SeedInstruments() ([]InstrumentRow, error) {
	return ReadInstrumentsTSV(bytes.NewReader(seedTSV))
}

// InstrumentColumns are the columns of a registry file, in this order or any
// other (the header row names them); only title and level are required.
var InstrumentColumns = []string{"title", "aliases", "level", "issuer", "doc_number", "published", "effective",
	"editions", "status", "replaced_by", "source", "confidence"}

// InstrumentRow is one instrument read from a file, with its line. Its
// ReplacedBy names the replacement as written; the caller links it to a
// registry instrument where there is one.
type InstrumentRow struct {
	Line       int
	Instrument models.Instrument
}

// MaxInstrumentRows bounds one import.
const MaxInstrumentRows = 5000

// ReadInstrumentsTSV reads a registry file in tab-separated form.
func ReadInstrumentsTSV(r io.Reader) ([]InstrumentRow, error) {
	cr := csv.NewReader(r)
	cr.Comma = '\t'
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "文件无法按制表符分隔读取：%v", err)
	}
	return readInstrumentRecords(recs)
}

// ReadInstrumentsXLSX reads the first sheet of a registry workbook.
func ReadInstrumentsXLSX(r io.Reader) ([]InstrumentRow, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "文件不是可读取的 XLSX 工作簿：%v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, apperr.New(apperr.Invalid, "工作簿中没有工作表")
	}
	recs, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "工作表“%s”无法读取：%v", sheets[0], err)
	}
	return readInstrumentRecords(recs)
}

func rowError(line int, format string, args ...any) error {
	return apperr.New(apperr.Invalid, "第 %d 行："+format, append([]any{line}, args...)...).
		WithDetails(map[string]any{"line": line})
}

func readInstrumentRecords(recs [][]string) ([]InstrumentRow, error) {
	if len(recs) == 0 {
		return nil, apperr.New(apperr.Invalid, "文件为空，第一行应为表头：%s", strings.Join(InstrumentColumns, "、"))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(InstrumentColumns, h) {
			return nil, rowError(1, "未知的列“%s”，可用的列：%s", h, strings.Join(InstrumentColumns, "、"))
		}
		col[h] = i
	}
	for _, need := range []string{"title", "level"} {
		if _, ok := col[need]; !ok {
			return nil, rowError(1, "缺少“%s”列", need)
		}
	}
	if len(recs)-1 > MaxInstrumentRows {
		return nil, apperr.New(apperr.Invalid, "一次最多导入 %d 行，文件有 %d 行", MaxInstrumentRows, len(recs)-1)
	}
	var out []InstrumentRow
	seen := map[string]int{}
	for n, rec := range recs[1:] {
		line := n + 2
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		in := models.Instrument{Title: get("title"), Level: get("level"), Issuer: get("issuer"), DocNumber: get("doc_number"),
			Published: get("published"), Effective: get("effective"), Status: get("status"), SourceURL: get("source"),
			Confidence: get("confidence"), Aliases: splitList(get("aliases")), ReplacedBy: get("replaced_by")}
		eds, err := parseEditionEvents(get("editions"))
		if err != nil {
			return nil, rowError(line, "%v", err)
		}
		in.Editions = eds
		if err := CheckInstrument(&in); err != nil {
			return nil, rowError(line, "%v", err)
		}
		if prev, dup := seen[in.Title]; dup {
			return nil, rowError(line, "《%s》与第 %d 行重复", in.Title, prev)
		}
		seen[in.Title] = line
		out = append(out, InstrumentRow{Line: line, Instrument: in})
	}
	return out, nil
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseEditionEvents reads "2010-10-28 通过|2018-12-29 修正".
func parseEditionEvents(s string) ([]models.InstrumentEdition, error) {
	var out []models.InstrumentEdition
	for _, p := range splitList(s) {
		date, kind, _ := strings.Cut(p, " ")
		e := models.InstrumentEdition{Date: strings.TrimSpace(date), Kind: strings.TrimSpace(kind)}
		if err := checkEvent(e); err != nil {
			return nil, fmt.Errorf("editions：“%s”%v", p, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// EditionKinds are the dated events an instrument has.
var EditionKinds = []string{KindPassed, KindPublished, KindInForce, KindAmended, KindRevised}

func checkEvent(e models.InstrumentEdition) error {
	if err := checkDate(e.Date); err != nil || e.Date == "" {
		return fmt.Errorf("日期应为 YYYY-MM-DD")
	}
	if !slices.Contains(EditionKinds, e.Kind) {
		return fmt.Errorf("类型应为%s之一", strings.Join(EditionKinds, "、"))
	}
	return nil
}

func checkDate(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("日期“%s”应为 YYYY-MM-DD", s)
	}
	return nil
}

// Limits of an instrument's fields.
const (
	maxTitleRunes   = 300
	maxFieldRunes   = 500
	maxAliases      = 20
	maxEditionCount = 50
)

// CheckInstrument validates and tidies an instrument (from a file or a form):
// title and level required, level and status from their lists (an empty
// status is 未确认), dates YYYY-MM-DD, editions well formed, lengths bounded.
func CheckInstrument(in *models.Instrument) error {
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		return fmt.Errorf("title：名称不能为空")
	}
	if utf8.RuneCountInString(in.Title) > maxTitleRunes {
		return fmt.Errorf("title：名称不能超过 %d 字", maxTitleRunes)
	}
	if !slices.Contains(models.InstrumentLevels, in.Level) {
		return fmt.Errorf("level：效力层级“%s”不在可选范围内：%s", in.Level, strings.Join(models.InstrumentLevels, "、"))
	}
	if in.Status == "" {
		in.Status = models.StatusUnconfirmed
	}
	if !slices.Contains(models.InstrumentStatuses, in.Status) {
		return fmt.Errorf("status：状态“%s”不在可选范围内：%s", in.Status, strings.Join(models.InstrumentStatuses, "、"))
	}
	for name, d := range map[string]string{"published": in.Published, "effective": in.Effective} {
		if err := checkDate(d); err != nil {
			return fmt.Errorf("%s：%v", name, err)
		}
	}
	for name, v := range map[string]string{"issuer": in.Issuer, "doc_number": in.DocNumber, "source": in.SourceURL,
		"confidence": in.Confidence, "note": in.Note, "replaced_by": in.ReplacedBy} {
		if utf8.RuneCountInString(v) > maxFieldRunes {
			return fmt.Errorf("%s：不能超过 %d 字", name, maxFieldRunes)
		}
	}
	if in.SourceURL != "" && !strings.HasPrefix(in.SourceURL, "https://") && !strings.HasPrefix(in.SourceURL, "http://") {
		return fmt.Errorf("source：来源应为 http(s):// 网址")
	}
	aliases := []string{}
	for _, a := range in.Aliases {
		a = strings.TrimSpace(a)
		if a != "" && a != in.Title && !slices.Contains(aliases, a) {
			if utf8.RuneCountInString(a) > maxTitleRunes {
				return fmt.Errorf("aliases：别名不能超过 %d 字", maxTitleRunes)
			}
			aliases = append(aliases, a)
		}
	}
	if len(aliases) > maxAliases {
		return fmt.Errorf("aliases：别名最多 %d 个", maxAliases)
	}
	in.Aliases = aliases
	if len(in.Editions) > maxEditionCount {
		return fmt.Errorf("editions：最多 %d 条", maxEditionCount)
	}
	for _, e := range in.Editions {
		if err := checkEvent(e); err != nil {
			return fmt.Errorf("editions：%s %s %v", e.Date, e.Kind, err)
		}
	}
	return nil
}
