package models

import (
	"context"
	"fmt"
	"time"

	"qingdan/apperr"
)

// Countersign answers.
const (
	CountersignAgree    = "agree"
	CountersignDisagree = "disagree"
)

// Countersign (会签) is one agency's opinion on a request that touches its
// power, asked for by a submission (Round is that submission's version).
type Countersign struct {
	ID              int64 `gorm:"primaryKey"`
	ChangeRequestID int64
	Round           int
	AgencyID        int64
	Reason          string // what touches the agency's power
	Answer          string // "" until given
	Opinion         string
	AnsweredBy      *int64
	AnsweredAt      *time.Time
	CreatedAt       time.Time
}

// CountersignRow is a countersign with the names its page shows.
type CountersignRow struct {
	Countersign
	AgencyName   string
	AnsweredName string
}

// CreateCountersigns asks agencies for their 会签.
func (s *Store) CreateCountersigns(ctx context.Context, cs []Countersign) error {
	if len(cs) == 0 {
		return nil
	}
	if err := s.DB(ctx).Create(&cs).Error; err != nil {
		return fmt.Errorf("create countersigns: %w", err)
	}
	return nil
}

// Countersigns returns a request's countersigns of its latest round (the
// one its current course asked for), by agency name.
func (s *Store) Countersigns(ctx context.Context, changeRequestID int64) ([]CountersignRow, error) {
	var out []CountersignRow
	err := s.DB(ctx).Table("countersigns c").
		Select("c.*, a.name AS agency_name, COALESCE(u.display_name, '') AS answered_name").
		Joins("JOIN agencies a ON a.id = c.agency_id").
		Joins("LEFT JOIN users u ON u.id = c.answered_by").
		Where("c.change_request_id = ? AND c.round = (SELECT MAX(c2.round) FROM countersigns c2 WHERE c2.change_request_id = ?)",
			changeRequestID, changeRequestID).
		Order("a.name, c.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("countersigns of change request %d: %w", changeRequestID, err)
	}
	return out, nil
}

// AnswerCountersign records an agency's answer.
func (s *Store) AnswerCountersign(ctx context.Context, id int64, answer, opinion string, by int64, at time.Time) error {
	res := s.DB(ctx).Model(&Countersign{}).Where("id = ? AND answer = ''", id).
		Updates(map[string]any{"answer": answer, "opinion": opinion, "answered_by": by, "answered_at": at})
	if res.Error != nil {
		return fmt.Errorf("answer countersign %d: %w", id, res.Error)
	}
	if res.RowsAffected != 1 {
		return apperr.New(apperr.Conflict, "本部门已会签过这份修订申请")
	}
	return nil
}

// RegionAgencies returns the active agencies of a region.
func (s *Store) RegionAgencies(ctx context.Context, region string) ([]Agency, error) {
	var out []Agency
	if err := s.DB(ctx).Where("region_code = ? AND active = ?", region, true).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("agencies of %s: %w", region, err)
	}
	return out, nil
}
