package auth

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/models"
)

// Actor is who performs an account change, as the audit log records it.
type Actor struct {
	ID   *int64
	Name string
	// Within is the region a region administrator administers (with the
	// regions under it); "" for an admin or the command line: everything.
	Within string
}

// ActorOf is the actor for a logged-in user.
func ActorOf(u *models.User) Actor {
	a := Actor{ID: &u.ID, Name: u.Username}
	if u.Role == models.RoleRegionAdmin && u.RegionCode != nil {
		a.Within = *u.RegionCode
	}
	return a
}

// NewUser describes an account to create. A submitter works for a
// department; a legal reviewer or approver for a region, optionally with the
// 司法局 or 人民政府 they work for; a region administrator for a region; an
// admin for nothing.
type NewUser struct {
	Username    string
	DisplayName string
	Role        string
	AgencyID    *int64
	RegionCode  string
	Password    string
	// Temporary marks a password an administrator chose: the user must set
	// their own before doing anything else.
	Temporary bool
	demo      bool // the demo accounts keep DemoPassword, below the policy
}

// agencyKindOf is the kind of agency each role works for.
var agencyKindOf = map[string]string{
	models.RoleSubmitter:        models.AgencyDepartment,
	models.RoleLegalReviewer:    models.AgencyJustice,
	models.RoleApprover:         models.AgencyGovernment,
	models.RoleStaffingReviewer: models.AgencyStaffing,
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

func fieldInvalid(field, format string, args ...any) error {
	return apperr.New(apperr.Invalid, format, args...).WithDetails(map[string]any{"field": field})
}

// CheckUsername says what is wrong with a new username.
func CheckUsername(username string) error {
	if !usernamePattern.MatchString(username) {
		return fieldInvalid("username", "用户名“%s”无效：只能用小写字母、数字和 . _ -，以字母或数字开头，长 2–32 位", username)
	}
	return nil
}

func checkDisplayName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 64 {
		return fieldInvalid("display_name", "请填写姓名（显示名称，最多 64 个字符）")
	}
	return nil
}

func checkRole(role string) error {
	if _, ok := models.RoleLabels[role]; ok {
		return nil
	}
	roles := make([]string, 0, len(models.RoleLabels))
	for r, label := range models.RoleLabels {
		roles = append(roles, r+"（"+label+"）")
	}
	sort.Strings(roles)
	return fieldInvalid("role", "角色“%s”无效，可选：%s", role, strings.Join(roles, "、"))
}

// AddUser validates and creates an account, audited.
func (a *Service) AddUser(ctx context.Context, by Actor, in NewUser) (models.User, error) {
	in.Username, in.DisplayName = strings.TrimSpace(in.Username), strings.TrimSpace(in.DisplayName)
	if err := CheckUsername(in.Username); err != nil {
		return models.User{}, err
	}
	if err := checkDisplayName(in.DisplayName); err != nil {
		return models.User{}, err
	}
	if err := checkRole(in.Role); err != nil {
		return models.User{}, err
	}
	if !in.demo {
		if err := CheckPasswordPolicy(in.Username, in.Password); err != nil {
			return models.User{}, err
		}
	}
	// Hash before the transaction: it is slow and needs no lock.
	hash, err := HashPassword(in.Password, a.hashCost)
	if err != nil {
		return models.User{}, err
	}
	var id int64
	err = a.store.Transaction(ctx, func(tx *models.Store) error {
		u, err := a.addUser(ctx, tx, by, in, hash)
		id = u.ID
		return err
	})
	if err != nil {
		return models.User{}, fmt.Errorf("add user %s: %w", in.Username, err)
	}
	return a.store.UserByID(ctx, id)
}

// AddDemoUser creates a demonstration or test account, whose password
// (DemoPassword) is below the policy and never temporary.
func (a *Service) AddDemoUser(ctx context.Context, by Actor, in NewUser) (models.User, error) {
	in.demo, in.Temporary = true, false
	return a.AddUser(ctx, by, in)
}

// addUser creates an account of validated input with its password hash, in tx, audited.
func (a *Service) addUser(ctx context.Context, tx *models.Store, by Actor, in NewUser, hash string) (models.User, error) {
	u := models.User{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, PasswordHash: hash, MustChangePassword: in.Temporary}
	if err := checkScope(ctx, tx, in, &u); err != nil {
		return u, err
	}
	if err := checkActorScope(ctx, tx, by, u.ScopeRegion()); err != nil {
		return u, err
	}
	if err := tx.CreateUser(ctx, &u); err != nil {
		return u, err
	}
	return u, tx.AppendAudit(ctx, models.AuditEntry{
		ActorID: by.ID, Actor: by.Name, Action: ActionUserAdd, TargetType: "user",
		TargetID: fmt.Sprint(u.ID), RegionCode: u.ScopeRegion(), After: userAudit(&u),
	})
}

func userAudit(u *models.User) map[string]any {
	return map[string]any{"username": u.Username, "display_name": u.DisplayName, "role": u.Role,
		"agency_id": u.AgencyID, "region_code": u.RegionCode, "disabled": u.Disabled}
}

// checkScope checks that the role fits its agency and region and sets them on u.
func checkScope(ctx context.Context, tx *models.Store, in NewUser, u *models.User) error {
	u.AgencyID, u.Agency, u.RegionCode, u.Region = nil, nil, nil, nil
	var agency *models.Agency
	if in.AgencyID != nil {
		ag, err := tx.Agency(ctx, *in.AgencyID)
		if err != nil {
			return err
		}
		if !ag.Active {
			return fieldInvalid("agency_id", "部门“%s”已停用，不能再给它添加人员", ag.Name)
		}
		agency, u.AgencyID, u.Agency = &ag, &ag.ID, &ag
	}
	role := models.RoleLabels[in.Role]
	switch in.Role {
	case models.RoleSubmitter:
		if agency == nil {
			return fieldInvalid("agency_id", "填报人员必须指定所属部门（部门编号）")
		}
		if in.RegionCode != "" {
			return fieldInvalid("region_code", "填报人员的行政区划取自所属部门，不能另行指定")
		}
	case models.RoleLegalReviewer, models.RoleStaffingReviewer, models.RoleApprover:
		if in.RegionCode == "" && agency != nil {
			in.RegionCode = agency.RegionCode
		}
		if in.RegionCode == "" {
			return fieldInvalid("region_code", "%s必须指定负责的行政区划（区划代码）或所在机关", role)
		}
	case models.RoleRegionAdmin:
		if agency != nil {
			return fieldInvalid("agency_id", "%s管理一个行政区划，不属于某个部门", role)
		}
		if in.RegionCode == "" {
			return fieldInvalid("region_code", "%s必须指定管理的行政区划（区划代码）", role)
		}
	case models.RoleAdmin:
		if agency != nil || in.RegionCode != "" {
			return fieldInvalid("role", "系统管理员不限定部门或行政区划")
		}
	}
	if want := agencyKindOf[in.Role]; agency != nil && agency.Kind != want {
		return fieldInvalid("agency_id", "%s应属于%s，“%s”是%s", role, models.AgencyKindLabels[want], agency.Name, models.AgencyKindLabels[agency.Kind])
	}
	if in.RegionCode != "" {
		region, err := tx.Region(ctx, in.RegionCode)
		if err != nil {
			return err
		}
		if agency != nil && agency.RegionCode != region.Code {
			return fieldInvalid("agency_id", "部门“%s”不属于%s（%s）", agency.Name, region.Name, region.Code)
		}
		u.RegionCode, u.Region = &region.Code, &region
	}
	return nil
}

// checkActorScope refuses a region administrator a change outside their region.
func checkActorScope(ctx context.Context, tx *models.Store, by Actor, region string) error {
	if by.Within == "" {
		return nil
	}
	if region != "" {
		ok, err := tx.InRegion(ctx, region, by.Within)
		if err != nil || ok {
			return err
		}
	}
	return apperr.New(apperr.Forbidden, "区域管理员只能管理本行政区划（%s）及其下级的部门和人员", by.Within)
}

// UserChange is a PATCH of an account: nil fields stay as they are.
// AgencyID 0 removes the agency.
type UserChange struct {
	DisplayName *string
	Role        *string
	AgencyID    *int64
	RegionCode  *string
	Active      *bool
}

// UpdateUser changes an account's name, role, agency, region or activity,
// checked like a new account, audited with before and after.
func (a *Service) UpdateUser(ctx context.Context, by Actor, username string, ch UserChange) (models.User, error) {
	var id int64
	err := a.store.Transaction(ctx, func(tx *models.Store) error {
		u, err := tx.UserByUsername(ctx, username)
		if err != nil {
			return err
		}
		id = u.ID
		if err := checkActorScope(ctx, tx, by, u.ScopeRegion()); err != nil {
			return err
		}
		before := userAudit(&u)
		in := NewUser{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, AgencyID: u.AgencyID}
		if u.RegionCode != nil {
			in.RegionCode = *u.RegionCode
		}
		if ch.DisplayName != nil {
			in.DisplayName = strings.TrimSpace(*ch.DisplayName)
			if err := checkDisplayName(in.DisplayName); err != nil {
				return err
			}
		}
		if ch.Role != nil {
			if err := checkRole(*ch.Role); err != nil {
				return err
			}
			in.Role = *ch.Role
			// What the new role has no use for goes, unless given anew.
			if ch.AgencyID == nil && (in.Role == models.RoleAdmin || in.Role == models.RoleRegionAdmin) {
				in.AgencyID = nil
			}
			if ch.RegionCode == nil && (in.Role == models.RoleAdmin || in.Role == models.RoleSubmitter) {
				in.RegionCode = ""
			}
		}
		if ch.AgencyID != nil {
			in.AgencyID = ch.AgencyID
			if *ch.AgencyID == 0 {
				in.AgencyID = nil
			}
		}
		if ch.RegionCode != nil {
			in.RegionCode = *ch.RegionCode
		}
		if err := checkScope(ctx, tx, in, &u); err != nil {
			return err
		}
		if err := checkActorScope(ctx, tx, by, u.ScopeRegion()); err != nil {
			return err
		}
		u.DisplayName, u.Role = in.DisplayName, in.Role
		if ch.Active != nil && *ch.Active == u.Disabled {
			if by.ID != nil && *by.ID == u.ID {
				return apperr.New(apperr.Conflict, "不能停用或启用自己的账号")
			}
			u.Disabled = !*ch.Active
			if u.Disabled {
				if err := tx.RevokeUserSessions(ctx, u.ID, a.Now()); err != nil {
					return err
				}
			}
		}
		if err := tx.UpdateUserProfile(ctx, &u); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{
			ActorID: by.ID, Actor: by.Name, Action: ActionUserUpdate, TargetType: "user",
			TargetID: fmt.Sprint(u.ID), RegionCode: u.ScopeRegion(), Before: before, After: userAudit(&u),
		})
	})
	if err != nil {
		return models.User{}, fmt.Errorf("update user %s: %w", username, err)
	}
	return a.store.UserByID(ctx, id)
}

// SetPassword replaces a user's password, lifts a login lock and ends the
// user's sessions, audited. A temporary password must be replaced by its user.
func (a *Service) SetPassword(ctx context.Context, by Actor, username, password string, temporary bool) error {
	if err := CheckPasswordPolicy(username, password); err != nil {
		return err
	}
	hash, err := HashPassword(password, a.hashCost)
	if err != nil {
		return err
	}
	return a.changeUser(ctx, by, username, ActionUserPasswd, func(tx *models.Store, u *models.User) error {
		if err := tx.SetPasswordHash(ctx, u.ID, hash, temporary); err != nil {
			return err
		}
		return tx.RevokeUserSessions(ctx, u.ID, a.Now())
	})
}

// ChangeOwnPassword is a user replacing their own password, which ends a
// temporary one; the old password must be given.
func (a *Service) ChangeOwnPassword(ctx context.Context, u *models.User, oldPassword, newPassword string) error {
	if !PasswordMatches(u.PasswordHash, oldPassword) {
		return fieldInvalid("old_password", "原密码不正确")
	}
	if newPassword == oldPassword {
		return fieldInvalid("new_password", "新密码不能与原密码相同")
	}
	if err := CheckPasswordPolicy(u.Username, newPassword); err != nil {
		return fieldInvalid("new_password", "%s", err.Error())
	}
	hash, err := HashPassword(newPassword, a.hashCost)
	if err != nil {
		return err
	}
	return a.changeUser(ctx, ActorOf(u), u.Username, ActionPasswordChange, func(tx *models.Store, row *models.User) error {
		return tx.SetPasswordHash(ctx, row.ID, hash, false)
	})
}

// UnlockUser lifts the login backoffs of a user (from every client IP)
// before they run out, audited.
func (a *Service) UnlockUser(ctx context.Context, by Actor, username string) error {
	return a.changeUser(ctx, by, username, ActionUserUnlock, func(tx *models.Store, u *models.User) error {
		return tx.ForgetLoginFailures(ctx, throttleName(u.Username), "")
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

// changeUser runs one audited change of an existing account in a
// transaction, within the actor's region.
func (a *Service) changeUser(ctx context.Context, by Actor, username, action string, change func(tx *models.Store, u *models.User) error) error {
	err := a.store.Transaction(ctx, func(tx *models.Store) error {
		u, err := tx.UserByUsername(ctx, username)
		if err != nil {
			return err
		}
		if err := checkActorScope(ctx, tx, by, u.ScopeRegion()); err != nil {
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
