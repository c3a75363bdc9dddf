package workflow

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qingdan/calendar"
	"qingdan/models"
)

// Steps of the working-day clock.
const (
	StepApply       = "apply"       // 申请: the agency drafts and submits
	StepCountersign = "countersign" // 会签: counted with the review limit
	StepReview      = "review"      // 审查: each review
	StepApproval    = "approval"    // 审定: no rule collected sets a limit; a region may
	StepPublish     = "publish"     // 公布: after approval
)

var stepLabels = map[string]string{StepApply: "申请", StepCountersign: "会签", StepReview: "审查", StepApproval: "审定", StepPublish: "公布"}

// StepLabel is the Chinese name of a clock step.
func StepLabel(step string) string { return stepLabels[step] }

// stage is what an open state means for clocks, reminders and 督办: the
// clock's step and the roles that must act (in a joint review, both
// reviewers; in 会签, the submitters of the agencies asked). This table is
// the one place keyed on state names for them; a new state gets its row here.
type stage struct {
	step  string
	roles []string
	// fromTrigger: the step runs from the request's trigger date (the day
	// the reason arose), not from entering the state.
	fromTrigger bool
}

var stages = map[string]stage{
	models.StateDraft:          {StepApply, []string{models.RoleSubmitter}, true},
	models.StateReturned:       {StepApply, []string{models.RoleSubmitter}, false},
	models.StateCountersign:    {StepCountersign, []string{models.RoleSubmitter}, false},
	models.StateStaffingReview: {StepReview, []string{models.RoleStaffingReviewer}, false},
	models.StateLegalReview:    {StepReview, []string{models.RoleLegalReviewer}, false},
	models.StateJointReview:    {StepReview, []string{models.RoleStaffingReviewer, models.RoleLegalReviewer}, false},
	models.StateApproval:       {StepApproval, []string{models.RoleApprover}, false},
	models.StateApproved:       {StepPublish, []string{models.RoleApprover}, false},
}

// OwnerRoles are the roles that must act on a request in the state; none once it is finished.
func OwnerRoles(state string) []string { return stages[state].roles }

// ClockedStates are the states a clock can run in.
func ClockedStates() []string {
	out := make([]string, 0, len(stages))
	for _, st := range States {
		if _, ok := stages[st]; ok {
			out = append(out, st)
		}
	}
	return out
}

// Limits are a region's working-day limits per step; 0 means none.
type Limits struct {
	Apply    int `json:"apply"`
	Review   int `json:"review"`
	Approval int `json:"approval"`
	Publish  int `json:"publish"`
}

// DefaultLimits are the common ground of the local rules: apply within 20
// working days of the trigger, each review within 15, publish within 3 of
// approval; no rule sets one for the government's 审定.
var DefaultLimits = Limits{Apply: 20, Review: 15, Publish: 3}

// MaxLimit bounds a limit (a year of working days).
const MaxLimit = 250

func (l Limits) of(step string) int {
	switch step {
	case StepApply:
		return l.Apply
	case StepReview, StepCountersign:
		return l.Review
	case StepApproval:
		return l.Approval
	case StepPublish:
		return l.Publish
	}
	return 0
}

// Clock is where a request stands against the limit of the step it is in.
type Clock struct {
	Step     string
	Started  time.Time  // the day the step began (Beijing time)
	Due      *time.Time // nil when the step has no limit
	DaysLeft *int       // working days from today to the due day; negative when overdue
	Overdue  bool
	Limit    int
	key      string // names this entry into the step
}

// Key names the request's entry into its step: a reminder is sent once per key.
func (c *Clock) Key() string { return c.key }

// clockOf computes a request's clock: nil when it is finished, or a draft
// with no trigger date. A step starts on the day of the event that entered
// the state; a draft's 申请 step on its trigger date.
func clockOf(cr models.ChangeRequest, entries map[string]models.StepEntry, cal *calendar.Calendar, limits Limits, today time.Time) *Clock {
	st, ok := stages[cr.State]
	if !ok {
		return nil
	}
	c := &Clock{Step: st.step, Limit: limits.of(st.step)}
	e, entered := entries[cr.State]
	switch {
	case st.fromTrigger && cr.TriggerDate != nil:
		d, err := calendar.ParseDate(*cr.TriggerDate)
		if err != nil {
			return nil
		}
		c.Started, c.key = d, st.step+"@"+*cr.TriggerDate
	case !st.fromTrigger && entered:
		c.Started, c.key = calendar.On(e.CreatedAt), st.step+"@"+strconv.Itoa(e.Version)
	default:
		return nil
	}
	if c.Limit > 0 {
		due := cal.Add(c.Started, c.Limit)
		left := cal.Count(today, due)
		c.Due, c.DaysLeft, c.Overdue = &due, &left, today.After(due)
	}
	return c
}

// Clocks computes the clocks of requests, by id (finished ones have none).
func (s *Service) Clocks(ctx context.Context, rows []models.ChangeRequestRow) (map[int64]*Clock, error) {
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if _, ok := stages[r.State]; ok {
			ids = append(ids, r.ID)
		}
	}
	out := map[int64]*Clock{}
	if len(ids) == 0 {
		return out, nil
	}
	entries, err := s.store.StepEntries(ctx, ids)
	if err != nil {
		return nil, err
	}
	today := calendar.On(s.Now())
	cals, limits := map[string]*calendar.Calendar{}, map[string]Limits{}
	for _, r := range rows {
		if _, ok := stages[r.State]; !ok {
			continue
		}
		if _, ok := cals[r.RegionCode]; !ok {
			if cals[r.RegionCode], err = s.Calendar(ctx, r.RegionCode); err != nil {
				return nil, err
			}
			if limits[r.RegionCode], err = s.Limits(ctx, r.RegionCode); err != nil {
				return nil, err
			}
		}
		// Deadlines follow the region's limits of today, also for requests
		// under way (the path is what a request keeps from its submission).
		if c := clockOf(r.ChangeRequest, entries[r.ID], cals[r.RegionCode], limits[r.RegionCode], today); c != nil {
			out[r.ID] = c
		}
	}
	return out, nil
}

// Calendar is the working-day calendar of a region: the shipped notices and
// the days administrators entered for it and the regions above it.
func (s *Service) Calendar(ctx context.Context, region string) (*calendar.Calendar, error) {
	days, err := s.calendarDays(ctx, region)
	if err != nil {
		return nil, err
	}
	return calendar.New(region, days), nil
}

func (s *Service) calendarDays(ctx context.Context, region string) ([]calendar.Day, error) {
	stored, err := s.store.CalendarDays(ctx, calendar.Scope(region))
	if err != nil {
		return nil, err
	}
	days := append([]calendar.Day{}, calendar.Shipped...)
	for _, d := range stored {
		date, err := calendar.ParseDate(d.Day)
		if err != nil {
			return nil, fmt.Errorf("calendar day %d: %w", d.ID, err)
		}
		days = append(days, calendar.Day{Date: date, Kind: d.Kind, Region: d.RegionCode, Name: d.Name, Basis: d.Basis, ID: d.ID})
	}
	return days, nil
}

// Limits are the working-day limits of a region: those of its process
// (its own, inherited, or the defaults).
func (s *Service) Limits(ctx context.Context, region string) (Limits, error) {
	p, err := effectiveProcess(ctx, s.store, region)
	return p.Process.Limits, err
}

// triggerDate checks the day the reason for a change arose: a real day, not
// after today. "" means none.
func (s *Service) triggerDate(v string) (*string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	if _, err := calendar.ParsePastDate(v, s.Now()); err != nil {
		return nil, fieldError("trigger_date", "调整事由发生日期：%s", err.Error())
	}
	return &v, nil
}
