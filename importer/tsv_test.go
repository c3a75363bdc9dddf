package importer

import (
	"reflect"
	"strings"
	"testing"

	"qingdan/models"
)

// Writing a seed's items and reading them back gives the same items, field
// by field, and none of the seed's layout quirks.
func TestWriteTSVRoundTrip(t *testing.T) {
	for _, f := range []string{hongsibuFile, yutianFile} {
		t.Run(f, func(t *testing.T) {
			a := parseString(t, readSeed(t, f), Options{})
			var b strings.Builder
			if err := WriteTSV(&b, a.Title, a.Layout, a.Items); err != nil {
				t.Fatal(err)
			}
			c := parseString(t, b.String(), Options{})
			if c.Title != a.Title || c.Agency != a.Agency || c.Kind != a.Kind || c.Layout != a.Layout {
				t.Errorf("header: %q %q %q", c.Title, c.Agency, c.Kind)
			}
			if len(c.Items) != len(a.Items) {
				t.Fatalf("%d items back, want %d", len(c.Items), len(a.Items))
			}
			for i := range a.Items {
				for _, fl := range append([]models.Field{models.FieldSeq}, models.TextFields...) {
					if g, w := c.Items[i].Get(fl), a.Items[i].Get(fl); g != w {
						t.Errorf("item %d %s: got %q, want %q", i, fl, clipStart(g, 40), clipStart(w, 40))
					}
				}
				if !reflect.DeepEqual(c.Items[i].Citations, a.Items[i].Citations) {
					t.Errorf("item %d citations differ", i)
				}
			}
			if !reflect.DeepEqual(c.Report.Counts, a.Report.Counts) {
				t.Errorf("counts %v, want %v", c.Report.Counts, a.Report.Counts)
			}
			for _, an := range c.Report.Anomalies {
				switch an.Kind {
				case KindCitationLevelConflict, KindCitationTitleUnmarked: // content findings stay
				default:
					t.Errorf("written file has a layout quirk: %+v", an)
				}
			}
		})
	}
}

func TestWriteTSVShape(t *testing.T) {
	items := []models.ItemFields{
		{Seq: 1, Name: "甲", Category: "行政处罚", Code: "0247001000"},
		{Seq: 1, Name: "乙", Category: "行政检查"},
		{Seq: 2, Name: "丙", Category: "行政检查"},
	}
	var b strings.Builder
	if err := WriteTSV(&b, "某局权力清单", Power, items); err != nil {
		t.Fatal(err)
	}
	want := file("某局权力清单", "", "一、行政处罚", "", powerHeader, row("1", "甲", "", "0247001000", "", "", "", "", ""),
		"", "二、行政检查", "", powerHeader, row("1", "乙", "", "", "", "", "", "", ""), row("2", "丙", "", "", "", "", "", "", "")) + "\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteTSVRefuses(t *testing.T) {
	ok := models.ItemFields{Seq: 1, Name: "甲", Category: "行政检查"}
	with := func(f func(*models.ItemFields)) models.ItemFields { it := ok; f(&it); return it }
	tests := []struct {
		name, kind string
		item       models.ItemFields
		msg        string
	}{
		{"seq 0", "power", with(func(it *models.ItemFields) { it.Seq = 0 }), "序号"},
		{"duty field in a power list", "power", with(func(it *models.ItemFields) { it.Duty = "职责" }), "“部门职责”有内容"},
		{"content in a duty list", "duty", with(func(it *models.ItemFields) { it.Content = "内容" }), "“行使内容”有内容"},
		{"code in a duty list", "duty", with(func(it *models.ItemFields) { it.Code = "0647001000" }), "“基本编码”有内容"},
		{"line break", "power", with(func(it *models.ItemFields) { it.Basis = "第一段\n第二段" }), "换行"},
		{"tab", "duty", with(func(it *models.ItemFields) { it.Name = "甲\t乙" }), "制表符"},
		{"surrounding spaces", "power", with(func(it *models.ItemFields) { it.Note = " 增加" }), "空白"},
		{"power item without category", "power", with(func(it *models.ItemFields) { it.Category = "" }), "权力类型"},
		{"would read back as shifted", "power", with(func(it *models.ItemFields) { it.Subitem = "0647001000"; it.Department = "局" }), "左移"},
		{"would read back as missing level", "duty", with(func(it *models.ItemFields) { it.Level = "负责检查"; it.Duty = "负责检查" }), "缺少实施层级"},
		{"nothing but seq", "power", models.ItemFields{Seq: 1, Category: "行政检查"}, "都为空"},
		{"would read back as ambiguous", "duty", with(func(it *models.ItemFields) { it.Duty = "负责检查"; it.Responsibility = "负责检查" }), "无法确定对齐"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			err := WriteTSV(&b, "某局清单", seedLayout(tt.kind), []models.ItemFields{tt.item})
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %v, want an error about %q", err, tt.msg)
			}
			if b.Len() != 0 {
				t.Error("wrote something before refusing")
			}
		})
	}
	for _, title := range []string{"一、某局权力清单", "序号", "---", " 某局权力清单", "某局\t权力清单"} {
		if err := WriteTSV(&strings.Builder{}, title, Power, []models.ItemFields{ok}); err == nil {
			t.Errorf("title %q accepted", title)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 5: "五", 10: "十", 11: "十一", 20: "二十", 21: "二十一", 99: "九十九", 100: "一百", 101: "一百零一", 110: "一百一十", 125: "一百二十五"} {
		if got := ChineseNumber(n); got != want {
			t.Errorf("ChineseNumber(%d) = %q, want %q", n, got, want)
		}
		if !headingRE.MatchString(ChineseNumber(n) + "、行政处罚") {
			t.Errorf("heading %d does not parse", n)
		}
	}
}

func seedLayout(kind string) *Layout {
	l, _ := LayoutFor(kind)
	return l
}
