package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"

	"qingdan/apperr"
	"qingdan/models"
)

// OnboardAgency is one agency row of a bulk onboarding.
type OnboardAgency struct {
	Row  int
	Name string
	Kind string
}

// OnboardPerson is one person row of a bulk onboarding; Agency names an
// agency of the file or one the region already has ("" for a region administrator).
type OnboardPerson struct {
	Row         int
	Username    string
	DisplayName string
	Agency      string
	Role        string
}

// OnboardCredential is a created account with its temporary password, shown once.
type OnboardCredential struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Agency      string `json:"agency"`
	RoleName    string `json:"role_name"`
	Password    string `json:"password"`
}

// OnboardResult says what an onboarding did or would do: an error per row
// (by sheet row number), and on success the created accounts.
type OnboardResult struct {
	AgencyErrors map[int]string
	PersonErrors map[int]string
	Agencies     int
	Credentials  []OnboardCredential
}

// OK tells whether every row is acceptable.
func (r OnboardResult) OK() bool { return len(r.AgencyErrors) == 0 && len(r.PersonErrors) == 0 }

// errRollBack ends the transaction of a preview or of a file with errors.
var errRollBack = errors.New("onboarding rolled back")

// Onboard creates the agencies and people of a region in one transaction, all
// or none, by the same rules as one at a time: each row runs in a savepoint,
// so every row's error is found, and any error (or commit false, a preview)
// rolls everything back. The people get temporary passwords, returned once
// and stored only as hashes.
func (a *Service) Onboard(ctx context.Context, by Actor, region string, agencies []OnboardAgency, people []OnboardPerson, commit bool) (OnboardResult, error) {
	res := OnboardResult{AgencyErrors: map[int]string{}, PersonErrors: map[int]string{}}
	passwords := make([]string, len(people))
	hashes := make([]string, len(people))
	for i, p := range people {
		if !commit {
			hashes[i] = "preview" // never stored: a preview rolls back
			continue
		}
		pw, err := temporaryPassword(p.Username)
		if err != nil {
			return res, err
		}
		if hashes[i], err = HashPassword(pw, a.hashCost); err != nil {
			return res, err
		}
		passwords[i] = pw
	}
	err := a.store.Transaction(ctx, func(tx *models.Store) error {
		if _, err := tx.Region(ctx, region); err != nil {
			return err
		}
		if err := checkActorScope(ctx, tx, by, region); err != nil {
			return err
		}
		// row runs fn in a savepoint; a domain error is the row's, anything else the whole run's.
		row := func(errs map[int]string, n int, fn func(tx *models.Store) error) error {
			err := tx.Transaction(ctx, fn)
			if e, ok := apperr.As(err); ok {
				errs[n] = e.Message
				return nil
			}
			return err
		}
		for _, ag := range agencies {
			err := row(res.AgencyErrors, ag.Row, func(tx *models.Store) error {
				_, err := addAgency(ctx, tx, by, models.Agency{RegionCode: region, Kind: ag.Kind, Active: true}, ag.Name)
				return err
			})
			if err != nil {
				return err
			}
			res.Agencies++
		}
		for i, p := range people {
			err := row(res.PersonErrors, p.Row, func(tx *models.Store) error {
				in := NewUser{Username: p.Username, DisplayName: p.DisplayName, Role: p.Role, Temporary: true}
				if err := checkOnboardedRole(p.Role); err != nil {
					return err
				}
				if err := CheckUsername(p.Username); err != nil {
					return err
				}
				if err := checkDisplayName(p.DisplayName); err != nil {
					return err
				}
				if p.Agency == "" {
					in.RegionCode = region
				} else {
					ag, err := tx.AgencyByName(ctx, region, p.Agency)
					if err != nil {
						return err
					}
					in.AgencyID = &ag.ID
				}
				u, err := a.addUser(ctx, tx, by, in, hashes[i])
				if err != nil {
					return err
				}
				res.Credentials = append(res.Credentials, OnboardCredential{Username: u.Username, DisplayName: u.DisplayName,
					Agency: p.Agency, RoleName: models.RoleLabels[u.Role], Password: passwords[i]})
				return nil
			})
			if err != nil {
				return err
			}
		}
		if !commit || !res.OK() {
			return errRollBack
		}
		return nil
	})
	if !commit || !res.OK() {
		res.Agencies, res.Credentials = 0, nil
	}
	if err != nil && !errors.Is(err, errRollBack) {
		return res, fmt.Errorf("onboard %s: %w", region, err)
	}
	return res, nil
}

// checkOnboardedRole: a file onboards a region's own people, never a system administrator.
func checkOnboardedRole(role string) error {
	if err := checkRole(role); err != nil {
		return err
	}
	if role == models.RoleAdmin {
		return fieldInvalid("role", "批量导入不能创建系统管理员")
	}
	return nil
}

// passwordAlphabet leaves out characters read alike (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// temporaryPassword is a random 12-character password that meets the policy.
func temporaryPassword(username string) (string, error) {
	for {
		b := make([]byte, 12)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(passwordAlphabet))))
			if err != nil {
				return "", fmt.Errorf("temporary password: %w", err)
			}
			b[i] = passwordAlphabet[n.Int64()]
		}
		if pw := string(b); CheckPasswordPolicy(username, pw) == nil {
			return pw, nil
		}
	}
}

// CheckAdministers refuses an actor a region they do not administer.
func (a *Service) CheckAdministers(ctx context.Context, by Actor, region string) error {
	return checkActorScope(ctx, a.store, by, region)
}
