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
// change against the request's base version, as the workflow's preview
// computes it (the same comparison as between published versions).
type Pending struct {
	Operation models.Operation
	Change    diff.Change
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
		return arr.Compare(placed(x.Change), placed(y.Change))
	})
	changes := make([]diff.Change, 0, len(pending))
	why := make([]Why, 0, len(pending))
	for _, p := range pending {
		changes = append(changes, p.Change)
		why = append(why, Why{Reason: reasonOf(p.Operation), Note: models.OpLabels[p.Operation.Op] + "（待公布）"})
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
func placed(c diff.Change) *models.ItemRevision {
	r := c.After
	if r == nil {
		r = c.Before
	}
	if r == nil {
		return &models.ItemRevision{}
	}
	return &models.ItemRevision{Category: r.Category, Position: r.Seq}
}

// reasonOf is an operation's 修改理由 with the materials it carries: the
// 事中事后监管措施 of a 取消 or 下放, the 承接方案 of a 列入.
func reasonOf(op models.Operation) string {
	out := op.Reason
	for _, m := range []struct{ label, text string }{{"事中事后监管措施", op.Supervision}, {"承接方案", op.TakeoverPlan}} {
		if m.text != "" {
			out += "\n【" + m.label + "】" + m.text
		}
	}
	return out
}
