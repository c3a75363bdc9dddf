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

// SearchHit is one current item matching a search, with what the facets and
// the order of results need.
type SearchHit struct {
	RevisionID int64
	ItemID     int64
	ListID     int64
	AgencyID   int64
	RegionCode string
	Category   string
	Position   int
}

// The PostgreSQL expressions of the search indexes (migration 00080): a
// query must repeat them exactly for the planner to use the index.
const (
	pgTrigramText = `(r.name || ' ' || r.subitem || ' ' || r.code || ' ' || r.content || ' ' || r.basis)`
	pgCharsVector = `to_tsvector('simple', regexp_replace(r.name || ' ' || r.subitem || ' ' || r.code, '(.)', '\1 ', 'g'))`
)

// searchMatch is the condition on item_revisions r that q matches: any of
// name, sub-item, code, content and basis contains q (case-insensitively),
// or for a query shorter than ShortQuery, any of name, sub-item and code.
func (s *Store) searchMatch(q string) (string, []any) {
	like := "%" + escapeLike(q) + "%"
	short := utf8.RuneCountInString(q) < ShortQuery
	// The index narrows; the LIKE of the short form is the exact rule (the
	// word index ignores punctuation and field boundaries).
	headLike := `(r.name %[1]s ? ESCAPE '\' OR r.subitem %[1]s ? ESCAPE '\' OR r.code %[1]s ? ESCAPE '\')`
	if IsSQLite(s.db) {
		if short {
			return "r.id IN (SELECT rowid FROM search_chars WHERE search_chars MATCH ?) AND " + fmt.Sprintf(headLike, "LIKE"),
				[]any{ftsPhrase(Spaced(q)), like, like, like}
		}
		return "r.id IN (SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH ?)", []any{ftsPhrase(q)}
	}
	if short {
		return pgCharsVector + " @@ phraseto_tsquery('simple', ?) AND " + fmt.Sprintf(headLike, "ILIKE"),
			[]any{Spaced(q), like, like, like}
	}
	return pgTrigramText + ` ILIKE ? ESCAPE '\'`, []any{like}
}

// ftsPhrase quotes text as one FTS5 phrase.
func ftsPhrase(text string) string { return `"` + strings.ReplaceAll(text, `"`, `""`) + `"` }

// SearchHits returns every current item of every list that matches q, in
// the given regions (nil: everywhere), in no particular order. Narrowing by
// category and agency is left to the caller, which counts facets over the
// other filters.
func (s *Store) SearchHits(ctx context.Context, q string, regions []string) ([]SearchHit, error) {
	match, args := s.searchMatch(q)
	query := `SELECT r.id AS revision_id, r.item_id, r.list_id, l.agency_id, a.region_code, r.category, r.position
FROM item_revisions r
JOIN lists l ON l.id = r.list_id
JOIN agencies a ON a.id = l.agency_id
WHERE r.valid_to = ` + fmt.Sprint(OpenEnd) + ` AND ` + match
	if regions != nil {
		query += " AND a.region_code IN ?"
		args = append(args, regions)
	}
	var out []SearchHit
	if err := s.DB(ctx).Raw(query, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return out, nil
}

// RevisionsByID returns the revisions with these ids, in no particular order.
func (s *Store) RevisionsByID(ctx context.Context, ids []int64) ([]ItemRevision, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, _, err := s.scanRevisions(ctx, "SELECT "+revisionKeys("")+", "+strings.Join(revisionTexts, ", ")+
		" FROM item_revisions WHERE id IN ?", ids)
	if err != nil {
		return nil, fmt.Errorf("revisions %v: %w", ids, err)
	}
	return out, nil
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

// AllRegions returns every region by code.
func (s *Store) AllRegions(ctx context.Context) ([]Region, error) {
	var out []Region
	if err := s.DB(ctx).Order("code").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	return out, nil
}
