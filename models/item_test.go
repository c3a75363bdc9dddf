package models_test

import (
	"testing"

	"qingdan/models"
)

func TestItemFieldsByName(t *testing.T) {
	src := models.ItemFields{Seq: 7, Code: "0247001000", Name: "甲", Basis: "【法律】《乙法》", Note: "增加",
		Citations: []models.Citation{{Level: "法律", Title: "乙法"}}}
	for _, f := range append([]models.Field{models.FieldSeq}, models.TextFields...) {
		var dst models.ItemFields
		dst.CopyField(f, src)
		if dst.Get(f) != src.Get(f) {
			t.Errorf("%s: copied %q, want %q", f, dst.Get(f), src.Get(f))
		}
	}
	if src.Get(models.FieldSeq) != "7" || src.Get("unknown") != "" {
		t.Errorf("Get(seq) = %q, Get(unknown) = %q", src.Get(models.FieldSeq), src.Get("unknown"))
	}
	var dst models.ItemFields
	dst.CopyField(models.FieldBasis, src)
	src.Citations[0].Title = "changed"
	if len(dst.Citations) != 1 || dst.Citations[0].Title != "乙法" {
		t.Errorf("the basis brings its own copy of the citations: %+v", dst.Citations)
	}
	if len(models.TextFields) != 14 {
		t.Errorf("every text field of ItemFields is listed: %d", len(models.TextFields))
	}
}
