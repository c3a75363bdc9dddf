package models

import (
	"context"
	"fmt"
	"time"
)

// The reads behind the statistics (统计分析): each is one query over a set of
// regions (a region and everything under it), aggregated by the caller.

// CurrentItemCounts counts the current items per list and category of the
// given lists (nil: every list). The partial index (list_id, category) of
// current revisions answers it without reading the items; agencies and
// regions are joined by the caller, whose few thousand lists a hash join in
// the database only slowed down.
func (s *Store) CurrentItemCounts(ctx context.Context, lists []int64) ([]SearchCount, error) {
	query, args := "SELECT list_id, category, COUNT(*) FROM item_revisions WHERE valid_to = "+fmt.Sprint(OpenEnd), []any{}
	if lists != nil {
		query += " AND list_id IN ?"
		args = append(args, lists)
	}
	return s.listCategoryCounts(ctx, query+" GROUP BY list_id, category", args...)
}

// VersionChanges returns every published version of the lists (nil: every
// list), with what it changed (its import report left out).
func (s *Store) VersionChanges(ctx context.Context, lists []int64) ([]ListVersion, error) {
	q := s.DB(ctx).Model(&ListVersion{}).Select("id, list_id, number, published_at, change_request_id, item_count, added, " +
		"included, modified, recategorized, removed, delegated, merged, split")
	if lists != nil {
		q = q.Where("list_id IN ?", lists)
	}
	var out []ListVersion
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("version changes: %w", err)
	}
	return out, nil
}

// RequestStep is one transition of a change request with when the request
// entered the state it left (its creation, or the previous transition).
type RequestStep struct {
	ChangeRequestID int64
	State           string // the request's state now
	FromState       string
	Event           string
	EnteredAt       time.Time
	LeftAt          time.Time
}

// RequestState is one change request's state, for counting.
type RequestState struct {
	ID    int64
	State string
}

// RequestStates returns the state of every change request of the agencies of the regions.
func (s *Store) RequestStates(ctx context.Context, regions []string) ([]RequestState, error) {
	var out []RequestState
	err := s.DB(ctx).Raw(`SELECT cr.id, cr.state FROM change_requests cr JOIN agencies a ON a.id = cr.agency_id
WHERE a.region_code IN ?`, regions).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("request states: %w", err)
	}
	return out, nil
}

// RequestSteps returns every transition of the change requests of the
// regions, each with the time its request entered the state it left.
func (s *Store) RequestSteps(ctx context.Context, regions []string) ([]RequestStep, error) {
	var rows []struct {
		ChangeRequestID int64
		State           string
		Created         time.Time
		FromState       string
		Event           string
		CreatedAt       time.Time
	}
	err := s.DB(ctx).Raw(`SELECT e.change_request_id, cr.state, cr.created_at AS created, e.from_state, e.event, e.created_at
FROM change_request_events e
JOIN change_requests cr ON cr.id = e.change_request_id
JOIN agencies a ON a.id = cr.agency_id
WHERE a.region_code IN ? AND e.from_state <> e.to_state
ORDER BY e.change_request_id, e.version`, regions).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("request steps: %w", err)
	}
	out := make([]RequestStep, len(rows))
	for i, r := range rows {
		entered := r.Created
		if i > 0 && rows[i-1].ChangeRequestID == r.ChangeRequestID {
			entered = rows[i-1].CreatedAt
		}
		out[i] = RequestStep{ChangeRequestID: r.ChangeRequestID, State: r.State, FromState: r.FromState,
			Event: r.Event, EnteredAt: entered, LeftAt: r.CreatedAt}
	}
	return out, nil
}
