package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"qingdan/apperr"
)

// ChangeRequestRow is a change request with the names a listing shows.
type ChangeRequestRow struct {
	ChangeRequest
	ListTitle     string
	ListKind      string
	AgencyName    string
	RegionCode    string
	SubmitterName string
}

// ChangeRequestFilter narrows change requests. The workflow fills the scope
// a user may see; zero values mean "any".
type ChangeRequestFilter struct {
	ID         int64
	State      string
	ListID     int64
	AgencyID   int64
	RegionCode string
	// WithEvent keeps only requests that went through this event at least once.
	WithEvent string
	// States keeps requests in any of these states (with State, both apply).
	States []string
	// SubmitterID keeps the requests a person drafted.
	SubmitterID int64
	// NotSubmittedBy leaves out requests the person drafted or submitted: a
	// reviewer never acts on those.
	NotSubmittedBy int64
	// AgencyOrCountersign widens AgencyID: also the requests that asked this
	// agency for its 会签.
	AgencyOrCountersign bool
	// TodoOfAgency keeps what waits for an agency's submitters: its returned
	// requests and the requests whose 会签 it has not given yet.
	TodoOfAgency int64
	// PendingReview keeps, of requests in joint review, those the named
	// review (staffing, legal) has not signed off yet; others pass.
	PendingReview string
	// ActedBy keeps requests on which the person fired an event; they come
	// ordered by that person's last event, newest first.
	ActedBy int64
	// Q: every word (split on spaces) is in the title, the list's title or
	// the agency's name, or is the request's number.
	Q string
	// Limit and Offset page the result; Limit 0 means all.
	Limit, Offset int
}

// ChangeRequests returns the change requests the filter selects, most recently
// changed first, and how many there are without the paging.
func (s *Store) ChangeRequests(ctx context.Context, f ChangeRequestFilter) ([]ChangeRequestRow, int64, error) {
	base := func() *gorm.DB {
		return f.where(s.DB(ctx).Table("change_requests cr").
			Joins("JOIN lists l ON l.id = cr.list_id").
			Joins("JOIN agencies a ON a.id = cr.agency_id").
			Joins("JOIN users u ON u.id = cr.submitter_id"))
	}
	q := base().Select(`cr.*, l.title AS list_title, l.kind AS list_kind, a.name AS agency_name,
			a.region_code AS region_code, u.display_name AS submitter_name`)
	if f.ActedBy != 0 {
		q = q.Order(clause.OrderBy{Expression: clause.Expr{SQL: "(SELECT MAX(e.created_at) FROM change_request_events e WHERE e.change_request_id = cr.id AND e.actor_id = ?) DESC, cr.id DESC",
			Vars: []any{f.ActedBy}}})
	} else {
		q = q.Order("cr.updated_at DESC, cr.id DESC")
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit).Offset(f.Offset)
	}
	var out []ChangeRequestRow
	if err := q.Scan(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("change requests: %w", err)
	}
	total := int64(len(out))
	if f.Limit > 0 && (f.Offset > 0 || len(out) == f.Limit) {
		if err := base().Count(&total).Error; err != nil {
			return nil, 0, fmt.Errorf("count change requests: %w", err)
		}
	}
	return out, total, nil
}

// where applies the filter to a query over change_requests cr joined with
// its list l and agency a.
func (f ChangeRequestFilter) where(q *gorm.DB) *gorm.DB {
	if f.ID != 0 {
		q = q.Where("cr.id = ?", f.ID)
	}
	if f.State != "" {
		q = q.Where("cr.state = ?", f.State)
	}
	if len(f.States) > 0 {
		q = q.Where("cr.state IN ?", f.States)
	}
	if f.ListID != 0 {
		q = q.Where("cr.list_id = ?", f.ListID)
	}
	switch {
	case f.AgencyID != 0 && f.AgencyOrCountersign:
		q = q.Where("(cr.agency_id = ? OR EXISTS (SELECT 1 FROM countersigns c WHERE c.change_request_id = cr.id AND c.agency_id = ?))", f.AgencyID, f.AgencyID)
	case f.AgencyID != 0:
		q = q.Where("cr.agency_id = ?", f.AgencyID)
	}
	if f.TodoOfAgency != 0 {
		q = q.Where(`((cr.state = ? AND cr.agency_id = ?) OR (cr.state = ? AND EXISTS (SELECT 1 FROM countersigns c
			WHERE c.change_request_id = cr.id AND c.agency_id = ? AND c.answer = '' AND c.round = (SELECT MAX(c2.round) FROM countersigns c2 WHERE c2.change_request_id = cr.id))))`,
			StateReturned, f.TodoOfAgency, StateCountersign, f.TodoOfAgency)
	}
	if f.PendingReview != "" {
		// A sign-off is a pass that stayed in joint review, after the request last entered it.
		q = q.Where(`(cr.state <> ? OR NOT EXISTS (SELECT 1 FROM change_request_events e WHERE e.change_request_id = cr.id
			AND e.event = 'pass' AND e.review = ? AND e.from_state = ? AND e.to_state = ?
			AND e.version > (SELECT MAX(e2.version) FROM change_request_events e2 WHERE e2.change_request_id = cr.id AND e2.to_state = ? AND e2.from_state <> ?)))`,
			StateJointReview, f.PendingReview, StateJointReview, StateJointReview, StateJointReview, StateJointReview)
	}
	if f.RegionCode != "" {
		q = q.Where("a.region_code = ?", f.RegionCode)
	}
	if f.WithEvent != "" {
		q = q.Where("EXISTS (SELECT 1 FROM change_request_events e WHERE e.change_request_id = cr.id AND e.event = ?)", f.WithEvent)
	}
	if f.SubmitterID != 0 {
		q = q.Where("cr.submitter_id = ?", f.SubmitterID)
	}
	if f.NotSubmittedBy != 0 {
		q = q.Where("cr.submitter_id <> ?", f.NotSubmittedBy).
			Where("NOT EXISTS (SELECT 1 FROM change_request_events e WHERE e.change_request_id = cr.id AND e.event = 'submit' AND e.actor_id = ?)", f.NotSubmittedBy)
	}
	for _, w := range strings.Fields(f.Q) {
		like := "%" + escapeLike(w) + "%"
		cond := `(cr.title LIKE ? ESCAPE '\' OR l.title LIKE ? ESCAPE '\' OR a.name LIKE ? ESCAPE '\'`
		args := []any{like, like, like}
		if n, err := strconv.ParseInt(strings.TrimPrefix(w, "#"), 10, 64); err == nil {
			cond += " OR cr.id = ?"
			args = append(args, n)
		}
		q = q.Where(cond+")", args...)
	}
	if f.ActedBy != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM change_request_events e WHERE e.change_request_id = cr.id AND e.actor_id = ?)", f.ActedBy)
	}
	return q
}

// CountChangeRequests counts the requests the filter selects per state.
func (s *Store) CountChangeRequests(ctx context.Context, f ChangeRequestFilter) (map[string]int64, error) {
	q := f.where(s.DB(ctx).Table("change_requests cr").Joins("JOIN agencies a ON a.id = cr.agency_id"))
	var rows []struct {
		State string
		N     int64
	}
	if err := q.Select("cr.state AS state, COUNT(*) AS n").Group("cr.state").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count change requests by state: %w", err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}

// ChangeRequestRow returns one change request with its names.
func (s *Store) ChangeRequestRow(ctx context.Context, id int64) (ChangeRequestRow, error) {
	rows, _, err := s.ChangeRequests(ctx, ChangeRequestFilter{ID: id})
	if err != nil {
		return ChangeRequestRow{}, err
	}
	if len(rows) == 0 {
		return ChangeRequestRow{}, apperr.New(apperr.NotFound, "修订申请 %d 不存在", id)
	}
	return rows[0], nil
}

// LockChangeRequest reads a change request to decide on it, locking the row
// on PostgreSQL until the transaction ends.
func (s *Store) LockChangeRequest(ctx context.Context, id int64) (ChangeRequest, error) {
	var cr ChangeRequest
	if err := ForUpdate(s.DB(ctx)).Where("id = ?", id).Take(&cr).Error; err != nil {
		return cr, notFound(err, "修订申请 %d 不存在", id)
	}
	return cr, nil
}

// CreateChangeRequest inserts a new change request.
func (s *Store) CreateChangeRequest(ctx context.Context, cr *ChangeRequest) error {
	if err := s.DB(ctx).Create(cr).Error; err != nil {
		return fmt.Errorf("create change request: %w", err)
	}
	return nil
}

// SwapChangeRequest writes next over cur only if the row still has cur's
// state and version (compare-and-swap), and bumps the version. It returns
// next as stored. A concurrent change makes it fail with a conflict.
func (s *Store) SwapChangeRequest(ctx context.Context, cur, next ChangeRequest) (ChangeRequest, error) {
	next.Version = cur.Version + 1
	next.UpdatedAt = time.Now().UTC()
	res := s.DB(ctx).Model(&ChangeRequest{}).
		Where("id = ? AND state = ? AND version = ?", cur.ID, cur.State, cur.Version).
		Updates(map[string]any{
			"title": next.Title, "reason": next.Reason, "state": next.State, "base_version": next.BaseVersion,
			"published_version": next.PublishedVersion, "op_seq": next.OpSeq, "version": next.Version, "updated_at": next.UpdatedAt,
			"trigger_date": next.TriggerDate, "process": next.Process,
		})
	if res.Error != nil {
		return cur, fmt.Errorf("update change request %d: %w", cur.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return cur, apperr.New(apperr.Conflict, "修订申请 %d 已被他人修改，请刷新后重试", cur.ID)
	}
	return next, nil
}

// Operations returns a change request's operations in the order of their numbers.
func (s *Store) Operations(ctx context.Context, changeRequestID int64) ([]Operation, error) {
	var out []Operation
	if err := s.DB(ctx).Where("change_request_id = ?", changeRequestID).Order("number, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("operations of change request %d: %w", changeRequestID, err)
	}
	return out, nil
}

// CreateOperation inserts an operation. Without a number it takes the next
// after the request's highest (the workflow numbers its own; this serves
// operations written outside it, such as fixtures and generated drafts).
func (s *Store) CreateOperation(ctx context.Context, op *Operation) error {
	if op.Number == 0 {
		if err := s.DB(ctx).Model(&Operation{}).Where("change_request_id = ?", op.ChangeRequestID).
			Select("COALESCE(MAX(number), 0) + 1").Scan(&op.Number).Error; err != nil {
			return fmt.Errorf("number operation of change request %d: %w", op.ChangeRequestID, err)
		}
	}
	if err := s.DB(ctx).Create(op).Error; err != nil {
		return fmt.Errorf("create operation: %w", err)
	}
	return nil
}

// UpdateOperation writes an edited operation's item, reason, basis and source.
func (s *Store) UpdateOperation(ctx context.Context, op Operation) error {
	_ = op.BeforeSave(nil) // the hook runs on the Model, not on op
	res := s.DB(ctx).Model(&Operation{}).Where("id = ? AND change_request_id = ?", op.ID, op.ChangeRequestID).
		Select("item", "reason", "basis", "source", "parts", "delegate_to", "supervision", "takeover_plan").Updates(&op)
	if res.Error != nil {
		return fmt.Errorf("update operation %d: %w", op.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "修订申请 %d 没有这项操作", op.ChangeRequestID)
	}
	return nil
}

// DeleteChangeRequest removes a request and its operations (a draft that
// never went anywhere: nothing else refers to it).
func (s *Store) DeleteChangeRequest(ctx context.Context, id int64) error {
	if err := s.DB(ctx).Where("change_request_id = ?", id).Delete(&Operation{}).Error; err != nil {
		return fmt.Errorf("delete operations of change request %d: %w", id, err)
	}
	if err := s.DB(ctx).Delete(&ChangeRequest{}, id).Error; err != nil {
		return fmt.Errorf("delete change request %d: %w", id, err)
	}
	return nil
}

// DeleteOperation removes an operation of a change request.
func (s *Store) DeleteOperation(ctx context.Context, changeRequestID, opID int64) error {
	res := s.DB(ctx).Where("id = ? AND change_request_id = ?", opID, changeRequestID).Delete(&Operation{})
	if res.Error != nil {
		return fmt.Errorf("delete operation %d: %w", opID, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "修订申请 %d 没有第 %d 号操作", changeRequestID, opID)
	}
	return nil
}

// EventRow is a transition with the name of the person behind it.
type EventRow struct {
	Event
	ActorName string
}

// Events returns a change request's transitions, oldest first.
func (s *Store) Events(ctx context.Context, changeRequestID int64) ([]EventRow, error) {
	var out []EventRow
	err := s.DB(ctx).Table("change_request_events e").Select("e.*, u.display_name AS actor_name").
		Joins("JOIN users u ON u.id = e.actor_id").
		Where("e.change_request_id = ?", changeRequestID).Order("e.version, e.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("events of change request %d: %w", changeRequestID, err)
	}
	return out, nil
}

// CreateEvent records a transition; the unique (request, version) key refuses
// a second record of the same step.
func (s *Store) CreateEvent(ctx context.Context, e *Event) error {
	if err := s.DB(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("record event %s of change request %d: %w", e.Event, e.ChangeRequestID, err)
	}
	return nil
}

// LockList reads a list row, locking it on PostgreSQL until the transaction
// ends, so publications of one list queue up behind each other.
func (s *Store) LockList(ctx context.Context, id int64) (List, error) {
	var l List
	if err := ForUpdate(s.DB(ctx)).Where("id = ?", id).Take(&l).Error; err != nil {
		return l, notFound(err, "清单 %d 不存在", id)
	}
	return l, nil
}

// ChangedSince returns, of the given items, the revisions in force at a
// version that a later version has closed (the item was changed or removed since).
func (s *Store) ChangedSince(ctx context.Context, listID int64, version int, itemIDs []int64) ([]ItemRevision, error) {
	if len(itemIDs) == 0 {
		return nil, nil
	}
	var out []ItemRevision
	err := s.DB(ctx).Where("list_id = ? AND item_id IN ? AND valid_from <= ? AND valid_to > ? AND valid_to <> ?",
		listID, itemIDs, version, version, OpenEnd).Order("position, item_id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("items of list %d changed since version %d: %w", listID, version, err)
	}
	return out, nil
}
