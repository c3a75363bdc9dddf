package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/dbtest"
	"qingdan/testkit"
)

// newClockEnv is newCREnv with a settable clock for deadlines, started on
// Thursday 2026-09-24 10:00 Beijing time (the week before 中秋 and 国庆).
func newClockEnv(t *testing.T, db *gorm.DB) (*crEnv, *testkit.Clock) {
	t.Helper()
	clock := testkit.NewClock(beijing(2026, 9, 24))
	return newCREnvWith(t, db, api.Options{Now: clock.Now}), clock
}

// beijing is 10:00 Beijing time on a day.
func beijing(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 2, 0, 0, 0, time.UTC)
}

type clockBody struct {
	Step     string  `json:"step"`
	Started  string  `json:"started"`
	Due      *string `json:"due"`
	DaysLeft *int    `json:"days_left"`
	Overdue  bool    `json:"overdue"`
}

func (e *crEnv) clock(t *testing.T, who string, id int64) *clockBody {
	t.Helper()
	var b struct {
		Clock *clockBody `json:"clock"`
	}
	e.must(t, http.StatusOK, who, "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil).JSON(t, &b)
	return b.Clock
}

func wantClock(t *testing.T, got *clockBody, step, started, due string, left int, overdue bool) {
	t.Helper()
	if got == nil || got.Step != step || got.Started != started || got.Due == nil || *got.Due != due ||
		got.DaysLeft == nil || *got.DaysLeft != left || got.Overdue != overdue {
		t.Fatalf("clock %+v, want %s from %s due %s, %d left, overdue %v", got, step, started, due, left, overdue)
	}
}

func TestClocksCountWorkingDaysPerStep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e, clock := newClockEnv(t, db)
		// A draft's 申请 limit runs from the day the reason arose: 20 working
		// days after Friday 9-18, across 中秋 and 国庆 and their worked weekends.
		r := e.must(t, http.StatusCreated, "hsb-ybj", "POST", "/api/v1/change-requests",
			map[string]any{"list_id": e.hsb, "title": "依据新条例调整", "reason": "条例修订", "trigger_date": "2026-09-18"})
		id := decodeCR(t, r).ID
		wantClock(t, e.clock(t, "hsb-ybj", id), "apply", "2026-09-18", "2026-10-22", 15, false)
		for _, bad := range []string{"2026-09-25", "2026/09/18", "2026-02-30"} {
			r := e.must(t, http.StatusBadRequest, "hsb-ybj", "PATCH", fmt.Sprintf("/api/v1/change-requests/%d", id), map[string]any{"trigger_date": bad})
			if !strings.Contains(r.ErrorMessage(t), "trigger_date") {
				t.Errorf("trigger date %s: %s", bad, r.Body)
			}
		}
		// Submitted on 9-24, the review's 15 working days end on 10-22.
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "add", "item": map[string]any{"name": "新增事项", "category": "行政检查", "content": "检查", "basis": crBasis}})
		e.fire(t, "hsb-ybj", id, "submit", "", "legal_review")
		wantClock(t, e.clock(t, "hsb-sfj", id), "review", "2026-09-24", "2026-10-22", 15, false)
		// The request lists carry the clock too.
		var list struct {
			ChangeRequests []struct {
				ID    int64      `json:"id"`
				Clock *clockBody `json:"clock"`
			} `json:"change_requests"`
		}
		e.must(t, http.StatusOK, "hsb-sfj", "GET", "/api/v1/change-requests?state=legal_review", nil).JSON(t, &list)
		if len(list.ChangeRequests) != 1 || list.ChangeRequests[0].Clock == nil || *list.ChangeRequests[0].Clock.Due != "2026-10-22" {
			t.Fatalf("list without the clock: %+v", list)
		}
		// A day past the due day it is overdue by one working day.
		clock.Advance(beijing(2026, 10, 23).Sub(clock.Now()))
		wantClock(t, e.clock(t, "hsb-sfj", id), "review", "2026-09-24", "2026-10-22", -1, true)

		// The region's own limits: only an administrator sets them, within bounds.
		limits := map[string]int{"apply": 20, "review": 20, "publish": 3}
		e.must(t, http.StatusForbidden, "hsb-sfj", "PUT", "/api/v1/regions/640303/limits", limits)
		e.must(t, http.StatusBadRequest, "admin", "PUT", "/api/v1/regions/640303/limits", map[string]int{"apply": 20, "review": 0, "publish": 3})
		e.must(t, http.StatusNotFound, "admin", "PUT", "/api/v1/regions/999999/limits", limits)
		e.must(t, http.StatusOK, "admin", "PUT", "/api/v1/regions/640303/limits", limits)
		wantClock(t, e.clock(t, "hsb-sfj", id), "review", "2026-09-24", "2026-10-29", 4, false)
		var got struct {
			Limits map[string]int `json:"limits"`
		}
		e.must(t, http.StatusOK, "hsb-ybj", "GET", "/api/v1/regions/640303/limits", nil).JSON(t, &got)
		if got.Limits["review"] != 20 {
			t.Errorf("limits: %+v", got)
		}
		// 审定 has no limit by default: the clock names the step without a due day.
		e.fire(t, "hsb-sfj", id, "pass", "", "approval")
		if c := e.clock(t, "hsb-gov", id); c == nil || c.Step != "approval" || c.Due != nil || c.Started != "2026-10-23" {
			t.Fatalf("approval clock %+v", c)
		}
		// 公布 within 3 working days of approval; a published request has no clock.
		e.fire(t, "hsb-gov", id, "approve", "", "approved")
		wantClock(t, e.clock(t, "hsb-gov", id), "publish", "2026-10-23", "2026-10-28", 3, false)
		e.fire(t, "hsb-gov", id, "publish", "", "published")
		if c := e.clock(t, "hsb-gov", id); c != nil {
			t.Errorf("published request has a clock: %+v", c)
		}
	})
}

func TestCalendarRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e, _ := newClockEnv(t, db)
		for _, c := range []struct{ query, want string }{
			{"from=2025-09-30&add=3", "2025-10-11"},
			{"from=2026-02-13&add=20", "2026-03-19"},
			{"from=2025-03-28&add=1&region=653226", "2025-04-01"},
			{"from=2025-03-28&add=1&region=640303", "2025-03-31"},
		} {
			var b struct {
				Date string `json:"date"`
			}
			e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/calendar/workdays?"+c.query, nil).JSON(t, &b)
			if b.Date != c.want {
				t.Errorf("%s: %s, want %s", c.query, b.Date, c.want)
			}
		}
		for _, q := range []string{"from=2025-9-30&add=3", "from=2025-09-30&add=x", "from=2025-09-30&add=-1", "from=2025-09-30&add=3&region=65"} {
			e.must(t, http.StatusBadRequest, "anonymous", "GET", "/api/v1/calendar/workdays?"+q, nil)
		}
		e.must(t, http.StatusNotFound, "anonymous", "GET", "/api/v1/calendar/workdays?from=2025-09-30&add=3&region=990101", nil) // no such division

		type yearBody struct {
			Workdays int  `json:"workdays"`
			National bool `json:"national_notice"`
			Days     []struct {
				ID   int64  `json:"id"`
				Date string `json:"date"`
				Kind string `json:"kind"`
				Name string `json:"name"`
			} `json:"days"`
		}
		var y yearBody
		e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/calendar?year=2025&region=653226", nil).JSON(t, &y)
		if y.Workdays != 244 || !y.National || !slices.ContainsFunc(y.Days, func(d struct {
			ID   int64  `json:"id"`
			Date string `json:"date"`
			Kind string `json:"kind"`
			Name string `json:"name"`
		}) bool {
			return d.Date == "2025-06-09" && d.Name == "古尔邦节"
		}) {
			t.Errorf("Xinjiang 2025: %d working days, national %v", y.Workdays, y.National)
		}

		// The 2027 notice entered in the browser: 春节 off, a Saturday worked.
		e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/calendar?year=2027", nil).JSON(t, &y)
		if y.National || y.Workdays != 261 {
			t.Fatalf("2027 before its notice: %+v", y)
		}
		spring := map[string]string{"from": "2027-02-08", "to": "2027-02-12", "kind": "holiday", "name": "春节", "basis": "国务院办公厅关于2027年部分节假日安排的通知"}
		e.must(t, http.StatusForbidden, "hsb-sfj", "POST", "/api/v1/calendar/days", spring)
		e.must(t, http.StatusBadRequest, "admin", "POST", "/api/v1/calendar/days", map[string]string{"from": "2027-02-08", "to": "2027-02-01", "kind": "holiday", "name": "春节"})
		e.must(t, http.StatusBadRequest, "admin", "POST", "/api/v1/calendar/days", map[string]string{"from": "2027-02-08", "kind": "off", "name": "春节"})
		e.must(t, http.StatusCreated, "admin", "POST", "/api/v1/calendar/days", spring)
		e.must(t, http.StatusConflict, "admin", "POST", "/api/v1/calendar/days", spring)
		e.must(t, http.StatusCreated, "admin", "POST", "/api/v1/calendar/days", map[string]string{"from": "2027-02-20", "kind": "workday", "name": "春节调休"})
		e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/calendar?year=2027", nil).JSON(t, &y)
		if !y.National || y.Workdays != 261-5+1 || len(y.Days) != 6 {
			t.Fatalf("2027 after its notice: %+v", y)
		}
		// A county's own day reaches it and not its neighbour; deleting it undoes it.
		var added struct {
			Days []struct {
				ID int64 `json:"id"`
			} `json:"days"`
		}
		e.must(t, http.StatusCreated, "admin", "POST", "/api/v1/calendar/days",
			map[string]string{"region": "640303", "from": "2027-03-10", "kind": "holiday", "name": "开斋节"}).JSON(t, &added)
		check := func(region, want string) {
			var b struct {
				Date string `json:"date"`
			}
			e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/calendar/workdays?from=2027-03-09&add=1&region="+region, nil).JSON(t, &b)
			if b.Date != want {
				t.Errorf("after 2027-03-09 in %s: %s, want %s", region, b.Date, want)
			}
		}
		check("640303", "2027-03-11")
		check("653226", "2027-03-10")
		e.must(t, http.StatusNoContent, "admin", "DELETE", fmt.Sprintf("/api/v1/calendar/days/%d", added.Days[0].ID), nil)
		check("640303", "2027-03-10")
		var audit struct {
			Events []struct {
				Action string `json:"action"`
			} `json:"events"`
		}
		e.must(t, http.StatusOK, "admin", "GET", "/api/v1/audit", nil).JSON(t, &audit)
		n := 0
		for _, a := range audit.Events {
			if strings.HasPrefix(a.Action, "calendar_") {
				n++
			}
		}
		if n != 4 {
			t.Errorf("%d calendar changes audited, want 4: %s", n, audit.Events)
		}
	})
}

type notificationsBody struct {
	Notifications []struct {
		ID              int64  `json:"id"`
		Kind            string `json:"kind"`
		ChangeRequestID *int64 `json:"change_request_id"`
		Title           string `json:"title"`
		Body            string `json:"body"`
	} `json:"notifications"`
	Total  int `json:"total"`
	Unread int `json:"unread"`
}

func (e *crEnv) notifications(t *testing.T, who string) notificationsBody {
	t.Helper()
	var b notificationsBody
	e.must(t, http.StatusOK, who, "GET", "/api/v1/notifications", nil).JSON(t, &b)
	return b
}

func kinds(b notificationsBody) []string {
	var out []string
	for _, n := range b.Notifications {
		out = append(out, n.Kind)
	}
	return out
}

func TestSupervisionUrgeAndMessages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e, clock := newClockEnv(t, db)
		add := map[string]any{"op": "add", "item": map[string]any{"name": "新增事项", "category": "行政检查", "content": "检查", "basis": crBasis}}
		hsb := e.toState(t, e.hsb, "legal_review", add)
		yt := e.toState(t, e.yt, "legal_review", map[string]any{"op": "add", "item": map[string]any{"name": "新增事项", "category": "行政检查", "duty": "检查", "basis": crBasis}})
		calm := e.toState(t, e.hsb, "legal_review", map[string]any{"op": "add", "item": map[string]any{"name": "另一事项", "category": "行政检查", "content": "检查", "basis": crBasis}})
		// The submission told the region's reviewers, not the submitter.
		if got := kinds(e.notifications(t, "hsb-sfj")); !slices.Equal(got, []string{"task", "task"}) {
			t.Fatalf("hsb-sfj messages %v", got)
		}
		if n := e.notifications(t, "hsb-ybj"); n.Total != 0 {
			t.Fatalf("the submitter was told of their own submission: %+v", n)
		}
		// Nothing is due soon yet; on Tuesday 10-20 two of them have two working days left.
		type supBody struct {
			ChangeRequests []struct {
				ID    int64      `json:"id"`
				Clock *clockBody `json:"clock"`
			} `json:"change_requests"`
		}
		var sup supBody
		e.must(t, http.StatusOK, "admin", "GET", "/api/v1/supervision", nil).JSON(t, &sup)
		if len(sup.ChangeRequests) != 0 {
			t.Fatalf("supervision before anything is due: %+v", sup)
		}
		clock.Advance(beijing(2026, 10, 20).Sub(clock.Now()))
		// The calm one re-entered review later: returned and resubmitted on 10-20.
		e.fire(t, "hsb-sfj", calm, "return", "请补充依据", "returned")
		e.fire(t, "hsb-ybj", calm, "submit", "", "legal_review")
		e.must(t, http.StatusOK, "admin", "GET", "/api/v1/supervision?sort=agency", nil).JSON(t, &sup)
		if len(sup.ChangeRequests) != 2 || sup.ChangeRequests[0].ID != yt || sup.ChangeRequests[1].ID != hsb || *sup.ChangeRequests[1].Clock.DaysLeft != 2 {
			t.Fatalf("admin supervision by agency: %+v", sup)
		}
		e.must(t, http.StatusOK, "hsb-sfj", "GET", "/api/v1/supervision", nil).JSON(t, &sup)
		if len(sup.ChangeRequests) != 1 || sup.ChangeRequests[0].ID != hsb {
			t.Fatalf("hsb-sfj sees its region only: %+v", sup)
		}
		e.must(t, http.StatusForbidden, "hsb-gov", "GET", "/api/v1/supervision", nil)
		e.must(t, http.StatusForbidden, "hsb-ybj", "GET", "/api/v1/supervision", nil)
		e.must(t, http.StatusBadRequest, "admin", "GET", "/api/v1/supervision?sort=name", nil)
		e.must(t, http.StatusBadRequest, "admin", "GET", "/api/v1/supervision?format=csv", nil)
		x := e.must(t, http.StatusOK, "hsb-sfj", "GET", "/api/v1/supervision?format=xlsx", nil)
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		row, _ := f.GetRows("Sheet1")
		if len(row) != 4 || row[3][0] != fmt.Sprint(hsb) || row[3][7] != "2026-10-22" || row[3][8] != "2" {
			t.Fatalf("xlsx rows %q", row)
		}

		// 督办: recorded on the timeline (not as an opinion), audited, and the reviewers are told.
		e.must(t, http.StatusForbidden, "hsb-gov", "POST", fmt.Sprintf("/api/v1/change-requests/%d/urge", hsb), map[string]string{})
		e.must(t, http.StatusNotFound, "yt-sfj", "POST", fmt.Sprintf("/api/v1/change-requests/%d/urge", hsb), map[string]string{})
		var d struct {
			State    string `json:"state"`
			MayUrge  bool   `json:"may_urge"`
			Timeline []struct {
				Event   string `json:"event"`
				Comment string `json:"comment"`
			} `json:"timeline"`
			Opinions []struct {
				Event string `json:"event"`
			} `json:"opinions"`
		}
		e.must(t, http.StatusOK, "admin", "POST", fmt.Sprintf("/api/v1/change-requests/%d/urge", hsb),
			map[string]string{"comment": "请于本周内完成审查"}).JSON(t, &d)
		last := d.Timeline[len(d.Timeline)-1]
		if d.State != "legal_review" || last.Event != "urge" || last.Comment != "请于本周内完成审查" || len(d.Opinions) != 0 || !d.MayUrge {
			t.Fatalf("after 督办: %+v", d)
		}
		for _, who := range []string{"hsb-sfj", "hsb-sfj2"} {
			n := e.notifications(t, who)
			if n.Notifications[0].Kind != "urge" || !strings.Contains(n.Notifications[0].Body, "请于本周内完成审查") || n.Unread != 4 {
				t.Errorf("%s after 督办: %+v", who, n)
			}
		}
		var audit struct {
			Events []struct {
				Action   string `json:"action"`
				TargetID string `json:"target_id"`
			} `json:"events"`
		}
		e.must(t, http.StatusOK, "hsb-sfj", "GET", "/api/v1/audit", nil).JSON(t, &audit)
		if !slices.ContainsFunc(audit.Events, func(a struct {
			Action   string `json:"action"`
			TargetID string `json:"target_id"`
		}) bool {
			return a.Action == "urge" && a.TargetID == fmt.Sprint(hsb)
		}) {
			t.Errorf("督办 not audited")
		}
		// The clock still runs from the submission, not from the 督办.
		wantClock(t, e.clock(t, "hsb-sfj", hsb), "review", "2026-09-24", "2026-10-22", 2, false)

		// The message centre: unread counts, marking read, only one's own.
		n := e.notifications(t, "hsb-sfj")
		var count struct {
			Unread int `json:"unread"`
		}
		e.must(t, http.StatusNoContent, "hsb-sfj", "POST", fmt.Sprintf("/api/v1/notifications/%d/read", n.Notifications[0].ID), nil)
		e.must(t, http.StatusOK, "hsb-sfj", "GET", "/api/v1/notifications/unread-count", nil).JSON(t, &count)
		if count.Unread != 3 {
			t.Errorf("unread after reading one: %d", count.Unread)
		}
		e.must(t, http.StatusNotFound, "hsb-sfj2", "POST", fmt.Sprintf("/api/v1/notifications/%d/read", n.Notifications[1].ID), nil)
		e.must(t, http.StatusNoContent, "hsb-sfj", "POST", "/api/v1/notifications/read-all", nil)
		if n := e.notifications(t, "hsb-sfj"); n.Unread != 0 || n.Total != 4 {
			t.Errorf("after reading all: %+v", n)
		}
		e.must(t, http.StatusBadRequest, "hsb-sfj", "GET", "/api/v1/notifications?page_size=1000", nil)
		e.must(t, http.StatusUnauthorized, "anonymous", "GET", "/api/v1/notifications", nil)
		// A return tells the agency's submitters, with the opinion; publication too.
		e.fire(t, "hsb-sfj", hsb, "return", "依据条款有误", "returned")
		for _, who := range []string{"hsb-ybj", "hsb-ybj2"} {
			if n := e.notifications(t, who); n.Notifications[0].Kind != "returned" || !strings.Contains(n.Notifications[0].Body, "依据条款有误") {
				t.Errorf("%s after the return: %+v", who, n)
			}
		}
		e.must(t, http.StatusConflict, "admin", "POST", fmt.Sprintf("/api/v1/change-requests/%d/urge", e.toState(t, e.hsb, "published", map[string]any{
			"op": "add", "item": map[string]any{"name": "第三事项", "category": "行政检查", "content": "检查", "basis": crBasis}})), map[string]string{})
		if n := e.notifications(t, "hsb-ybj"); n.Notifications[0].Kind != "published" {
			t.Errorf("publication not told: %v", kinds(n))
		}
		// Where messages are also e-mailed.
		e.must(t, http.StatusBadRequest, "hsb-sfj", "PUT", "/api/v1/notifications/settings", map[string]string{"email": "not an address"})
		var st struct {
			Email       string `json:"email"`
			MailEnabled bool   `json:"mail_enabled"`
		}
		e.must(t, http.StatusOK, "hsb-sfj", "PUT", "/api/v1/notifications/settings", map[string]string{"email": "sfj@example.org"}).JSON(t, &st)
		if st.Email != "sfj@example.org" || st.MailEnabled {
			t.Errorf("settings %+v", st)
		}
	})
}
