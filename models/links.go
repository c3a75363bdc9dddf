package models

import (
	"context"
	"fmt"
)

// Links returns the lineage steps of a list published in versions lo+1…hi:
// what a comparison of versions lo and hi shows as one change.
func (s *Store) Links(ctx context.Context, listID int64, lo, hi int) ([]Link, error) {
	if lo > hi {
		lo, hi = hi, lo
	}
	var out []Link
	if err := s.DB(ctx).Where("list_id = ? AND version > ? AND version <= ?", listID, lo, hi).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("item links of list %d versions %d–%d: %w", listID, lo, hi, err)
	}
	return out, nil
}

// ItemLinks returns the lineage steps an item is on, either side, in order.
func (s *Store) ItemLinks(ctx context.Context, itemID int64) ([]Link, error) {
	var out []Link
	if err := s.DB(ctx).Where("from_item_id = ? OR to_item_id = ?", itemID, itemID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("item links of item %d: %w", itemID, err)
	}
	return out, nil
}

// ItemNames returns the name (and 子项) of each item in its last revision.
func (s *Store) ItemNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ItemID  int64
		Name    string
		Subitem string
	}
	err := s.DB(ctx).Raw(`SELECT r.item_id, r.name, r.subitem FROM item_revisions r
WHERE r.item_id IN ? AND r.valid_to = (SELECT MAX(x.valid_to) FROM item_revisions x WHERE x.item_id = r.item_id)`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("names of items %v: %w", ids, err)
	}
	for _, r := range rows {
		out[r.ItemID] = ItemTitle(r.Name, r.Subitem)
	}
	return out, nil
}

// ItemTitle is an item's name with its 子项, as notes and links name it.
func ItemTitle(name, subitem string) string {
	if subitem != "" {
		return name + "（" + subitem + "）"
	}
	return name
}
