package diff

import (
	"maps"
	"slices"

	"qingdan/basis"
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
// fields that differ, each with its character-level diff. Fields holding
// paragraphs are compared, and given, as the reader sees them (basis.Text):
// text with "\n" between paragraphs, so that markup alone is no change and
// the segments need no further work to be shown. The 序号 is left out:
// it is the row's number in a printed table, renumbered when items come and
// go, not a property of the power. Citations are left out because they are
// parsed from basis, which is compared. An extra column is compared as
// "extra.<header>" (models.ExtraPrefix).
func Fields(before, after models.ItemFields) []Field {
	var out []Field
	for _, name := range models.TextFields {
		if f, ok := field(name, before.Get(name), after.Get(name)); ok {
			out = append(out, f)
		}
	}
	headers := slices.Sorted(maps.Keys(before.Extra))
	for _, h := range slices.Sorted(maps.Keys(after.Extra)) {
		if _, ok := before.Extra[h]; !ok {
			headers = append(headers, h)
		}
	}
	for _, h := range headers {
		if f, ok := field(models.Field(models.ExtraPrefix+h), before.Extra[h], after.Extra[h]); ok {
			out = append(out, f)
		}
	}
	return out
}

// field compares one field's stored values; ok is false if they read the same.
func field(name models.Field, b, a string) (f Field, ok bool) {
	if b == a {
		return f, false // the same cell reads the same: no need to read it
	}
	if name.Paragraphs() {
		b, a = basis.Text(b), basis.Text(a)
		if b == a {
			return f, false
		}
	}
	return Field{Field: string(name), Before: b, After: a, Segments: Text(b, a)}, true
}

// Kind classifies an item's change between two versions (models.ChangeKinds).
type Kind = string

const (
	Added         = models.KindAdded
	Removed       = models.KindRemoved
	Modified      = models.KindModified
	Recategorized = models.KindRecategorized
	Delegated     = models.KindDelegated
	Merged        = models.KindMerged
	Split         = models.KindSplit
)

// Change is one item's change between two versions. Before is nil for an
// added or merged item, After for a removed or split one. A 合并 is one
// change: the new item, with the items merged into it in From; a 分设 is
// one change: the item split, with what it became in Into.
type Change struct {
	ItemID int64
	Kind   Kind
	Before *models.ItemRevision
	After  *models.ItemRevision
	Fields []Field
	From   []*models.ItemRevision
	Into   []*models.ItemRevision
}

// Between compares the items of version from (atFrom) with those of version
// to (atTo), in either order, and returns the items that changed in the
// list's order (arr; a removed item where it stood). The revisions may be
// whole versions or only those that differ (see
// models.Store.ChangedRevisions): an item whose revision is the same row on
// both sides is unchanged. links are the lineage steps published between
// the two (models.Store.Links): a merged item and its sources, a split item
// and its parts, come out as one change each. A backward comparison is
// computed forward and inverted, so B→A is exactly the inverse of A→B.
//
// It is the one definition of what changed: the version diff, the preview
// of a request's operations, the 修订对照表 and the version counts
// (models.KindOf of each operation, which a test holds equal) all use it.
func Between(arr models.Arrangement, from, to int, atFrom, atTo []models.ItemRevision, links []models.Link) []Change {
	if from > to {
		changes := compare(arr, atTo, atFrom, links)
		for i := range changes {
			changes[i] = changes[i].invert()
		}
		return changes
	}
	return compare(arr, atFrom, atTo, links)
}

func compare(arr models.Arrangement, older, newer []models.ItemRevision, links []models.Link) []Change {
	old := make(map[int64]*models.ItemRevision, len(older))
	for i := range older {
		old[older[i].ItemID] = &older[i]
	}
	delegated := map[int64]bool{}
	for _, l := range links {
		if l.Op == models.OpDelegate {
			delegated[l.ToItemID] = true
		}
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
		before, after := o.Fields(), n.Fields()
		fields := Fields(before, after)
		if len(fields) == 0 {
			continue // changed and changed back
		}
		out = append(out, Change{ItemID: n.ItemID, Kind: models.KeptKind(&before, &after, delegated[n.ItemID]), Before: o, After: n, Fields: fields})
	}
	for _, o := range old {
		out = append(out, Change{ItemID: o.ItemID, Kind: Removed, Before: o, Fields: Fields(o.Fields(), models.ItemFields{})})
	}
	out = joinLineage(out, links)
	slices.SortFunc(out, func(x, y Change) int { return arr.Compare(x.rev(), y.rev()) })
	return out
}

// joinLineage makes each 合并 and 分设 within the compared range one
// change: the sources of a merged item that was added are taken out of the
// removals into its From; the parts of a split item that was removed out of
// the additions into its Into. Lineage whose ends did not both come or go
// in the range (a part split off and removed again) stays as it is.
func joinLineage(changes []Change, links []models.Link) []Change {
	at := make(map[int64]int, len(changes))
	for i, c := range changes {
		at[c.ItemID] = i
	}
	joined := map[int64]bool{}
	for _, l := range links {
		if l.Op != models.OpMerge && l.Op != models.OpSplit {
			continue
		}
		fi, okFrom := at[l.FromItemID]
		ti, okTo := at[l.ToItemID]
		if !okFrom || !okTo || changes[fi].Kind != Removed && changes[fi].Kind != Split || changes[ti].Kind != Added && changes[ti].Kind != Merged {
			continue
		}
		if l.Op == models.OpMerge {
			changes[ti].Kind = Merged
			changes[ti].From = append(changes[ti].From, changes[fi].Before)
			joined[l.FromItemID] = true
		} else {
			changes[fi].Kind = Split
			changes[fi].Into = append(changes[fi].Into, changes[ti].After)
			joined[l.ToItemID] = true
		}
	}
	return slices.DeleteFunc(changes, func(c Change) bool { return joined[c.ItemID] })
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
	case Merged:
		c.Kind = Split
	case Split:
		c.Kind = Merged
	}
	c.Before, c.After = c.After, c.Before
	c.From, c.Into = c.Into, c.From
	fields := make([]Field, len(c.Fields))
	for i, f := range c.Fields {
		fields[i] = Field{Field: f.Field, Before: f.After, After: f.Before, Segments: invert(f.Segments)}
	}
	c.Fields = fields
	return c
}
