package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"qingdan/apperr"
)

// CalendarDay is a holiday or working day an administrator entered: a year's
// national notice (RegionCode "") or a region's own day.
type CalendarDay struct {
	ID         int64 `gorm:"primaryKey"`
	RegionCode string
	Day        string // YYYY-MM-DD
	Kind       string
	Name       string
	Basis      string
	CreatedBy  *int64
	CreatedAt  time.Time
}

// CalendarDays returns the entered days of the given layers ("" national), in entry order.
func (s *Store) CalendarDays(ctx context.Context, regions []string) ([]CalendarDay, error) {
	var out []CalendarDay
	if err := s.DB(ctx).Where("region_code IN ?", regions).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("calendar days: %w", err)
	}
	return out, nil
}

// CreateCalendarDay stores an entered day; a layer holds one entry per date.
func (s *Store) CreateCalendarDay(ctx context.Context, d *CalendarDay) error {
	err := s.DB(ctx).Create(d).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return apperr.New(apperr.Conflict, "%s 已有设置，请先删除原设置", d.Day).WithDetails(map[string]any{"field": "date"})
	}
	if err != nil {
		return fmt.Errorf("create calendar day %s: %w", d.Day, err)
	}
	return nil
}

// DeleteCalendarDay removes an entered day and returns it.
func (s *Store) DeleteCalendarDay(ctx context.Context, id int64) (CalendarDay, error) {
	var d CalendarDay
	if err := s.DB(ctx).Where("id = ?", id).Take(&d).Error; err != nil {
		return d, notFound(err, "节假日设置 %d 不存在", id)
	}
	if err := s.DB(ctx).Delete(&CalendarDay{}, id).Error; err != nil {
		return d, fmt.Errorf("delete calendar day %d: %w", id, err)
	}
	return d, nil
}

// RegionProcess is a region's process setting, a JSON document.
type RegionProcess struct {
	RegionCode string `gorm:"primaryKey"`
	Setting    string
	UpdatedBy  *int64
	UpdatedAt  time.Time
}

// RegionProcesses returns the settings of the given regions.
func (s *Store) RegionProcesses(ctx context.Context, codes []string) ([]RegionProcess, error) {
	var out []RegionProcess
	if err := s.DB(ctx).Where("region_code IN ?", codes).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("region process settings: %w", err)
	}
	return out, nil
}

// SaveRegionProcess writes a region's setting, replacing the one before.
func (s *Store) SaveRegionProcess(ctx context.Context, p RegionProcess) error {
	err := s.DB(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "region_code"}},
		DoUpdates: clause.AssignmentColumns([]string{"setting", "updated_by", "updated_at"})}).Create(&p).Error
	if err != nil {
		return fmt.Errorf("save process setting of %s: %w", p.RegionCode, err)
	}
	return nil
}

// StepEntry is the latest event that moved a request into a state.
type StepEntry struct {
	ChangeRequestID int64
	ToState         string
	Version         int
	CreatedAt       time.Time
}

// StepEntries returns, per request and state, the latest event that changed
// the request into that state (events that leave the state as it was, like
// a 督办, do not start a step).
func (s *Store) StepEntries(ctx context.Context, ids []int64) (map[int64]map[string]StepEntry, error) {
	out := map[int64]map[string]StepEntry{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var rows []StepEntry
		err := s.DB(ctx).Table("change_request_events").Select("change_request_id, to_state, version, created_at").
			Where("change_request_id IN ? AND from_state <> to_state", chunk).Order("version").Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("step entries: %w", err)
		}
		for _, r := range rows {
			if out[r.ChangeRequestID] == nil {
				out[r.ChangeRequestID] = map[string]StepEntry{}
			}
			out[r.ChangeRequestID][r.ToState] = r
		}
	}
	return out, nil
}

// Recipients selects active users: of a role in a region, the submitters of
// an agency, or the given ids.
type Recipients struct {
	Role       string
	RegionCode string
	AgencyID   int64
	IDs        []int64
}

// ActiveUsers returns the enabled users the selection names.
func (s *Store) ActiveUsers(ctx context.Context, r Recipients) ([]User, error) {
	q := s.DB(ctx).Where("disabled = ?", false)
	if r.Role != "" {
		q = q.Where("role = ?", r.Role)
	}
	if r.RegionCode != "" {
		q = q.Where("region_code = ?", r.RegionCode)
	}
	if r.AgencyID != 0 {
		q = q.Where("agency_id = ?", r.AgencyID)
	}
	if r.IDs != nil {
		q = q.Where("id IN ?", r.IDs)
	}
	var out []User
	if err := q.Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("users to notify: %w", err)
	}
	return out, nil
}
