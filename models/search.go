package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"unicode/utf8"

	sqlite "github.com/glebarez/go-sqlite"
)

// Spaced writes every character of s followed by a space, so that one or two
// characters become words of their own: SQLite's unicode61 tokenizer and
// PostgreSQL's 'simple' parser both index them, and a phrase query finds
// them adjacent. Trigram indexes cannot serve queries shorter than three
// characters; this one can, over name, sub-item and code.
func Spaced(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range s {
		b.WriteRune(r)
		b.WriteByte(' ')
	}
	return b.String()
}

// The SQLite search triggers (migration 00080) call qd_spaced; it must exist
// on every connection, so it is registered before any is opened.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("qd_spaced", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return Spaced(v), nil
		case []byte:
			return Spaced(string(v)), nil
		case nil:
			return nil, nil
		}
		return nil, fmt.Errorf("qd_spaced: text expected, got %T", args[0])
	})
}

// ShortQuery is the length below which a query cannot use trigrams; such a
// query searches name, sub-item and code only.
const ShortQuery = 3

// The PostgreSQL expressions of the search indexes (migration 00080): a
// query must repeat them exactly for the planner to use the index.
const (
	pgTrigramText = `(r.name || ' ' || r.subitem || ' ' || r.code || ' ' || r.content || ' ' || r.basis)`
)

// searchMatch is the condition on item_revisions r that q matches: any of
// name, sub-item, code, content and basis contains q, or for a query shorter
// than ShortQuery, any of name, sub-item and code. Matching is exact
// (case-sensitive): ILIKE cost PostgreSQL three times LIKE on every
// candidate, and the lists' codes are digits.
func (s *Store) searchMatch(q string) (string, []any) {
	short := utf8.RuneCountInString(q) < ShortQuery
	if IsSQLite(s.db) {
		if short {
			// The word index narrows; instr is the exact rule (the index
			// ignores punctuation and field boundaries).
			return "r.id IN (SELECT rowid FROM search_chars WHERE search_chars MATCH ?) AND " +
				"(instr(r.name, ?) > 0 OR instr(r.subitem, ?) > 0 OR instr(r.code, ?) > 0)", []any{ftsPhrase(Spaced(q)), q, q, q}
		}
		return "r.id IN (SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH ?)", []any{ftsPhrase(q)}
	}
	if short {
		return "r.id IN (SELECT revision_id FROM search_grams WHERE " + pgGramsMatch + ")", []any{q}
	}
	return pgTrigramText + ` LIKE ? ESCAPE '\'`, []any{"%" + escapeLike(q) + "%"}
}

// pgGramsMatch is exact: the grams are every substring of one or two
// characters of name, sub-item and code. A gram across two fields contains
// the space between them, which a trimmed query of two characters cannot.
const pgGramsMatch = "qd_grams(head) @> ARRAY[?]::text[]"

// ftsPhrase quotes text as one FTS5 phrase.
func ftsPhrase(text string) string { return `"` + strings.ReplaceAll(text, `"`, `""`) + `"` }

// matchScan is searchMatch's rule as a plain condition on the row, for
// reading a few lists whose rows are fewer than the index's candidates (a
// common word's matches in every list: 行政 is in most names of a province,
// 旅行社 in thousands of texts). It is exactly the rule: for PostgreSQL the
// same text as the trigram index, for SQLite each field as FTS5 matches it;
// for a short query name, sub-item and code, whose grams of one or two
// characters cross a field boundary only with a space, which a trimmed short
// query has not.
func (s *Store) matchScan(q string) (string, []any) {
	fields := []string{"r.name", "r.subitem", "r.code"}
	if utf8.RuneCountInString(q) >= ShortQuery {
		if !IsSQLite(s.db) {
			return "strpos(" + pgTrigramText + ", ?) > 0", []any{q}
		}
		fields = append(fields, "r.content", "r.basis")
	}
	fn := "strpos"
	if IsSQLite(s.db) {
		fn = "instr"
	}
	conds := make([]string, len(fields))
	args := make([]any, len(fields))
	for i, f := range fields {
		conds[i], args[i] = fn+"("+f+", ?) > 0", q
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// currentMatching starts a query over the current revisions r that match q,
// in the given lists (nil: every list), citing the instrument (0: any); scan
// reads the lists' rows instead of the index (matchScan).
func (s *Store) currentMatching(q string, lists []int64, cites int64, scan bool) (string, []any) {
	match, args := s.searchMatch(q)
	if lists != nil && scan {
		match, args = s.matchScan(q)
	}
	where := "r.valid_to = " + fmt.Sprint(OpenEnd) + " AND " + match
	if lists != nil {
		where += " AND r.list_id IN ?"
		args = append(args, lists)
	}
	return citing(where, args, "r.id", cites)
}

// citing narrows a search to the revisions (keyed by the column rev) that
// cite the instrument, through the citation links (one indexed probe each).
func citing(where string, args []any, rev string, cites int64) (string, []any) {
	if cites == 0 {
		return where, args
	}
	return where + " AND EXISTS (SELECT 1 FROM citation_links cl WHERE cl.instrument_id = ? AND cl.revision_id = " + rev + ")",
		append(args, cites)
}

// SearchCount is how many current items of a list, of one category, match a
// search (or are counted by the statistics).
type SearchCount struct {
	ListID   int64
	Category string
	N        int
}

// SearchCounts counts the current items matching q per list and category,
// in the given lists (nil: every list). The caller builds totals, facets and
// pages from them without reading the items.
func (s *Store) SearchCounts(ctx context.Context, q string, lists []int64, cites int64) ([]SearchCount, error) {
	query := "SELECT r.list_id, r.category, COUNT(*) FROM item_revisions r WHERE "
	// A short query in named lists: their rows, not a common word's index entries.
	where, args := s.currentMatching(q, lists, cites, utf8.RuneCountInString(q) < ShortQuery)
	if !IsSQLite(s.db) && utf8.RuneCountInString(q) < ShortQuery {
		// search_grams carries list and category: the wide revisions are not read.
		query, where, args = "SELECT r.list_id, r.category, COUNT(*) FROM search_grams r WHERE ", pgGramsMatch, []any{q}
		if lists != nil {
			where += " AND r.list_id IN ?"
			args = append(args, lists)
		}
		where, args = citing(where, args, "r.revision_id", cites)
	}
	out, err := s.listCategoryCounts(ctx, query+where+" GROUP BY r.list_id, r.category", args...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return out, nil
}

// listCategoryCounts runs a query of (list_id, category, count) rows.
func (s *Store) listCategoryCounts(ctx context.Context, query string, args ...any) ([]SearchCount, error) {
	rows, err := s.DB(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("counts per list and category: %w", err)
	}
	defer rows.Close()
	var out []SearchCount
	for rows.Next() {
		var c SearchCount
		if err := rows.Scan(&c.ListID, &c.Category, &c.N); err != nil {
			return nil, fmt.Errorf("counts per list and category: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SearchItems returns the current items of the lists that match q (of the
// category, unless ""), by list, then in list order; scan reads the lists'
// rows rather than the index, for when they are fewer than q's matches.
func (s *Store) SearchItems(ctx context.Context, q string, lists []int64, category string, cites int64, scan bool) ([]ItemRevision, error) {
	where, args := s.currentMatching(q, lists, cites, scan)
	if category != "" {
		where += " AND r.category = ?"
		args = append(args, category)
	}
	out, _, err := s.scanRevisions(ctx, "SELECT "+revisionKeys("r.")+", r."+strings.Join(revisionTexts, ", r.")+
		" FROM item_revisions r WHERE "+where+" ORDER BY r.list_id, r.position, r.item_id", args...)
	if err != nil {
		return nil, fmt.Errorf("search %q in lists %v: %w", q, lists, err)
	}
	return out, nil
}

// ListPlace is where a list belongs: its agency and the agency's region;
// and its current version with its number of items.
type ListPlace struct {
	ListID     int64
	AgencyID   int64
	RegionCode string
	Version    int
	Items      int
}

// ListPlaces returns every list with its agency, region and current version.
func (s *Store) ListPlaces(ctx context.Context) ([]ListPlace, error) {
	rows, err := s.DB(ctx).Raw(`SELECT l.id, l.agency_id, a.region_code, l.current_version, COALESCE(v.item_count, 0)
		FROM lists l JOIN agencies a ON a.id = l.agency_id
		LEFT JOIN list_versions v ON v.list_id = l.id AND v.number = l.current_version`).Rows()
	if err != nil {
		return nil, fmt.Errorf("list places: %w", err)
	}
	defer rows.Close()
	var out []ListPlace
	for rows.Next() {
		var p ListPlace
		if err := rows.Scan(&p.ListID, &p.AgencyID, &p.RegionCode, &p.Version, &p.Items); err != nil {
			return nil, fmt.Errorf("list places: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RegionsUnder returns the region and every region under it (by parent
// code, at any depth), the region first.
func (s *Store) RegionsUnder(ctx context.Context, code string) ([]Region, error) {
	root, err := s.Region(ctx, code)
	if err != nil {
		return nil, err
	}
	var below []Region
	err = s.DB(ctx).Raw(`WITH RECURSIVE tree(code) AS (
	SELECT code FROM regions WHERE parent_code = ?
	UNION SELECT r.code FROM regions r JOIN tree t ON r.parent_code = t.code
)
SELECT regions.* FROM regions JOIN tree ON tree.code = regions.code ORDER BY regions.code`, code).Scan(&below).Error
	if err != nil {
		return nil, fmt.Errorf("regions under %s: %w", code, err)
	}
	return append([]Region{root}, below...), nil
}

// RegionsByCode returns the named regions (unknown codes are left out).
func (s *Store) RegionsByCode(ctx context.Context, codes []string) ([]Region, error) {
	var out []Region
	if len(codes) == 0 {
		return out, nil
	}
	if err := s.DB(ctx).Where("code IN ?", codes).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("regions %v: %w", codes, err)
	}
	return out, nil
}

// AgenciesByID returns the agencies with these ids (unknown ids are left out).
func (s *Store) AgenciesByID(ctx context.Context, ids []int64) ([]Agency, error) {
	var out []Agency
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.DB(ctx).Where("id IN ?", ids).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("agencies %v: %w", ids, err)
	}
	return out, nil
}

// ListSummariesByID returns the catalogue rows of these lists.
func (s *Store) ListSummariesByID(ctx context.Context, ids []int64) ([]ListSummary, error) {
	var out []ListSummary
	if len(ids) == 0 {
		return out, nil
	}
	if err := s.DB(ctx).Raw(listSummarySelect+" WHERE l.id IN ?", ids).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("lists %v: %w", ids, err)
	}
	return out, nil
}

// ListLayouts returns the columns each list keeps its items in
// (List.ColumnLayout), by list id.
func (s *Store) ListLayouts(ctx context.Context, ids []int64) (map[int64]*Layout, error) {
	out := map[int64]*Layout{}
	if len(ids) == 0 {
		return out, nil
	}
	var lists []List
	if err := s.DB(ctx).Select("id", "kind", "layout").Where("id IN ?", ids).Find(&lists).Error; err != nil {
		return nil, fmt.Errorf("layouts of lists %v: %w", ids, err)
	}
	for i := range lists {
		out[lists[i].ID] = lists[i].ColumnLayout()
	}
	return out, nil
}

// AllRegions returns every region by code.
func (s *Store) AllRegions(ctx context.Context) ([]Region, error) {
	var out []Region
	if err := s.DB(ctx).Order("code").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	return out, nil
}
