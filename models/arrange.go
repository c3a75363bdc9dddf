package models

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"qingdan/codes"
)

// Numbering of a list's 序号.
const (
	SeqPerCategory = "category" // 1…n in each category, as the 红寺堡 list numbers
	SeqThroughList = "list"     // 1…N through the whole list, as the 于田 list numbers
)

// Arrangement is how a list lays out each of its versions: items grouped by
// category, the categories in the list's order, each category once; within a
// category by position; and 序号 counted in that order. It is the one place
// that decides a version's order and numbering: every reader of a version
// (page data, exports, comparisons, the workflow's previews) goes through it,
// so a revision's stored seq and position never show through as they are.
type Arrangement struct {
	Categories []string // canonical categories in the order of the list's source
	SeqScope   string   // SeqPerCategory or SeqThroughList
}

// NewArrangement derives a list's arrangement from its source items, in the
// source's order: the categories as they first appear, and whether the
// source restarts its 序号 in each category (every category's first item is
// numbered 1) or counts on through the list.
func NewArrangement(items []ItemFields) Arrangement {
	a := Arrangement{Categories: []string{}, SeqScope: SeqPerCategory}
	for _, it := range items {
		c, _ := codes.Default.Canonical(it.Category)
		if slices.Contains(a.Categories, c) {
			continue
		}
		a.Categories = append(a.Categories, c)
		if len(a.Categories) > 1 && it.Seq > 1 {
			a.SeqScope = SeqThroughList
		}
	}
	return a
}

// categoryKey places a category: the list's own categories by their index;
// one the list did not have yet right after the last of the list's
// categories that come before it in the usual order of power types; a
// category outside that order after all others, by name.
type categoryKey struct {
	major, minor int
	name         string
}

func (a Arrangement) key(category string) categoryKey {
	c, known := codes.Default.Canonical(category)
	if i := slices.Index(a.Categories, c); i >= 0 {
		return categoryKey{major: i}
	}
	if !known {
		return categoryKey{major: len(a.Categories), minor: len(codes.Categories) + 1, name: c}
	}
	usual := slices.Index(codes.Categories, c)
	after := -1
	for i, own := range a.Categories {
		if j := slices.Index(codes.Categories, own); j >= 0 && j < usual {
			after = i
		}
	}
	return categoryKey{major: after, minor: 1 + usual}
}

func (k categoryKey) compare(o categoryKey) int {
	return cmp.Or(cmp.Compare(k.major, o.major), cmp.Compare(k.minor, o.minor), strings.Compare(k.name, o.name))
}

// Compare orders two revisions as the list lays them out.
func (a Arrangement) Compare(x, y *ItemRevision) int {
	return cmp.Or(a.key(x.Category).compare(a.key(y.Category)), cmp.Compare(x.Position, y.Position), cmp.Compare(x.ItemID, y.ItemID))
}

// SameCategory tells whether two category names are the same power type.
func SameCategory(x, y string) bool {
	cx, _ := codes.Default.Canonical(x)
	cy, _ := codes.Default.Canonical(y)
	return cx == cy
}

// Arrange sorts the whole of a version in list order and numbers it.
func (a Arrangement) Arrange(revs []ItemRevision) {
	slices.SortFunc(revs, func(x, y ItemRevision) int { return a.Compare(&x, &y) })
	seq := 0
	for i := range revs {
		newCategory := i > 0 && !SameCategory(revs[i].Category, revs[i-1].Category)
		if a.SeqScope != SeqThroughList && newCategory {
			seq = 0
		}
		// The 子项 of one 主项 share its number, as lists print them.
		if i == 0 || newCategory || !subitemsOfOne(&revs[i-1], &revs[i]) {
			seq++
		}
		revs[i].Seq = seq
	}
}

// subitemsOfOne tells whether two neighbouring revisions are 子项 of one 主项.
func subitemsOfOne(x, y *ItemRevision) bool {
	return x.Name == y.Name && x.Subitem != "" && y.Subitem != ""
}

// Arrangement reads a list's arrangement.
func (s *Store) Arrangement(ctx context.Context, listID int64) (Arrangement, error) {
	var row struct {
		CategoryOrder string
		SeqScope      string
	}
	if err := s.DB(ctx).Raw("SELECT category_order, seq_scope FROM lists WHERE id = ?", listID).Scan(&row).Error; err != nil {
		return Arrangement{}, fmt.Errorf("arrangement of list %d: %w", listID, err)
	}
	a, err := ParseArrangement(row.CategoryOrder, row.SeqScope)
	if err != nil {
		return a, fmt.Errorf("arrangement of list %d: %w", listID, err)
	}
	return a, nil
}

// ParseArrangement reads an arrangement as a list row stores it.
func ParseArrangement(categoryOrder, seqScope string) (Arrangement, error) {
	a := Arrangement{SeqScope: seqScope}
	if err := json.Unmarshal([]byte(cmp.Or(categoryOrder, "[]")), &a.Categories); err != nil {
		return Arrangement{}, fmt.Errorf("category order: %w", err)
	}
	for i, c := range a.Categories {
		a.Categories[i], _ = codes.Default.Canonical(c)
	}
	return a, nil
}

// NumberIn gives revisions of one version their place and number in the
// whole version, which a filtered read does not hold: it reads the keys of
// every item of the version (a narrow read on the validity index), arranges
// them, and sorts and numbers revs accordingly.
func (s *Store) NumberIn(ctx context.Context, a Arrangement, listID int64, version int, revs []ItemRevision) error {
	var keys []ItemRevision
	err := s.DB(ctx).Raw("SELECT item_id, category, position, name, subitem FROM item_revisions WHERE list_id = ? AND valid_from <= ? AND valid_to > ?",
		listID, version, version).Scan(&keys).Error
	if err != nil {
		return fmt.Errorf("numbering of list %d version %d: %w", listID, version, err)
	}
	a.Arrange(keys)
	seq := make(map[int64]int, len(keys))
	for _, k := range keys {
		seq[k.ItemID] = k.Seq
	}
	for i := range revs {
		revs[i].Seq = seq[revs[i].ItemID]
	}
	slices.SortFunc(revs, func(x, y ItemRevision) int { return a.Compare(&x, &y) })
	return nil
}
