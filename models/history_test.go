package models_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/models"
)

// people are the users a published change request goes through.
type people struct{ submitter, reviewer, approver models.User }

func createPeople(t *testing.T, s *models.Store, agencyID int64) people {
	t.Helper()
	ctx := context.Background()
	region := "640303"
	p := people{
		submitter: models.User{Username: "yibao", DisplayName: "王填报", Role: models.RoleSubmitter, AgencyID: &agencyID},
		reviewer:  models.User{Username: "sifa", DisplayName: "李审查", Role: models.RoleLegalReviewer, RegionCode: &region},
		approver:  models.User{Username: "zhengfu", DisplayName: "赵审定", Role: models.RoleApprover, RegionCode: &region},
	}
	for _, u := range []*models.User{&p.submitter, &p.reviewer, &p.approver} {
		u.PasswordHash = "x"
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// change is one operation of a published test request.
type change struct {
	op     string
	itemID int64
	fields *models.ItemFields
	reason string
}

// publishRequest stores a change request that went through review and
// approval with its opinions, and publishes it as the list's next version.
func publishRequest(t *testing.T, s *models.Store, ppl people, listID int64, title string, at time.Time, changes ...change) models.ListVersion {
	t.Helper()
	ctx := context.Background()
	l, err := s.List(ctx, listID)
	if err != nil {
		t.Fatal(err)
	}
	var v models.ListVersion
	err = s.Transaction(ctx, func(tx *models.Store) error {
		next := l.CurrentVersion + 1
		cr := models.ChangeRequest{ListID: listID, AgencyID: l.AgencyID, BaseVersion: l.CurrentVersion, Title: title,
			Reason: title + "的理由", State: models.StatePublished, Version: 5, SubmitterID: ppl.submitter.ID,
			PublishedVersion: &next, CreatedAt: at, UpdatedAt: at}
		if err := tx.CreateChangeRequest(ctx, &cr); err != nil {
			return err
		}
		steps := []struct {
			event, from, to string
			actor           int64
			comment         string
		}{
			{"submit", models.StateDraft, models.StateLegalReview, ppl.submitter.ID, ""},
			{"pass_review", models.StateLegalReview, models.StateApproval, ppl.reviewer.ID, "依据合法有效，同意。"},
			{"approve", models.StateApproval, models.StateApproved, ppl.approver.ID, "同意公布。"},
			{"publish", models.StateApproved, models.StatePublished, ppl.approver.ID, ""},
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
			op := models.Operation{ChangeRequestID: cr.ID, Op: c.op, Reason: c.reason, Basis: "【法律】《中华人民共和国社会保险法》", CreatedAt: at}
			if c.itemID != 0 {
				op.ItemID = &c.itemID
			}
			if c.fields != nil {
				op.Item = *c.fields
			}
			if err := tx.CreateOperation(ctx, &op); err != nil {
				return err
			}
			nv.Changes = append(nv.Changes, models.RevisionChange{ItemID: c.itemID, Op: c.op, Fields: c.fields, OperationID: &op.ID})
		}
		v, err = tx.PublishVersion(ctx, nv)
		return err
	})
	if err != nil {
		t.Fatalf("publish %s: %v", title, err)
	}
	return v
}

func TestVersionsNewestFirstWithTheirChangeRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		res := importSample(t, s, "aaa")
		l, _ := s.List(ctx, res.ListID)
		ppl := createPeople(t, s, l.AgencyID)
		v1, _ := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		mod := v1[0].Fields()
		mod.Name = "甲处罚（修改）"
		added := models.ItemFields{Seq: 3, Code: "0247003000", Name: "丁处罚", Category: "行政处罚", Note: "增加"}
		publishRequest(t, s, ppl, res.ListID, "调整甲处罚并增加丁处罚", time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC),
			change{op: models.OpModify, itemID: v1[0].ItemID, fields: &mod}, change{op: models.OpAdd, fields: &added})
		publishRequest(t, s, ppl, res.ListID, "取消丙检查", time.Date(2024, 6, 1, 2, 0, 0, 0, time.UTC),
			change{op: models.OpRemove, itemID: v1[2].ItemID})

		vs, err := s.Versions(ctx, res.ListID)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			number, items, added, modified, removed int
			title, agency                           string
		}
		var got []row
		for _, v := range vs {
			got = append(got, row{v.Number, v.ItemCount, v.Added, v.Modified, v.Removed, v.ChangeRequestTitle, v.ChangeRequestAgency})
		}
		want := []row{
			{3, 3, 0, 0, 1, "取消丙检查", "红寺堡区医疗保障局"},
			{2, 4, 1, 1, 0, "调整甲处罚并增加丁处罚", "红寺堡区医疗保障局"},
			{1, 3, 0, 0, 0, "", ""},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("versions\n got %+v\nwant %+v", got, want)
		}
		if vs[2].ChangeRequestID != nil {
			t.Error("version 1 (the import) has a change request")
		}
		if _, err := s.Versions(ctx, 9999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown list: want not found, got %v", err)
		}
	})
}

func TestChangedRevisionsReadsOnlyWhatDiffers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		res := importSample(t, s, "aaa")
		l, _ := s.List(ctx, res.ListID)
		ppl := createPeople(t, s, l.AgencyID)
		v1, _ := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		at := time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC)
		a := v1[0].Fields()
		a.Content = "第二版"
		publishRequest(t, s, ppl, res.ListID, "v2", at, change{op: models.OpModify, itemID: v1[0].ItemID, fields: &a})
		a.Content = "第三版"
		publishRequest(t, s, ppl, res.ListID, "v3", at, change{op: models.OpModify, itemID: v1[0].ItemID, fields: &a})
		publishRequest(t, s, ppl, res.ListID, "v4", at, change{op: models.OpRemove, itemID: v1[1].ItemID})

		contents := func(revs []models.ItemRevision) map[int64]string {
			m := map[int64]string{}
			for _, r := range revs {
				m[r.ItemID] = r.Name + "|" + r.Content
			}
			return m
		}
		cases := []struct {
			a, b     int
			atA, atB map[int64]string
		}{
			{1, 2, map[int64]string{v1[0].ItemID: "甲处罚|"}, map[int64]string{v1[0].ItemID: "甲处罚|第二版"}},
			// The middle state (第二版) is not read for 1 → 3.
			{1, 3, map[int64]string{v1[0].ItemID: "甲处罚|"}, map[int64]string{v1[0].ItemID: "甲处罚|第三版"}},
			{1, 4, map[int64]string{v1[0].ItemID: "甲处罚|", v1[1].ItemID: "乙处罚_100%|"}, map[int64]string{v1[0].ItemID: "甲处罚|第三版"}},
			{4, 1, map[int64]string{v1[0].ItemID: "甲处罚|第三版"}, map[int64]string{v1[0].ItemID: "甲处罚|", v1[1].ItemID: "乙处罚_100%|"}},
			{3, 4, map[int64]string{v1[1].ItemID: "乙处罚_100%|"}, map[int64]string{}},
			{2, 2, map[int64]string{}, map[int64]string{}},
		}
		for _, c := range cases {
			atA, atB, err := s.ChangedRevisions(ctx, res.ListID, c.a, c.b)
			if err != nil {
				t.Fatal(err)
			}
			if got := contents(atA); !reflect.DeepEqual(got, c.atA) {
				t.Errorf("%d→%d: at %d %v, want %v", c.a, c.b, c.a, got, c.atA)
			}
			if got := contents(atB); !reflect.DeepEqual(got, c.atB) {
				t.Errorf("%d→%d: at %d %v, want %v", c.a, c.b, c.b, got, c.atB)
			}
		}
	})
}

func TestItemHistoryModifiedTwiceAndRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		res := importSample(t, s, "aaa")
		l, _ := s.List(ctx, res.ListID)
		ppl := createPeople(t, s, l.AgencyID)
		v1, _ := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		item := v1[0].ItemID
		f := v1[0].Fields()
		f.Content = "责令退回，处二倍以上五倍以下的罚款"
		publishRequest(t, s, ppl, res.ListID, "补充行使内容", time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC),
			change{op: models.OpModify, itemID: item, fields: &f, reason: "依据条例第三十七条补充"})
		f.Content = "责令退回，处一倍以上三倍以下的罚款"
		// Another item's change in the same request does not enter this item's history.
		other := v1[1].Fields()
		other.Name = "乙处罚（修改）"
		publishRequest(t, s, ppl, res.ListID, "调整罚款幅度", time.Date(2024, 6, 1, 2, 0, 0, 0, time.UTC),
			change{op: models.OpModify, itemID: item, fields: &f, reason: "上位法修正"},
			change{op: models.OpModify, itemID: v1[1].ItemID, fields: &other, reason: "名称规范"})
		publishRequest(t, s, ppl, res.ListID, "取消甲处罚", time.Date(2024, 7, 1, 2, 0, 0, 0, time.UTC),
			change{op: models.OpRemove, itemID: item, reason: "上位法废止"})

		h, err := s.ItemHistory(ctx, item)
		if err != nil {
			t.Fatal(err)
		}
		type step struct {
			version, until int
			op, content    string
			title, reason  string
		}
		var got []step
		for _, e := range h {
			st := step{version: e.Version, until: e.Until, op: e.Op}
			if e.Revision != nil {
				st.content = e.Revision.Content
			}
			if e.Trail != nil {
				st.title = e.Trail.Title
			}
			if e.Operation != nil {
				st.reason = e.Operation.Reason
			}
			got = append(got, st)
		}
		want := []step{
			{1, 2, models.OpImport, "", "", ""},
			{2, 3, models.OpModify, "责令退回，处二倍以上五倍以下的罚款", "补充行使内容", "依据条例第三十七条补充"},
			{3, 4, models.OpModify, "责令退回，处一倍以上三倍以下的罚款", "调整罚款幅度", "上位法修正"},
			{4, 4, models.OpRemove, "", "取消甲处罚", "上位法废止"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("history\n got %+v\nwant %+v", got, want)
		}
		if !h[3].PublishedAt.Equal(time.Date(2024, 7, 1, 2, 0, 0, 0, time.UTC)) {
			t.Errorf("removal published at %v", h[3].PublishedAt)
		}
		trail := h[2].Trail
		if trail.AgencyName != "红寺堡区医疗保障局" || trail.Submitter.DisplayName != "王填报" {
			t.Errorf("trail agency %q submitter %q", trail.AgencyName, trail.Submitter.DisplayName)
		}
		var acts []string
		for _, e := range trail.Events {
			acts = append(acts, e.Event.Event+":"+e.Actor.DisplayName+":"+e.Actor.Role+":"+e.Comment)
			if e.Actor.PasswordHash != "" {
				t.Error("history loads password hashes")
			}
		}
		wantActs := []string{"submit:王填报:submitter:", "pass_review:李审查:legal_reviewer:依据合法有效，同意。",
			"approve:赵审定:approver:同意公布。", "publish:赵审定:approver:"}
		if !reflect.DeepEqual(acts, wantActs) {
			t.Errorf("events\n got %v\nwant %v", acts, wantActs)
		}
		if _, err := s.ItemHistory(ctx, 99999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown item: want not found, got %v", err)
		}
	})
}
