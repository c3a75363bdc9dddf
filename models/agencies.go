package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"qingdan/apperr"
)

// AgencyRow is an agency as the administration pages show it.
type AgencyRow struct {
	ID             int64
	Name           string
	Kind           string
	RegionCode     string
	RegionFullName string
	Active         bool
	ListCount      int
	UserCount      int
}

// AgencyFilter narrows the agency list; zero fields do not filter.
type AgencyFilter struct {
	Within string // agencies of this region and the regions under it
	Kind   string
	Q      string // part of the name
	Active *bool
}

const agencyRowSelect = `SELECT a.id, a.name, a.kind, a.region_code, a.active,
	COALESCE(pp.name, '') || COALESCE(p.name, '') || r.name AS region_full_name,
	(SELECT COUNT(*) FROM lists l WHERE l.agency_id = a.id) AS list_count,
	(SELECT COUNT(*) FROM users u WHERE u.agency_id = a.id) AS user_count
FROM agencies a
JOIN regions r ON r.code = a.region_code
LEFT JOIN regions p ON p.code = r.parent_code
LEFT JOIN regions pp ON pp.code = p.parent_code`

// Agencies returns a page of agencies by region and name, and how many match.
func (s *Store) Agencies(ctx context.Context, f AgencyFilter, page Page) ([]AgencyRow, int64, error) {
	cond, args := " WHERE 1 = 1", []any{}
	if f.Within != "" {
		cond += " AND (r.code = ? OR r.parent_code = ? OR p.parent_code = ?)"
		args = append(args, f.Within, f.Within, f.Within)
	}
	if f.Kind != "" {
		cond += " AND a.kind = ?"
		args = append(args, f.Kind)
	}
	if f.Q != "" {
		cond += ` AND a.name LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(f.Q)+"%")
	}
	if f.Active != nil {
		cond += " AND a.active = ?"
		args = append(args, *f.Active)
	}
	out, total, err := rawPage[AgencyRow](ctx, s, agencyRowSelect, cond, "a.region_code, a.kind, a.name", args, page)
	if err != nil {
		return nil, 0, fmt.Errorf("agencies: %w", err)
	}
	return out, total, nil
}

// AgencyRow returns one agency as the administration pages show it.
func (s *Store) AgencyRow(ctx context.Context, id int64) (AgencyRow, error) {
	var out []AgencyRow
	if err := s.DB(ctx).Raw(agencyRowSelect+" WHERE a.id = ?", id).Scan(&out).Error; err != nil {
		return AgencyRow{}, fmt.Errorf("agency %d: %w", id, err)
	}
	if len(out) == 0 {
		return AgencyRow{}, apperr.New(apperr.NotFound, "部门 %d 不存在", id)
	}
	return out[0], nil
}

// CreateAgency inserts an agency; a name taken in its region is a conflict.
func (s *Store) CreateAgency(ctx context.Context, a *Agency) error {
	err := s.DB(ctx).Omit("Region").Create(a).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return apperr.New(apperr.Conflict, "本行政区划已有名为“%s”的部门", a.Name).WithDetails(map[string]any{"field": "name"})
	}
	if err != nil {
		return fmt.Errorf("create agency %s: %w", a.Name, err)
	}
	return nil
}

// UpdateAgency writes an agency's name and whether it is active.
func (s *Store) UpdateAgency(ctx context.Context, a *Agency) error {
	err := s.DB(ctx).Model(&Agency{}).Where("id = ?", a.ID).Updates(map[string]any{"name": a.Name, "active": a.Active}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return apperr.New(apperr.Conflict, "本行政区划已有名为“%s”的部门", a.Name).WithDetails(map[string]any{"field": "name"})
	}
	if err != nil {
		return fmt.Errorf("update agency %d: %w", a.ID, err)
	}
	return s.notifyHead(ctx, "agency", a.ID) // exports print its name
}

// AgencyByName returns the agency of that name in the region.
func (s *Store) AgencyByName(ctx context.Context, region, name string) (Agency, error) {
	var a Agency
	err := s.DB(ctx).Preload("Region").Where("region_code = ? AND name = ?", region, name).Take(&a).Error
	if err != nil {
		return a, notFound(err, "本行政区划没有名为“%s”的部门（须在“部门”表中列出，或已经存在）", name)
	}
	return a, nil
}
