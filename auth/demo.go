package auth

import (
	"context"
	"fmt"

	"qingdan/apperr"
	"qingdan/models"
)

// DemoPassword is the password of every demo account. It exists only where
// `qingdan serve --demo` (or a test) created the accounts.
const DemoPassword = "demo12345"

// DemoAccount is one demo account and whether this run created it.
type DemoAccount struct {
	Username    string
	DisplayName string
	Role        string
	Scope       string // agency or region, for the printed table
	Created     bool   // false: it existed already and was left alone (its password may have changed)
}

type demoAgency struct {
	region, name, kind string
}

// demoAgencies are the agencies the demo accounts work for. The medical
// security bureaus are the ones the seed import creates (same region, same name).
var demoAgencies = []demoAgency{
	{"640303", "红寺堡区医疗保障局", models.AgencyDepartment},
	{"640303", "红寺堡区司法局", models.AgencyJustice},
	{"640303", "红寺堡区人民政府", models.AgencyGovernment},
	{"640303", "红寺堡区机构编制委员会办公室", models.AgencyStaffing},
	{"653226", "于田县医疗保障局", models.AgencyDepartment},
	{"653226", "于田县司法局", models.AgencyJustice},
	{"653226", "于田县人民政府", models.AgencyGovernment},
	{"653226", "于田县机构编制委员会办公室", models.AgencyStaffing},
}

type demoUser struct {
	username, displayName, role, region, agency string
}

var demoUsers = []demoUser{
	{"hsb-ybj", "红寺堡区医疗保障局 经办人", models.RoleSubmitter, "", "红寺堡区医疗保障局"},
	{"hsb-sfj", "红寺堡区司法局 审查员", models.RoleLegalReviewer, "640303", "红寺堡区司法局"},
	{"hsb-gov", "红寺堡区人民政府 审定人", models.RoleApprover, "640303", "红寺堡区人民政府"},
	{"hsb-bb", "红寺堡区编办 审核员", models.RoleStaffingReviewer, "640303", "红寺堡区机构编制委员会办公室"},
	{"yt-ybj", "于田县医疗保障局 经办人", models.RoleSubmitter, "", "于田县医疗保障局"},
	{"yt-sfj", "于田县司法局 审查员", models.RoleLegalReviewer, "653226", "于田县司法局"},
	{"yt-gov", "于田县人民政府 审定人", models.RoleApprover, "653226", "于田县人民政府"},
	{"yt-bb", "于田县编办 审核员", models.RoleStaffingReviewer, "653226", "于田县机构编制委员会办公室"},
	{"admin", "系统管理员", models.RoleAdmin, "", ""},
}

// SeedDemo creates, where missing, the regions of both seeds, their
// agencies and one account per role and region with DemoPassword. Accounts
// that exist are left as they are, so running it again changes nothing.
func (a *Service) SeedDemo(ctx context.Context) ([]DemoAccount, error) {
	if err := a.store.EnsureRegions(ctx, models.KnownRegions); err != nil {
		return nil, err
	}
	agencies := map[string]models.Agency{}
	for _, d := range demoAgencies {
		ag, err := a.store.EnsureAgency(ctx, d.region, d.name, d.kind)
		if err != nil {
			return nil, err
		}
		agencies[d.name] = ag
	}
	out := make([]DemoAccount, 0, len(demoUsers))
	for _, d := range demoUsers {
		acc := DemoAccount{Username: d.username, DisplayName: d.displayName, Role: d.role, Scope: d.agency}
		if acc.Scope == "" {
			acc.Scope = "全部"
		}
		_, err := a.store.UserByUsername(ctx, d.username)
		switch {
		case err == nil:
		case apperr.Is(err, apperr.NotFound):
			in := NewUser{Username: d.username, DisplayName: d.displayName, Role: d.role, RegionCode: d.region, Password: DemoPassword}
			if ag, ok := agencies[d.agency]; ok {
				in.AgencyID = &ag.ID
			}
			_, err := a.AddDemoUser(ctx, Actor{Name: "demo"}, in)
			// A conflict means another instance starting at the same time created it.
			if err != nil && !apperr.Is(err, apperr.Conflict) {
				return nil, fmt.Errorf("demo account %s: %w", d.username, err)
			}
			acc.Created = err == nil
		default:
			return nil, fmt.Errorf("demo account %s: %w", d.username, err)
		}
		out = append(out, acc)
	}
	return out, nil
}
