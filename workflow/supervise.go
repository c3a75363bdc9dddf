package workflow

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/models"
)

// EventUrge is a 督办: a supervisor reminds those who must act on a request.
// It is recorded on the request's timeline but changes no state.
const EventUrge = "urge"

// SoonDays: 督办 shows requests overdue or due within this many working days.
const SoonDays = 3

// supervises says whether the user oversees the deadlines of a region's
// requests: administrators everywhere, 司法局 and 编办 reviewers in their region.
func supervises(u *models.User, region string) bool {
	switch u.Role {
	case models.RoleAdmin:
		return true
	case models.RoleLegalReviewer, models.RoleStaffingReviewer:
		return inRegion(u, region)
	}
	return false
}

// MaySupervise says whether the user has a 督办 view at all.
func MaySupervise(u *models.User) bool {
	return u.Role == models.RoleAdmin || (u.RegionCode != nil && supervises(u, *u.RegionCode))
}

// Supervised is a request on the 督办 list with its clock.
type Supervised struct {
	Request models.ChangeRequestRow
	Clock   *Clock
}

// Supervision sorts.
const (
	SortDue     = "due"     // earliest due first (default)
	SortStarted = "started" // longest waiting first
	SortAgency  = "agency"
)

// Supervision lists the requests of the user's region that are overdue or
// due within SoonDays working days.
func (s *Service) Supervision(ctx context.Context, u *models.User, sort string) ([]Supervised, error) {
	if !MaySupervise(u) {
		return nil, apperr.New(apperr.Forbidden, "督办仅限系统管理员和司法局、编办的审查人员")
	}
	switch sort {
	case "":
		sort = SortDue
	case SortDue, SortStarted, SortAgency:
	default:
		return nil, fieldError("sort", "没有“%s”这种排序，可选：due、started、agency", sort)
	}
	scope, _ := visibleScope(u)
	scope.States = ClockedStates()
	rows, _, err := s.store.ChangeRequests(ctx, scope)
	if err != nil {
		return nil, err
	}
	clocks, err := s.Clocks(ctx, rows)
	if err != nil {
		return nil, err
	}
	out := []Supervised{}
	for _, r := range rows {
		if c := clocks[r.ID]; c != nil && c.DaysLeft != nil && *c.DaysLeft <= SoonDays {
			out = append(out, Supervised{Request: r, Clock: c})
		}
	}
	slices.SortStableFunc(out, func(a, b Supervised) int {
		switch sort {
		case SortStarted:
			return a.Clock.Started.Compare(b.Clock.Started)
		case SortAgency:
			if c := strings.Compare(a.Request.AgencyName, b.Request.AgencyName); c != 0 {
				return c
			}
		}
		return a.Clock.Due.Compare(*b.Clock.Due)
	})
	return out, nil
}

const maxUrgeRunes = 500

// Urge records a 督办 on a request's timeline and runs the hooks, which
// remind those who must act; audited like every change.
func (s *Service) Urge(ctx context.Context, u *models.User, id int64, comment string) error {
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > maxUrgeRunes {
		return fieldError("comment", "督办意见不能超过 %d 字", maxUrgeRunes)
	}
	return s.store.Transaction(ctx, func(tx *models.Store) error {
		cr, f, err := lockFacts(ctx, tx, id)
		if err != nil {
			return err
		}
		if !canSee(u, f) {
			return notVisible(id)
		}
		if !supervises(u, f.region) {
			return apperr.New(apperr.Forbidden, "督办仅限系统管理员和本区司法局、编办的审查人员")
		}
		if len(OwnerRoles(cr.State)) == 0 {
			return apperr.New(apperr.Conflict, "修订申请处于“%s”状态，流程已结束，无需督办", StateLabel(cr.State)).
				WithDetails(map[string]any{"state": cr.State})
		}
		stored, err := tx.SwapChangeRequest(ctx, cr, cr)
		if err != nil {
			return err
		}
		if err := tx.CreateEvent(ctx, &models.Event{ChangeRequestID: id, Version: stored.Version, Event: EventUrge,
			FromState: cr.State, ToState: cr.State, ActorID: u.ID, Comment: comment, CreatedAt: s.Now()}); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: EventUrge,
			TargetType: "change_request", TargetID: strconv.FormatInt(id, 10), RegionCode: f.region,
			After: map[string]any{"state": cr.State, "version": stored.Version, "comment": comment},
		}); err != nil {
			return err
		}
		return s.runHooks(ctx, tx, Transition{Request: stored, Region: f.region, Event: EventUrge, From: cr.State, To: cr.State,
			Actor: u, Comment: comment})
	})
}
