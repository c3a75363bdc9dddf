package auth

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"qingdan/models"
)

// Audit actions of agency administration.
const (
	ActionAgencyAdd    = "agency_add"
	ActionAgencyUpdate = "agency_update"
)

// CheckAgencyName trims an agency name and says what is wrong with it.
func CheckAgencyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 2 || n > 64 {
		return name, fieldInvalid("name", "部门名称应为 2–64 个字符")
	}
	return name, nil
}

// CheckAgencyKind says what is wrong with an agency kind.
func CheckAgencyKind(kind string) error {
	if _, ok := models.AgencyKindLabels[kind]; !ok {
		return fieldInvalid("kind", "部门类型“%s”无效，可选：department（业务部门）、justice（司法局）、government（人民政府）、staffing（机构编制部门）", kind)
	}
	return nil
}

// AddAgency creates an agency of a region, audited; its name is unique in the region.
func (a *Service) AddAgency(ctx context.Context, by Actor, regionCode, name, kind string) (models.Agency, error) {
	ag := models.Agency{RegionCode: regionCode, Kind: kind, Active: true}
	err := a.store.Transaction(ctx, func(tx *models.Store) error {
		var err error
		ag, err = addAgency(ctx, tx, by, ag, name)
		return err
	})
	if err != nil {
		return ag, fmt.Errorf("add agency %s: %w", name, err)
	}
	return ag, nil
}

// addAgency checks and creates ag with name in tx, audited.
func addAgency(ctx context.Context, tx *models.Store, by Actor, ag models.Agency, name string) (models.Agency, error) {
	var err error
	if ag.Name, err = CheckAgencyName(name); err != nil {
		return ag, err
	}
	if err := CheckAgencyKind(ag.Kind); err != nil {
		return ag, err
	}
	if _, err := tx.Region(ctx, ag.RegionCode); err != nil {
		return ag, err
	}
	if err := checkActorScope(ctx, tx, by, ag.RegionCode); err != nil {
		return ag, err
	}
	if err := tx.CreateAgency(ctx, &ag); err != nil {
		return ag, err
	}
	return ag, tx.AppendAudit(ctx, models.AuditEntry{
		ActorID: by.ID, Actor: by.Name, Action: ActionAgencyAdd, TargetType: "agency", TargetID: fmt.Sprint(ag.ID),
		RegionCode: ag.RegionCode, After: map[string]any{"name": ag.Name, "kind": ag.Kind, "region_code": ag.RegionCode},
	})
}

// UpdateAgency renames an agency or (de)activates it, audited with before
// and after. Its lists keep their history: they refer to the agency by id.
// An agency is never deleted; a deactivated one takes no new people.
func (a *Service) UpdateAgency(ctx context.Context, by Actor, id int64, name *string, active *bool) (models.Agency, error) {
	var ag models.Agency
	err := a.store.Transaction(ctx, func(tx *models.Store) error {
		var err error
		if ag, err = tx.Agency(ctx, id); err != nil {
			return err
		}
		if err := checkActorScope(ctx, tx, by, ag.RegionCode); err != nil {
			return err
		}
		before := map[string]any{"name": ag.Name, "active": ag.Active}
		if name != nil {
			if ag.Name, err = CheckAgencyName(*name); err != nil {
				return err
			}
		}
		if active != nil {
			ag.Active = *active
		}
		if err := tx.UpdateAgency(ctx, &ag); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{
			ActorID: by.ID, Actor: by.Name, Action: ActionAgencyUpdate, TargetType: "agency", TargetID: fmt.Sprint(ag.ID),
			RegionCode: ag.RegionCode, Before: before, After: map[string]any{"name": ag.Name, "active": ag.Active},
		})
	})
	if err != nil {
		return ag, fmt.Errorf("update agency %d: %w", id, err)
	}
	return ag, nil
}
