package importer

import (
	"errors"
	"strings"
	"testing"

	"qingdan/codes"
)

func file(lines ...string) string { return strings.Join(lines, "\n") }
func row(cells ...string) string  { return strings.Join(cells, "\t") }

var (
	powerHeader = row(Power.Headers()...)
	dutyHeader  = row(Duty.Headers()...)
)

// prow is a power-layout row: 序号 职权名称 子项名称 基本编码 实施部门 职权依据 行使层级 行使内容 备注.
func prow(seq, name, code, basis, note string) string {
	return row(seq, name, "", code, "医疗保障局", basis, "县级", "内容", note)
}

// drow is a duty-layout row of 13 cells.
func drow(seq, name, category, duty, resp string) string {
	return row(seq, name, "", category, "<p>【法律】《某法》</p>", "某局", "县级", duty, resp,
		"<p>【法律】《中华人民共和国行政处罚法》</p>", "1. 具体承办人", "追责情形", "")
}

func TestParseErrors(t *testing.T) {
	hongsibu := readSeed(t, hongsibuFile)
	yutian := readSeed(t, yutianFile)
	hl := strings.Split(hongsibu, "\n")
	yl := strings.Split(yutian, "\n")
	cutRow22 := strings.Join(hl[:21], "\n") + "\n" + hl[21][:strings.Index(hl[21], "第三十八条")]

	tests := []struct {
		name  string
		input string
		line  int
		msg   string
	}{
		{"empty", "", 1, "文件为空"},
		{"blank lines only", "\n \n\t\t\n", 1, "文件为空"},
		{"binary with NUL", "PK\x03\x04\x00\x00\x08", 1, "NUL"},
		{"invalid UTF-8", "\xff\xfe\x00", 1, "UTF-8"},
		{"GBK text", "\n\xba\xec\xcb\xc2\xb1\xa4\xc7\xf8\xd2\xbd\xc1\xc6\xb1\xa3\xd5\xcf\xbe\xd6\xc8\xa8\xc1\xa6\xc7\xe5\xb5\xa5", 2, "GBK"},
		{"title only", "某局权力清单\n", 2, "没有找到表头"},
		{"unknown header", file("某局权力清单", "", row("序号", "姓名", "年龄")), 3, "无法识别的表头"},
		{"header with one column renamed", file("某局权力清单", "一、行政处罚", strings.Replace(powerHeader, "行使层级", "层级", 1)), 3, "无法识别的表头"},
		{"another table without 序号", file("姓名\t年龄", "张三\t18"), 1, "表头（序号 …）之前"},
		{"data row before any header", file("某局权力清单", prow("1", "甲", "0247001000", "", "")), 2, "表头（序号 …）之前"},
		{"power row before any category heading", file("某局权力清单", powerHeader, prow("1", "甲", "0247001000", "", "")), 3, "类别标题"},
		{"continuation before any item", file("某局权力清单", "一、行政处罚", powerHeader, row("", "", "", "", "", "续", "", "", "")), 4, "没有可接续的事项"},
		{"continuation cannot cross a heading", file("某局权力清单", "一、行政处罚", powerHeader, prow("1", "甲", "0247001000", "", ""),
			"二、行政检查", powerHeader, row("", "", "", "", "", "续", "", "", "")), 7, "没有可接续的事项"},
		{"continuation with a code", file("某局权力清单", "一、行政处罚", powerHeader, prow("1", "甲", "0247001000", "", ""),
			row("", "", "", "0247001001", "", "", "", "", "")), 5, "基本编码"},
		{"seq not a number", file("某局权力清单", "一、行政处罚", powerHeader, prow("一", "甲", "0247001000", "", "")), 4, "序号“一”不是正整数"},
		{"seq zero", file("某局权力清单", "一、行政处罚", powerHeader, prow("0", "甲", "0247001000", "", "")), 4, "不是正整数"},
		{"row with too few cells", file("某局权力清单", "一、行政处罚", powerHeader, row("1", "甲", "", "0247001000")), 4, "有4列"},
		{"row with too many cells", file("某局权力清单", "一、行政处罚", powerHeader, prow("1", "甲", "0247001000", "", "")+"\tx"), 4, "有10列"},
		{"8 cells but not shifted", file("某局权力清单", "一、行政处罚", powerHeader, row("1", "甲", "", "0247001000", "局", "依据", "县级", "内容")), 4, "缺少的是最后几列"},
		{"truncated in the middle of a row", cutRow22, 22, "有6列"},
		{"truncated after a category heading", strings.Join(hl[:61], "\n"), 61, "类别“其他类”下没有事项"},
		{"truncated after a header", strings.Join(yl[:59], "\n") + "\n", 59, "表头后没有事项"},
		{"truncated inside the last cell", file("某局权责清单", dutyHeader,
			row("1", "甲", "", "行政检查", "<p>【法律】《某法》</p>", "某局", "县级", "职责", "责任", "<p>【法律】《某法》</p>", "承办人", "情形", "<p>备注被截")), 3, "没有闭合"},
		{"unrecognised line between items", file("某局权力清单", "一、行政处罚", powerHeader, prow("1", "甲", "0247001000", "", ""), "注：本清单仅供参考"), 5, "无法识别的行“注：本清单仅供参考”"},
		{"two layouts in one file", file("某局权力清单", "一、行政处罚", powerHeader, prow("1", "甲", "0247001000", "", ""), dutyHeader), 5, "混用"},
		{"heading in a duty list", file("某局权责清单", dutyHeader, drow("1", "甲", "行政检查", "职责", "责任"), "二、行政检查"), 4, "不应有类别标题"},
		{"heading before a duty header", file("某局权责清单", "一、行政检查", dutyHeader, drow("1", "甲", "行政检查", "职责", "责任")), 3, "不应有类别标题"},
		{"duty row that is neither doubled nor in place", file("某局权责清单", dutyHeader,
			row("1", "甲", "", "行政检查", "依据", "某局", "县级", "职责", "职责", "直接实施责任", "<p>【法律】《某法》</p>", "承办人", "情形")), 3, "无法确定对齐方式"},
		{"14 cells, no copy, last cell not empty", file("某局权责清单", dutyHeader, drow("1", "甲", "行政检查", "职责", "责任")+"\tx"), 3, "有14列"},
		{"no title, no agency", file(dutyHeader, drow("1", "甲", "行政检查", "职责", "责任")), 1, "无法确定实施机关"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(tt.input), Options{})
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, %v; want a *ParseError", p, err)
			}
			if pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got line %d %q, want line %d containing %q", pe.Line, pe.Msg, tt.line, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "第") || !strings.Contains(err.Error(), "行：") {
				t.Errorf("Error() = %q does not name the line", err.Error())
			}
		})
	}
}

func TestOptions(t *testing.T) {
	in := file(dutyHeader, drow("1", "甲", "行政检查", "职责", "责任"))
	p, err := Parse(strings.NewReader(in), Options{Agency: "某县某局"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Agency != "某县某局" || p.Kind != "duty" || p.Title != "" {
		t.Errorf("agency %q kind %q title %q", p.Agency, p.Kind, p.Title)
	}
	p = parseString(t, readSeed(t, yutianFile), Options{Agency: "于田县医保局", Kind: "power"})
	if p.Agency != "于田县医保局" || p.Kind != "power" || p.Layout != Duty {
		t.Errorf("agency %q kind %q layout %q", p.Agency, p.Kind, p.Layout.Kind)
	}
	var pe *ParseError
	if _, err := Parse(strings.NewReader(in), Options{Kind: "list"}); err == nil || errors.As(err, &pe) {
		t.Errorf("bad kind: %v", err)
	}
	// A custom rule is used for checking and for spotting a shifted code.
	rule := codes.Rule{Length: 4, TypeLen: 2, Types: []codes.Type{{Digits: "02", Category: "行政处罚"}}}
	p = parseString(t, file("某局权力清单", "一、行政处罚", powerHeader, row("1", "甲", "0201", "局", "【法律】《某法》", "县级", "内容", "", "")), Options{Rule: &rule})
	if it := p.Items[0]; it.Code != "0201" || it.Department != "局" || len(p.Report.Anomalies) != 1 || p.Report.Anomalies[0].Kind != KindShiftedRowRealigned {
		t.Errorf("custom rule: %+v %+v", it, p.Report.Anomalies)
	}
}

// Quirks the seeds do not have but a real list may.
func TestOtherQuirks(t *testing.T) {
	kinds := func(p *Parsed) []string {
		var k []string
		for _, a := range p.Report.Anomalies {
			k = append(k, a.Kind)
		}
		return k
	}

	t.Run("continuation after a repeated header", func(t *testing.T) {
		p := parseString(t, file("某局权力清单", "一、行政处罚", powerHeader, prow("1", "甲", "0247001000", "<p>【法律】《某法》（2018年修正）</p> <p>第一条 前半句</p>", ""),
			"", powerHeader, row("", "", "", "", "", "后半句。", "", "", "")), Options{})
		if b := p.Items[0].Basis; b != "<p>【法律】《某法》（2018年修正）</p> <p>第一条 前半句后半句。</p>" {
			t.Errorf("basis %q", b)
		}
	})
	t.Run("code findings and unknown category", func(t *testing.T) {
		p := parseString(t, file("某局权力清单", "一、行政处罚", powerHeader,
			prow("1", "甲", "1011014000", "【法律】《某法》", ""),
			prow("2", "乙", "02470020", "【法律】《某法》", ""),
			"二、行政监督", powerHeader, prow("1", "丙", "0647001000", "【法律】《某法》", "")), Options{})
		want := []string{KindCodeCategoryMismatch, KindCodeFormat, KindUnknownCategory}
		if got := kinds(p); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("kinds %v", got)
		}
		if m := p.Report.Anomalies[0].Message; !strings.Contains(m, "基本编码“1011014000”的类型位“10”表示“其他”，与权力类型“行政处罚”（应为“02”）不一致") {
			t.Errorf("message %q", m)
		}
	})
	t.Run("irregular numbering, empty category, basis without level", func(t *testing.T) {
		p := parseString(t, file("某局权力清单", "一、行政许可", "", powerHeader, "二、行政处罚", powerHeader,
			prow("1", "甲", "0247001000", "依照某法第一条", ""),
			prow("3", "乙", "0247003000", "【法律】《某法》", "")), Options{})
		want := []string{KindEmptyCategory, KindCitationWithoutLevel, KindSeqIrregular}
		if got := kinds(p); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("kinds %v", got)
		}
	})
	t.Run("14 cells with an empty last cell and no copy", func(t *testing.T) {
		p := parseString(t, file("某局权责清单", dutyHeader+"\t", drow("1", "甲", "行政检查", "职责", "责任")+"\t"), Options{})
		if it := p.Items[0]; it.Duty != "职责" || it.Responsibility != "责任" || len(p.Report.Anomalies) != 0 {
			t.Errorf("%+v %+v", it, p.Report.Anomalies)
		}
	})
	t.Run("continuation of a duty row", func(t *testing.T) {
		cont := make([]string, 13)
		cont[11] = "（续）"
		p := parseString(t, file("某局权责清单", dutyHeader, drow("1", "甲", "行政检查", "职责", "责任"), row(cont...)), Options{})
		if it := p.Items[0]; it.Accountability != "追责情形（续）" {
			t.Errorf("accountability %q", it.Accountability)
		}
	})
}

func TestJoinContinuation(t *testing.T) {
	tests := []struct{ prev, frag, want string }{
		{"", "甲", "甲"},
		{"对药品和医用耗材生产企业、药", "品经营企业", "对药品和医用耗材生产企业、药品经营企业"},
		{"<p>直至由医疗保障经办机构</p>", "解除服务协议。", "<p>直至由医疗保障经办机构解除服务协议。</p>"},
		{"<p>（二）调查、询问；</p>", "(三)要求提供资料。", "<p>（二）调查、询问；</p> (三)要求提供资料。"},
		{"<p>【地方政府规章】《某办法》（某令）</p>", "<p>第二十七条 …</p>", "<p>【地方政府规章】《某办法》（某令）</p> <p>第二十七条 …</p>"},
		{"<p>维护药品价格秩</p>", "<p>序。</p>", "<p>维护药品价格秩</p> <p>序。</p>"},
	}
	for _, tt := range tests {
		if got, _ := joinContinuation(tt.prev, tt.frag); got != tt.want {
			t.Errorf("join(%q, %q) = %q, want %q", tt.prev, tt.frag, got, tt.want)
		}
	}
}

func TestReportText(t *testing.T) {
	p := parseString(t, readSeed(t, yutianFile), Options{})
	var b strings.Builder
	if err := p.Report.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"事项共19项：行政处罚 5，", "跳过：空行21，分隔行0，表头行19", "发现11处异常", "第18行\tmissing_level\t"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("report text lacks %q:\n%s", w, b.String())
		}
	}
}
