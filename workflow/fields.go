package workflow

import (
	"slices"

	"qingdan/models"
)

// fields are the item fields an operation can change: all text fields but
// the note, which publication writes (citations travel with the basis), and
// the extra columns as a whole. The 序号 is not among them: it follows the
// item's place in each version.
var fields = append(slices.DeleteFunc(slices.Clone(models.TextFields), func(f models.Field) bool { return f == models.FieldNote }), models.FieldExtra)

// changedFields names the fields that differ; with no before, the fields the
// new item fills.
func changedFields(before *models.ItemFields, after models.ItemFields) []string {
	out := []string{}
	var zero models.ItemFields
	if before == nil {
		before = &zero
	}
	for _, f := range fields {
		if before.Get(f) != after.Get(f) {
			out = append(out, string(f))
		}
	}
	return out
}

// applyChanges copies onto dst the fields in which edited differs from
// original: a three-way merge that moves an edit onto a newer state of the item.
func applyChanges(dst models.ItemFields, original, edited models.ItemFields) models.ItemFields {
	for _, f := range fields {
		if original.Get(f) != edited.Get(f) {
			dst.CopyField(f, edited)
		}
	}
	return dst
}
