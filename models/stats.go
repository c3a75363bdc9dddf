package models

import (
	"context"
	"fmt"
	"time"
)

// The reads behind the statistics (统计分析): each is one query over a set of
// regions (a region and everything under it), aggregated by the caller.

// ItemCount is the number of current items of one category in one agency's lists.
type ItemCount struct {
	AgencyID   int64
	AgencyName string
	RegionCode string
	Category   string
	N          int
}

// CurrentItemCounts counts the current items per agency and category in the
// regions. The partial index (list_id, category) of current revisions
// answers it without reading the items.
func (s *Store) CurrentItemCounts(ctx context.Context, regions []string) ([]ItemCount, error) {
	var out []ItemCount
	err := s.DB(ctx).Raw(`SELECT a.id AS agency_id, a.name AS agency_name, a.region_code, c.category, SUM(c.n) AS n
FROM (SELECT r.list_id, r.category, COUNT(*) AS n FROM item_revisions r
      JOIN lists l ON l.id = r.list_id JOIN agencies a ON a.id = l.agency_id
      WHERE r.valid_to = `+fmt.Sprint(OpenEnd)+` AND a.region_code IN ?
      GROUP BY r.list_id, r.category) c
JOIN lists l ON l.id = c.list_id
JOIN agencies a ON a.id = l.agency_id
GROUP BY a.id, a.name, a.region_code, c.category`, regions).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("item counts: %w", err)
	}
	return out, nil
}

// VersionChange is what one published version changed, as its version row counts it.
type VersionChange struct {
	ListID        int64
	Number        int
	PublishedAt   time.Time
	ItemCount     int
	Added         int
	Included      int
	Modified      int
	Recategorized int
	Removed       int
}

// VersionChanges returns every published version of the lists of the regions.
func (s *Store) VersionChanges(ctx context.Context, regions []string) ([]VersionChange, error) {
	var out []VersionChange
	err := s.DB(ctx).Raw(`SELECT v.list_id, v.number, v.published_at, v.item_count, v.added, v.included,
	v.modified, v.recategorized, v.removed
FROM list_versions v JOIN lists l ON l.id = v.list_id JOIN agencies a ON a.id = l.agency_id
WHERE a.region_code IN ?`, regions).Scan(&out).Error
	if err != nil {
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
WHERE a.region_code IN ?
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
