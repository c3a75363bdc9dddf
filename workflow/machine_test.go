package workflow

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/models"
)

var update = flag.Bool("update", false, "rewrite the golden diagram")

// TestDiagram: the machine drawn as Mermaid matches the golden file, and the
// docs show exactly that drawing.
func TestDiagram(t *testing.T) {
	got := Diagram()
	golden := filepath.Join("testdata", "workflow.mmd")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("diagram changed (run go test ./workflow -run TestDiagram -update, then copy it into docs/workflow.md):\n%s", got)
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "workflow.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```mermaid\n"+got+"```") {
		t.Errorf("docs/workflow.md does not show the current diagram")
	}
}

// step is one attempt at an event and what must come of it.
type step struct {
	who, event, comment string
	want                apperr.Code // "" = allowed
	state               string      // the state after the step
}

// TestTransitions: every path through the machine, every return, reject and
// withdraw, and the refusals with their statuses.
func TestTransitions(t *testing.T) {
	submit := step{"hsb-ybj", EventSubmit, "", "", models.StateLegalReview}
	pass := step{"hsb-sfj", EventPass, "", "", models.StateApproval}
	approve := step{"hsb-gov", EventApprove, "", "", models.StateApproved}
	cases := []struct {
		name   string
		noOps  bool
		steps  []step
		detail []string // allowed_events of the last refusal, when it is a 409
	}{
		{"straight to publication", false, []step{submit, pass, approve,
			{"hsb-gov", EventPublish, "", "", models.StatePublished},
			{"hsb-gov", EventReturn, "晚了", apperr.Conflict, models.StatePublished}}, []string{}},
		{"returned in legal review, resubmitted", false, []step{submit,
			{"hsb-sfj", EventReturn, "请补充依据", "", models.StateReturned},
			submit, pass, approve}, nil},
		{"returned in approval", false, []step{submit, pass,
			{"hsb-gov", EventReturn, "请说明理由", "", models.StateReturned},
			{"hsb-ybj2", EventSubmit, "", "", models.StateLegalReview}}, nil},
		{"returned after approval", false, []step{submit, pass, approve,
			{"hsb-gov", EventReturn, "清单已更新，请更新基准版本", "", models.StateReturned}}, nil},
		{"rejected in legal review", false, []step{submit,
			{"hsb-sfj", EventReject, "缺乏上位法依据", "", models.StateRejected},
			{"hsb-ybj", EventSubmit, "", apperr.Conflict, models.StateRejected}}, []string{}},
		{"rejected in approval", false, []step{submit, pass,
			{"hsb-gov", EventReject, "不予通过", "", models.StateRejected}}, nil},
		{"cancelled as a draft", false, []step{{"hsb-ybj", EventCancel, "", "", models.StateCancelled},
			{"hsb-ybj", EventSubmit, "", apperr.Conflict, models.StateCancelled}}, []string{}},
		{"cancelled when returned", false, []step{submit,
			{"hsb-sfj", EventReturn, "请修改", "", models.StateReturned},
			{"hsb-ybj", EventCancel, "", "", models.StateCancelled}}, nil},
		{"withdrawn in legal review back to a draft, resubmitted", false, []step{submit,
			{"hsb-ybj2", EventWithdraw, "", "", models.StateDraft}, submit, pass}, nil},
		{"withdrawn in approval back to a draft, then cancelled", false, []step{submit, pass,
			{"hsb-ybj", EventWithdraw, "", "", models.StateDraft},
			{"hsb-ybj", EventCancel, "", "", models.StateCancelled}}, nil},
		{"no withdrawal of a draft", false, []step{{"hsb-ybj", EventWithdraw, "", apperr.Conflict, models.StateDraft}},
			[]string{EventCancel, EventSubmit}},
		{"no cancellation under review", false, []step{submit, {"hsb-ybj", EventCancel, "", apperr.Conflict, models.StateLegalReview}},
			[]string{EventPass, EventReject, EventReturn, EventWithdraw}},
		{"cancellation by a reviewer", false, []step{submit, {"hsb-sfj", EventReturn, "请修改", "", models.StateReturned},
			{"hsb-sfj", EventCancel, "", apperr.Forbidden, models.StateReturned}}, nil},
		{"no withdrawal once approved", false, []step{submit, pass, approve,
			{"hsb-ybj", EventWithdraw, "", apperr.Conflict, models.StateApproved}}, []string{EventPublish, EventReturn}},
		{"return needs an opinion", false, []step{submit, {"hsb-sfj", EventReturn, "  ", apperr.Invalid, models.StateLegalReview}}, nil},
		{"reject needs an opinion", false, []step{submit, pass, {"hsb-gov", EventReject, "", apperr.Invalid, models.StateApproval}}, nil},
		{"nothing to submit", true, []step{{"hsb-ybj", EventSubmit, "", apperr.Conflict, models.StateDraft}}, nil},
		{"event the state does not allow", false, []step{submit, {"hsb-gov", EventApprove, "", apperr.Conflict, models.StateLegalReview}},
			[]string{EventPass, EventReject, EventReturn, EventWithdraw}},
		{"unknown event", false, []step{{"hsb-ybj", "merge", "", apperr.Invalid, models.StateDraft}}, nil},
		{"legal review by the approver", false, []step{submit, {"hsb-gov", EventPass, "", apperr.Forbidden, models.StateLegalReview}}, nil},
		{"approval by the legal reviewer", false, []step{submit, pass, {"hsb-sfj", EventApprove, "", apperr.Forbidden, models.StateApproval}}, nil},
		{"publication by the legal reviewer", false, []step{submit, pass, approve, {"hsb-sfj", EventPublish, "", apperr.Forbidden, models.StateApproved}}, nil},
		{"submission by a reviewer", false, []step{{"hsb-sfj", EventSubmit, "", apperr.NotFound, models.StateDraft}}, nil},
		{"withdrawal by a reviewer", false, []step{submit, {"hsb-sfj", EventWithdraw, "", apperr.Forbidden, models.StateLegalReview}}, nil},
		{"submission by an admin", false, []step{{"admin", EventSubmit, "", apperr.Forbidden, models.StateDraft}}, nil},
		{"another agency's submitter", false, []step{{"yt-ybj", EventSubmit, "", apperr.NotFound, models.StateDraft}}, nil},
		{"another region's reviewer", false, []step{submit, {"yt-sfj", EventPass, "", apperr.NotFound, models.StateLegalReview}}, nil},
		{"another region's approver", false, []step{submit, pass, {"yt-gov", EventApprove, "", apperr.NotFound, models.StateApproval}}, nil},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				id := f.draft(t, "hsb-ybj", f.hsb)
				if !tc.noOps {
					f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpAdd, Item: itemJSON(t, map[string]any{"name": "戊处罚", "category": "行政处罚", "basis": basisFund})})
				}
				var last *apperr.Error
				for i, s := range tc.steps {
					before := f.request(t, id)
					err := f.act(s.who, id, s.event, s.comment)
					if e := wantCode(t, err, s.want); e != nil {
						last = e
					}
					after := f.request(t, id)
					if after.State != s.state {
						t.Fatalf("step %d (%s by %s): state %s, want %s", i+1, s.event, s.who, after.State, s.state)
					}
					if s.want != "" && after.Version != before.Version {
						t.Errorf("step %d: a refused event changed the request's version", i+1)
					}
				}
				if tc.detail != nil {
					got := last.Details.(map[string]any)["allowed_events"]
					if !slices.Equal(got.([]string), tc.detail) {
						t.Errorf("allowed events = %v, want %v", got, tc.detail)
					}
				}
			})
		}
	})
}

// TestTimelineAndOpinions: every transition is recorded once with its
// opinion, version and person, and audited.
func TestTimelineAndOpinions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		id := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", id, f.modifyContent(t, "甲处罚", "新内容"))
		f.fire(t, "hsb-ybj", id, EventSubmit, "")
		f.fire(t, "hsb-sfj", id, EventReturn, "请补充法律依据")
		f.addOp(t, "hsb-ybj", id, f.modifyContent(t, "乙处罚", "新内容")) // a returned request is editable
		f.fire(t, "hsb-ybj", id, EventSubmit, "已补充")
		f.fire(t, "hsb-sfj", id, EventPass, "")
		d, err := f.svc.Get(f.ctx, f.users["hsb-gov"], id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range d.Timeline {
			got = append(got, e.Event.Event+":"+e.ToState+":"+e.ActorName+":"+e.Comment)
		}
		want := []string{"create:draft:hsb-ybj 姓名:", "submit:legal_review:hsb-ybj 姓名:", "return:returned:hsb-sfj 姓名:请补充法律依据",
			"submit:legal_review:hsb-ybj 姓名:已补充", "pass:approval:hsb-sfj 姓名:"}
		if !slices.Equal(got, want) {
			t.Errorf("timeline =\n%v\nwant\n%v", got, want)
		}
		if len(d.Opinions) != 2 || d.Opinions[0].Comment != "请补充法律依据" || d.Opinions[1].Event.Event != EventPass {
			t.Errorf("opinions = %+v", d.Opinions)
		}
		if !slices.Equal(d.AllowedEvents, []string{EventApprove, EventReject, EventReturn}) {
			t.Errorf("approver's allowed events = %v", d.AllowedEvents)
		}
		var audits []models.AuditEvent
		if err := f.store.DB(f.ctx).Where("action = ? AND target_id = ?", "transition", strconv.FormatInt(id, 10)).Order("id").Find(&audits).Error; err != nil {
			t.Fatal(err)
		}
		if len(audits) != 4 || audits[1].Actor != "hsb-sfj" || audits[1].RegionCode != "640303" ||
			!strings.Contains(audits[1].After, `"state":"returned"`) || !strings.Contains(audits[1].Before, `"state":"legal_review"`) {
			t.Errorf("audit = %+v", audits)
		}
	})
}

// TestVisibilityAndEditing: drafts are private to their agency; a request is
// edited only by its agency's submitters and only as a draft or returned.
func TestVisibilityAndEditing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		id := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", id, f.modifyContent(t, "甲处罚", "新内容"))
		sees := func(who string) bool {
			_, err := f.svc.Get(f.ctx, f.users[who], id)
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				t.Fatal(err)
			}
			rows, _, lerr := f.svc.List(f.ctx, f.users[who], Filter{})
			if lerr != nil {
				t.Fatal(lerr)
			}
			listed := slices.ContainsFunc(rows, func(r models.ChangeRequestRow) bool { return r.ID == id })
			if listed != (err == nil) {
				t.Errorf("%s: listing and reading disagree (listed %v, read %v)", who, listed, err)
			}
			return err == nil
		}
		for who, want := range map[string]bool{"hsb-ybj": true, "hsb-ybj2": true, "admin": true,
			"hsb-sfj": false, "hsb-gov": false, "yt-ybj": false, "yt-sfj": false} {
			if got := sees(who); got != want {
				t.Errorf("draft seen by %s: %v, want %v", who, got, want)
			}
		}
		f.fire(t, "hsb-ybj", id, EventSubmit, "")
		for who, want := range map[string]bool{"hsb-sfj": true, "hsb-gov": true, "yt-sfj": false, "yt-gov": false, "yt-ybj": false} {
			if got := sees(who); got != want {
				t.Errorf("submitted request seen by %s: %v, want %v", who, got, want)
			}
		}
		_, err := f.svc.AddOperation(f.ctx, f.users["hsb-ybj"], id, f.modifyContent(t, "乙处罚", "x"))
		wantCode(t, err, apperr.Conflict)
		_, err = f.svc.Update(f.ctx, f.users["hsb-sfj"], id, RequestPatch{Title: ptr("改")})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.Update(f.ctx, f.users["yt-ybj"], id, RequestPatch{Title: ptr("改")})
		wantCode(t, err, apperr.NotFound)
		f.fire(t, "hsb-sfj", id, EventReturn, "请修改标题")
		cr, err := f.svc.Update(f.ctx, f.users["hsb-ybj2"], id, RequestPatch{Title: ptr(" 新标题 ")})
		if err != nil || cr.Title != "新标题" || cr.Reason != "法律法规修订" {
			t.Fatalf("update returned request: %+v %v", cr, err)
		}
		_, err = f.svc.Update(f.ctx, f.users["hsb-ybj"], id, RequestPatch{Title: ptr("")})
		wantCode(t, err, apperr.Invalid)
		_, _, err = f.svc.List(f.ctx, f.users["admin"], Filter{State: "open"})
		wantCode(t, err, apperr.Invalid)
		rows, _, err := f.svc.List(f.ctx, f.users["admin"], Filter{State: models.StateReturned, ListID: f.hsb})
		if err != nil || len(rows) != 1 || rows[0].SubmitterName != "hsb-ybj 姓名" || rows[0].ListTitle == "" {
			t.Errorf("filtered list = %+v %v", rows, err)
		}
		_, err = f.svc.Create(f.ctx, f.users["yt-ybj"], NewRequest{ListID: f.hsb, Title: "越权"})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.Create(f.ctx, f.users["hsb-sfj"], NewRequest{ListID: f.hsb, Title: "越权"})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.Create(f.ctx, f.users["hsb-ybj"], NewRequest{ListID: 424242, Title: "无此清单"})
		wantCode(t, err, apperr.NotFound)
	})
}

// TestNobodyReviewsTheirOwnRequest: a submitter who later became the
// region's legal reviewer may not review what they drafted or submitted.
func TestNobodyReviewsTheirOwnRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		drafted := f.draft(t, "hsb-ybj2", f.hsb)
		f.addOp(t, "hsb-ybj2", drafted, f.modifyContent(t, "甲处罚", "新内容"))
		f.fire(t, "hsb-ybj2", drafted, EventSubmit, "")
		submitted := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", submitted, f.modifyContent(t, "乙处罚", "新内容"))
		f.fire(t, "hsb-ybj2", submitted, EventSubmit, "")

		moved := f.users["hsb-ybj2"]
		if err := f.store.DB(f.ctx).Model(moved).Updates(map[string]any{"role": models.RoleLegalReviewer, "region_code": "640303", "agency_id": nil}).Error; err != nil {
			t.Fatal(err)
		}
		moved.Role, moved.RegionCode, moved.AgencyID = models.RoleLegalReviewer, ptr("640303"), nil
		for _, id := range []int64{drafted, submitted} {
			_, err := f.svc.Fire(f.ctx, moved, id, EventPass, "")
			if e := wantCode(t, err, apperr.Forbidden); !strings.Contains(e.Message, "自己") {
				t.Errorf("message = %s", e.Message)
			}
			d, err := f.svc.Get(f.ctx, moved, id)
			if err != nil || len(d.AllowedEvents) != 0 {
				t.Errorf("own request offers %v (%v)", d.AllowedEvents, err)
			}
		}
		// Nor do they wait in the moved person's 待办, or count in their badge.
		todo, _, err := f.svc.List(f.ctx, moved, Filter{Queue: QueueTodo})
		if err != nil || len(todo) != 0 {
			t.Errorf("own requests in the 待办: %d (%v)", len(todo), err)
		}
		if n, err := f.svc.Count(f.ctx, moved); err != nil || n.Waiting != 0 || n.ByState[models.StateLegalReview] != 2 {
			t.Errorf("counts of the moved reviewer: %+v (%v)", n, err)
		}
		if n, _ := f.svc.Count(f.ctx, f.users["hsb-sfj"]); n.Waiting != 2 {
			t.Errorf("another reviewer waits for %d, want 2", n.Waiting)
		}
		f.fire(t, "hsb-sfj", drafted, EventPass, "")
	})
}

// TestEveryEventIsAnAction: every event a request's machine can fire, on any
// route, is a button of the request page (meta.actions) with its words; the
// UI has no other table of them.
func TestEveryEventIsAnAction(t *testing.T) {
	byEvent := map[string]Action{}
	for _, a := range Actions() {
		byEvent[a.Event] = a
	}
	for _, p := range diagramProcesses {
		for _, heavy := range []bool{true, false} {
			for _, e := range eventsOf(routeOf(p, heavy, true, 1, ReviewLegal, nil)) {
				if a, ok := byEvent[e.Name]; !ok || a.Label == "" {
					t.Errorf("event %s has no action label", e.Name)
				}
			}
		}
	}
	for _, e := range []string{EventReturn, EventReject, EventDisagree} {
		if !needsOpinion(e) {
			t.Errorf("%s needs no opinion", e)
		}
	}
	if needsOpinion(EventPass) {
		t.Error("pass needs an opinion")
	}
}
