package codes

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, code, category string
		want                 string // "" ok, "format", "mismatch", "unknown"
		msg                  string // substring of the message
	}{
		{"empty code is valid", "", "行政处罚", "", ""},
		{"seed 行政处罚", "0247001000", "行政处罚", "", ""},
		{"moved from civil affairs", "0208064000", "行政处罚", "", ""},
		{"seed 行政强制", "0347001000", "行政强制", "", ""},
		{"seed 行政给付", "0508004000", "行政给付", "", ""},
		{"seed 行政检查", "0608002000", "行政检查", "", ""},
		{"其他类 is 10", "1047002000", "其他类", "", ""},
		{"其他行政权力 is 10", "1047002000", "其他行政权力", "", ""},
		{"其他 is 10", "1047002000", "其他", "", ""},
		{"category with spaces", "0647001000", " 行政检查 ", "", ""},
		{"no category: format only", "9947001000", "", "", ""},
		{"too short", "024700100", "行政处罚", "format", "基本编码“024700100”格式不正确：应为10位数字（现为9个字符）"},
		{"too long", "02470010000", "行政处罚", "format", "应为10位数字"},
		{"letters", "02470010A0", "行政处罚", "format", "格式不正确"},
		{"full-width digits", "０２４７００１０００", "行政处罚", "format", "现为10个字符"},
		{"old code kept after recategorisation", "1011014000", "行政处罚", "mismatch",
			"基本编码“1011014000”的类型位“10”表示“其他”，与权力类型“行政处罚”（应为“02”）不一致"},
		{"type digits nobody has", "9947001000", "行政检查", "mismatch", "类型位“99”不属于任何权力类型"},
		{"unknown category", "0247001000", "行政监督", "unknown", "权力类型“行政监督”不在编码规则的类型表中"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Default.Check(tt.code, tt.category)
			var fe *FormatError
			var me *CategoryMismatchError
			var ue *UnknownCategoryError
			got := ""
			switch {
			case err == nil:
			case errors.As(err, &fe):
				got = "format"
			case errors.As(err, &me):
				got = "mismatch"
			case errors.As(err, &ue):
				got = "unknown"
			default:
				t.Fatalf("untyped error %v", err)
			}
			if got != tt.want {
				t.Fatalf("Check(%q, %q) = %v, want kind %q", tt.code, tt.category, err, tt.want)
			}
			if tt.msg != "" && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not contain %q", err.Error(), tt.msg)
			}
		})
	}
}

func TestTypeDigits(t *testing.T) {
	for i, c := range Categories {
		d, ok := TypeDigits(c)
		want := []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10"}[i]
		if !ok || d != want {
			t.Errorf("TypeDigits(%q) = %q, %v; want %q", c, d, ok, want)
		}
	}
	for _, c := range []string{"其他类", "其他行政权力"} {
		if d, ok := TypeDigits(c); !ok || d != "10" {
			t.Errorf("TypeDigits(%q) = %q, %v; want 10", c, d, ok)
		}
	}
	if _, ok := TypeDigits("行政监督"); ok {
		t.Error("unknown category has type digits")
	}
	if len(Default.Types) != len(Categories) {
		t.Fatal("Default table and Categories disagree in length")
	}
	for i, ty := range Default.Types {
		if ty.Category != Categories[i] {
			t.Errorf("Default.Types[%d] = %q, Categories[%d] = %q", i, ty.Category, i, Categories[i])
		}
	}
}

// A province with another shape configures its own rule.
func TestCustomRule(t *testing.T) {
	r := Rule{Length: 12, TypeLen: 3, Types: []Type{{"001", "行政许可"}, {"002", "行政处罚"}}}
	if err := r.Check("002000000001", "行政处罚"); err != nil {
		t.Fatal(err)
	}
	err := r.Check("0247001000", "行政处罚")
	var fe *FormatError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "应为12位数字") {
		t.Fatalf("got %v", err)
	}
	var me *CategoryMismatchError
	if err := r.Check("001000000001", "行政处罚"); !errors.As(err, &me) || me.WantDigits != "002" {
		t.Fatalf("got %v", err)
	}
}
