package diff

import (
	"context"

	"qingdan/apperr"
	"qingdan/models"
)

// Result is the comparison of two versions of a list.
type Result struct {
	List    models.ListSummary
	From    int
	To      int
	Changes []Change
}

// Versions compares two published versions of a list, in either order. It
// reads only the revisions that differ between them (two indexed range reads)
// and never replays the versions in between.
func Versions(ctx context.Context, store *models.Store, listID int64, from, to int) (Result, error) {
	l, err := store.ListSummary(ctx, listID)
	if err != nil {
		return Result{}, err
	}
	for _, v := range []int{from, to} {
		if v < 1 || v > l.Version {
			return Result{}, apperr.New(apperr.Invalid, "“%s”现有第 1 至第 %d 版，没有第 %d 版", l.Title, l.Version, v)
		}
	}
	arr, err := store.Arrangement(ctx, listID)
	if err != nil {
		return Result{}, err
	}
	atFrom, atTo, err := store.ChangedRevisions(ctx, listID, from, to)
	if err != nil {
		return Result{}, err
	}
	// Each side with its 序号 in its own version.
	if err := store.NumberIn(ctx, arr, listID, from, atFrom); err != nil {
		return Result{}, err
	}
	if err := store.NumberIn(ctx, arr, listID, to, atTo); err != nil {
		return Result{}, err
	}
	links, err := store.Links(ctx, listID, from, to)
	if err != nil {
		return Result{}, err
	}
	return Result{List: l, From: from, To: to, Changes: Between(arr, from, to, atFrom, atTo, links)}, nil
}
