package auth

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/models"
)

// Actor is who performs an account change, as the audit log records it.
type Actor struct {
	ID   *int64
	Name string
}

// ActorOf is the actor for a logged-in user.
func ActorOf(u *models.User) Actor { return Actor{ID: &u.ID, Name: u.Username} }

// NewUser describes an account to create. A submitter is scoped to an
// agency; a legal reviewer or approver to a region, optionally with the
// agency (司法局, 人民政府) they work for; an admin to nothing.
type NewUser struct {
	Username    string
	DisplayName string
	Role        string
	AgencyID    *int64
	RegionCode  string
	Password    string
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// AddUser validates and creates an account, audited.
func (a *Service) AddUser(ctx context.Context, by Actor, in NewUser) (models.User, error) {
	in.Username, in.DisplayName = strings.TrimSpace(in.Username), strings.TrimSpace(in.DisplayName)
	if !usernamePattern.MatchString(in.Username) {
		return models.User{}, apperr.New(apperr.Invalid, "用户名“%s”无效：只能用小写字母、数字和 . _ -，以字母或数字开头，长 2–32 位", in.Username)
	}
	if in.DisplayName == "" || utf8.RuneCountInString(in.DisplayName) > 64 {
		return models.User{}, apperr.New(apperr.Invalid, "请填写姓名（显示名称，最多 64 个字符）")
	}
	if _, ok := models.RoleLabels[in.Role]; !ok {
		return models.User{}, apperr.New(apperr.Invalid, "角色“%s”无效，可选：submitter（填报人员）、legal_reviewer（合法性审查人员）、approver（审定人员）、admin（系统管理员）", in.Role)
	}
	// Hash before the transaction: it is slow and needs no lock.
	hash, err := HashPassword(in.Password, a.hashCost)
	if err != nil {
		return models.User{}, err
	}
	u := models.User{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, PasswordHash: hash}
	err = a.store.Transaction(ctx, func(tx *models.Store) error {
		if err := checkScope(ctx, tx, in, &u); err != nil {
			return err
		}
		if err := tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{
			ActorID: by.ID, Actor: by.Name, Action: ActionUserAdd, TargetType: "user",
			TargetID: fmt.Sprint(u.ID), RegionCode: u.ScopeRegion(),
			After: map[string]any{"username": u.Username, "display_name": u.DisplayName, "role": u.Role,
				"agency_id": u.AgencyID, "region_code": u.RegionCode},
		})
	})
	if err != nil {
		return models.User{}, fmt.Errorf("add user %s: %w", in.Username, err)
	}
	return a.store.UserByID(ctx, u.ID)
}

// checkScope validates the role's scope and sets it on u.
func checkScope(ctx context.Context, tx *models.Store, in NewUser, u *models.User) error {
	var agency *models.Agency
	if in.AgencyID != nil {
		ag, err := tx.Agency(ctx, *in.AgencyID)
		if err != nil {
			return err
		}
		agency, u.AgencyID, u.Agency = &ag, &ag.ID, &ag
	}
	switch in.Role {
	case models.RoleSubmitter:
		if agency == nil {
			return apperr.New(apperr.Invalid, "填报人员必须指定所属部门（部门编号）")
		}
		if in.RegionCode != "" {
			return apperr.New(apperr.Invalid, "填报人员的行政区划取自所属部门，不能另行指定")
		}
	case models.RoleLegalReviewer, models.RoleApprover:
		if in.RegionCode == "" {
			return apperr.New(apperr.Invalid, "%s必须指定负责的行政区划（区划代码）", models.RoleLabels[in.Role])
		}
		region, err := tx.Region(ctx, in.RegionCode)
		if err != nil {
			return err
		}
		if agency != nil && agency.RegionCode != region.Code {
			return apperr.New(apperr.Invalid, "部门“%s”不属于%s（%s）", agency.Name, region.Name, region.Code)
		}
		u.RegionCode = &region.Code
	case models.RoleAdmin:
		if agency != nil || in.RegionCode != "" {
			return apperr.New(apperr.Invalid, "系统管理员不限定部门或行政区划")
		}
	}
	return nil
}

// SetPassword replaces a user's password, lifts a login lock and ends the
// user's sessions, audited.
func (a *Service) SetPassword(ctx context.Context, by Actor, username, password string) error {
	hash, err := HashPassword(password, a.hashCost)
	if err != nil {
		return err
	}
	return a.changeUser(ctx, by, username, ActionUserPasswd, func(tx *models.Store, u *models.User) error {
		if err := tx.SetPasswordHash(ctx, u.ID, hash); err != nil {
			return err
		}
		return tx.RevokeUserSessions(ctx, u.ID, a.Now())
	})
}

// DisableUser disables an account and ends its sessions, audited.
func (a *Service) DisableUser(ctx context.Context, by Actor, username string) error {
	return a.changeUser(ctx, by, username, ActionUserDisable, func(tx *models.Store, u *models.User) error {
		if u.Disabled {
			return apperr.New(apperr.Conflict, "用户 %s 已是停用状态", u.Username)
		}
		if by.ID != nil && *by.ID == u.ID {
			return apperr.New(apperr.Conflict, "不能停用自己的账号")
		}
		return tx.DisableUser(ctx, u.ID, a.Now())
	})
}

// changeUser runs one audited change of an existing account in a transaction.
func (a *Service) changeUser(ctx context.Context, by Actor, username, action string, change func(tx *models.Store, u *models.User) error) error {
	err := a.store.Transaction(ctx, func(tx *models.Store) error {
		u, err := tx.UserByUsername(ctx, username)
		if err != nil {
			return err
		}
		if err := change(tx, &u); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{
			ActorID: by.ID, Actor: by.Name, Action: action, TargetType: "user",
			TargetID: fmt.Sprint(u.ID), RegionCode: u.ScopeRegion(), After: map[string]any{"username": u.Username},
		})
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, username, err)
	}
	return nil
}
