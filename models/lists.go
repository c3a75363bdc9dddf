package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"qingdan/apperr"
)

// ListSummary is a list as the catalogue shows it.
type ListSummary struct {
	ID         int64
	Title      string
	Kind       string
	AgencyID   int64
	AgencyName string
	RegionCode string
	RegionName string
	Version    int
	ItemCount  int
}

const listSummarySelect = `SELECT l.id, l.title, l.kind, a.id AS agency_id, a.name AS agency_name,
	r.code AS region_code, r.name AS region_name, l.current_version AS version,
	COALESCE(v.item_count, 0) AS item_count
FROM lists l
JOIN agencies a ON a.id = l.agency_id
JOIN regions r ON r.code = a.region_code
LEFT JOIN list_versions v ON v.list_id = l.id AND v.number = l.current_version`

// ListFilter narrows the catalogue of lists; zero fields do not filter.
type ListFilter struct {
	Q        string // part of the title or the agency's name
	Within   string // lists of agencies of this region or a region under it
	Kind     string
	AgencyID int64
}

// ListSummaries returns every list, ordered by region and agency.
func (s *Store) ListSummaries(ctx context.Context) ([]ListSummary, error) {
	out, _, err := s.ListSummaryPage(ctx, ListFilter{}, Page{Limit: -1})
	return out, err
}

// ListSummaryPage returns a page of the lists the filter selects, ordered by
// region and agency, and how many there are; a negative Limit reads them all.
func (s *Store) ListSummaryPage(ctx context.Context, f ListFilter, page Page) ([]ListSummary, int64, error) {
	cond, args := " WHERE 1 = 1", []any{}
	if f.Q != "" {
		like := "%" + escapeLike(f.Q) + "%"
		cond += ` AND (l.title LIKE ? ESCAPE '\' OR a.name LIKE ? ESCAPE '\')`
		args = append(args, like, like)
	}
	if f.Within != "" {
		cond += " AND (r.code = ? OR r.parent_code = ? OR r.parent_code IN (SELECT code FROM regions WHERE parent_code = ?))"
		args = append(args, f.Within, f.Within, f.Within)
	}
	if f.Kind != "" {
		cond += " AND l.kind = ?"
		args = append(args, f.Kind)
	}
	if f.AgencyID != 0 {
		cond += " AND l.agency_id = ?"
		args = append(args, f.AgencyID)
	}
	out, total, err := rawPage[ListSummary](ctx, s, listSummarySelect, cond, "r.code, a.name, l.id", args, page)
	if err != nil {
		return nil, 0, fmt.Errorf("list summaries: %w", err)
	}
	return out, total, nil
}

// ListSummary returns one list.
func (s *Store) ListSummary(ctx context.Context, id int64) (ListSummary, error) {
	var out []ListSummary
	if err := s.DB(ctx).Raw(listSummarySelect+" WHERE l.id = ?", id).Scan(&out).Error; err != nil {
		return ListSummary{}, fmt.Errorf("list %d: %w", id, err)
	}
	if len(out) == 0 {
		return ListSummary{}, apperr.New(apperr.NotFound, "清单 %d 不存在", id)
	}
	return out[0], nil
}

// List returns one list row.
func (s *Store) List(ctx context.Context, id int64) (List, error) {
	var l List
	if err := s.DB(ctx).Preload("Agency").Where("id = ?", id).Take(&l).Error; err != nil {
		return l, notFound(err, "清单 %d 不存在", id)
	}
	return l, nil
}

// listName names a list in a message by its title, as its readers know it;
// only a list that cannot be read is named by its number.
func (s *Store) listName(ctx context.Context, id int64) string {
	var titles []string
	if err := s.DB(ctx).Model(&List{}).Where("id = ?", id).Pluck("title", &titles).Error; err != nil || len(titles) == 0 {
		return fmt.Sprintf("清单（编号 %d）", id)
	}
	return "“" + titles[0] + "”"
}

// CountLists tells whether the database holds any list yet.
func (s *Store) CountLists(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB(ctx).Model(&List{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count lists: %w", err)
	}
	return n, nil
}

// China keeps one time zone: a date in a query means a day in Beijing time.
var China = time.FixedZone("CST", 8*3600)

// Version returns one published version of a list by number.
func (s *Store) Version(ctx context.Context, listID int64, number int) (ListVersion, error) {
	var v ListVersion
	err := s.DB(ctx).Where("list_id = ? AND number = ?", listID, number).Take(&v).Error
	if err != nil {
		return v, notFound(err, "%s没有第 %d 版", s.listName(ctx, listID), number)
	}
	return v, nil
}

// VersionAt returns the version in force at the end of the day (Beijing time).
func (s *Store) VersionAt(ctx context.Context, listID int64, day time.Time) (ListVersion, error) {
	end := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, China).AddDate(0, 0, 1)
	var vs []ListVersion
	err := s.DB(ctx).Where("list_id = ? AND published_at < ?", listID, end.UTC()).
		Order("number DESC").Limit(1).Find(&vs).Error
	if err != nil {
		return ListVersion{}, fmt.Errorf("version of list %d at %s: %w", listID, day.Format(time.DateOnly), err)
	}
	if len(vs) == 0 {
		return ListVersion{}, apperr.New(apperr.NotFound, "%s在 %s 之前尚未公布任何版本", s.listName(ctx, listID), day.Format(time.DateOnly))
	}
	return vs[0], nil
}

// ItemFilter narrows the items of a version.
type ItemFilter struct {
	Category string
	// Q: every word (split on spaces) is in the name, sub-item, code or
	// legal basis.
	Q string
}

// wordsMatch is the condition "every word of q is in one of cols", with its
// arguments; empty when q has no words.
func wordsMatch(q string, cols ...string) (string, []any) {
	var conds []string
	var args []any
	for _, w := range strings.Fields(q) {
		like := "%" + escapeLike(w) + "%"
		alts := make([]string, len(cols))
		for i, c := range cols {
			alts[i] = c + ` LIKE ? ESCAPE '\'`
			args = append(args, like)
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	return strings.Join(conds, " AND "), args
}

// ItemsAt returns the items of one version of a list in list order, each
// with its 序号 in that version (see Arrangement). The range predicate on the
// indexed validity makes every version cost the same to read.
func (s *Store) ItemsAt(ctx context.Context, listID int64, version int, f ItemFilter) ([]ItemRevision, error) {
	arr, err := s.Arrangement(ctx, listID)
	if err != nil {
		return nil, err
	}
	// A plain row scan (scanRevisions), not GORM's reflective one: this is
	// the read behind GET /lists/:id/items and every workflow validation.
	query := "SELECT " + revisionKeys("") + ", " + strings.Join(revisionTexts, ", ") +
		" FROM item_revisions WHERE list_id = ? AND valid_from <= ? AND valid_to > ?"
	args := []any{listID, version, version}
	if f.Category != "" {
		query += " AND category = ?"
		args = append(args, f.Category)
	}
	if cond, condArgs := wordsMatch(f.Q, "name", "subitem", "code", "basis"); cond != "" {
		query += " AND " + cond
		args = append(args, condArgs...)
	}
	out, _, err := s.scanRevisions(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("items of list %d version %d: %w", listID, version, err)
	}
	if f == (ItemFilter{}) {
		arr.Arrange(out)
		return out, nil
	}
	return out, s.NumberIn(ctx, arr, listID, version, out)
}

// CurrentItemsMatching returns up to limit items of the current versions of
// lists other than exceptList whose name, sub-item or code hold every word of q.
func (s *Store) CurrentItemsMatching(ctx context.Context, q string, exceptList int64, limit int) ([]ItemRevision, error) {
	cond, args := wordsMatch(q, "name", "subitem", "code")
	if cond == "" {
		return []ItemRevision{}, nil
	}
	query := "SELECT " + revisionKeys("") + ", " + strings.Join(revisionTexts, ", ") +
		" FROM item_revisions WHERE valid_to = ? AND list_id <> ? AND " + cond + " ORDER BY list_id, position, item_id LIMIT ?"
	out, _, err := s.scanRevisions(ctx, query, append(append([]any{OpenEnd, exceptList}, args...), limit)...)
	if err != nil {
		return nil, fmt.Errorf("current items matching %q: %w", q, err)
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CurrentRevision returns the item's revision in the current version of its
// list, with its 序号 there.
func (s *Store) CurrentRevision(ctx context.Context, itemID int64) (ItemRevision, error) {
	var r ItemRevision
	err := s.DB(ctx).Where("item_id = ? AND valid_to = ?", itemID, OpenEnd).Take(&r).Error
	if err != nil {
		return r, notFound(err, "事项 %d 不存在或已取消", itemID)
	}
	l, err := s.List(ctx, r.ListID)
	if err != nil {
		return r, err
	}
	arr, err := s.Arrangement(ctx, r.ListID)
	if err != nil {
		return r, err
	}
	one := []ItemRevision{r}
	if err := s.NumberIn(ctx, arr, r.ListID, l.CurrentVersion, one); err != nil {
		return r, err
	}
	return one[0], nil
}
