package api_test

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/diff"
	"qingdan/models"
)

// TestChangeRequestPreviewFields: an operation's preview carries the redline
// segments of the Go diff, so the UI runs no diff of its own, and they are
// the ones the version comparison shows once the request is published.
func TestChangeRequestPreviewFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		base, _ := e.items(t, e.hsb, "")
		id := e.create(t, "hsb-ybj", e.hsb)
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": e.itemID(t, e.hsb, "社会保险稽核"),
			"item": map[string]any{"content": "负责本区域医疗保险、生育保险稽核"}})
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "add", "item": map[string]any{"name": "对定点医药机构违反服务协议行为的处理",
			"category": "行政处罚", "code": "0247011000", "basis": crBasis}})
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "remove", "item_id": e.itemID(t, e.hsb, "社保关系转移接续")})

		var d struct {
			Operations []struct {
				Op      string `json:"op"`
				ItemID  *int64 `json:"item_id"`
				Preview struct {
					Before  *models.ItemFields `json:"before"`
					After   *models.ItemFields `json:"after"`
					Changed []string           `json:"changed"`
					Fields  []diff.Field       `json:"fields"`
				} `json:"preview"`
			} `json:"operations"`
		}
		e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil).JSON(t, &d)
		if len(d.Operations) != 3 {
			t.Fatalf("%d operations, want 3", len(d.Operations))
		}
		previews := map[string][]diff.Field{} // by op
		for _, op := range d.Operations {
			p := op.Preview
			var before, after models.ItemFields
			if p.Before != nil {
				before = *p.Before
			}
			if p.After != nil {
				after = *p.After
			}
			if len(p.Fields) == 0 {
				t.Fatalf("%s: no fields in the preview", op.Op)
			}
			for _, f := range p.Fields {
				if f.Field == string(models.FieldSeq) {
					t.Errorf("%s: 序号 is redlined", op.Op)
				}
				if f.Before != before.Get(models.Field(f.Field)) || f.After != after.Get(models.Field(f.Field)) {
					t.Errorf("%s %s: field %q → %q is not the preview's item", op.Op, f.Field, f.Before, f.After)
				}
				if diff.Before(f.Segments) != f.Before || diff.After(f.Segments) != f.After {
					t.Errorf("%s %s: segments %v do not reassemble %q → %q", op.Op, f.Field, f.Segments, f.Before, f.After)
				}
				for _, s := range f.Segments {
					if op.Op == "add" && s.Op != diff.Insert || op.Op == "remove" && s.Op != diff.Delete {
						t.Errorf("%s %s: segment %v", op.Op, f.Field, s)
					}
				}
			}
			previews[op.Op] = p.Fields
		}
		mod := d.Operations[0]
		if !slices.Equal(mod.Preview.Changed, []string{"content"}) {
			t.Errorf("modify: changed %v, want [content]", mod.Preview.Changed)
		}
		i := slices.IndexFunc(mod.Preview.Fields, func(f diff.Field) bool { return f.Field == "content" })
		if i < 0 || mod.Preview.Fields[i].After != "负责本区域医疗保险、生育保险稽核" ||
			!slices.ContainsFunc(mod.Preview.Fields[i].Segments, func(s diff.Segment) bool { return s.Op == diff.Equal }) {
			t.Errorf("modify: fields %+v, want content redlined with its unchanged part kept", mod.Preview.Fields)
		}

		e.fire(t, "hsb-ybj", id, "submit", "", "legal_review")
		e.fire(t, "hsb-sfj", id, "pass", "合法性审查通过", "approval")
		e.fire(t, "hsb-gov", id, "approve", "同意", "approved")
		e.fire(t, "hsb-gov", id, "publish", "", "published")
		published := getDiff(t, e.h, e.hsb, base, base+1)
		kinds := map[string]string{"modified": "modify", "added": "add", "removed": "remove"}
		if len(published.Changes) != 3 {
			t.Fatalf("version %d→%d: %d changes, want 3", base, base+1, len(published.Changes))
		}
		for _, c := range published.Changes {
			if want := previews[kinds[c.Kind]]; !reflect.DeepEqual(c.Fields, want) {
				t.Errorf("%s: published redline %+v, previewed %+v", c.Kind, c.Fields, want)
			}
		}
	})
}
