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

// RoleLabels are the Chinese names of the roles, for messages and the UI.
var RoleLabels = map[string]string{
	RoleSubmitter:        "填报人员",
	RoleLegalReviewer:    "合法性审查人员",
	RoleApprover:         "审定人员",
	RoleAdmin:            "系统管理员",
	RoleRegionAdmin:      "区域管理员",
	RoleStaffingReviewer: "编办审核人员",
}

// AgencyKindLabels are the Chinese names of the agency kinds.
var AgencyKindLabels = map[string]string{
	AgencyDepartment: "业务部门",
	AgencyJustice:    "司法局",
	AgencyGovernment: "人民政府",
	AgencyStaffing:   "机构编制部门",
}

// ScopeRegion is the region a user acts in: a reviewer's or approver's own
// region, a submitter's agency's region (the Agency must be loaded), "" for an admin.
func (u *User) ScopeRegion() string {
	switch {
	case u.RegionCode != nil:
		return *u.RegionCode
	case u.Agency != nil:
		return u.Agency.RegionCode
	}
	return ""
}

// userWithScope loads a user with its agency and region, which every reader
// of a user (sessions, audit, the API) needs.
func (s *Store) userWithScope(ctx context.Context) *gorm.DB {
	return s.DB(ctx).Preload("Agency.Region").Preload("Region")
}

// CreateUser inserts a new user; a taken username is a conflict.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	err := s.DB(ctx).Omit(clause.Associations).Create(u).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return apperr.New(apperr.Conflict, "用户名 %s 已存在", u.Username)
	}
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Username, err)
	}
	return nil
}

// UserByUsername returns the user with its agency and region.
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	var u User
	err := s.userWithScope(ctx).Where("username = ?", username).Take(&u).Error
	if err != nil {
		return u, notFound(err, "用户 %s 不存在", username)
	}
	return u, nil
}

// UserByID returns the user with its agency and region.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.userWithScope(ctx).Where("id = ?", id).Take(&u).Error
	if err != nil {
		return u, notFound(err, "用户 %d 不存在", id)
	}
	return u, nil
}

// Users returns every user, by username.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	if err := s.userWithScope(ctx).Order("username").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil
}

// LockUser reads the user's row for update (login bookkeeping), without relations.
func (s *Store) LockUser(ctx context.Context, id int64) (User, error) {
	var u User
	err := ForUpdate(s.DB(ctx)).Where("id = ?", id).Take(&u).Error
	if err != nil {
		return u, notFound(err, "用户 %d 不存在", id)
	}
	return u, nil
}

// SetPasswordHash replaces a user's password hash, temporary or the user's own.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string, temporary bool) error {
	err := s.DB(ctx).Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "must_change_password": temporary}).Error
	if err != nil {
		return fmt.Errorf("user %d: set password: %w", id, err)
	}
	return nil
}

// UpdateUserProfile writes a user's name, role, agency, region and whether it is disabled.
func (s *Store) UpdateUserProfile(ctx context.Context, u *User) error {
	err := s.DB(ctx).Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
		"display_name": u.DisplayName, "role": u.Role, "agency_id": u.AgencyID, "region_code": u.RegionCode, "disabled": u.Disabled,
	}).Error
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, err)
	}
	return nil
}

// DisableUser marks the user disabled and revokes its sessions.
func (s *Store) DisableUser(ctx context.Context, id int64, at time.Time) error {
	if err := s.DB(ctx).Model(&User{}).Where("id = ?", id).Update("disabled", true).Error; err != nil {
		return fmt.Errorf("disable user %d: %w", id, err)
	}
	return s.RevokeUserSessions(ctx, id, at)
}

// UserFilter narrows the user list; zero fields do not filter.
type UserFilter struct {
	Q        string // part of the username or the display name
	Role     string
	AgencyID int64
	Within   string // users acting in this region or a region under it
	Active   *bool
}

// UsersPage returns a page of users by username, with their agency and
// region, and how many match.
func (s *Store) UsersPage(ctx context.Context, f UserFilter, page Page) ([]User, int64, error) {
	q := s.DB(ctx).Model(&User{}).
		Joins("LEFT JOIN agencies ua ON ua.id = users.agency_id").
		Joins("LEFT JOIN regions ur ON ur.code = COALESCE(users.region_code, ua.region_code)").
		Joins("LEFT JOIN regions urp ON urp.code = ur.parent_code")
	if f.Q != "" {
		like := "%" + escapeLike(f.Q) + "%"
		q = q.Where(`(users.username LIKE ? ESCAPE '\' OR users.display_name LIKE ? ESCAPE '\')`, like, like)
	}
	if f.Role != "" {
		q = q.Where("users.role = ?", f.Role)
	}
	if f.AgencyID != 0 {
		q = q.Where("users.agency_id = ?", f.AgencyID)
	}
	if f.Within != "" {
		q = q.Where("(ur.code = ? OR ur.parent_code = ? OR urp.parent_code = ?)", f.Within, f.Within, f.Within)
	}
	if f.Active != nil {
		q = q.Where("users.disabled = ?", !*f.Active)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	var out []User
	err := q.Preload("Agency.Region").Preload("Region").Select("users.*").
		Order("users.username").Limit(page.Limit).Offset(page.Offset).Find(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("users: %w", err)
	}
	return out, total, nil
}
