package models_test

import (
	"strings"
	"testing"

	"qingdan/models"
)

// TestItemTextProblem: each field is held to the limit of its row in the
// field table, an extra column to MaxExtraRunes, and the problem names the
// field (an extra by "extra.<header>", as the workflow's field errors do).
func TestItemTextProblem(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	cases := []struct {
		name      string
		item      models.ItemFields
		wantField models.Field
		wantMsg   string
	}{
		{"every field at its limit", models.ItemFields{Name: long(200), Code: long(32), Basis: long(6000), Note: long(1000),
			Extra: map[string]string{"承接单位": long(models.MaxExtraRunes)}}, "", ""},
		{"a name one past", models.ItemFields{Name: long(201)}, models.FieldName, "不能超过 200 字（现有 201 字）"},
		{"a basis one past", models.ItemFields{Basis: long(6001)}, models.FieldBasis, "不能超过 6000 字"},
		{"an extra one past", models.ItemFields{Extra: map[string]string{"是否涉企": "否", "承接单位": long(models.MaxExtraRunes + 1)}},
			"extra.承接单位", "不能超过 3000 字"},
		{"a control character in an extra", models.ItemFields{Extra: map[string]string{"责任人员": "科长\x00"}}, "extra.责任人员", "U+0000"},
		{"a 序号 out of range", models.ItemFields{Seq: models.MaxSeq + 1}, models.FieldSeq, "序号应在"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, msg := models.ItemTextProblem(tc.item)
			if f != tc.wantField || !strings.Contains(msg, tc.wantMsg) || (tc.wantMsg == "") != (msg == "") {
				t.Errorf("got %q %q, want %q containing %q", f, msg, tc.wantField, tc.wantMsg)
			}
		})
	}
	for _, d := range models.FieldDefs {
		if (d.MaxRunes == 0) != (d.Name == models.FieldSeq) {
			t.Errorf("%s: every text field needs a limit in the field table, got %d", d.Name, d.MaxRunes)
		}
	}
}
