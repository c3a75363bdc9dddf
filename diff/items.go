package diff

import (
	"maps"
	"slices"

	"qingdan/models"
)

// Field is one changed field of an item, named as in the item's JSON.
type Field struct {
	Field    string    `json:"field"`
	Before   string    `json:"before"`
	After    string    `json:"after"`
	Segments []Segment `json:"segments"`
}

// Fields compares two states of an item field by field and returns the
// fields that differ, each with its character-level diff. The 序号 is left out:
// it is the row's number in a printed table, renumbered when items come and
// go, not a property of the power. Citations are left out because they are
// parsed from basis, which is compared. An extra column is compared as
// "extra.<header>" (models.ExtraPrefix).
func Fields(before, after models.ItemFields) []Field {
	var out []Field
	for _, name := range models.TextFields {
		b, a := before.Get(name), after.Get(name)
		if b != a {
			out = append(out, Field{Field: string(name), Before: b, After: a, Segments: Text(b, a)})
		}
	}
	headers := slices.Sorted(maps.Keys(before.Extra))
	for _, h := range slices.Sorted(maps.Keys(after.Extra)) {
		if _, ok := before.Extra[h]; !ok {
			headers = append(headers, h)
		}
	}
	for _, h := range headers {
		b, a := before.Extra[h], after.Extra[h]
		if b != a {
			out = append(out, Field{Field: models.ExtraPrefix + h, Before: b, After: a, Segments: Text(b, a)})
		}
	}
	return out
}


// Kind classifies an item's change between two versions.
type Kind string

const (
	Added         Kind = "added"
	Removed       Kind = "removed"
	Modified      Kind = "modified"
	Recategorized Kind = "recategorized" // moved to another 权力类型 (usually with a new code)
)

// Change is one item's change between two versions. Before is nil for an
// added item, After for a removed one.
type Change struct {
	ItemID int64
	Kind   Kind
	Before *models.ItemRevision
	After  *models.ItemRevision
	Fields []Field
}

// Between compares the items of version from (atFrom) with those of version
// to (atTo), in either order, and returns the items that changed in the
// list's order (arr; a removed item where it stood). The revisions may be whole versions or only those that differ (see
// models.Store.ChangedRevisions): an item whose revision is the same row on
// both sides is unchanged. A backward comparison is computed forward and
// inverted, so B→A is exactly the inverse of A→B.
func Between(arr models.Arrangement, from, to int, atFrom, atTo []models.ItemRevision) []Change {
	if from > to {
		changes := compare(arr, atTo, atFrom)
		for i := range changes {
			changes[i] = changes[i].invert()
		}
		return changes
	}
	return compare(arr, atFrom, atTo)
}

func compare(arr models.Arrangement, older, newer []models.ItemRevision) []Change {
	old := make(map[int64]*models.ItemRevision, len(older))
	for i := range older {
		old[older[i].ItemID] = &older[i]
	}
	var out []Change
	for i := range newer {
		n := &newer[i]
		o, ok := old[n.ItemID]
		if !ok {
			out = append(out, Change{ItemID: n.ItemID, Kind: Added, After: n, Fields: Fields(models.ItemFields{}, n.Fields())})
			continue
		}
		delete(old, n.ItemID)
		if o.ID == n.ID {
			continue
		}
		fields := Fields(o.Fields(), n.Fields())
		if len(fields) == 0 {
			continue // changed and changed back
		}
		kind := Modified
		if o.Category != n.Category {
			kind = Recategorized
		}
		out = append(out, Change{ItemID: n.ItemID, Kind: kind, Before: o, After: n, Fields: fields})
	}
	for _, o := range old {
		out = append(out, Change{ItemID: o.ItemID, Kind: Removed, Before: o, Fields: Fields(o.Fields(), models.ItemFields{})})
	}
	slices.SortFunc(out, func(x, y Change) int { return arr.Compare(x.rev(), y.rev()) })
	return out
}

// rev is the state that places the change in list order.
func (c Change) rev() *models.ItemRevision {
	if c.After != nil {
		return c.After
	}
	return c.Before
}

func (c Change) invert() Change {
	switch c.Kind {
	case Added:
		c.Kind = Removed
	case Removed:
		c.Kind = Added
	}
	c.Before, c.After = c.After, c.Before
	fields := make([]Field, len(c.Fields))
	for i, f := range c.Fields {
		fields[i] = Field{Field: f.Field, Before: f.After, After: f.Before, Segments: invert(f.Segments)}
	}
	c.Fields = fields
	return c
}
