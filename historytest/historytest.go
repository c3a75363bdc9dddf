// Package historytest builds published history for tests: people, and change
// requests taken through the workflow — review and approval with their
// opinions, then publication as new versions — as users would.
package historytest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"qingdan/models"
	"qingdan/workflow"
)

// People are the users a published change request goes through.
type People struct{ Submitter, Reviewer, Approver models.User }

// NewPeople creates a submitter of the agency and a reviewer and an approver
// of its region; prefix keeps usernames unique when called more than once.
func NewPeople(t testing.TB, s *models.Store, agencyID int64, prefix string) People {
	t.Helper()
	ctx := context.Background()
	agency, err := s.Agency(ctx, agencyID)
	if err != nil {
		t.Fatal(err)
	}
	region := agency.RegionCode
	p := People{
		Submitter: models.User{Username: prefix + "yibao", DisplayName: "王填报", Role: models.RoleSubmitter, AgencyID: &agencyID},
		Reviewer:  models.User{Username: prefix + "sifa", DisplayName: "李审查", Role: models.RoleLegalReviewer, RegionCode: &region},
		Approver:  models.User{Username: prefix + "zhengfu", DisplayName: "赵审定", Role: models.RoleApprover, RegionCode: &region},
	}
	for _, u := range []*models.User{&p.Submitter, &p.Reviewer, &p.Approver} {
		u.PasswordHash = "x"
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// Change is one operation of a published request. Fields is the item's new
// state (nil for a removal); ItemID 0 adds an item. Reason defaults to the
// request's title.
type Change struct {
	Op     string
	ItemID int64
	Fields *models.ItemFields
	Reason string
}

// Opinions are the comments of the review and the approval.
const (
	ReviewOpinion   = "依据合法有效，同意。"
	ApprovalOpinion = "同意公布。"
)

// Basis is the legal ground of every operation Publish writes.
const Basis = "【法律】《中华人民共和国社会保险法》第八十二条"

// Publish takes a change request through the workflow at time at — drafted
// by the submitter with the changes, submitted, passed in legal review (with
// ReviewOpinion), approved (with ApprovalOpinion) and published — and
// returns the version it became.
func Publish(t testing.TB, s *models.Store, p People, listID int64, title string, at time.Time, changes ...Change) models.ListVersion {
	t.Helper()
	ctx := context.Background()
	flow := workflow.New(s, workflow.WithClock(func() time.Time { return at }))
	cr, err := flow.Create(ctx, &p.Submitter, workflow.NewRequest{ListID: listID, Title: title, Reason: title + "的理由"})
	if err != nil {
		t.Fatalf("draft %s: %v", title, err)
	}
	for i, c := range changes {
		in := workflow.OperationInput{Op: c.Op, Reason: c.Reason, Basis: Basis}
		if in.Reason == "" { // the workflow asks every operation for its reason
			in.Reason = title
		}
		if c.ItemID != 0 {
			in.ItemID = &c.ItemID
		}
		if c.Fields != nil {
			in.Item = itemInput(t, *c.Fields)
		}
		withMaterials(&in)
		if _, err := flow.AddOperation(ctx, &p.Submitter, cr.ID, in); err != nil {
			t.Fatalf("%s, change %d: %v", title, i+1, err)
		}
	}
	for _, st := range []struct {
		who            *models.User
		event, comment string
	}{{&p.Submitter, workflow.EventSubmit, ""}, {&p.Reviewer, workflow.EventPass, ReviewOpinion}, {&p.Approver, workflow.EventApprove, ApprovalOpinion}} {
		if _, err := flow.Fire(ctx, st.who, cr.ID, st.event, st.comment); err != nil {
			t.Fatalf("%s of %s: %v", st.event, title, err)
		}
	}
	v, err := flow.Publish(ctx, &p.Approver, workflow.Publication{Requests: []int64{cr.ID}})
	if err != nil {
		t.Fatalf("publish %s: %v", title, err)
	}
	return v
}

// itemInput is an item's state as an operation gives it: without its 序号
// and parsed citations, which publication derives from its place and basis.
func itemInput(t testing.TB, f models.ItemFields) json.RawMessage {
	t.Helper()
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	delete(fields, "seq")
	delete(fields, "citations")
	if data, err = json.Marshal(fields); err != nil {
		t.Fatal(err)
	}
	return data
}

// Items returns the items of a version, failing the test on error.
func Items(t testing.TB, s *models.Store, listID int64, version int) []models.ItemRevision {
	t.Helper()
	revs, err := s.ItemsAt(context.Background(), listID, version, models.ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) == 0 {
		t.Fatalf("list %d version %d has no items", listID, version)
	}
	return revs
}

// withMaterials gives an operation the materials the workflow asks of its
// type before submission (meta's op_types): history here is complete requests.
func withMaterials(in *workflow.OperationInput) {
	for _, t := range workflow.OpTypes() {
		if t.Op != in.Op {
			continue
		}
		for _, m := range t.Materials {
			switch m.Field {
			case "supervision":
				in.Supervision = "纳入日常监管，发现问题依法处理"
			case "takeover_plan":
				in.TakeoverPlan = "由本部门承接，一个月内完成"
			}
		}
	}
}
