package export

import (
	"context"
	"fmt"
	"slices"
	"time"

	"qingdan/diff"
	"qingdan/importer"
	"qingdan/models"
)

// Pending is an operation of a change request not yet published, with its
// preview against the request's base version.
type Pending struct {
	Op     string
	ItemID int64              // 0 for an item the request adds
	Before *models.ItemFields // nil for add and include
	After  *models.ItemFields // nil for remove
	Reason string
}

// RequestComparison is the table of a change request. A published request
// compares the version before its publication with the one it published:
// exactly its own changes, even when it was drafted against an older version
// and published on top of later ones. A pending request compares its base
// version with the preview of its operations, given as pending.
func RequestComparison(ctx context.Context, store *models.Store, req models.ChangeRequestRow, pending []Pending) (Comparison, error) {
	name := fmt.Sprintf("修订申请“%s”", req.Title)
	fileBase := fmt.Sprintf("%s修订对照表-修订申请%d", req.ListTitle, req.ID)
	if req.PublishedVersion != nil {
		p := *req.PublishedVersion
		c, err := ListComparison(ctx, store, req.ListID, p-1, p)
		if err != nil {
			return Comparison{}, err
		}
		c.Subtitle = fmt.Sprintf("%s　已公布为第 %d 版（与第 %d 版对照）", name, p, p-1)
		c.FileBase = fileBase
		return c, nil
	}
	l, ok := importer.LayoutFor(req.ListKind)
	if !ok {
		return Comparison{}, fmt.Errorf("comparison of change request %d: unknown kind %q", req.ID, req.ListKind)
	}
	arr, err := store.Arrangement(ctx, req.ListID)
	if err != nil {
		return Comparison{}, err
	}
	// Rows in the list's order: each item where the request leaves it (a
	// removed one where it stood), by its 序号 there.
	pending = slices.Clone(pending)
	slices.SortStableFunc(pending, func(x, y Pending) int {
		return arr.Compare(placed(x), placed(y))
	})
	changes := make([]diff.Change, 0, len(pending))
	why := make([]Why, 0, len(pending))
	for _, p := range pending {
		c := diff.Change{ItemID: p.ItemID, Before: revision(p.ItemID, p.Before), After: revision(p.ItemID, p.After)}
		switch {
		case c.Before == nil:
			c.Kind = diff.Added
		case c.After == nil:
			c.Kind = diff.Removed
		case c.Before.Category != c.After.Category:
			c.Kind = diff.Recategorized
		default:
			c.Kind = diff.Modified
		}
		c.Fields = diff.Fields(fieldsOf(c.Before), fieldsOf(c.After))
		changes = append(changes, c)
		note := opLabel[p.Op]
		if note == "" {
			note = kindLabel[c.Kind]
		}
		why = append(why, Why{Reason: p.Reason, Note: note + "（待公布）"})
	}
	return Comparison{
		Title:    req.ListTitle + "修订对照表",
		Subtitle: fmt.Sprintf("%s　尚未公布（第 %d 版与申请内容对照）", name, req.BaseVersion),
		FileBase: fileBase,
		Rows:     ComparisonRows(l, changes, why),
		At:       time.Now(),
	}, nil
}

// placed is where a pending change sorts: its item's category and 序号.
func placed(p Pending) *models.ItemRevision {
	f := p.After
	if f == nil {
		f = p.Before
	}
	return &models.ItemRevision{Category: f.Category, Position: f.Seq}
}

func revision(itemID int64, f *models.ItemFields) *models.ItemRevision {
	if f == nil {
		return nil
	}
	r := &models.ItemRevision{ItemID: itemID}
	r.SetFields(*f)
	return r
}

func fieldsOf(r *models.ItemRevision) models.ItemFields {
	if r == nil {
		return models.ItemFields{}
	}
	return r.Fields()
}
