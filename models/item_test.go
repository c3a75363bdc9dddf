package models_test

import (
	"reflect"
	"slices"
	"strings"
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

// The field table names every field of ItemFields by its JSON name, each
// reachable by name, with a label and synonyms for the importer.
func TestFieldTableMatchesItemFields(t *testing.T) {
	typ := reflect.TypeOf(models.ItemFields{})
	var tags []string
	for i := range typ.NumField() {
		tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if tag != "citations" && tag != "extra" { // derived from the basis; the list's own columns
			tags = append(tags, tag)
		}
	}
	var names []string
	for _, d := range models.FieldDefs {
		names = append(names, string(d.Name))
		if d.Label == "" || len(d.Synonyms) == 0 || d.Width <= 0 {
			t.Errorf("%s: incomplete definition %+v", d.Name, d)
		}
		if d.Name != models.FieldSeq {
			if (&models.ItemFields{}).Ptr(d.Name) == nil {
				t.Errorf("%s: not reachable by name", d.Name)
			}
		}
	}
	if !slices.Equal(names, tags) {
		t.Errorf("field table %v\nItemFields %v", names, tags)
	}
	it := models.ItemFields{Extra: map[string]string{"承接单位": "乡镇", "空": ""}}
	if got := it.Get(models.FieldExtra); got != `{"承接单位":"乡镇"}` {
		t.Errorf("extra as text: %s", got)
	}
}
