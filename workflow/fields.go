package workflow

import (
	"slices"

	"qingdan/models"
)

// field is one comparable item field, named as in the JSON the UI edits.
type field struct {
	name string
	get  func(*models.ItemFields) any
	copy func(dst, src *models.ItemFields)
}

// fields are the item fields an operation can change. The note is left out
// (publication writes it) and so are the citations (derived from the basis,
// copied along with it).
var fields = []field{
	{"seq", func(f *models.ItemFields) any { return f.Seq }, func(d, s *models.ItemFields) { d.Seq = s.Seq }},
	{"code", func(f *models.ItemFields) any { return f.Code }, func(d, s *models.ItemFields) { d.Code = s.Code }},
	{"name", func(f *models.ItemFields) any { return f.Name }, func(d, s *models.ItemFields) { d.Name = s.Name }},
	{"subitem", func(f *models.ItemFields) any { return f.Subitem }, func(d, s *models.ItemFields) { d.Subitem = s.Subitem }},
	{"category", func(f *models.ItemFields) any { return f.Category }, func(d, s *models.ItemFields) { d.Category = s.Category }},
	{"department", func(f *models.ItemFields) any { return f.Department }, func(d, s *models.ItemFields) { d.Department = s.Department }},
	{"basis", func(f *models.ItemFields) any { return f.Basis }, func(d, s *models.ItemFields) {
		d.Basis, d.Citations = s.Basis, slices.Clone(s.Citations)
	}},
	{"level", func(f *models.ItemFields) any { return f.Level }, func(d, s *models.ItemFields) { d.Level = s.Level }},
	{"content", func(f *models.ItemFields) any { return f.Content }, func(d, s *models.ItemFields) { d.Content = s.Content }},
	{"duty", func(f *models.ItemFields) any { return f.Duty }, func(d, s *models.ItemFields) { d.Duty = s.Duty }},
	{"responsibility", func(f *models.ItemFields) any { return f.Responsibility }, func(d, s *models.ItemFields) { d.Responsibility = s.Responsibility }},
	{"responsibility_basis", func(f *models.ItemFields) any { return f.ResponsibilityBasis }, func(d, s *models.ItemFields) {
		d.ResponsibilityBasis = s.ResponsibilityBasis
	}},
	{"accountable", func(f *models.ItemFields) any { return f.Accountable }, func(d, s *models.ItemFields) { d.Accountable = s.Accountable }},
	{"accountability", func(f *models.ItemFields) any { return f.Accountability }, func(d, s *models.ItemFields) { d.Accountability = s.Accountability }},
}

// changedFields names the fields that differ; with no before, the fields the
// new item fills.
func changedFields(before *models.ItemFields, after models.ItemFields) []string {
	out := []string{}
	var zero models.ItemFields
	if before == nil {
		before = &zero
	}
	for _, f := range fields {
		if f.get(before) != f.get(&after) {
			out = append(out, f.name)
		}
	}
	return out
}

// applyChanges copies onto dst the fields in which edited differs from
// original: a three-way merge that moves an edit onto a newer state of the item.
func applyChanges(dst models.ItemFields, original, edited models.ItemFields) models.ItemFields {
	for _, f := range fields {
		if f.get(&original) != f.get(&edited) {
			f.copy(&dst, &edited)
		}
	}
	return dst
}
