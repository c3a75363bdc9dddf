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
	// process is the process the request was submitted under.
	process Process
	// asked are the agencies ever asked for their 会签 (they may see the
	// request); countersigns those of the latest submission.
	asked        []int64
	countersigns []models.CountersignRow
	// signed are the reviews that signed off the joint review the request is in.
	signed map[string]bool
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
	f := facts{cr: cr, region: agency.RegionCode, submitters: []int64{cr.SubmitterID}, signed: map[string]bool{}}
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
		switch {
		case e.ToState == models.StateJointReview && e.FromState != models.StateJointReview:
			f.signed = map[string]bool{} // a new round of joint review
		case e.Event.Event == EventPass && e.FromState == models.StateJointReview && e.ToState == models.StateJointReview:
			f.signed[e.Review] = true
		}
	}
	if f.process, err = requestProcess(cr); err != nil {
		return f, err
	}
	all, err := st.Countersigns(ctx, cr.ID)
	if err != nil {
		return f, err
	}
	for _, c := range all {
		if !slices.Contains(f.asked, c.AgencyID) {
			f.asked = append(f.asked, c.AgencyID)
		}
		if c.Round == all[len(all)-1].Round {
			f.countersigns = append(f.countersigns, c)
		}
	}
	return f, nil
}

// pendingCountersign is the unanswered 会签 of the user's agency on the
// request, if any.
func (f facts) pendingCountersign(u *models.User) (models.CountersignRow, bool) {
	if u.Role != models.RoleSubmitter || u.AgencyID == nil || f.cr.State != models.StateCountersign {
		return models.CountersignRow{}, false
	}
	for _, c := range f.countersigns {
		if c.AgencyID == *u.AgencyID && c.Answer == "" {
			return c, true
		}
	}
	return models.CountersignRow{}, false
}

// unanswered counts the 会签 still to come.
func (f facts) unanswered() int {
	n := 0
	for _, c := range f.countersigns {
		if c.Answer == "" {
			n++
		}
	}
	return n
}

func isSubmitterOf(u *models.User, agencyID int64) bool {
	return u.Role == models.RoleSubmitter && u.AgencyID != nil && *u.AgencyID == agencyID
}

func inRegion(u *models.User, region string) bool {
	return u.RegionCode != nil && *u.RegionCode == region
}

// canSee: a submitter sees the requests of their agency and those that
// asked their agency for its 会签; a reviewer or approver those of their
// region once submitted; an admin all.
func canSee(u *models.User, f facts) bool {
	switch u.Role {
	case models.RoleAdmin:
		return true
	case models.RoleSubmitter:
		return isSubmitterOf(u, f.cr.AgencyID) || (u.AgencyID != nil && slices.Contains(f.asked, *u.AgencyID))
	case models.RoleLegalReviewer, models.RoleStaffingReviewer, models.RoleApprover:
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
			return models.ChangeRequestFilter{AgencyID: *u.AgencyID, AgencyOrCountersign: true}, true
		}
	case models.RoleLegalReviewer, models.RoleStaffingReviewer, models.RoleApprover:
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

// mayAttach: materials are added by whoever works on the request in its
// current step — its drafters while they may edit it, and whoever decides on
// it now: a reviewer their 审查意见书, the approver the 批复 (until it is
// published), a department asked for its 会签 its written opinion. The
// drafters' own events (撤回, 作废) are not a decision on it.
func mayAttach(u *models.User, f facts) error {
	err := mayEdit(u, f)
	if err == nil || !canSee(u, f) || isSubmitterOf(u, f.cr.AgencyID) {
		return err
	}
	events := available(f.cr.State)
	if len(events) == 0 {
		return apperr.New(apperr.Conflict, "修订申请处于“%s”状态，不能再添加或删除附件", StateLabel(f.cr.State)).
			WithDetails(map[string]any{"state": f.cr.State})
	}
	for _, e := range events {
		if !submitterEvent(e) && mayAct(u, e, f.cr.State, f) == nil {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "修订申请处于“%s”环节，只有%s可以添加附件", StateLabel(f.cr.State), deciders(f))
}

// deciders name who decides on a request in its state.
func deciders(f facts) string {
	switch f.cr.State {
	case models.StateCountersign:
		return "被征求会签意见的部门的填报人员"
	case models.StateDraft, models.StateReturned:
		return actorLabels[models.RoleSubmitter]
	}
	return roleNames(stateRoles(f.cr.State, f.process))
}

// roleNames name the roles, as messages say who may act.
func roleNames(roles []string) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = actorLabels[r]
	}
	return strings.Join(names, "或")
}

// mayDeleteAttachment: a file is deleted by whoever added it while they may
// still add files; the drafters of a request also delete each other's.
// Nobody deletes another side's material: a 审查意见书 stays when the
// request goes back to its drafters.
func mayDeleteAttachment(u *models.User, f facts, a models.AttachmentRow) error {
	if err := mayAttach(u, f); err != nil {
		return err
	}
	drafters := a.UploaderRole == models.RoleSubmitter && a.UploaderAgencyID != nil && *a.UploaderAgencyID == f.cr.AgencyID
	if a.UploadedBy == u.ID || (drafters && isSubmitterOf(u, f.cr.AgencyID)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "附件“%s”由%s上传，只有上传者可以删除", a.Name, a.UploaderName)
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

// submitterEvent: the events of the request's own agency.
func submitterEvent(event string) bool {
	return event == EventSubmit || event == EventWithdraw || event == EventCancel
}

// actorReview is the review a user gives: by their role.
func actorReview(u *models.User) string {
	for r, role := range reviewRole {
		if u.Role == role {
			return r
		}
	}
	return ""
}

// stateRoles are the roles that decide on a request in a state.
func stateRoles(state string, p Process) []string {
	switch state {
	case models.StateStaffingReview:
		return []string{models.RoleStaffingReviewer}
	case models.StateLegalReview:
		return []string{models.RoleLegalReviewer}
	case models.StateJointReview:
		out := []string{}
		for _, r := range p.Reviews {
			out = append(out, reviewRole[r])
		}
		return out
	}
	return []string{models.RoleApprover}
}

var actorLabels = map[string]string{
	models.RoleSubmitter:        "本部门的填报人员",
	models.RoleStaffingReviewer: "本区机构编制部门的编办审核人员",
	models.RoleLegalReviewer:    "本区司法局的合法性审查人员",
	models.RoleApprover:         "本区人民政府的审定人员",
}

// mayAct says whether the user may fire the event in the state: the acting
// role, scoped to the request's agency or region, and never on one's own
// request; a 会签 by the agencies asked, each once; a joint review's pass
// once per review.
func mayAct(u *models.User, event, state string, f facts) error {
	switch {
	case submitterEvent(event):
		if !isSubmitterOf(u, f.cr.AgencyID) {
			return apperr.New(apperr.Forbidden, "只有%s可以%s", actorLabels[models.RoleSubmitter], EventLabel(event))
		}
		return nil
	case state == models.StateCountersign:
		if _, ok := f.pendingCountersign(u); !ok {
			return apperr.New(apperr.Forbidden, "只有被征求会签意见、尚未答复的部门的填报人员可以%s", EventLabel(event))
		}
		return nil
	}
	roles := stateRoles(state, f.process)
	if !slices.Contains(roles, u.Role) || !inRegion(u, f.region) {
		return apperr.New(apperr.Forbidden, "只有%s可以%s", roleNames(roles), EventLabel(event))
	}
	if slices.Contains(f.submitters, u.ID) {
		return apperr.New(apperr.Forbidden, "不能审查或审定自己起草或提交的修订申请")
	}
	if state == models.StateJointReview && event == EventPass && f.signed[actorReview(u)] {
		return apperr.New(apperr.Conflict, "%s已通过，等待另一项审查", ReviewLabel(actorReview(u)))
	}
	return nil
}

// guard is the machine's before_event check: who acts, and what the event needs.
func guard(event, state string, a attempt) error {
	if err := mayAct(a.actor, event, state, a.facts); err != nil {
		return err
	}
	if needsOpinion(event) && strings.TrimSpace(a.comment) == "" {
		return apperr.New(apperr.Invalid, "comment：%s须填写意见", EventLabel(event)).
			WithDetails(map[string]any{"field": "comment"})
	}
	switch event {
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
