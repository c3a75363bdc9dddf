package search

import (
	"strings"
	"testing"
)

func render(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Hit {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestMark(t *testing.T) {
	for _, tc := range []struct{ text, q, want string }{
		{"对骗取医疗保障基金的处罚", "医疗保障", "对骗取[医疗保障]基金的处罚"},
		{"罚款；罚没", "罚", "[罚]款；[罚]没"},
		{"XK-0247-xk", "xk", "XK-0247-[xk]"},
		{"医疗保障", "医疗保障", "[医疗保障]"},
		{"aaa", "aa", "[aa]a"},
		{"医疗", "医疗保障", ""},
		{"没有匹配", "处罚", ""},
	} {
		if got := render(Mark(tc.text, tc.q)); got != tc.want {
			t.Errorf("Mark(%q, %q) = %q, want %q", tc.text, tc.q, got, tc.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("甲", 50) + "处罚" + strings.Repeat("乙", 50) + "处罚" + strings.Repeat("丙", 200)
	got := render(Excerpt(Mark(long, "处罚"), 10, 60))
	want := "…" + strings.Repeat("甲", 10) + "[处罚]" + strings.Repeat("乙", 50) + "[处罚]" + strings.Repeat("丙", 6) + "…"
	if got != want {
		t.Errorf("Excerpt = %q\nwant      %q", got, want)
	}
	short := render(Excerpt(Mark("甲处罚乙", "处罚"), 10, 60))
	if short != "甲[处罚]乙" {
		t.Errorf("a short text is kept whole: %q", short)
	}
}

func TestPlainText(t *testing.T) {
	if got := PlainText("<p>第一段</p><p class=\"x\">第二段</p>"); got != "第一段 第二段" {
		t.Errorf("PlainText = %q", got)
	}
	// Entities are text, other block tags break paragraphs, as the item drawer shows them.
	if got := PlainText("<div>罚款&nbsp;5&lt;6</div><li>第二项</li>"); got != "罚款 5<6 第二项" {
		t.Errorf("PlainText = %q", got)
	}
}
