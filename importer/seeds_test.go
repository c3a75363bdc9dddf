package importer

import (
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"qingdan/basis"
	"qingdan/models"
)

const (
	hongsibuFile = "../seeds/hongsibu-medical-security-power-list.txt"
	yutianFile   = "../seeds/yutian-medical-security-duty-list.txt"
)

// text is an expected cell: the full text, or for long cells its length in
// runes and its first and last 20 runes.
type text struct {
	isFull     bool
	full       string
	n          int
	head, tail string
}

func full(s string) text                { return text{isFull: true, full: s} }
func sum(n int, head, tail string) text { return text{n: n, head: head, tail: tail} }

func (w text) mismatch(got string) string {
	if w.isFull {
		if got != w.full {
			return "\n got " + quote(got) + "\nwant " + quote(w.full)
		}
		return ""
	}
	r := []rune(got)
	if len(r) != w.n || !strings.HasPrefix(got, w.head) || !strings.HasSuffix(got, w.tail) {
		return "\n got " + quote(got) + "\nwant " + quote(w.head) + " … " + quote(w.tail) + " (" + strconv.Itoa(w.n) + " runes)"
	}
	return ""
}

// wantItem is one expected item; the tables are in seeds_want_test.go.
type wantItem struct {
	line   int
	seq    int
	levels []string // levels of its citations, in order, as written
	f      map[models.Field]text
}

func readSeed(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parseString(t testing.TB, s string, opts Options) *Parsed {
	t.Helper()
	p, err := Parse(strings.NewReader(s), opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

func TestSeedItems(t *testing.T) {
	tests := []struct {
		file, title, agency, kind string
		layout                    *Layout
		counts                    []CategoryCount
		want                      []wantItem
	}{
		{hongsibuFile, "红寺堡区医疗保障局权力清单", "红寺堡区医疗保障局", "power", Power,
			[]CategoryCount{{"行政处罚", 10}, {"行政强制", 1}, {"行政给付", 2}, {"行政检查", 7}, {"其他类", 3}},
			wantHongsibu},
		{yutianFile, "于田县医疗保障局权责清单目录", "于田县医疗保障局", "duty", Duty,
			[]CategoryCount{{"行政处罚", 5}, {"行政强制", 1}, {"行政检查", 9}, {"行政奖励", 1}, {"行政确认", 1}, {"行政给付", 1}, {"其他行政权力", 1}},
			wantYutian},
	}
	for _, tt := range tests {
		t.Run(tt.agency, func(t *testing.T) {
			p := parseString(t, readSeed(t, tt.file), Options{})
			if p.Title != tt.title || p.Agency != tt.agency || p.Kind != tt.kind || p.Layout != tt.layout {
				t.Errorf("title/agency/kind/layout = %q %q %q %v", p.Title, p.Agency, p.Kind, p.Layout.Kind)
			}
			if !reflect.DeepEqual(p.Report.Counts, tt.counts) {
				t.Errorf("counts = %v, want %v", p.Report.Counts, tt.counts)
			}
			if len(p.Items) != len(tt.want) || len(p.Lines) != len(p.Items) {
				t.Fatalf("%d items (%d lines), want %d", len(p.Items), len(p.Lines), len(tt.want))
			}
			for i, w := range tt.want {
				it := p.Items[i]
				if p.Lines[i] != w.line || it.Seq != w.seq {
					t.Errorf("item %d: line %d seq %d, want line %d seq %d", i, p.Lines[i], it.Seq, w.line, w.seq)
				}
				for f, wt := range w.f {
					if d := wt.mismatch(it.Get(f)); d != "" {
						t.Errorf("line %d (%s %d) %s:%s", w.line, it.Category, it.Seq, f, d)
					}
				}
				var levels []string
				for _, c := range it.Citations {
					levels = append(levels, c.Level)
				}
				if len(levels) != len(w.levels) || (len(levels) > 0 && !reflect.DeepEqual(levels, w.levels)) {
					t.Errorf("line %d citations' levels = %q, want %q", w.line, levels, w.levels)
				}
			}
		})
	}
}

func item(t *testing.T, p *Parsed, category string, seq int) models.ItemFields {
	t.Helper()
	for _, it := range p.Items {
		if it.Category == category && it.Seq == seq {
			return it
		}
	}
	t.Fatalf("no item %s %d", category, seq)
	return models.ItemFields{}
}

// The rows the quirks touch, spelled out by hand.
func TestSeedTrickyRows(t *testing.T) {
	h := parseString(t, readSeed(t, hongsibuFile), Options{})

	// Line 10 continues line 8's basis mid-sentence, after a blank line.
	it := item(t, h, "行政处罚", 1)
	if !strings.HasSuffix(it.Basis, "直至由医疗保障经办机构解除服务协议；有执业资格的，由有关主管部门依法吊销执业资格。</p>") {
		t.Errorf("处罚1 basis ends %q", clipEnd(it.Basis, 40))
	}
	if ps := basis.Paragraphs(it.Basis); !strings.HasPrefix(ps[len(ps)-1], "第四十条第一款 定点医药机构通过下列方式") {
		t.Errorf("处罚1 last paragraph %q", ps[len(ps)-1])
	}

	// Lines 23 (dashes) and 24 (blank) stand between item 8 and its continuation.
	it = item(t, h, "行政处罚", 8)
	last := it.Citations[len(it.Citations)-1]
	if last.Level != "地方政府规章" || last.Title != "宁夏回族自治区职工生育保险办法" ||
		!strings.HasPrefix(last.Articles, "第二十七条 生育保险定点医疗机构有下列行为之一") ||
		!strings.HasSuffix(last.Articles, "(三) 出具相关虚假证明或者虚假收费凭证的；(四) 其他违反生育保险规定的行为。") {
		t.Errorf("处罚8 last citation %+v", last)
	}

	// Line 26: shifted, its note in the 行使内容 column.
	it = item(t, h, "行政处罚", 9)
	if it.Subitem != "" || it.Code != "0247009000" || it.Department != "医疗保障行政部门" || it.Level != "县级" ||
		it.Content != "负责本区域内骗取医疗保险基金的处罚" ||
		it.Note != "由其他类别“医疗保险违法行为的处理”（1011014000）改为行政处罚" {
		t.Errorf("处罚9 = %+v", it)
	}

	// Line 50: a new paragraph for the basis of 检查 2.
	it = item(t, h, "行政检查", 2)
	if ps := basis.Paragraphs(it.Basis); ps[len(ps)-1] != "(三)要求被稽核对象提供与稽核事项有关的资料。" {
		t.Errorf("检查2 last paragraph %q", ps[len(ps)-1])
	}

	// Lines 53+55: the name itself is split; line 55 is not shifted although
	// its item is (9 cells; its 职权依据 cell finishes "…价格秩" with "序。").
	it = item(t, h, "行政检查", 5)
	if it.Name != "对药品上市许可持有人、药品和医用耗材生产企业、药品经营企业和医疗机构向医药价格主管部门提供其药品医用耗材的实际购销价格和购销数量等资料的监督检查" {
		t.Errorf("检查5 name %q", it.Name)
	}
	if it.Content != "负责本区域、跨区域的监督检查" || it.Note != "增加" || it.Code != "0647005000" {
		t.Errorf("检查5 = %+v", it)
	}
	if !strings.HasSuffix(it.Basis, "依法查处价格垄断、哄抬价格等药品价格违法行为，维护药品价格秩序。</p>") {
		t.Errorf("检查5 basis ends %q", clipEnd(it.Basis, 30))
	}

	// Lines 56+58: shifted item and shifted (8-cell) continuation.
	it = item(t, h, "行政检查", 6)
	var titles []string
	for _, c := range it.Citations {
		titles = append(titles, c.Level+"《"+c.Title+"》")
	}
	wantTitles := []string{"行政法规《药品集中采购监督管理办法》", "行政法规《高值医用耗材集中采购工作规范（试行）》",
		"规范性文件《医疗保障行政执法事项指导目录》", "规范性文件《自治区党委办公厅 人民政府办公厅关于印发〈自治区医疗保障局职能配置内设机构和人员编制规定〉的通知》"}
	if !reflect.DeepEqual(titles, wantTitles) {
		t.Errorf("检查6 citations %q", titles)
	}
	if a := it.Citations[1].Articles; !strings.HasPrefix(a, "第十二条 集中采购监督机构") || !strings.HasSuffix(a, "使每个环节和程序都处于监督之下。") {
		t.Errorf("检查6 高值 articles %q", a)
	}
	if it.Note != "列入" || it.Level != "县级" {
		t.Errorf("检查6 = %+v", it)
	}

	// Line 59: 8 cells, shifted, empty note.
	it = item(t, h, "行政检查", 7)
	if it.Code != "0608002000" || it.Content != "检查医疗救助基金" || it.Note != "" || it.Level != "县级" {
		t.Errorf("检查7 = %+v", it)
	}

	// Line 41: a title without 《》.
	it = item(t, h, "行政给付", 2)
	if c := it.Citations[0]; c.Level != "行政法规" || c.Title != "社会救助暂行办法" || c.Edition != "2019 修订" {
		t.Errorf("给付2 first citation %+v", c)
	}

	y := parseString(t, readSeed(t, yutianFile), Options{})
	// Item 1: 13 cells, duty and responsibility legitimately the same.
	it = y.Items[0]
	const d1 = "负责县级对医疗保险经办机构以及医疗机构、药品经营单位等医疗保险服务机构以欺诈、伪造证明材料或者其他手段骗取医疗保险、生育保险基金支出的处罚"
	if it.Duty != d1 || it.Responsibility != d1 || !strings.HasPrefix(it.ResponsibilityBasis, "<p>【法律】《中华人民共和国行政处罚法》") ||
		it.Accountable != "1. 具体承办人； 2. 单位法定代表人或分管领导。" || it.Level != "县级" {
		t.Errorf("于田1 = %+v", it)
	}
	// Item 3: 14 cells, the copy of 部门职责 dropped.
	it = y.Items[2]
	if it.Duty != "负责县级对以欺诈、伪造证明材料或者其他手段骗取医疗保险、生育保险待遇的处罚" ||
		it.Responsibility != "直接实施责任： 1. 执行自治区级制定的行政处罚标准规范，建立健全对行政处罚的监督制度。 2. 依法依规实施本级行政处罚事项，做出的行政处罚决定应当予以公开。" ||
		!strings.HasPrefix(it.ResponsibilityBasis, "<p>【法律】《中华人民共和国行政处罚法》") ||
		it.Accountable != "1. 具体承办人； 2. 单位法定代表人或分管领导。" ||
		!strings.HasPrefix(it.Accountability, "因不履行或不正确履行行政职责") || it.Note != "" {
		t.Errorf("于田3 = %+v", it)
	}
	// Item 5 (line 18): 13 cells, level missing and duty doubled.
	it = y.Items[4]
	if it.Level != "" || it.Department != "于田县医疗保障局" ||
		it.Duty != "负责县级对采取虚报、隐瞒、伪造等手段，骗取医疗救助资金的处罚" ||
		it.Responsibility != "<p>直接实施责任：</p> <p>1. 执行自治区级制定的行政处罚标准规范，建立健全对行政处罚的监督制度。</p> <p>2. 依法依规实施本级行政处罚事项，做出的行政处罚决定应当予以公开。</p>" ||
		!strings.HasPrefix(it.ResponsibilityBasis, "<p>【法律】《中华人民共和国行政处罚法》") ||
		it.Accountable != "1. 具体承办人； 2. 单位法定代表人或分管领导。" ||
		!strings.HasSuffix(it.Accountability, "6. 其他违反法律法规规章文件规定的行为。") || it.Note != "" {
		t.Errorf("于田5 = %+v", it)
	}
}

type wantAnomaly struct {
	line     int
	kind     string
	category string
	seq      int
}

func TestSeedAnomalies(t *testing.T) {
	const P, J = "行政处罚", "行政检查"
	tests := []struct {
		file    string
		want    []wantAnomaly
		skipped Skipped
	}{
		{hongsibuFile, []wantAnomaly{
			{10, KindContinuationMerged, P, 1},
			{11, KindShiftedRowRealigned, P, 2},
			{20, KindSeparatorSkipped, "", 0},
			{23, KindSeparatorSkipped, "", 0},
			{25, KindContinuationMerged, P, 8},
			{26, KindShiftedRowRealigned, P, 9},
			{29, KindSeparatorSkipped, "", 0},
			{41, KindCitationTitleUnmarked, "行政给付", 2},
			{42, KindSeparatorSkipped, "", 0},
			{50, KindContinuationMerged, J, 2},
			{51, KindShiftedRowRealigned, J, 3},
			{52, KindShiftedRowRealigned, J, 4},
			{53, KindShiftedRowRealigned, J, 5},
			{55, KindContinuationMerged, J, 5},
			{56, KindShiftedRowRealigned, J, 6},
			{58, KindContinuationMerged, J, 6},
			{58, KindShiftedRowRealigned, J, 6},
			{59, KindShiftedRowRealigned, J, 7},
			{64, KindCitationLevelConflict, "其他类", 1},
			{68, KindSeparatorSkipped, "", 0},
		}, Skipped{BlankLines: 24, SeparatorRows: 5, HeaderRows: 5}},
		{yutianFile, []wantAnomaly{
			{12, KindDuplicateColumnDropped, P, 3},
			{15, KindDuplicateColumnDropped, P, 4},
			{18, KindMissingLevel, P, 5},
			{18, KindDuplicateColumnDropped, P, 5},
			{21, KindDuplicateColumnDropped, "行政强制", 6},
			{24, KindDuplicateColumnDropped, J, 7},
			{39, KindDuplicateColumnDropped, J, 12},
			{48, KindDuplicateColumnDropped, J, 15},
			{51, KindDuplicateColumnDropped, "行政奖励", 16},
			{54, KindDuplicateColumnDropped, "行政确认", 17},
			{57, KindDuplicateColumnDropped, "行政给付", 18},
		}, Skipped{BlankLines: 21, SeparatorRows: 0, HeaderRows: 19}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := parseString(t, readSeed(t, tt.file), Options{})
			var got []wantAnomaly
			for _, a := range p.Report.Anomalies {
				got = append(got, wantAnomaly{a.Line, a.Kind, a.Category, a.Seq})
				if a.Message == "" || (a.Seq > 0) != (a.Item != "") {
					t.Errorf("anomaly %+v: missing message or item", a)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("anomalies\n got %v\nwant %v", got, tt.want)
			}
			if p.Report.Skipped != tt.skipped {
				t.Errorf("skipped = %+v, want %+v", p.Report.Skipped, tt.skipped)
			}
		})
	}

	// The messages say what was found and what was done.
	h := parseString(t, readSeed(t, hongsibuFile), Options{})
	msgs := map[int]string{}
	for _, a := range h.Report.Anomalies {
		msgs[a.Line] += a.Message
	}
	for line, want := range map[int][]string{
		10: {"职权依据“…，直至由医疗保障经办机构”接上“解除服务协议", "已并入末段"},
		11: {"基本编码“0247002000”落在子项名称列", "已按右移一列对齐"},
		55: {"名称被拆成两行", "职权名称“…品和医用耗材生产企业、药”接上“品经营企业和医疗机构向医药价格主…”", "职权依据“…违法行为，维护药品价格秩”接上“序。”"},
		58: {"另起一段", "只有8列"},
		64: {"《社会保险费征缴暂行条例》被引用为不同层级：行政法规（2处）、部门规章（1处）", "行政处罚第5项", "其他类第1项", "请法制审核"},
	} {
		for _, w := range want {
			if !strings.Contains(msgs[line], w) {
				t.Errorf("line %d message %q lacks %q", line, msgs[line], w)
			}
		}
	}
	y := parseString(t, readSeed(t, yutianFile), Options{})
	if m := y.Report.Anomalies[2].Message; !strings.Contains(m, "实施层级及权限留空") {
		t.Errorf("missing level message %q", m)
	}
}

// Across both seeds 《社会保险费征缴暂行条例》 is cited as 行政法规, 部门规章 and
// 规章; a single file shows only part of it.
func TestLevelConflictsAcrossSeeds(t *testing.T) {
	var uses []basis.Use
	for _, f := range []string{hongsibuFile, yutianFile} {
		p := parseString(t, readSeed(t, f), Options{})
		for i, it := range p.Items {
			uses = append(uses, basis.Uses(it.Citations, basis.Where{Ref: p.Agency, Line: p.Lines[i], Seq: it.Seq, Item: it.Name})...)
		}
	}
	got := map[string][]string{}
	for _, c := range basis.LevelConflicts(uses) {
		got[c.Title] = c.Levels
		if c.Title == "社会保险费征缴暂行条例" && !strings.Contains(c.Summary(), "写作“规章”") {
			t.Errorf("summary %q", c.Summary())
		}
	}
	want := map[string][]string{
		"社会保险费征缴暂行条例":        {"行政法规", "部门规章"},
		"药品集中采购监督管理办法":       {"行政法规", "规范性文件"},
		"高值医用耗材集中采购工作规范（试行）": {"行政法规", "规范性文件"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("conflicts %v", got)
	}
}

// Windows line ends and a byte-order mark change nothing.
func TestCRLFAndBOM(t *testing.T) {
	for _, f := range []string{hongsibuFile, yutianFile} {
		s := readSeed(t, f)
		a := parseString(t, s, Options{})
		b := parseString(t, "\uFEFF"+strings.ReplaceAll(s, "\n", "\r\n"), Options{})
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: CRLF/BOM changed the result", f)
		}
	}
}

func quote(s string) string {
	if utf8.RuneCountInString(s) > 200 {
		return `"` + clipStart(s, 100) + " … " + clipEnd(s, 100) + `"`
	}
	return `"` + s + `"`
}
