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
	RoleSubmitter:     "填报人员",
	RoleLegalReviewer: "合法性审查人员",
	RoleApprover:      "审定人员",
	RoleAdmin:         "系统管理员",
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

// SetPasswordHash replaces a user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	err := s.DB(ctx).Model(&User{}).Where("id = ?", id).
		Update("password_hash", hash).Error
	if err != nil {
		return fmt.Errorf("user %d: set password: %w", id, err)
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
