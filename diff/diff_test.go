package diff

import (
	"reflect"
	"strings"
	"testing"

	"qingdan/models"
)

func TestTextRedlinesChinesePhrases(t *testing.T) {
	cases := []struct {
		name          string
		before, after string
		want          []Segment
	}{
		{"equal", "行政处罚", "行政处罚", []Segment{{Equal, "行政处罚"}}},
		{"both empty", "", "", []Segment{}},
		{"added from nothing", "", "增加", []Segment{{Insert, "增加"}}},
		{"removed to nothing", "取消", "", []Segment{{Delete, "取消"}}},
		{"two amounts changed", "处骗取金额二倍以上五倍以下的罚款", "处骗取金额一倍以上三倍以下的罚款",
			[]Segment{{Equal, "处骗取金额"}, {Delete, "二"}, {Insert, "一"}, {Equal, "倍以上"}, {Delete, "五"}, {Insert, "三"}, {Equal, "倍以下的罚款"}}},
		{"category replaced", "其他类", "行政处罚", []Segment{{Delete, "其他类"}, {Insert, "行政处罚"}}},
		{"clause appended", "第八十七条", "第八十七条、第八十八条", []Segment{{Equal, "第八十七条"}, {Insert, "、第八十八条"}}},
		// Semantic cleanup: a rewritten phrase reads as one deletion and one
		// insertion, not as scattered characters (医 and 机构 kept alone).
		{"phrase rewritten", "对医疗机构的处罚", "对定点医药机构违规行为的处罚",
			[]Segment{{Equal, "对"}, {Delete, "医疗机构"}, {Insert, "定点医药机构违规行为"}, {Equal, "的处罚"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Text(c.before, c.after)
			if Before(got) != c.before || After(got) != c.after {
				t.Fatalf("segments %v reassemble to %q → %q, want %q → %q", got, Before(got), After(got), c.before, c.after)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Text(%q, %q) = %v, want %v", c.before, c.after, got, c.want)
			}
			for i, s := range got {
				if s.Text == "" {
					t.Errorf("segment %d is empty", i)
				}
				if i > 0 && got[i-1].Op == s.Op {
					t.Errorf("segments %d and %d have the same op %s: not merged", i-1, i, s.Op)
				}
			}
		})
	}
}

func TestTextIsCharacterLevelNotLineLevel(t *testing.T) {
	before := "第一段不变\n第二段处以罚款"
	after := "第一段不变\n第二段处以警告"
	got := Text(before, after)
	var deleted []string
	for _, s := range got {
		if s.Op == Delete {
			deleted = append(deleted, s.Text)
		}
	}
	if strings.Join(deleted, "") != "罚款" {
		t.Errorf("deleted %q, want only the changed characters 罚款 (segments %v)", deleted, got)
	}
}

func TestTextReassemblesLongChineseTexts(t *testing.T) {
	base := strings.Repeat("医疗保障行政部门责令退回，处骗取金额2倍以上5倍以下的罚款；", 40)
	pairs := [][2]string{
		{base, strings.Replace(base, "2倍", "3倍", 7)},
		{base, "<p>" + base + "</p>"},
		{base, strings.ReplaceAll(base, "；", "。")},
		{"《中华人民共和国社会保险法》（2018年修正）", "《医疗保障基金使用监督管理条例》（2021年）"},
	}
	for _, p := range pairs {
		for _, dir := range [][2]string{p, {p[1], p[0]}} {
			got := Text(dir[0], dir[1])
			if Before(got) != dir[0] || After(got) != dir[1] {
				t.Fatalf("segments do not reassemble the texts (%d segments)", len(got))
			}
		}
	}
}

func TestFieldsListsOnlyChangedFields(t *testing.T) {
	before := models.ItemFields{Seq: 1, Code: "1047001000", Name: "医疗保险违法行为的处理", Category: "其他类", Basis: "【法律】《社会保险法》", Note: ""}
	after := before
	after.Seq = 11 // renumbering is not a change of the power
	after.Code = "0247011000"
	after.Category = "行政处罚"
	after.Note = "由其他类别改为行政处罚"
	before.Extra = map[string]string{"承接单位": "各乡镇", "是否涉企": "是"}
	after.Extra = map[string]string{"承接单位": "各乡镇人民政府", "责任人员": "张三"}
	got := Fields(before, after)
	var names []string
	for _, f := range got {
		names = append(names, f.Field)
		if Before(f.Segments) != f.Before || After(f.Segments) != f.After {
			t.Errorf("field %s: segments do not reassemble", f.Field)
		}
	}
	if want := []string{"code", "category", "note", "extra.承接单位", "extra.是否涉企", "extra.责任人员"}; !reflect.DeepEqual(names, want) {
		t.Errorf("changed fields %v, want %v", names, want)
	}
	if len(Fields(before, before)) != 0 {
		t.Error("an item compared with itself has changed fields")
	}
}

// Fields of paragraphs are compared as the reader sees them: other markup
// for the same text is no change, and a change comes as lines of text.
func TestFieldsCompareParagraphsAsText(t *testing.T) {
	before := models.ItemFields{Name: "a<b>c", Content: "<p>责令退回</p><p>处5&lt;6倍罚款</p>", Extra: map[string]string{"承接单位": "<p>乡镇卫生院</p>"}}
	after := before
	after.Name = "a<b>d"
	after.Content = "<p>责令退回</p> <ol> 处5&lt;6倍罚款"
	after.Extra = map[string]string{"承接单位": "乡镇卫生院\n村卫生室"}
	got := Fields(before, after)
	want := []Field{
		{Field: "name", Before: "a<b>c", After: "a<b>d", Segments: []Segment{{Equal, "a<b>"}, {Delete, "c"}, {Insert, "d"}}},
		{Field: "extra.承接单位", Before: "乡镇卫生院", After: "乡镇卫生院\n村卫生室", Segments: []Segment{{Equal, "乡镇卫生院"}, {Insert, "\n村卫生室"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fields = %q\nwant %q", got, want)
	}
}

// rev builds a revision; id is the revision row, item the stable identity.
func rev(id, item int64, pos int, name, category string) models.ItemRevision {
	return models.ItemRevision{ID: id, ItemID: item, Position: pos, Name: name, Category: category, Code: "c" + name}
}

func TestBetweenClassifiesAndOrdersChanges(t *testing.T) {
	atFrom := []models.ItemRevision{
		rev(1, 1, 1000, "甲", "行政处罚"), // unchanged: same revision row
		rev(2, 2, 2000, "乙", "行政处罚"), // modified
		rev(3, 3, 3000, "丙", "其他类"),  // recategorized
		rev(4, 4, 4000, "丁", "行政检查"), // removed
		rev(5, 5, 5000, "戊", "行政检查"), // changed and changed back
	}
	atTo := []models.ItemRevision{
		rev(1, 1, 1000, "甲", "行政处罚"),
		rev(12, 2, 2000, "乙（修订）", "行政处罚"),
		rev(13, 3, 3000, "丙", "行政处罚"),
		rev(15, 5, 5000, "戊", "行政检查"),
		rev(16, 6, 1500, "己", "行政给付"), // added: 行政给付 comes after 行政处罚, before 行政检查
	}
	got := Between(models.Arrangement{}, 1, 3, atFrom, atTo, nil)
	type brief struct {
		item   int64
		kind   Kind
		fields string
	}
	var briefs []brief
	for _, c := range got {
		var names []string
		for _, f := range c.Fields {
			names = append(names, f.Field)
		}
		briefs = append(briefs, brief{c.ItemID, c.Kind, strings.Join(names, ",")})
		if (c.Before == nil) != (c.Kind == Added) || (c.After == nil) != (c.Kind == Removed) {
			t.Errorf("item %d %s: before %v after %v", c.ItemID, c.Kind, c.Before, c.After)
		}
	}
	want := []brief{
		{2, Modified, "code,name"},
		{3, Recategorized, "category"},
		{6, Added, "code,name,category"},
		{4, Removed, "code,name,category"},
	}
	if !reflect.DeepEqual(briefs, want) {
		t.Errorf("changes\n got %v\nwant %v", briefs, want)
	}
}

func TestBetweenBackwardIsTheInverse(t *testing.T) {
	v1 := []models.ItemRevision{
		rev(1, 1, 1000, "对骗取医疗保障基金支出的处罚", "行政处罚"),
		rev(2, 2, 2000, "医疗保险违法行为的处理", "其他类"),
		rev(3, 3, 3000, "对定点医药机构的检查", "行政检查"),
	}
	v2 := []models.ItemRevision{
		rev(11, 1, 1000, "对以欺诈手段骗取医疗保障基金支出行为的处罚", "行政处罚"),
		rev(12, 2, 2000, "医疗保险违法行为的处理", "行政处罚"),
		rev(14, 4, 4000, "对医疗保障经办机构的检查", "行政检查"),
	}
	forward := Between(models.Arrangement{}, 1, 2, v1, v2, nil)
	backward := Between(models.Arrangement{}, 2, 1, v2, v1, nil)
	if len(forward) != 4 || len(backward) != len(forward) {
		t.Fatalf("forward %d changes, backward %d, want 4 each", len(forward), len(backward))
	}
	for i := range forward {
		f, b := forward[i], backward[i]
		if b.ItemID != f.ItemID || b.Before != f.After || b.After != f.Before {
			t.Errorf("change %d: backward is not forward with before and after swapped", i)
		}
		wantKind := map[Kind]Kind{Added: Removed, Removed: Added, Modified: Modified, Recategorized: Recategorized}[f.Kind]
		if b.Kind != wantKind {
			t.Errorf("item %d: forward %s, backward %s", f.ItemID, f.Kind, b.Kind)
		}
		if len(b.Fields) != len(f.Fields) {
			t.Fatalf("item %d: %d fields forward, %d backward", f.ItemID, len(f.Fields), len(b.Fields))
		}
		for j := range f.Fields {
			ff, bf := f.Fields[j], b.Fields[j]
			if bf.Field != ff.Field || bf.Before != ff.After || bf.After != ff.Before {
				t.Errorf("item %d field %s: not swapped", f.ItemID, ff.Field)
			}
			if Before(bf.Segments) != bf.Before || After(bf.Segments) != bf.After {
				t.Errorf("item %d field %s: backward segments do not reassemble", f.ItemID, ff.Field)
			}
			if len(bf.Segments) != len(ff.Segments) {
				t.Errorf("item %d field %s: segment counts differ", f.ItemID, ff.Field)
			}
		}
	}
}

func TestCommonEndsStopAtCharacterBoundaries(t *testing.T) {
	cases := []struct {
		a, b           string
		prefix, suffix int
	}{
		{"一倍以上", "三倍以上", 0, len("倍以上")},
		// 一 (E4 B8 80) and 丁 (E4 B8 81) share two bytes: no half character.
		{"第一条", "第丁条", len("第"), len("条")},
		{"倍一", "倍丁", len("倍"), 0},
		{"abc", "abc", 3, 3},
		{"", "x", 0, 0},
		{"处罚", "处罚款", len("处罚"), 0},
		{"\xff\xfe", "\xff\xfd", 1, 0}, // invalid UTF-8 is compared byte by byte
	}
	for _, c := range cases {
		if got := commonPrefix(c.a, c.b); got != c.prefix {
			t.Errorf("commonPrefix(%q, %q) = %d, want %d", c.a, c.b, got, c.prefix)
		}
		if got := commonSuffix(c.a, c.b); got != c.suffix {
			t.Errorf("commonSuffix(%q, %q) = %d, want %d", c.a, c.b, got, c.suffix)
		}
	}
}
