// Package historytest builds published history for tests: people, and change
// requests that went through review and approval with their opinions and
// were published as new versions with models.Store.PublishVersion.
package historytest

import (
	"context"
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
// state (nil for a removal); ItemID 0 adds an item.
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

// Publish stores a change request that went through submission, legal
// review (with ReviewOpinion), approval (with ApprovalOpinion) and
// publication, and publishes it as the list's next version.
func Publish(t testing.TB, s *models.Store, p People, listID int64, title string, at time.Time, changes ...Change) models.ListVersion {
	t.Helper()
	ctx := context.Background()
	var v models.ListVersion
	err := s.Transaction(ctx, func(tx *models.Store) error {
		l, err := tx.List(ctx, listID)
		if err != nil {
			return err
		}
		next := l.CurrentVersion + 1
		cr := models.ChangeRequest{ListID: listID, AgencyID: l.AgencyID, BaseVersion: l.CurrentVersion, Title: title,
			Reason: title + "的理由", State: models.StatePublished, Version: 5, SubmitterID: p.Submitter.ID,
			PublishedVersion: &next, CreatedAt: at, UpdatedAt: at}
		if err := tx.CreateChangeRequest(ctx, &cr); err != nil {
			return err
		}
		steps := []struct {
			event, from, to string
			actor           int64
			comment         string
		}{
			{workflow.EventSubmit, models.StateDraft, models.StateLegalReview, p.Submitter.ID, ""},
			{workflow.EventPass, models.StateLegalReview, models.StateApproval, p.Reviewer.ID, ReviewOpinion},
			{workflow.EventApprove, models.StateApproval, models.StateApproved, p.Approver.ID, ApprovalOpinion},
			{workflow.EventPublish, models.StateApproved, models.StatePublished, p.Approver.ID, ""},
		}
		for i, st := range steps {
			e := models.Event{ChangeRequestID: cr.ID, Version: i + 2, Event: st.event, FromState: st.from, ToState: st.to,
				ActorID: st.actor, Comment: st.comment, CreatedAt: at}
			if err := tx.CreateEvent(ctx, &e); err != nil {
				return err
			}
		}
		nv := models.NewVersion{ListID: listID, BaseVersion: l.CurrentVersion, ChangeRequestID: &cr.ID, At: at}
		for _, c := range changes {
			op := models.Operation{ChangeRequestID: cr.ID, Op: c.Op, Reason: c.Reason, Basis: "【法律】《中华人民共和国社会保险法》", CreatedAt: at}
			if c.ItemID != 0 {
				op.ItemID = &c.ItemID
			}
			if c.Fields != nil {
				op.Item = *c.Fields
			}
			if err := tx.CreateOperation(ctx, &op); err != nil {
				return err
			}
			nv.Changes = append(nv.Changes, models.RevisionChange{ItemID: c.ItemID, Op: c.Op, Fields: c.Fields, OperationID: &op.ID})
		}
		v, err = tx.PublishVersion(ctx, nv)
		return err
	})
	if err != nil {
		t.Fatalf("publish %s: %v", title, err)
	}
	return v
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
