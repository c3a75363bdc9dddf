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

// keptPerVersion is models.KeptPerVersion over a cache of the service.
func keptPerVersion[T any](cache *lru.Cache[versionKey, []T], lists []models.ListPlace, read func([]int64) ([]T, error), listOf func(T) int64) ([][]T, error) {
	return models.KeptPerVersion(lists, lists,
		func(list int64, version int) ([]T, bool) { return cache.Get(versionKey{list, version}) },
		func(list int64, version int, rows []T) { cache.Add(versionKey{list, version}, rows) },
		read, listOf)
}

// keptListsSize bounds what is kept per kind: every list of a province.
const keptListsSize = 16384
