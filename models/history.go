package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"qingdan/apperr"
)

// VersionSummary is a published version with the change request behind it
// (none for version 1, the import).
type VersionSummary struct {
	ListVersion
	ChangeRequestTitle  string
	ChangeRequestAgency string
}

// Versions returns every published version of a list, newest first.
func (s *Store) Versions(ctx context.Context, listID int64) ([]VersionSummary, error) {
	if _, err := s.List(ctx, listID); err != nil {
		return nil, err
	}
	var out []VersionSummary
	err := s.DB(ctx).Raw(`SELECT v.*, COALESCE(cr.title, '') AS change_request_title, COALESCE(a.name, '') AS change_request_agency
FROM list_versions v
LEFT JOIN change_requests cr ON cr.id = v.change_request_id
LEFT JOIN agencies a ON a.id = cr.agency_id
WHERE v.list_id = ? ORDER BY v.number DESC`, listID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("versions of list %d: %w", listID, err)
	}
	return out, nil
}

// VersionRequest is a change request published in a version.
type VersionRequest struct {
	ID               int64
	Title            string
	Agency           string
	PublishedVersion int
}

// VersionRequests returns, by version number, the change requests published
// in each version of a list (one, or several for a 集中调整), by id.
func (s *Store) VersionRequests(ctx context.Context, listID int64) (map[int][]VersionRequest, error) {
	var rows []VersionRequest
	err := s.DB(ctx).Raw(`SELECT cr.id, cr.title, a.name AS agency, cr.published_version FROM change_requests cr
JOIN agencies a ON a.id = cr.agency_id
WHERE cr.list_id = ? AND cr.published_version IS NOT NULL ORDER BY cr.id`, listID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("published requests of list %d: %w", listID, err)
	}
	out := map[int][]VersionRequest{}
	for _, r := range rows {
		out[r.PublishedVersion] = append(out[r.PublishedVersion], r)
	}
	return out, nil
}

// ChangedRevisions returns the revisions in force at version a but not at b,
// and those in force at b but not at a, in either order of a and b. Items
// whose revision is the same at both are not read at all. Each side is one
// range read on an index over the validity: what ended in (lo, hi] among the
// revisions valid at lo, and what began in (lo, hi] among those valid at hi.
// A field the newer state shares with the older one is sent once: the
// database compares them and the newer revision gets the older one's string.
//
// Outside a transaction the two reads run at once. They need no common
// snapshot: a publication only closes revisions at a version above every
// published one and opens new ones there, which neither read can see.
func (s *Store) ChangedRevisions(ctx context.Context, listID int64, a, b int) (atA, atB []ItemRevision, err error) {
	lo, hi := min(a, b), max(a, b)
	texts := make([]string, len(revisionTexts))
	for i, c := range revisionTexts {
		texts[i] = fmt.Sprintf("CASE WHEN n.%[1]s = o.%[1]s THEN NULL ELSE n.%[1]s END", c)
	}
	var atLo, atHi []ItemRevision
	var shared []uint16
	err = s.both(func() (err error) {
		atLo, _, err = s.scanRevisions(ctx, "SELECT "+revisionKeys("")+", "+strings.Join(revisionTexts, ", ")+
			" FROM item_revisions WHERE list_id = ? AND valid_to > ? AND valid_to <= ? AND valid_from <= ?", listID, lo, hi, lo)
		if err != nil {
			return fmt.Errorf("revisions of list %d ended between versions %d and %d: %w", listID, lo, hi, err)
		}
		return nil
	}, func() (err error) {
		atHi, shared, err = s.scanRevisions(ctx, "SELECT "+revisionKeys("n.")+", "+strings.Join(texts, ", ")+
			` FROM item_revisions n
LEFT JOIN item_revisions o ON o.item_id = n.item_id AND o.list_id = n.list_id AND o.valid_from <= ? AND o.valid_to > ?
WHERE n.list_id = ? AND n.valid_from > ? AND n.valid_from <= ? AND n.valid_to > ?`, lo, lo, listID, lo, hi, hi)
		if err != nil {
			return fmt.Errorf("revisions of list %d begun between versions %d and %d: %w", listID, lo, hi, err)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if err := fillShared(atHi, shared, atLo); err != nil {
		return nil, nil, err
	}
	if a <= b {
		return atLo, atHi, nil
	}
	return atHi, atLo, nil
}

// both runs f and g, at once unless the store is a transaction, whose one
// connection cannot run two queries together.
func (s *Store) both(f, g func() error) error {
	if _, inTx := s.db.Statement.ConnPool.(gorm.TxCommitter); inTx {
		if err := f(); err != nil {
			return err
		}
		return g()
	}
	errc := make(chan error, 1)
	go func() { errc <- g() }()
	ferr := f()
	gerr := <-errc
	if ferr != nil {
		return ferr
	}
	return gerr
}

// revisionKeys are the columns of a revision other than its item fields.
func revisionKeys(table string) string {
	cols := []string{"id", "item_id", "list_id", "valid_from", "valid_to", "position", "op", "change_request_id", "operation_id", "prev_code", "seq"}
	return table + strings.Join(cols, ", "+table)
}

// revisionTexts are the text columns of a revision, in textFields' order.
var revisionTexts = []string{"code", "name", "subitem", "category", "department", "basis", "citations", "level",
	"content", "duty", "responsibility", "responsibility_basis", "accountable", "accountability", "note", "extra"}

func (r *ItemRevision) textFields(citations, extra *string) []*string {
	return []*string{&r.Code, &r.Name, &r.Subitem, &r.Category, &r.Department, &r.Basis, citations, &r.Level,
		&r.Content, &r.Duty, &r.Responsibility, &r.ResponsibilityBasis, &r.Accountable, &r.Accountability, &r.Note, extra}
}

// Indexes in revisionTexts of the texts that are JSON.
const (
	citationsText = 6
	extraText     = 15
)

// scanRevisions reads revisions with a plain row scan: GORM's reflective
// scan costs about as much as the database does on a version-sized read. A
// NULL text means "as in the older revision of the item": shared[i] has bit f
// set when text f of row i is to be taken from there (see fillShared). The
// test TestChangedRevisionsReadsEveryField keeps the columns in step with the model.
func (s *Store) scanRevisions(ctx context.Context, query string, args ...any) ([]ItemRevision, []uint16, error) {
	rows, err := s.DB(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []ItemRevision
	var shared []uint16
	texts := make([]sql.NullString, len(revisionTexts))
	dest := make([]any, 0, 11+len(texts))
	for rows.Next() {
		var r ItemRevision
		dest = append(dest[:0], &r.ID, &r.ItemID, &r.ListID, &r.ValidFrom, &r.ValidTo, &r.Position, &r.Op,
			&r.ChangeRequestID, &r.OperationID, &r.PrevCode, &r.Seq)
		for i := range texts {
			dest = append(dest, &texts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		var citations, extra string
		fields := r.textFields(&citations, &extra)
		var mask uint16
		for i, t := range texts {
			if t.Valid {
				*fields[i] = t.String
			} else {
				mask |= 1 << i
			}
		}
		if texts[citationsText].Valid {
			if r.Citations, err = decodeCitations(citations); err != nil {
				return nil, nil, fmt.Errorf("citations of revision %d: %w", r.ID, err)
			}
		}
		if texts[extraText].Valid && extra != "" && extra != "{}" {
			if err := json.Unmarshal([]byte(extra), &r.Extra); err != nil {
				return nil, nil, fmt.Errorf("extra cells of revision %d: %w", r.ID, err)
			}
		}
		out = append(out, r)
		shared = append(shared, mask)
	}
	return out, shared, rows.Err()
}

// fillShared gives the revisions the fields they share with the older
// revision of their item, which the database did not send twice.
func fillShared(revs []ItemRevision, shared []uint16, older []ItemRevision) error {
	byItem := make(map[int64]*ItemRevision, len(older))
	for i := range older {
		byItem[older[i].ItemID] = &older[i]
	}
	for i := range revs {
		if shared[i] == 0 {
			continue
		}
		old := byItem[revs[i].ItemID]
		if old == nil {
			return fmt.Errorf("revision %d shares fields with an older revision that was not read", revs[i].ID)
		}
		fields, from := revs[i].textFields(new(string), new(string)), old.textFields(new(string), new(string))
		for f := range revisionTexts {
			switch {
			case shared[i]&(1<<f) == 0:
			case f == citationsText:
				revs[i].Citations = old.Citations
			case f == extraText:
				revs[i].Extra = old.Extra
			default:
				*fields[f] = *from[f]
			}
		}
	}
	return nil
}

// ItemRevisions returns every revision of an item, first to last.
func (s *Store) ItemRevisions(ctx context.Context, itemID int64) ([]ItemRevision, error) {
	var out []ItemRevision
	if err := s.DB(ctx).Where("item_id = ?", itemID).Order("valid_from").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("revisions of item %d: %w", itemID, err)
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, "事项 %d 不存在", itemID)
	}
	return out, nil
}

// Trail is a change request as history shows it: its agency, its submitter
// and its events (transitions with their opinions) with the people who acted.
type Trail struct {
	ChangeRequest
	AgencyName string
	Submitter  User
	Events     []TrailEvent
}

// TrailEvent is an event with its actor.
type TrailEvent struct {
	Event
	Actor User
}

// Trails loads the change requests of ids with their events and people. The
// users carry only their id, username, display name and role.
func (s *Store) Trails(ctx context.Context, ids []int64) (map[int64]*Trail, error) {
	out := map[int64]*Trail{}
	if len(ids) == 0 {
		return out, nil
	}
	var crs []ChangeRequest
	if err := s.DB(ctx).Where("id IN ?", ids).Find(&crs).Error; err != nil {
		return nil, fmt.Errorf("change requests %v: %w", ids, err)
	}
	var events []Event
	if err := s.DB(ctx).Where("change_request_id IN ?", ids).Order("change_request_id, version").Find(&events).Error; err != nil {
		return nil, fmt.Errorf("events of change requests %v: %w", ids, err)
	}
	var agencyIDs, userIDs []int64
	for _, cr := range crs {
		agencyIDs = append(agencyIDs, cr.AgencyID)
		userIDs = append(userIDs, cr.SubmitterID)
	}
	for _, e := range events {
		userIDs = append(userIDs, e.ActorID)
	}
	var agencies []Agency
	if err := s.DB(ctx).Where("id IN ?", agencyIDs).Find(&agencies).Error; err != nil {
		return nil, fmt.Errorf("agencies of change requests: %w", err)
	}
	var users []User
	if err := s.DB(ctx).Select("id", "username", "display_name", "role").Where("id IN ?", userIDs).Find(&users).Error; err != nil {
		return nil, fmt.Errorf("people of change requests: %w", err)
	}
	agencyName := map[int64]string{}
	for _, a := range agencies {
		agencyName[a.ID] = a.Name
	}
	user := map[int64]User{}
	for _, u := range users {
		user[u.ID] = u
	}
	for _, cr := range crs {
		out[cr.ID] = &Trail{ChangeRequest: cr, AgencyName: agencyName[cr.AgencyID], Submitter: user[cr.SubmitterID]}
	}
	for _, e := range events {
		if t := out[e.ChangeRequestID]; t != nil {
			t.Events = append(t.Events, TrailEvent{Event: e, Actor: user[e.ActorID]})
		}
	}
	return out, nil
}

// OperationsByID returns the change-request operations of ids, by id.
func (s *Store) OperationsByID(ctx context.Context, ids []int64) (map[int64]Operation, error) {
	out := map[int64]Operation{}
	if len(ids) == 0 {
		return out, nil
	}
	var ops []Operation
	if err := s.DB(ctx).Where("id IN ?", ids).Find(&ops).Error; err != nil {
		return nil, fmt.Errorf("operations %v: %w", ids, err)
	}
	for _, o := range ops {
		out[o.ID] = o
	}
	return out, nil
}

// Removal is how an item left its list: the version without it and the
// operation that removed it (nil when that version came from no change request).
type Removal struct {
	Version   int
	Operation *Operation
}

// Removals returns, by item id, the removal of each of the items that is no
// longer in its list. A removal leaves no revision behind: the version is
// where the item's last revision ends, and the operation is that version's
// change request's removal of the item.
func (s *Store) Removals(ctx context.Context, listID int64, itemIDs []int64) (map[int64]Removal, error) {
	out := map[int64]Removal{}
	if len(itemIDs) == 0 {
		return out, nil
	}
	var ends []struct {
		ItemID  int64
		Version int
	}
	err := s.DB(ctx).Raw(`SELECT item_id, MAX(valid_to) AS version FROM item_revisions
WHERE list_id = ? AND item_id IN ? GROUP BY item_id HAVING MAX(valid_to) < ?`, listID, itemIDs, OpenEnd).Scan(&ends).Error
	if err != nil {
		return nil, fmt.Errorf("removals in list %d: %w", listID, err)
	}
	for _, e := range ends {
		out[e.ItemID] = Removal{Version: e.Version}
	}
	var ops []struct {
		Operation
		Number int
	}
	// A batch publishes several requests as one version: the request is
	// found by the version it was published in, not the version's own.
	err = s.DB(ctx).Raw(`SELECT o.*, v.published_version AS number FROM change_request_operations o
JOIN change_requests v ON v.id = o.change_request_id AND v.list_id = ?
WHERE o.op = ? AND o.item_id IN ?`, listID, OpRemove, itemIDs).Scan(&ops).Error
	if err != nil {
		return nil, fmt.Errorf("removal operations in list %d: %w", listID, err)
	}
	for _, o := range ops {
		if r, ok := out[*o.ItemID]; ok && r.Version == o.Number {
			op := o.Operation
			r.Operation = &op
			out[*o.ItemID] = r
		}
	}
	// An item merged into another or split into others left by that operation.
	var links []Link
	if err := s.DB(ctx).Where("list_id = ? AND from_item_id IN ? AND op IN ? AND operation_id IS NOT NULL", listID, itemIDs,
		[]string{OpMerge, OpSplit}).Find(&links).Error; err != nil {
		return nil, fmt.Errorf("lineage of removed items in list %d: %w", listID, err)
	}
	var linkOps []int64
	for _, l := range links {
		linkOps = append(linkOps, *l.OperationID)
	}
	byID, err := s.OperationsByID(ctx, linkOps)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if r, ok := out[l.FromItemID]; ok && r.Version == l.Version && r.Operation == nil {
			op := byID[*l.OperationID]
			r.Operation = &op
			out[l.FromItemID] = r
		}
	}
	return out, nil
}

// HistoryEntry is one step of an item's timeline: a revision coming into
// force, or the item's removal (Revision nil).
type HistoryEntry struct {
	Version     int // the version the step was published in
	Until       int // the version that replaced this revision; OpenEnd while in force
	PublishedAt time.Time
	Op          string
	Revision    *ItemRevision
	Operation   *Operation // the change-request operation behind the step, if any
	Trail       *Trail     // nil for the import
}

// ItemHistory returns an item's timeline, first to last, removed items included.
func (s *Store) ItemHistory(ctx context.Context, itemID int64) ([]HistoryEntry, error) {
	revs, err := s.ItemRevisions(ctx, itemID)
	if err != nil {
		return nil, err
	}
	listID := revs[0].ListID
	entries := make([]HistoryEntry, 0, len(revs)+1)
	numbers := make([]int, 0, len(revs)+1)
	var opIDs []int64
	for i := range revs {
		r := &revs[i]
		entries = append(entries, HistoryEntry{Version: r.ValidFrom, Until: r.ValidTo, Op: r.Op, Revision: r})
		numbers = append(numbers, r.ValidFrom)
		if r.OperationID != nil {
			opIDs = append(opIDs, *r.OperationID)
		}
	}
	last := revs[len(revs)-1]
	if last.ValidTo != OpenEnd {
		entries = append(entries, HistoryEntry{Version: last.ValidTo, Until: last.ValidTo, Op: OpRemove})
		numbers = append(numbers, last.ValidTo)
	}

	var versions []ListVersion
	if err := s.DB(ctx).Where("list_id = ? AND number IN ?", listID, numbers).Find(&versions).Error; err != nil {
		return nil, fmt.Errorf("versions of item %d: %w", itemID, err)
	}
	byNumber := map[int]ListVersion{}
	var crIDs []int64
	for _, v := range versions {
		byNumber[v.Number] = v
		if v.ChangeRequestID != nil {
			crIDs = append(crIDs, *v.ChangeRequestID)
		}
	}
	removal := map[int64]Removal{}
	if last.ValidTo != OpenEnd {
		if removal, err = s.Removals(ctx, listID, []int64{itemID}); err != nil {
			return nil, err
		}
	}
	// The request behind a step is its revision's (or its removal's): a
	// batch version has several.
	requestOf := func(e HistoryEntry) *int64 {
		switch {
		case e.Revision != nil && e.Revision.ChangeRequestID != nil:
			return e.Revision.ChangeRequestID
		case e.Revision == nil && removal[itemID].Operation != nil:
			return &removal[itemID].Operation.ChangeRequestID
		}
		return byNumber[e.Version].ChangeRequestID
	}
	for _, e := range entries {
		if id := requestOf(e); id != nil {
			crIDs = append(crIDs, *id)
		}
	}
	trails, err := s.Trails(ctx, crIDs)
	if err != nil {
		return nil, err
	}
	ops, err := s.OperationsByID(ctx, opIDs)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		e := &entries[i]
		e.PublishedAt = byNumber[e.Version].PublishedAt
		if id := requestOf(*e); id != nil {
			e.Trail = trails[*id]
		}
		switch {
		case e.Revision != nil && e.Revision.OperationID != nil:
			if op, ok := ops[*e.Revision.OperationID]; ok {
				e.Operation = &op
			}
		case e.Revision == nil:
			e.Operation = removal[itemID].Operation
			if e.Operation != nil {
				e.Op = e.Operation.Op
			}
		}
	}
	return entries, nil
}
