package basis

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"qingdan/models"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name, cell string
		want       []string
	}{
		{"empty", "", nil},
		{"blank markup", "<p> </p> <p></p>", nil},
		{"plain text is one paragraph", "解除服务协议；有执业资格的，由有关主管部门依法吊销执业资格。",
			[]string{"解除服务协议；有执业资格的，由有关主管部门依法吊销执业资格。"}},
		{"seed paragraphs", "<p>【法律】《中华人民共和国社会保险法》（2018年修正）</p> <p>第三十二条 个人跨统筹地区就业的。</p>",
			[]string{"【法律】《中华人民共和国社会保险法》（2018年修正）", "第三十二条 个人跨统筹地区就业的。"}},
		{"text after the last paragraph", "<p>（二）调查、询问；</p> (三)要求被稽核对象提供资料。",
			[]string{"（二）调查、询问；", "(三)要求被稽核对象提供资料。"}},
		{"unclosed ol from the Yutian list", `<p>直接实施责任：</p> <ol style="list-style-type: none"> 1. 审查相关证明材料。 2. 及时登记。 `,
			[]string{"直接实施责任：", "1. 审查相关证明材料。 2. 及时登记。"}},
		{"inline tags dropped without a break", "<p>第<b>八</b>条</p>", []string{"第八条"}},
		{"br breaks", "甲<br/>乙<BR>丙", []string{"甲", "乙", "丙"}},
		{"entities decoded", "<p>A&nbsp;&amp;&nbsp;B &lt; C</p>", []string{"A\u00a0&\u00a0B < C"}},
		{"encoded markup is removed too", "&lt;p&gt;甲&lt;/p&gt;", []string{"甲"}},
		{"nested tag trick leaves no tag", "<<p>p>甲", []string{"<", "p>甲"}},
		{"tag rebuilt by stripping is stripped", "&lt;<b>p&gt;甲", []string{"甲"}},
		{"a lone < is text", "5<6 且 a <b", []string{"5<6 且 a <b"}},
		{"line breaks typed in a form", "第一段\r\n\n第二段", []string{"第一段", "第二段"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Paragraphs(tt.cell); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Paragraphs(%q)\n got %q\nwant %q", tt.cell, got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, raw string
		want      []models.Citation
	}{
		{"empty", "", nil},
		{"one citation, articles keep paragraph breaks",
			"<p>【法律】《中华人民共和国社会保险法》（2018年修正）</p> <p>第八条 甲。</p> <p>第五十七条第一款 乙。</p>",
			[]models.Citation{{Level: "法律", Title: "中华人民共和国社会保险法", Edition: "2018年修正", Articles: "第八条 甲。\n第五十七条第一款 乙。"}}},
		{"several citations, half-width edition (Hongsibu line 64)",
			"<p>【行政法规】《社会保险费征缴暂行条例》(2019修订)</p> <p>第七条第一款 缴费单位必须办理登记。</p> <p>【部门规章】《社会保险费征缴暂行条例》(2019修订)</p> <p>第八条 企业同步办理。</p>",
			[]models.Citation{
				{Level: "行政法规", Title: "社会保险费征缴暂行条例", Edition: "2019修订", Articles: "第七条第一款 缴费单位必须办理登记。"},
				{Level: "部门规章", Title: "社会保险费征缴暂行条例", Edition: "2019修订", Articles: "第八条 企业同步办理。"},
			}},
		{"articles on the same line as the head (Hongsibu line 34)",
			"<p>【法律】《中华人民共和国社会保险法》（2018年修正）第七十九条第二款 有权采取下列措施：</p> <p>（七）法律、法规规定的其他措施。</p>",
			[]models.Citation{{Level: "法律", Title: "中华人民共和国社会保险法", Edition: "2018年修正", Articles: "第七十九条第二款 有权采取下列措施：\n（七）法律、法规规定的其他措施。"}}},
		{"title without 《》 (Hongsibu line 41)",
			"<p>【行政法规】 社会救助暂行办法(2019 修订)</p> <p>第二十八条 下列人员可以申请。</p> <p>【地方政府规章】 《宁夏回族自治区医疗救助办法》（2015 年自治区政府令第 78 号）</p> <p>第四条第一款 民政部门负责。</p>",
			[]models.Citation{
				{Level: "行政法规", Title: "社会救助暂行办法", Edition: "2019 修订", Articles: "第二十八条 下列人员可以申请。"},
				{Level: "地方政府规章", Title: "宁夏回族自治区医疗救助办法", Edition: "2015 年自治区政府令第 78 号", Articles: "第四条第一款 民政部门负责。"},
			}},
		{"《》 inside the edition (Yutian line 54)",
			"<p>【法规】《社会救助暂行办法》（2014年2月21日发布，根据2019年3月2日《国务院关于修改部分行政法规的决定》修订）</p> <p>第二十七条：国家建立健全医疗救助制度。</p>",
			[]models.Citation{{Level: "法规", Title: "社会救助暂行办法", Edition: "2014年2月21日发布，根据2019年3月2日《国务院关于修改部分行政法规的决定》修订", Articles: "第二十七条：国家建立健全医疗救助制度。"}}},
		{"parentheses inside title and 〈〉 (Hongsibu lines 56, 58)",
			"<p>【行政法规】《高值医用耗材集中采购工作规范（试行）》（卫规财发〔2012〕86号）</p> <p>【规范性文件】《关于印发〈自治区医疗保障局职能配置内设机构和人员编制规定〉的通知》（宁党办〔2018〕134号）</p>",
			[]models.Citation{
				{Level: "行政法规", Title: "高值医用耗材集中采购工作规范（试行）", Edition: "卫规财发〔2012〕86号"},
				{Level: "规范性文件", Title: "关于印发〈自治区医疗保障局职能配置内设机构和人员编制规定〉的通知", Edition: "宁党办〔2018〕134号"},
			}},
		{"stray full stop after the head (Yutian line 27)",
			"<p>【规范性文件】《某通知》（新党厅字〔2018〕172号）。</p> <p>第三条第一款第四项：组织拟订。</p>",
			[]models.Citation{{Level: "规范性文件", Title: "某通知", Edition: "新党厅字〔2018〕172号", Articles: "第三条第一款第四项：组织拟订。"}}},
		{"no edition",
			"【法律】《中华人民共和国价格法》 第三十三条",
			[]models.Citation{{Level: "法律", Title: "中华人民共和国价格法", Articles: "第三十三条"}}},
		{"an enumerated article on the next line is not an edition",
			"<p>【法律】《某法》</p><p>（一）进入现场检查；</p>",
			[]models.Citation{{Level: "法律", Title: "某法", Articles: "（一）进入现场检查；"}}},
		{"text before the first level is kept (a merged continuation, Hongsibu line 58)",
			"<p>第十二条 集中采购监督机构进行监督管理。</p> <p>【规范性文件】《医疗保障行政执法事项指导目录》（医保发〔2020〕35号）</p>",
			[]models.Citation{
				{Articles: "第十二条 集中采购监督机构进行监督管理。"},
				{Level: "规范性文件", Title: "医疗保障行政执法事项指导目录", Edition: "医保发〔2020〕35号"},
			}},
		{"text without any level, starting with a title",
			"《社会保险稽核办法》（2003年劳动和社会保障部令第16号）第三条",
			[]models.Citation{{Title: "社会保险稽核办法", Edition: "2003年劳动和社会保障部令第16号", Articles: "第三条"}}},
		{"level without title: articles only",
			"【法律】第八条 社会保险经办机构提供社会保险服务，负责登记。",
			[]models.Citation{{Level: "法律", Articles: "第八条 社会保险经办机构提供社会保险服务，负责登记。"}}},
		{"unclosed 《 takes the line as title",
			"【法律】《社会保险法\n第八条",
			[]models.Citation{{Level: "法律", Title: "社会保险法", Articles: "第八条"}}},
		{"a long bracket is text, not a level",
			"【这不是层级而是一段被方括号括起来的很长很长的说明文字】其余",
			[]models.Citation{{Articles: "【这不是层级而是一段被方括号括起来的很长很长的说明文字】其余"}}},
		{"unclosed 【 is text", "甲【法律《某法》",
			[]models.Citation{{Articles: "甲【法律《某法》"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.raw)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.raw, got, tt.want)
			}
			checkInvariants(t, tt.raw, got)
		})
	}
}

func TestCanonicalLevel(t *testing.T) {
	for in, want := range map[string]string{
		"法律": "法律", "行政法规": "行政法规", "法规": "行政法规", " 法规 ": "行政法规",
		"部门规章": "部门规章", "规章": "部门规章", "地方政府规章": "地方政府规章",
		"地方性法规": "地方性法规", "规范性文件": "规范性文件", "行政 法规": "行政法规",
		"司法解释": "司法解释", "": "",
	} {
		if got := CanonicalLevel(in); got != want {
			t.Errorf("CanonicalLevel(%q) = %q, want %q", in, got, want)
		}
	}
	for _, lv := range Levels {
		if CanonicalLevel(lv) != lv {
			t.Errorf("Levels entry %q is not canonical", lv)
		}
	}
}

func TestLevelConflicts(t *testing.T) {
	w := func(seq int, item string) Where {
		return Where{Category: "其他类", Seq: seq, Item: item, Field: "basis"}
	}
	var uses []Use
	uses = append(uses, Uses(Parse("【法律】《中华人民共和国社会保险法》（2018年修正）第八条【行政法规】《社会保险费征缴暂行条例》(1999年国务院令 第259号)第二十四条"), w(5, "甲"))...)
	uses = append(uses, Uses(Parse("【行政法规】《社会保险费征缴暂行条例》(2019修订)第七条【部门规章】《社会保险费征缴暂行条例》(2019修订)第八条"), w(1, "乙"))...)
	uses = append(uses, Uses(Parse("【规章】《社会保险费征缴暂行条例》（1999年1月22日发布）第二十三条"), Where{Ref: "cr-7/op-2"})...)
	// Same level under two spellings is no conflict; neither is a title that
	// differs only by spaces or parenthesis width.
	uses = append(uses, Uses(Parse("【法规】《医疗保障基金使用监督管理条例》【行政法规】《医疗保障基金使用监督管理条例》"), w(2, "丙"))...)
	uses = append(uses, Uses(Parse("【规范性文件】《高值医用耗材集中采购工作规范(试行)》【规范性文件】《高值医用耗材集中采购工作规范（试行）》"), w(3, "丁"))...)
	// A leading 中华人民共和国 is not ignored.
	uses = append(uses, Uses(Parse("【法规】《中华人民共和国招标投标法实施条例》【规章】《招标投标法实施条例》"), w(4, "戊"))...)
	// No level or no title: ignored.
	uses = append(uses, Uses(Parse("《社会保险费征缴暂行条例》第八条【法律】第九条"), w(6, "己"))...)

	got := LevelConflicts(uses)
	if len(got) != 1 {
		t.Fatalf("got %d conflicts, want 1: %+v", len(got), got)
	}
	c := got[0]
	if c.Title != "社会保险费征缴暂行条例" || !reflect.DeepEqual(c.Levels, []string{"行政法规", "部门规章"}) {
		t.Errorf("conflict = %q %q", c.Title, c.Levels)
	}
	if len(c.Uses) != 4 || c.Uses[0].Where.Seq != 5 || c.Uses[3].Where.Ref != "cr-7/op-2" {
		t.Errorf("uses = %+v", c.Uses)
	}
	want := "《社会保险费征缴暂行条例》被引用为不同层级：行政法规（2处）、部门规章（2处，写作“规章”）"
	if s := c.Summary(); s != want {
		t.Errorf("Summary() = %q\nwant %q", s, want)
	}
	if LevelConflicts(nil) != nil {
		t.Error("no uses, conflicts")
	}
}

// Per line: a "<" ending one paragraph and a ">" starting the next are no tag.
var tagRE = regexp.MustCompile(`<[A-Za-z/!][^<>\n]*>`)

// checkInvariants states what Parse promises for any input:
//   - no field holds markup, Level/Title/Edition hold no line break,
//     every field is trimmed;
//   - nothing is lost or invented: the citations' text, in order, is the
//     cell's plain text once the delimiters 【】《》（）() , the stray "。"
//     Parse may drop after a head, and whitespace are ignored.
func checkInvariants(t *testing.T, raw string, cs []models.Citation) {
	t.Helper()
	var b strings.Builder
	for _, c := range cs {
		for _, f := range []string{c.Level, c.Title, c.Edition, c.Articles} {
			if tagRE.MatchString(f) {
				t.Fatalf("markup kept in %q (input %q)", f, raw)
			}
			if f != strings.TrimSpace(f) {
				t.Fatalf("field %q not trimmed (input %q)", f, raw)
			}
			b.WriteString(f)
		}
		if strings.ContainsAny(c.Level+c.Title+c.Edition, "\n") {
			t.Fatalf("line break in head %+v (input %q)", c, raw)
		}
		if c == (models.Citation{}) {
			t.Fatalf("empty citation (input %q)", raw)
		}
	}
	if got, want := skeleton(b.String()), skeleton(Text(raw)); got != want {
		t.Fatalf("text lost or invented\ninput %q\n got %q\nwant %q", raw, got, want)
	}
}

func skeleton(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || strings.ContainsRune("【】《》（）()。", r) {
			return -1
		}
		return r
	}, s)
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"<p>【法律】《中华人民共和国社会保险法》（2018年修正）</p> <p>第八十七条 社会保险经办机构……直至由医疗保障经办机构</p>",
		"<p>【行政法规】 社会救助暂行办法(2019 修订)</p> <p>第二十八条 下列人员可以申请相关医疗救助。</p>",
		"<p>【法规】《社会救助暂行办法》（2014年2月21日发布，根据2019年3月2日《国务院关于修改部分行政法规的决定》修订）</p>",
		`<p>直接实施责任：</p> <ol style="list-style-type: none"> 1. 审查。 2. 登记。 `,
		"<p>第十二条 监督管理。</p> <p>【规范性文件】《自治区党委办公厅 人民政府办公厅关于印发〈规定〉的通知》（宁党办〔2018〕134号）</p>",
		"【法律】《某法》（（嵌套）括号）。第一条【",
		"&lt;p&gt;【规章】《办法》(未闭合",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		checkInvariants(t, raw, Parse(raw))
		for _, p := range Paragraphs(raw) {
			if p == "" || p != strings.TrimSpace(p) || strings.ContainsAny(p, "\n\r") || tagRE.MatchString(p) {
				t.Fatalf("bad paragraph %q from %q", p, raw)
			}
		}
	})
}

func TestMarkupIsTheInverseOfParagraphs(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"一段", "一段"},
		{"第一段\n第二段", "<p>第一段</p> <p>第二段</p>"},
		{"第一段\r\n\r\n  第二段  \n", "<p>第一段</p> <p>第二段</p>"},
		{"带\t制表符\n<img src=x> & 5>3", "<p>带 制表符</p> <p>&lt;img src=x&gt; &amp; 5&gt;3</p>"},
	} {
		got := Markup(tc.in)
		if got != tc.want {
			t.Errorf("Markup(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if strings.ContainsAny(got, "\t\r\n") && got != tc.in {
			t.Errorf("Markup(%q) keeps a tab or line break", tc.in)
		}
	}
	typed := "【法律】《中华人民共和国社会保险法》\n第八十七条 <不得> & 其他"
	if got := strings.Join(Paragraphs(Markup(typed)), "\n"); got != typed {
		t.Errorf("Paragraphs(Markup(x)) = %q, want %q", got, typed)
	}
}

// hasLineBreak answers what strings.ContainsAny does for the line breaks.
func TestHasLineBreak(t *testing.T) {
	for _, s := range []string{"", "第一条", "第一条\n第二条", "a\rb", "第一条\u2028第二条", "\u2029", "\u2027\u202a", "\t", "【法律】《某法》"} {
		if got, want := hasLineBreak(s), strings.ContainsAny(s, "\n\r\u2028\u2029"); got != want {
			t.Errorf("hasLineBreak(%q) = %v, want %v", s, got, want)
		}
	}
}
