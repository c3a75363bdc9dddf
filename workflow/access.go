package workflow

import (
	"context"
	"slices"
	"strings"

	"qingdan/apperr"
	"qingdan/models"
)

// facts are what the rules need to know about a request besides its row.
type facts struct {
	cr     models.ChangeRequest
	region string // the region of the request's agency
	// submitters are the creator and everyone who ever submitted it: none of
	// them may review or approve it.
	submitters []int64
	// submitted: the request went to review at least once. Until then it is
	// a draft private to its agency.
	submitted bool
}

// lockFacts locks a request's row inside tx and gathers what the access
// rules decide on, for every change that reads, then writes the request.
func lockFacts(ctx context.Context, tx *models.Store, id int64) (models.ChangeRequest, facts, error) {
	cr, err := tx.LockChangeRequest(ctx, id)
	if err != nil {
		return cr, facts{}, err
	}
	events, err := tx.Events(ctx, id)
	if err != nil {
		return cr, facts{}, err
	}
	f, err := loadFacts(ctx, tx, cr, events)
	return cr, f, err
}

func loadFacts(ctx context.Context, st *models.Store, cr models.ChangeRequest, events []models.EventRow) (facts, error) {
	agency, err := st.Agency(ctx, cr.AgencyID)
	if err != nil {
		return facts{}, err
	}
	f := facts{cr: cr, region: agency.RegionCode, submitters: []int64{cr.SubmitterID}}
	if cr.InstrumentChangeID != nil {
		// Drafted for a law change by whoever recorded it, on the agency's
		// behalf: the agency submits it, and the recorder may still review it.
		f.submitters = nil
	}
	for _, e := range events {
		if e.Event.Event == EventSubmit {
			f.submitted = true
			f.submitters = append(f.submitters, e.ActorID)
		}
	}
	return f, nil
}

func isSubmitterOf(u *models.User, agencyID int64) bool {
	return u.Role == models.RoleSubmitter && u.AgencyID != nil && *u.AgencyID == agencyID
}

func inRegion(u *models.User, region string) bool {
	return u.RegionCode != nil && *u.RegionCode == region
}

// canSee: a submitter sees the requests of their agency; a reviewer or
// approver those of their region once submitted; an admin all.
func canSee(u *models.User, f facts) bool {
	switch u.Role {
	case models.RoleAdmin:
		return true
	case models.RoleSubmitter:
		return isSubmitterOf(u, f.cr.AgencyID)
	case models.RoleLegalReviewer, models.RoleApprover:
		return inRegion(u, f.region) && f.submitted
	}
	return false
}

// visibleScope is canSee as a query filter.
func visibleScope(u *models.User) (models.ChangeRequestFilter, bool) {
	switch u.Role {
	case models.RoleAdmin:
		return models.ChangeRequestFilter{}, true
	case models.RoleSubmitter:
		if u.AgencyID != nil {
			return models.ChangeRequestFilter{AgencyID: *u.AgencyID}, true
		}
	case models.RoleLegalReviewer, models.RoleApprover:
		if u.RegionCode != nil {
			return models.ChangeRequestFilter{RegionCode: *u.RegionCode, WithEvent: EventSubmit}, true
		}
	}
	return models.ChangeRequestFilter{}, false
}

func notVisible(id int64) error {
	return apperr.New(apperr.NotFound, "修订申请 %d 不存在", id)
}

// mayEdit: the title, reason, operations and base of a request change only
// by its agency's submitters, and only while it is a draft or returned.
func mayEdit(u *models.User, f facts) error {
	if !canSee(u, f) {
		return notVisible(f.cr.ID)
	}
	if !isSubmitterOf(u, f.cr.AgencyID) {
		return apperr.New(apperr.Forbidden, "只有本部门的填报人员可以修改修订申请")
	}
	if f.cr.State != models.StateDraft && f.cr.State != models.StateReturned {
		return apperr.New(apperr.Conflict, "修订申请处于“%s”状态，只有草稿或退回修改的申请可以修改", StateLabel(f.cr.State)).
			WithDetails(map[string]any{"state": f.cr.State})
	}
	return nil
}

// mayDelete: a draft that never went to review may be deleted by its
// agency's submitters; anything submitted once stays in the record.
func mayDelete(u *models.User, f facts) error {
	if !canSee(u, f) {
		return notVisible(f.cr.ID)
	}
	if !isSubmitterOf(u, f.cr.AgencyID) {
		return apperr.New(apperr.Forbidden, "只有本部门的填报人员可以删除草稿")
	}
	if f.cr.State != models.StateDraft || f.submitted {
		return apperr.New(apperr.Conflict, "只有从未提交的草稿可以删除；已提交过的申请请用“作废”结束，并保留在记录中").
			WithDetails(map[string]any{"state": f.cr.State})
	}
	return nil
}

// actingRole is the role that fires an event in a state.
func actingRole(event, state string) string {
	switch {
	case event == EventSubmit || event == EventWithdraw || event == EventCancel:
		return models.RoleSubmitter
	case state == models.StateLegalReview:
		return models.RoleLegalReviewer
	}
	return models.RoleApprover
}

var actorLabels = map[string]string{
	models.RoleSubmitter:     "本部门的填报人员",
	models.RoleLegalReviewer: "本区司法局的合法性审查人员",
	models.RoleApprover:      "本区人民政府的审定人员",
}

// mayAct says whether the user may fire the event in the state: the acting
// role, scoped to the request's agency or region, and never on one's own request.
func mayAct(u *models.User, event, state string, f facts) error {
	role := actingRole(event, state)
	ok := false
	if role == models.RoleSubmitter {
		ok = isSubmitterOf(u, f.cr.AgencyID)
	} else {
		ok = u.Role == role && inRegion(u, f.region)
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "只有%s可以%s", actorLabels[role], EventLabel(event))
	}
	if role != models.RoleSubmitter && slices.Contains(f.submitters, u.ID) {
		return apperr.New(apperr.Forbidden, "不能审查或审定自己起草或提交的修订申请")
	}
	return nil
}

// guard is the machine's before_event check: who acts, and what the event needs.
func guard(event, state string, a attempt) error {
	if err := mayAct(a.actor, event, state, a.facts); err != nil {
		return err
	}
	switch event {
	case EventReturn, EventReject:
		if strings.TrimSpace(a.comment) == "" {
			return apperr.New(apperr.Invalid, "comment：%s须填写意见", EventLabel(event)).
				WithDetails(map[string]any{"field": "comment"})
		}
	case EventSubmit:
		if a.ops == 0 {
			return apperr.New(apperr.Conflict, "修订申请还没有任何修订操作，不能提交")
		}
		if strings.TrimSpace(a.facts.cr.Reason) == "" {
			return apperr.New(apperr.Conflict, "reason：提交前须填写调整理由").
				WithDetails(map[string]any{"field": "reason"})
		}
	}
	return nil
}

// allowedEvents are the events the state allows and the user may fire.
func allowedEvents(u *models.User, f facts) []string {
	out := []string{}
	for _, e := range available(f.cr.State) {
		if mayAct(u, e, f.cr.State, f) == nil {
			out = append(out, e)
		}
	}
	return out
}
