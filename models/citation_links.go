package models

import (
	"context"
	"encoding/json"
	"fmt"
)

// CitationLink is one citation of an item revision or of a change-request
// operation, resolved to a registry instrument (InstrumentID nil: it resolves
// to nothing). Level, Title and Edition are as written; TitleKey is the
// normalised title the resolution used.
type CitationLink struct {
	ID           int64 `gorm:"primaryKey"`
	RevisionID   *int64
	OperationID  *int64
	ListID       int64
	ItemID       *int64
	Field        string // basis, responsibility_basis, or op_basis (an operation's 调整依据)
	Position     int
	Level        string
	Title        string
	Edition      string
	TitleKey     string
	InstrumentID *int64
	EditionDate  string
}

// Citation-link fields.
const (
	LinkFieldBasis               = "basis"
	LinkFieldResponsibilityBasis = "responsibility_basis"
	LinkFieldOperationBasis      = "op_basis"
)

// LinkFieldLabels name where a citation stands, as findings and impact reports say it.
var LinkFieldLabels = map[string]string{
	LinkFieldBasis: "职权依据", LinkFieldResponsibilityBasis: "追责依据", LinkFieldOperationBasis: OperationFieldLabels["basis"],
}

// UnlinkedRevision is what linking needs of a revision.
type UnlinkedRevision struct {
	ID                  int64
	ItemID              int64
	ListID              int64
	Citations           string
	ResponsibilityBasis string
}

// UnlinkedRevisions returns up to n revisions whose citations are not linked yet.
func (s *Store) UnlinkedRevisions(ctx context.Context, n int) ([]UnlinkedRevision, error) {
	var out []UnlinkedRevision
	err := s.DB(ctx).Raw(`SELECT id, item_id, list_id, citations, responsibility_basis FROM item_revisions
		WHERE NOT citations_linked ORDER BY id LIMIT ?`, n).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("unlinked revisions: %w", err)
	}
	return out, nil
}

// DecodeCitations decodes a revision's citations column.
func DecodeCitations(text string) ([]Citation, error) { return decodeCitations(text) }

// UnlinkedOperation is what linking needs of an operation.
type UnlinkedOperation struct {
	ID     int64
	ItemID *int64
	ListID int64
	Item   string
	Basis  string
}

// Fields decodes the operation's item.
func (o UnlinkedOperation) Fields() (ItemFields, error) {
	var f ItemFields
	if o.Item == "" {
		return f, nil
	}
	err := json.Unmarshal([]byte(o.Item), &f)
	return f, err
}

// UnlinkedOperations returns up to n operations whose citations are not linked yet.
func (s *Store) UnlinkedOperations(ctx context.Context, n int) ([]UnlinkedOperation, error) {
	var out []UnlinkedOperation
	err := s.DB(ctx).Raw(`SELECT o.id, o.item_id, cr.list_id, o.item, o.basis FROM change_request_operations o
		JOIN change_requests cr ON cr.id = o.change_request_id
		WHERE NOT o.citations_linked ORDER BY o.id LIMIT ?`, n).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("unlinked operations: %w", err)
	}
	return out, nil
}

// SaveLinks stores the links of revisions and operations and marks them
// linked, replacing links they had (an operation edited in place). Each
// revision and operation is claimed by flipping its flag, so of two linkers
// racing over the same rows only the first writes their links. It returns
// how many it claimed: rows a running transaction holds (a publication closing
// revisions) are skipped, not waited for, and left for the next pass.
func (s *Store) SaveLinks(ctx context.Context, revisionIDs, operationIDs []int64, links []CitationLink) (int, error) {
	claimed := 0
	err := s.Transaction(ctx, func(tx *Store) error {
		revs, err := tx.claim(ctx, "item_revisions", "revision_id", revisionIDs)
		if err != nil {
			return err
		}
		ops, err := tx.claim(ctx, "change_request_operations", "operation_id", operationIDs)
		if err != nil {
			return err
		}
		claimed = len(revs) + len(ops)
		var keep []CitationLink
		for _, l := range links {
			if (l.RevisionID != nil && revs[*l.RevisionID]) || (l.OperationID != nil && ops[*l.OperationID]) {
				keep = append(keep, l)
			}
		}
		if len(keep) > 0 {
			if err := tx.DB(ctx).CreateInBatches(keep, 500).Error; err != nil {
				return fmt.Errorf("save links: %w", err)
			}
		}
		return nil
	})
	return claimed, err
}

// claim marks the rows of table linked, drops the links they had, and
// returns the ids that were still unlinked.
func (s *Store) claim(ctx context.Context, table, column string, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for _, part := range chunks(ids, 1000) {
		var claimed []int64
		// On PostgreSQL the rows are locked in id order and locked ones
		// skipped: waiting on a publication that closes the same revisions in
		// another order deadlocked the two (one of them then failed).
		q := "UPDATE " + table + " SET citations_linked = ? WHERE id IN ? AND NOT citations_linked RETURNING id"
		if !IsSQLite(s.db) {
			q = "UPDATE " + table + " SET citations_linked = ? WHERE id IN (SELECT id FROM " + table +
				" WHERE id IN ? AND NOT citations_linked ORDER BY id FOR UPDATE SKIP LOCKED) RETURNING id"
		}
		err := s.DB(ctx).Raw(q, true, part).Scan(&claimed).Error
		if err != nil {
			return nil, fmt.Errorf("claim %s: %w", table, err)
		}
		if len(claimed) == 0 {
			continue
		}
		if err := s.DB(ctx).Where(column+" IN ?", claimed).Delete(&CitationLink{}).Error; err != nil {
			return nil, fmt.Errorf("drop links of %s: %w", table, err)
		}
		for _, id := range claimed {
			out[id] = true
		}
	}
	return out, nil
}

func chunks(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

// LinkGroup is every link with the same citation as written and the same resolution.
type LinkGroup struct {
	Title        string
	Edition      string
	InstrumentID *int64
	EditionDate  string
	TitleKey     string
}

// LinkGroups returns the distinct citations of every link with their resolution.
func (s *Store) LinkGroups(ctx context.Context) ([]LinkGroup, error) {
	var out []LinkGroup
	err := s.DB(ctx).Raw(`SELECT title, edition, instrument_id, edition_date, title_key FROM citation_links
		GROUP BY title, edition, instrument_id, edition_date, title_key`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("link groups: %w", err)
	}
	return out, nil
}

// ResolveGroup sets the resolution of every link citing title and edition as written.
func (s *Store) ResolveGroup(ctx context.Context, g LinkGroup) error {
	err := s.DB(ctx).Exec(`UPDATE citation_links SET instrument_id = ?, edition_date = ?
		WHERE title_key = ? AND title = ? AND edition = ?`, g.InstrumentID, g.EditionDate, g.TitleKey, g.Title, g.Edition).Error
	if err != nil {
		return fmt.Errorf("resolve 《%s》: %w", g.Title, err)
	}
	return nil
}

// CitingItem is a current item citing an instrument, with the citation.
type CitingItem struct {
	ListID      int64
	ItemID      int64
	RevisionID  int64
	Code        string
	Name        string
	Position    int
	Field       string
	Level       string
	Title       string
	Edition     string
	EditionDate string
}

// CitingList is a list with current items citing an instrument.
type CitingList struct {
	ListID     int64
	Title      string
	AgencyID   int64
	AgencyName string
	RegionCode string
	Items      int // current items citing the instrument
}

// CitingLists returns the lists of regionCode ("" for every region) whose
// current items cite the instrument, with the number of such items, ordered
// by list: an index-only scan of the instrument's current links
// (citation_links_current), whatever the number of revisions they name.
// Their names are left to NameCitingLists, for the lists a page shows.
func (s *Store) CitingLists(ctx context.Context, instrumentID int64, regionCode string) ([]CitingList, error) {
	q := `SELECT list_id, COUNT(DISTINCT item_id) AS items FROM citation_links
		WHERE instrument_id = ? AND is_current`
	args := []any{instrumentID}
	if regionCode != "" {
		q += " AND list_id IN (SELECT l.id FROM lists l JOIN agencies a ON a.id = l.agency_id WHERE a.region_code = ?)"
		args = append(args, regionCode)
	}
	q += " GROUP BY list_id ORDER BY list_id"
	var out []CitingList
	if err := s.DB(ctx).Raw(q, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("lists citing instrument %d: %w", instrumentID, err)
	}
	return out, nil
}

// NameCitingLists fills in the lists' titles, agencies and regions.
func (s *Store) NameCitingLists(ctx context.Context, lists []CitingList) error {
	ids := make([]int64, len(lists))
	for i, l := range lists {
		ids[i] = l.ListID
	}
	type listNames struct {
		ID         int64
		Title      string
		AgencyID   int64
		AgencyName string
		RegionCode string
	}
	byID := make(map[int64]listNames, len(ids))
	for _, part := range chunks(ids, 1000) {
		var rows []listNames
		err := s.DB(ctx).Raw(`SELECT l.id, l.title, a.id AS agency_id, a.name AS agency_name, a.region_code
			FROM lists l JOIN agencies a ON a.id = l.agency_id WHERE l.id IN ?`, part).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("names of lists: %w", err)
		}
		for _, r := range rows {
			byID[r.ID] = r
		}
	}
	for i := range lists {
		l := byID[lists[i].ListID]
		lists[i].Title, lists[i].AgencyID, lists[i].AgencyName, lists[i].RegionCode = l.Title, l.AgencyID, l.AgencyName, l.RegionCode
	}
	return nil
}

// CurrentCiters returns every citation of the instrument by a current item
// of the given lists, ordered by list, item position and citation: the
// instrument's current links of those lists, each revision by its key.
func (s *Store) CurrentCiters(ctx context.Context, instrumentID int64, listIDs []int64) ([]CitingItem, error) {
	var out []CitingItem
	for _, part := range chunks(listIDs, 1000) {
		var rows []CitingItem
		err := s.DB(ctx).Raw(`SELECT cl.list_id, r.item_id, r.id AS revision_id, r.code, r.name, r.position,
			cl.field, cl.level, cl.title, cl.edition, cl.edition_date
			FROM citation_links cl JOIN item_revisions r ON r.id = cl.revision_id
			WHERE cl.instrument_id = ? AND cl.is_current AND cl.list_id IN ?
			ORDER BY cl.list_id, r.position, r.item_id, cl.field, cl.position`, instrumentID, part).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("items citing instrument %d: %w", instrumentID, err)
		}
		out = append(out, rows...)
	}
	return out, nil
}

// AnalyzeLinks refreshes the planner's statistics of the link table after
// many links were written at once.
func (s *Store) AnalyzeLinks(ctx context.Context) error {
	if err := s.DB(ctx).Exec("ANALYZE citation_links").Error; err != nil {
		return fmt.Errorf("analyze citation_links: %w", err)
	}
	return nil
}

// AfterBulkLoad readies the tables for reading after a bulk load (qingdan
// gen): on PostgreSQL VACUUM ANALYZE, since a load leaves the visibility map
// empty until autovacuum comes, and every index-only scan (the statistics'
// counts, the search's) fetches heap pages meanwhile — 1.8 s instead of
// 0.3 s for a province's item statistics; on SQLite ANALYZE.
func (s *Store) AfterBulkLoad(ctx context.Context) error {
	q := "VACUUM ANALYZE"
	if IsSQLite(s.db) {
		q = "ANALYZE"
	}
	if err := s.DB(ctx).Exec(q).Error; err != nil {
		return fmt.Errorf("%s after the load: %w", q, err)
	}
	return nil
}

// CountCurrentCiters counts the current items citing each instrument.
func (s *Store) CountCurrentCiters(ctx context.Context, instrumentIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(instrumentIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		InstrumentID int64
		N            int
	}
	err := s.DB(ctx).Raw(`SELECT instrument_id, COUNT(DISTINCT item_id) AS n FROM citation_links
		WHERE instrument_id IN ? AND is_current GROUP BY instrument_id`, instrumentIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count citing items: %w", err)
	}
	for _, r := range rows {
		out[r.InstrumentID] = r.N
	}
	return out, nil
}
