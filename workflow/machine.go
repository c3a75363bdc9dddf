// Package workflow runs change requests (修订申请) from draft through legal
// review and approval to publication: the state machine, who may fire which
// event, the validation of operations, and the all-or-nothing publication of a
// new list version. It knows nothing of HTTP.
package workflow

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/looplab/fsm"

	"qingdan/apperr"
	"qingdan/models"
)

// Events a change request can go through.
const (
	EventSubmit   = "submit"
	EventPass     = "pass"
	EventReturn   = "return"
	EventReject   = "reject"
	EventApprove  = "approve"
	EventPublish  = "publish"
	EventWithdraw = "withdraw"
	EventCancel   = "cancel"
	// 会签: an agency whose power the request touches agrees, or disagrees
	// (which returns the request to its drafters with the opinion).
	EventAgree    = "agree"
	EventDisagree = "disagree"
)

// States lists every state of a change request, in the order a request passes them.
var States = []string{
	models.StateDraft, models.StateCountersign, models.StateStaffingReview, models.StateLegalReview, models.StateJointReview,
	models.StateApproval, models.StateApproved, models.StatePublished, models.StateReturned, models.StateRejected, models.StateCancelled,
}

// reviewStates are the states in which a review is given.
var reviewStates = []string{models.StateStaffingReview, models.StateLegalReview, models.StateJointReview}

// route holds the destinations that depend on the request: its process
// (which reviews, in which order), its track (审定 or not) and its 会签.
type route struct {
	submit string            // 会签 when another agency must give its opinion, else the first review
	agree  string            // 会签 while others still must answer, else the first review
	pass   map[string]string // per review state: the next review, 审定, or 待公布 (light track)
}

// defaultRoute is today's single path: legal review, then 审定. Publication
// (approved → published) is the same on every route.
var defaultRoute = routeOf(DefaultProcess(), true, false, 0, "", nil)

// routeOf is a request's route: under process p, on the heavy track or not,
// with 会签 asked for on submission (countersign), others still to answer
// besides the actor (pending), the actor's review and the reviews that
// signed off a joint review.
func routeOf(p Process, heavy, countersign bool, pending int, review string, signed map[string]bool) route {
	r := route{submit: p.firstReview(), agree: p.firstReview(), pass: map[string]string{}}
	if countersign {
		r.submit = models.StateCountersign
	}
	if pending > 0 {
		r.agree = models.StateCountersign
	}
	for _, st := range reviewStates {
		r.pass[st] = p.passTo(st, review, heavy, signed)
	}
	return r
}

// eventsOf is the one transition table, with a request's destinations.
// return from approved is the way back when publication finds that the list
// moved on under the request: the approver returns it, the submitter
// rebases it, and it is reviewed again. withdraw (撤回) pulls a request under
// review back to its drafters for editing, as 撤回 means in Chinese office
// systems; cancel (作废) ends an editable request for good, keeping it in the
// record.
func eventsOf(r route) fsm.Events {
	reviewing := append(slices.Clone(reviewStates), models.StateApproval)
	events := fsm.Events{
		{Name: EventSubmit, Src: []string{models.StateDraft, models.StateReturned}, Dst: r.submit},
		{Name: EventAgree, Src: []string{models.StateCountersign}, Dst: r.agree},
		{Name: EventDisagree, Src: []string{models.StateCountersign}, Dst: models.StateReturned},
		{Name: EventApprove, Src: []string{models.StateApproval}, Dst: models.StateApproved},
		{Name: EventPublish, Src: []string{models.StateApproved}, Dst: models.StatePublished},
		{Name: EventReturn, Src: append(slices.Clone(reviewing), models.StateApproved), Dst: models.StateReturned},
		{Name: EventReject, Src: reviewing, Dst: models.StateRejected},
		{Name: EventWithdraw, Src: append([]string{models.StateCountersign}, reviewing...), Dst: models.StateDraft},
		{Name: EventCancel, Src: []string{models.StateDraft, models.StateReturned}, Dst: models.StateCancelled},
	}
	for _, st := range reviewStates {
		events = append(events, fsm.EventDesc{Name: EventPass, Src: []string{st}, Dst: r.pass[st]})
	}
	return events
}

// attempt is what a before_event guard needs to judge a transition; it is
// passed as the event's argument.
type attempt struct {
	actor   *models.User
	facts   facts
	comment string
	ops     int
	review  string // the review the actor gives, if a reviewer
}

// newMachine builds a fresh state machine in a request's state. Its one
// callback is a guard: it may only cancel, never touch the database.
func newMachine(state string, r route) *fsm.FSM {
	return fsm.NewFSM(state, eventsOf(r), fsm.Callbacks{
		"before_event": func(_ context.Context, e *fsm.Event) {
			var a attempt
			ok := len(e.Args) == 1
			if ok {
				a, ok = e.Args[0].(attempt)
			}
			if !ok {
				e.Cancel(fmt.Errorf("event %s fired without its attempt", e.Event))
				return
			}
			if err := guard(e.Event, e.Src, a); err != nil {
				e.Cancel(err)
			}
		},
	})
}

// fire runs the event on a machine in the request's state and returns the new
// state. Errors are domain errors: 409 with the events the state allows, 403
// when the actor may not fire it, 400/409 when a guard refuses.
func fire(ctx context.Context, state, event string, a attempt, r route) (string, error) {
	m := newMachine(state, r)
	// A cancelled context would jam the machine; the transaction carries the deadline.
	err := m.Event(context.WithoutCancel(ctx), event, a)
	var invalid fsm.InvalidEventError
	var unknown fsm.UnknownEventError
	var canceled fsm.CanceledError
	var stays fsm.NoTransitionError
	switch {
	case err == nil:
		return m.Current(), nil
	case errors.As(err, &stays) && stays.Err == nil: // a 会签 or joint-review sign-off while others are awaited
		return state, nil
	case errors.As(err, &invalid):
		allowed := available(state)
		return "", apperr.New(apperr.Conflict, "当前状态“%s”下不能执行“%s”，可执行：%s",
			StateLabel(state), EventLabel(event), labels(allowed)).
			WithDetails(map[string]any{"state": state, "allowed_events": allowed})
	case errors.As(err, &unknown):
		return "", apperr.New(apperr.Invalid, "event：没有“%s”这个操作，可用的操作：%s", event, labels(available(state))).
			WithDetails(map[string]any{"field": "event", "allowed_events": available(state)})
	case errors.As(err, &canceled) && canceled.Err != nil:
		return "", canceled.Err
	}
	return "", fmt.Errorf("fire %s in %s: %w", event, state, err)
}

// available returns the events a state allows, sorted (the library answers in
// map order). Which events a state allows does not depend on the route.
func available(state string) []string {
	out := newMachine(state, defaultRoute).AvailableTransitions()
	if out == nil {
		out = []string{} // a final state: an empty list, not null
	}
	slices.Sort(out)
	return out
}

// diagramProcesses are the configurations the diagram covers: today's
// path, both reviews in either order, and both together.
var diagramProcesses = []Process{
	DefaultProcess(),
	{Reviews: []string{ReviewStaffing, ReviewLegal}},
	{Reviews: []string{ReviewLegal, ReviewStaffing}},
	{Reviews: []string{ReviewStaffing, ReviewLegal}, Parallel: true},
}

// Diagram draws the state machine as a Mermaid state diagram
// (docs/workflow.md): every transition of every configuration and track,
// labelled with its event, in the library's layout.
func Diagram() string {
	seen := map[string]bool{}
	for _, p := range diagramProcesses {
		for _, heavy := range []bool{true, false} {
			for _, cs := range []bool{true, false} {
				for pending := range 2 {
					for _, review := range p.Reviews {
						for _, signed := range []map[string]bool{nil, {ReviewStaffing: true}, {ReviewLegal: true}} {
							for _, e := range eventsOf(routeOf(p, heavy, cs, pending, review, signed)) {
								for _, src := range e.Src {
									seen[fmt.Sprintf("    %s --> %s: %s", src, e.Dst, e.Name)] = true
								}
							}
						}
					}
				}
			}
		}
	}
	lines := slices.Sorted(maps.Keys(seen))
	return "stateDiagram-v2\n    [*] --> " + models.StateDraft + "\n" + strings.Join(lines, "\n") + "\n"
}

var stateLabels = map[string]string{
	models.StateDraft: "草稿", models.StateLegalReview: "合法性审查", models.StateApproval: "审定",
	models.StateApproved: "待公布", models.StatePublished: "已公布", models.StateReturned: "退回修改",
	models.StateRejected: "不予通过", models.StateCancelled: "已作废",
	models.StateCountersign: "会签", models.StateStaffingReview: "编办审核", models.StateJointReview: "联合审查",
}

var eventLabels = map[string]string{
	EventSubmit: "提交", EventPass: "审查通过", EventReturn: "退回修改", EventReject: "不予通过",
	EventApprove: "审定通过", EventPublish: "公布", EventWithdraw: "撤回", EventCancel: "作废",
	EventUrge: "督办", EventAgree: "会签同意", EventDisagree: "会签不同意",
	TimelineCreate: "起草",
}

// Action is an event as the request page offers it: the button's words,
// the question asked first for an event that cannot be undone, and whether
// it needs an opinion (guard refuses it without one).
type Action struct {
	Event   string `json:"event"`
	Label   string `json:"label"`
	Confirm string `json:"confirm,omitempty"`
	Opinion bool   `json:"opinion"`
}

// actions are the events a user fires on a request, in the order the page
// shows their buttons.
var actions = []Action{
	{Event: EventSubmit, Label: "提交审查"},
	{Event: EventAgree, Label: "同意（会签）"},
	{Event: EventDisagree, Label: "不同意（会签）", Opinion: true, Confirm: "不同意后申请将退回起草部门，并附本部门的意见。确定不同意吗？"},
	{Event: EventPass, Label: "通过"},
	{Event: EventApprove, Label: "审定通过"},
	{Event: EventPublish, Label: "公布", Confirm: "公布后将生成清单的新版本，且不可撤销。确定公布吗？"},
	{Event: EventReturn, Label: "退回", Opinion: true},
	{Event: EventReject, Label: "不予通过", Opinion: true, Confirm: "不予通过后本申请即告终结，不能再修改或提交。确定不予通过吗？"},
	{Event: EventWithdraw, Label: "撤回", Confirm: "撤回后申请回到草稿，可修改后重新提交；审查中的办理将中止。确定撤回吗？"},
	{Event: EventCancel, Label: "作废", Confirm: "作废后本申请即告终结，不能再修改或提交，但仍保留在记录中。确定作废吗？"},
}

// Actions are the request page's buttons, in order.
func Actions() []Action { return slices.Clone(actions) }

// needsOpinion: the event is refused without an opinion (comment).
func needsOpinion(event string) bool {
	return slices.ContainsFunc(actions, func(a Action) bool { return a.Event == event && a.Opinion })
}

// StateLabel is the Chinese name of a state.
func StateLabel(s string) string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return s
}

// EventLabel is the Chinese name of an event.
func EventLabel(e string) string {
	if l, ok := eventLabels[e]; ok {
		return l
	}
	return e
}

func labels(events []string) string {
	if len(events) == 0 {
		return "无（流程已结束）"
	}
	out := ""
	for i, e := range events {
		if i > 0 {
			out += "、"
		}
		out += EventLabel(e) + "（" + e + "）"
	}
	return out
}
