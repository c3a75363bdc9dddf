package basis_test

import (
	"reflect"
	"strings"
	"testing"

	. "qingdan/basis"
	"qingdan/models"
)

func TestNormTitle(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"高值医用耗材集中采购工作规范（试行）", "高值医用耗材集中采购工作规范(试行)"},
		{"自治区党委办公厅 人民政府办公厅关于印发〈规定〉的通知", "自治区党委办公厅人民政府办公厅关于印发<规定>的通知"},
		{"宁夏回族自治区实施〈医疗保障基金使用监督管理条例〉办法", "宁夏回族自治区实施《医疗保障基金使用监督管理条例》办法"},
		{"社会保险费征缴暂行条例", " 社会保险费征缴暂行条例\u3000"},
		{"关于“十四五”规划的通知", "关于十四五规划的通知"},
		{"第２号", "第2号"},
	} {
		if NormTitle(tc.a) != NormTitle(tc.b) {
			t.Errorf("NormTitle(%q) = %q ≠ NormTitle(%q) = %q", tc.a, NormTitle(tc.a), tc.b, NormTitle(tc.b))
		}
	}
	// A leading 中华人民共和国 is part of the title: only an alias merges them.
	if NormTitle("中华人民共和国医疗保障基金使用监督管理条例") == NormTitle("医疗保障基金使用监督管理条例") {
		t.Error("the country prefix must not be dropped")
	}
	if NormDocNumber("新政办发[2017] 54号") != NormDocNumber("新政办发〔2017〕54号") {
		t.Error("document numbers differing by bracket and space must fold")
	}
}

func TestParseEdition(t *testing.T) {
	tests := []struct {
		in   string
		want CitedEdition
		ok   bool
	}{
		{"2018年修正", CitedEdition{Year: 2018, Kind: "修正"}, true},
		{"2018 年修正", CitedEdition{Year: 2018, Kind: "修正"}, true},
		{"2019修订", CitedEdition{Year: 2019, Kind: "修订"}, true},
		{"2019 修订", CitedEdition{Year: 2019, Kind: "修订"}, true},
		{"1999年国务院令 第259号", CitedEdition{Year: 1999}, true},
		{"2003年劳动和社会保障部令第16号", CitedEdition{Year: 2003}, true},
		{"2021年1月15日公布，2021年5月1日施行", CitedEdition{Year: 2021, Month: 1, Day: 15, Kind: "公布"}, true},
		{"2020年12月24日发布", CitedEdition{Year: 2020, Month: 12, Day: 24, Kind: "公布"}, true},
		// Yutian line 54: the amendment wins over the first publication,
		// though its kind stands after the amending decision's title.
		{"2014年2月21日发布，根据2019年3月2日《国务院关于修改部分行政法规的决定》修订",
			CitedEdition{Year: 2019, Month: 3, Day: 2, Kind: "修订"}, true},
		{"1999年8月1日发布，2010年12月4日第三次修订", CitedEdition{Year: 2010, Month: 12, Day: 4, Kind: "修订"}, true},
		{"中华人民共和国第十一届全国人民代表大会常务委员会第十七次会议于2010年10月28日通过，2018年12月29日第十三届全国人民代表大会常务委员会第七次会议修正",
			CitedEdition{Year: 2018, Month: 12, Day: 29, Kind: "修正"}, true},
		// A document number's year is no edition.
		{"卫规财发〔2012〕86号", CitedEdition{}, false},
		{"新政办发[2017]54号", CitedEdition{}, false},
		{"", CitedEdition{}, false},
		{"试行", CitedEdition{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseEdition(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseEdition(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// The editions of 《中华人民共和国药品管理法》 and 《社会保险费征缴暂行条例》 as the registry file has them.
var (
	drugLaw = []models.InstrumentEdition{{Date: "1984-09-20", Kind: "通过"}, {Date: "2001-02-28", Kind: "修订"},
		{Date: "2013-12-28", Kind: "修正"}, {Date: "2015-04-24", Kind: "修正"}, {Date: "2019-08-26", Kind: "修订"}, {Date: "2019-12-01", Kind: "施行"}}
	premiums = []models.InstrumentEdition{{Date: "1999-01-14", Kind: "通过"}, {Date: "1999-01-22", Kind: "公布"},
		{Date: "1999-01-22", Kind: "施行"}, {Date: "2019-03-24", Kind: "修订"}}
)

func TestEditionMatch(t *testing.T) {
	drug, prem := Editions(drugLaw), Editions(premiums)
	if len(drug) != 5 || len(prem) != 2 {
		t.Fatalf("texts: %d of the drug law, %d of the premiums regulation", len(drug), len(prem))
	}
	if prem[0].Date != "1999-01-22" || prem[0].Kind != "公布" || prem[0].Label() != "1999年公布" {
		t.Errorf("original of the premiums regulation = %+v, want its publication", prem[0])
	}
	tests := []struct {
		eds      []Edition
		edition  string
		wantDate string // "" for no match
	}{
		{drug, "2019年修订", "2019-08-26"},
		{drug, "2015年修正", "2015-04-24"},
		{drug, "2014年修正", ""}, // no 2014 amendment: not guessed
		{drug, "2014年版", "2013-12-28"},
		{drug, "1984年9月20日通过，2019年8月26日第二次修订", "2019-08-26"},
		{prem, "1999年国务院令 第259号", "1999-01-22"},
		{prem, "1999年1月14日通过", "1999-01-22"}, // the passing day names the original too
		{prem, "2019修订", "2019-03-24"},
		{prem, "1990年", ""},
	}
	for _, tt := range tests {
		ce, ok := ParseEdition(tt.edition)
		if !ok {
			t.Fatalf("ParseEdition(%q) failed", tt.edition)
		}
		e, ok := ce.Match(tt.eds)
		if got := map[bool]string{true: e.Date}[ok]; got != tt.wantDate {
			t.Errorf("%q matched %q, want %q", tt.edition, got, tt.wantDate)
		}
	}
}

func TestResolve(t *testing.T) {
	reg := seedRegistry(t)
	tests := []struct {
		c       models.Citation
		title   string // "" for unresolved
		by      string
		edition string
	}{
		{models.Citation{Level: "法律", Title: "中华人民共和国社会保险法", Edition: "2018年修正"}, "中华人民共和国社会保险法", ByTitle, "2018-12-29"},
		{models.Citation{Level: "法规", Title: "中华人民共和国医疗保障基金使用监督管理条例", Edition: "2021年1月15日公布，2021年5月1日施行"},
			"医疗保障基金使用监督管理条例", ByAlias, "2021-01-15"},
		{models.Citation{Level: "行政法规", Title: "高值医用耗材集中采购工作规范(试行)", Edition: "卫规财发〔2012〕86号"},
			"高值医用耗材集中采购工作规范（试行）", ByTitle, ""},
		// Known by its number only: the title as cited lacks the issuers.
		{models.Citation{Level: "规范性文件", Title: "关于印发〈自治区医疗保障局职能配置内设机构和人员编制规定〉的通知", Edition: "宁党办〔2018〕134号"},
			"自治区党委办公厅 人民政府办公厅关于印发〈自治区医疗保障局职能配置内设机构和人员编制规定〉的通知", ByDocNumber, ""},
		{models.Citation{Level: "法律", Title: "社会保险法"}, "", "", ""},
		{models.Citation{Level: "法律", Articles: "第八条"}, "", "", ""},
	}
	for _, tt := range tests {
		res := reg.Resolve(tt.c)
		got := ""
		if res.Instrument != nil {
			got = res.Instrument.Title
		}
		ed := ""
		if res.Edition != nil {
			ed = res.Edition.Date
		}
		if got != tt.title || res.By != tt.by || ed != tt.edition {
			t.Errorf("Resolve(%+v) = %q by %q edition %q; want %q by %q edition %q", tt.c, got, res.By, ed, tt.title, tt.by, tt.edition)
		}
	}
}

func TestCheckFindsEveryKind(t *testing.T) {
	rows, _ := SeedInstruments()
	var ins []models.Instrument
	for i, r := range rows {
		r.Instrument.ID = int64(i + 1)
		ins = append(ins, r.Instrument)
	}
	// An instrument repealed, and one in force only from a later day, to show those kinds.
	ins = append(ins, models.Instrument{ID: 100, Title: "某某已废止办法", Level: "部门规章", Status: models.StatusRepealed},
		models.Instrument{ID: 101, Title: "某某新条例", Level: "行政法规", Status: models.StatusInForce, Effective: "2030-01-01"})
	reg := NewRegistry(ins)
	c := func(item int64, level, title, edition string) Cited {
		return Cited{ItemID: item, ItemName: "事项", Field: models.LinkFieldBasis,
			Citation: models.Citation{Level: level, Title: title, Edition: edition}}
	}
	tests := []struct {
		name string
		cs   []Cited
		want []string // kinds, in order
		msg  string   // a part of the first finding's message
	}{
		{"correct citation: nothing", []Cited{c(1, "法律", "中华人民共和国社会保险法", "2018年修正")}, nil, ""},
		{"法规 for a 行政法规 is the short form, no finding", []Cited{c(1, "法规", "社会救助暂行办法", "2019年修订")}, nil, ""},
		{"【规章】 for a 行政法规 (Yutian)", []Cited{c(1, "规章", "价格违法行为行政处罚规定", "2010年12月4日第三次修订")},
			[]string{FindingLevelMismatch}, "是行政法规，被引用为“规章”"},
		{"【行政法规】 for a 规范性文件 (Hongsibu)", []Cited{c(1, "行政法规", "药品集中采购监督管理办法", "国纠办发〔2010〕6号")},
			[]string{FindingLevelMismatch}, "是规范性文件"},
		{"alias with a prefix the title lacks (Yutian)", []Cited{c(1, "法规", "中华人民共和国医疗保障基金使用监督管理条例", "")},
			[]string{FindingWrongTitle}, "应为《医疗保障基金使用监督管理条例》"},
		{"superseded names the replacement (Yutian)", []Cited{c(1, "规范性文件", "欺诈骗取医疗保障基金行为举报奖励暂行办法", "医保发〔2018〕22号")},
			[]string{FindingSuperseded}, "《违法违规使用医疗保障基金举报奖励办法》（医保办发〔2022〕22号）"},
		{"repealed", []Cited{c(1, "部门规章", "某某已废止办法", "")}, []string{FindingRepealed}, "已废止"},
		{"outdated edition (Hongsibu: 1999 text of a regulation revised in 2019)", []Cited{c(1, "行政法规", "社会保险费征缴暂行条例", "1999年国务院令 第259号")},
			[]string{FindingOutdatedEdition}, "现行文本为 2019-03-24 修订"},
		{"amending decision cited (Yutian)", []Cited{c(1, "法规", "国务院关于修改部分行政法规的决定", "2019年3月2日国务院令709号")},
			[]string{FindingAmendingAct}, "修改决定"},
		{"a draft is not in force", []Cited{c(1, "法律", "中华人民共和国医疗保障法", "")}, []string{FindingNotInForce}, "草案"},
		{"in force after the version's date", []Cited{c(1, "行政法规", "某某新条例", "")}, []string{FindingNotInForce}, "2030-01-01"},
		{"unknown instrument", []Cited{c(1, "法律", "社会保险法", "")}, []string{FindingUnknownInstrument}, "法规库中没有《社会保险法》"},
		{"level conflict within the list (Hongsibu), reported once beside the mismatch",
			[]Cited{c(1, "行政法规", "社会保险费征缴暂行条例", "2019修订"), c(2, "部门规章", "社会保险费征缴暂行条例", "2019修订")},
			[]string{FindingLevelMismatch, FindingLevelConflict}, "是行政法规，被引用为“部门规章”"},
		{"the same problem twice in one item is one finding",
			[]Cited{c(1, "规章", "价格违法行为行政处罚规定", ""), c(1, "规章", "价格违法行为行政处罚规定", "")},
			[]string{FindingLevelMismatch}, ""},
		{"articles without a title are not checked", []Cited{c(1, "", "", "")}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := reg.Check(tt.cs, "2024-06-01")
			var kinds []string
			for _, f := range fs {
				kinds = append(kinds, f.Kind)
			}
			if !reflect.DeepEqual(kinds, tt.want) {
				t.Fatalf("kinds = %v, want %v (%+v)", kinds, tt.want, fs)
			}
			if tt.msg != "" && !strings.Contains(fs[0].Message, tt.msg) {
				t.Errorf("message %q lacks %q", fs[0].Message, tt.msg)
			}
			for _, f := range fs {
				if f.Kind != FindingUnknownInstrument && f.Instrument == nil {
					t.Errorf("%s finding without its instrument", f.Kind)
				}
				if FindingLabels[f.Kind] == "" {
					t.Errorf("kind %s has no label", f.Kind)
				}
			}
		})
	}
	if len(FindingKinds) != len(FindingLabels) {
		t.Errorf("%d kinds but %d labels", len(FindingKinds), len(FindingLabels))
	}
}

func TestRewrite(t *testing.T) {
	reg := seedRegistry(t)
	isSI := func(title string) bool {
		res := reg.Resolve(models.Citation{Title: title})
		return res.Instrument != nil && res.Instrument.Title == "中华人民共和国社会保险法"
	}
	amend := Rewrite{Matches: isSI, NewTitle: "中华人民共和国社会保险法", EditionDate: "2026-05-01", EditionKind: "修正"}
	tests := []struct {
		rw      Rewrite
		in      string
		want    string
		changed bool
	}{
		{amend, "<p>【法律】《中华人民共和国社会保险法》（2018年修正）</p> <p>第八条 甲。</p>",
			"【法律】《中华人民共和国社会保险法》（2026年修正）\n第八条 甲。", true},
		{amend, "<p>【法律】《中华人民共和国社会保险法》(2018 年修正)第七十九条</p>",
			"【法律】《中华人民共和国社会保险法》（2026年修正）第七十九条", true},
		// The edition's form is kept: a dated edition stays dated.
		{amend, "【法律】《中华人民共和国社会保险法》（2010年10月28日通过，2018年12月29日修正）第八条",
			"【法律】《中华人民共和国社会保险法》（2026年5月1日修正）第八条", true},
		{amend, "【法律】《中华人民共和国社会保险法》第八条", "【法律】《中华人民共和国社会保险法》（2026年修正）第八条", true},
		// Other instruments stay as written.
		{amend, "【行政法规】《社会保险费征缴暂行条例》(2019修订)", "【行政法规】《社会保险费征缴暂行条例》(2019修订)", false},
		{Rewrite{Matches: func(t string) bool { return t == "旧办法" }, NewTitle: "新办法"},
			"【规章】《旧办法》（2010年第3号令）第五条", "【规章】《新办法》第五条", true},
	}
	for _, tt := range tests {
		got, changed := tt.rw.Apply(tt.in)
		if got != tt.want || changed != tt.changed {
			t.Errorf("Apply(%q)\n got %q, %v\nwant %q, %v", tt.in, got, changed, tt.want, tt.changed)
		}
	}
}

func TestReadInstruments(t *testing.T) {
	rows, err := SeedInstruments()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 34 {
		t.Errorf("seed registry has %d rows, want 34", len(rows))
	}
	for _, tc := range []struct{ name, tsv, want string }{
		{"unknown column", "title\tlevel\tcolour\n", "未知的列“colour”"},
		{"missing level column", "title\n某法\n", "缺少“level”列"},
		{"bad level", "title\tlevel\n某法\t法令\n", "第 2 行：level：效力层级“法令”"},
		{"bad date", "title\tlevel\tpublished\n某法\t法律\t2020/1/1\n", "第 2 行：published"},
		{"bad edition", "title\tlevel\teditions\n某法\t法律\t2020-01-01 颁行\n", "第 2 行：editions"},
		{"duplicate", "title\tlevel\n某法\t法律\n某法\t法律\n", "第 3 行：《某法》与第 2 行重复"},
		{"empty title", "title\tlevel\n\t法律\n", "第 2 行：title"},
	} {
		_, err := ReadInstrumentsTSV(strings.NewReader(tc.tsv))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	ok, err := ReadInstrumentsTSV(strings.NewReader("level\ttitle\taliases\tstatus\n法律\t某法\t甲|乙| \t\n"))
	if err != nil || len(ok) != 1 || ok[0].Instrument.Status != models.StatusUnconfirmed || !reflect.DeepEqual(ok[0].Instrument.Aliases, []string{"甲", "乙"}) {
		t.Errorf("columns in any order, aliases split, empty status 未确认: %+v, %v", ok, err)
	}
}
