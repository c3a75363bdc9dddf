package workflow

import (
	"context"

	lru "github.com/hashicorp/golang-lru/v2"

	"qingdan/models"
)

// What 统计分析 sums over every list of a province is read per list and kept
// with the list's version: a version never changes, so only the lists that
// published since (or were never read) are read again. At province scale
// reading everything again took a quarter of a second per answer.

// ItemCounts returns, for each list at its current version, its items per category.
func (s *Service) ItemCounts(ctx context.Context, lists []models.ListPlace) ([][]models.SearchCount, error) {
	return keptPerVersion(s.itemCounts, lists, func(ids []int64) ([]models.SearchCount, error) {
		return s.store.CurrentItemCounts(ctx, ids)
	}, func(c models.SearchCount) int64 { return c.ListID })
}

// VersionChanges returns, for each list at its current version, its published
// versions with what each changed.
func (s *Service) VersionChanges(ctx context.Context, lists []models.ListPlace) ([][]models.ListVersion, error) {
	return keptPerVersion(s.versionChanges, lists, func(ids []int64) ([]models.ListVersion, error) {
		return s.store.VersionChanges(ctx, ids)
	}, func(v models.ListVersion) int64 { return v.ListID })
}

// keptPerVersion returns each list's rows, from the cache where they were
// kept at the list's version, else read by read (the lists' ids, or nil for
// every list when most are missing: one pass reads an index once) and kept.
// A list that published between reading its version and reading its rows is
// kept under the version read, which no later reader asks for again.
func keptPerVersion[T any](cache *lru.Cache[versionKey, []T], lists []models.ListPlace, read func([]int64) ([]T, error), listOf func(T) int64) ([][]T, error) {
	out := make([][]T, len(lists))
	var missing []int64
	for i, l := range lists {
		if c, ok := cache.Get(versionKey{l.ListID, l.Version}); ok {
			out[i] = c
		} else {
			missing = append(missing, l.ListID)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	ask := missing
	if 2*len(missing) > len(lists) {
		ask = nil
	}
	rows, err := read(ask)
	if err != nil {
		return nil, err
	}
	byList := map[int64][]T{}
	for _, r := range rows {
		byList[listOf(r)] = append(byList[listOf(r)], r)
	}
	for i, l := range lists {
		if out[i] == nil {
			out[i] = byList[l.ListID]
			if out[i] == nil {
				out[i] = []T{} // nothing is an answer too
			}
			cache.Add(versionKey{l.ListID, l.Version}, out[i])
		}
	}
	return out, nil
}

// keptListsSize bounds what is kept per kind: every list of a province.
const keptListsSize = 16384
