package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// processEnv is crEnv with the 编办 reviewers logged in and a second
// department of 红寺堡区 (卫生健康局) with a submitter, hsb-wjj.
func processEnv(t *testing.T, db *gorm.DB) *crEnv {
	t.Helper()
	e := newCREnv(t, db)
	ctx := context.Background()
	ag, err := e.store.EnsureAgency(ctx, "640303", "红寺堡区卫生健康局", models.AgencyDepartment)
	if err != nil {
		t.Fatal(err)
	}
	a := auth.New(e.store, auth.Config{})
	if _, err := a.AddDemoUser(ctx, auth.Actor{Name: "test"}, auth.NewUser{Username: "hsb-wjj", DisplayName: "红寺堡区卫生健康局 经办人",
		Role: models.RoleSubmitter, AgencyID: &ag.ID, Password: auth.DemoPassword}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"hsb-bb", "yt-bb", "hsb-wjj"} {
		_, e.token[u] = loginAs(t, e.h, u)
	}
	return e
}

type processBody struct {
	Region  string `json:"region"`
	From    string `json:"from"`
	Process struct {
		Reviews     []string       `json:"reviews"`
		Parallel    bool           `json:"parallel"`
		ApprovalOps []string       `json:"approval_ops"`
		Limits      map[string]int `json:"limits"`
	} `json:"process"`
}

func (e *crEnv) setProcess(t *testing.T, who, region string, body map[string]any) {
	t.Helper()
	e.must(t, http.StatusOK, who, "PUT", "/api/v1/regions/"+region+"/process", body)
}

var (
	sequential = map[string]any{"reviews": []string{"staffing", "legal"}, "parallel": false, "approval_ops": []string{"add", "remove"}}
	parallel   = map[string]any{"reviews": []string{"staffing", "legal"}, "parallel": true, "approval_ops": []string{"add", "remove"}}
)

// TestRegionProcessSetting: who reads and sets a region's process, the
// errors naming the bad key, the inheritance from the region above, the audit.
func TestRegionProcessSetting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := processEnv(t, db)
		get := func(region string) processBody {
			var b processBody
			e.must(t, http.StatusOK, "hsb-ybj", "GET", "/api/v1/regions/"+region+"/process", nil).JSON(t, &b)
			return b
		}
		if b := get("640303"); b.From != "" || !slices.Equal(b.Process.Reviews, []string{"legal"}) || b.Process.Parallel ||
			!slices.Contains(b.Process.ApprovalOps, "modify") || b.Process.Limits["review"] != 15 {
			t.Errorf("default process: %+v", b)
		}
		path := "/api/v1/regions/640303/process"
		for who, want := range map[string]int{"anonymous": 401, "hsb-ybj": 403, "hsb-sfj": 403, "hsb-bb": 403, "hsb-gov": 403, "yt-admin": 403} {
			if r := e.as(t, who, "PUT", path, sequential); r.Status != want {
				t.Errorf("%s sets the process: %d, want %d: %s", who, r.Status, want, r.Body)
			}
		}
		for _, tc := range []struct {
			body  string
			field string
		}{
			{`{"reviews":["staffing","mayor"]}`, "reviews"},
			{`{"reviews":["legal"],"parallel":true}`, "parallel"},
			{`{"reviews":["legal"],"approval_ops":["abolish"]}`, "approval_ops"},
			{`{"reviews":["legal"],"limits":{"apply":20,"review":0,"publish":3}}`, "limits.review"},
			{`{"reviews":["legal"],"order":1}`, "order"},
			{`{"reviews":"legal"}`, "reviews"},
		} {
			r := e.as(t, "admin", "PUT", path, rawJSON(tc.body))
			if r.Status != 400 || !strings.Contains(r.ErrorMessage(t), tc.field) {
				t.Errorf("%s: %d %s, want 400 naming %s", tc.body, r.Status, r.Body, tc.field)
			}
		}
		if r := e.as(t, "admin", "PUT", "/api/v1/regions/999999/process", sequential); r.Status != 404 {
			t.Errorf("unknown region: %d %s", r.Status, r.Body)
		}
		// 宁夏's administrator sets the region's process; 红寺堡区 inherits it, 于田县 does not.
		e.setProcess(t, "nx-admin", "640000", map[string]any{"reviews": []string{"legal", "staffing"}, "limits": map[string]int{"apply": 30, "review": 10, "publish": 5}})
		if b := get("640303"); b.From != "640000" || !slices.Equal(b.Process.Reviews, []string{"legal", "staffing"}) ||
			!slices.Equal(b.Process.ApprovalOps, []string{"add", "remove", "delegate"}) || b.Process.Limits["review"] != 10 {
			t.Errorf("inherited process: %+v", b)
		}
		if b := get("653226"); b.From != "" {
			t.Errorf("于田县 inherits from %s", b.From)
		}
		e.setProcess(t, "hsb-admin", "640303", parallel)
		if b := get("640303"); b.From != "640303" || !b.Process.Parallel || b.Process.Limits["review"] != 10 {
			t.Errorf("own process (limits kept from before): %+v", b)
		}
		var n int64
		db.Table("audit_events").Where("action = ? AND target_id IN ?", "process_set", []string{"640000", "640303"}).Count(&n)
		if n != 2 {
			t.Errorf("%d process_set audit entries, want 2", n)
		}
	})
}

// rawJSON is a body sent as it is written.
type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

type flowDetail struct {
	State         string   `json:"state"`
	Track         string   `json:"track"`
	Signed        []string `json:"signed"`
	AllowedEvents []string `json:"allowed_events"`
	Timeline      []struct {
		Event   string `json:"event"`
		Comment string `json:"comment"`
	} `json:"timeline"`
	Process struct {
		Parallel bool `json:"parallel"`
	} `json:"process"`
	Countersigns []struct {
		AgencyName string `json:"agency_name"`
		Reason     string `json:"reason"`
		Answer     string `json:"answer"`
		Opinion    string `json:"opinion"`
	} `json:"countersigns"`
}

func (e *crEnv) flow(t *testing.T, who string, id int64) flowDetail {
	t.Helper()
	var d flowDetail
	e.must(t, http.StatusOK, who, "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil).JSON(t, &d)
	return d
}

func (d flowDetail) events() []string {
	out := []string{}
	for _, e := range d.Timeline {
		out = append(out, e.Event)
	}
	return out
}

// draftWith drafts a request on the 红寺堡 list with one operation.
func (e *crEnv) draftWith(t *testing.T, op map[string]any) int64 {
	t.Helper()
	id := e.create(t, "hsb-ybj", e.hsb)
	e.addOp(t, "hsb-ybj", id, op)
	return id
}

func (e *crEnv) todo(t *testing.T, who string) []int64 {
	t.Helper()
	var b struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"change_requests"`
	}
	e.must(t, http.StatusOK, who, "GET", "/api/v1/change-requests?queue=todo", nil).JSON(t, &b)
	out := []int64{}
	for _, it := range b.Items {
		out = append(out, it.ID)
	}
	return out
}

// TestConfiguredProcess: under a county's own process, a light-track 调整
// is published after both reviews without 审定, a 取消 needs 审定; reviews
// in order and together; a request keeps the process it was submitted under.
func TestConfiguredProcess(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := processEnv(t, db)
		e.setProcess(t, "admin", "640303", sequential)
		modify := func(content string) map[string]any {
			return map[string]any{"op": "modify", "item_id": e.itemID(t, e.hsb, "社会保险稽核"), "item": map[string]any{"content": content}}
		}

		light := e.draftWith(t, modify("负责本区域医疗保险稽核"))
		if d := e.flow(t, "hsb-ybj", light); d.Track != "light" {
			t.Errorf("a 调整 on track %s", d.Track)
		}
		e.fire(t, "hsb-ybj", light, "submit", "", "staffing_review")
		e.must(t, http.StatusForbidden, "hsb-sfj", "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", light), map[string]string{"event": "pass"})
		if !slices.Contains(e.todo(t, "hsb-bb"), light) || slices.Contains(e.todo(t, "hsb-sfj"), light) {
			t.Errorf("todo in 编办 review: 编办 %v, 司法局 %v", e.todo(t, "hsb-bb"), e.todo(t, "hsb-sfj"))
		}
		e.fire(t, "hsb-bb", light, "pass", "符合三定规定", "legal_review")
		e.fire(t, "hsb-sfj", light, "pass", "", "approved")
		e.fire(t, "hsb-gov", light, "publish", "", "published")
		if ev := e.flow(t, "hsb-ybj", light).events(); slices.Contains(ev, "approve") {
			t.Errorf("a light request went through 审定: %v", ev)
		}

		heavy := e.draftWith(t, map[string]any{"op": "remove", "item_id": e.itemID(t, e.hsb, "社会保险稽核")})
		e.fire(t, "hsb-ybj", heavy, "submit", "", "staffing_review")
		// The county changes to reviews together: the request submitted before keeps its order.
		e.setProcess(t, "admin", "640303", parallel)
		e.fire(t, "hsb-bb", heavy, "pass", "", "legal_review")
		e.fire(t, "hsb-sfj", heavy, "pass", "", "approval")
		e.must(t, http.StatusConflict, "hsb-gov", "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", heavy), map[string]string{"event": "publish"})
		e.fire(t, "hsb-gov", heavy, "approve", "", "approved")
		e.fire(t, "hsb-gov", heavy, "publish", "", "published")

		joint := e.draftWith(t, map[string]any{"op": "add", "item": map[string]any{"name": "新检查", "category": "行政检查", "basis": crBasis}})
		e.fire(t, "hsb-ybj", joint, "submit", "", "joint_review")
		if !slices.Contains(e.todo(t, "hsb-bb"), joint) || !slices.Contains(e.todo(t, "hsb-sfj"), joint) {
			t.Errorf("joint review is not in both reviewers' todo")
		}
		e.fire(t, "hsb-sfj", joint, "pass", "合法", "joint_review")
		if got := e.flow(t, "hsb-sfj", joint); !slices.Equal(got.Signed, []string{"legal"}) || slices.Contains(got.AllowedEvents, "pass") {
			t.Errorf("after the legal sign-off: %+v", got)
		}
		e.must(t, http.StatusConflict, "hsb-sfj", "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", joint), map[string]string{"event": "pass"})
		if slices.Contains(e.todo(t, "hsb-sfj"), joint) || !slices.Contains(e.todo(t, "hsb-bb"), joint) {
			t.Errorf("todo after the legal sign-off: 司法局 %v, 编办 %v", e.todo(t, "hsb-sfj"), e.todo(t, "hsb-bb"))
		}
		e.fire(t, "hsb-bb", joint, "pass", "", "approval")

		// Either reviewer may return a joint review; the next round asks both again.
		back := e.draftWith(t, map[string]any{"op": "add", "item": map[string]any{"name": "另一检查", "category": "行政检查", "basis": crBasis}})
		e.fire(t, "hsb-ybj", back, "submit", "", "joint_review")
		e.fire(t, "hsb-bb", back, "pass", "", "joint_review")
		e.fire(t, "hsb-sfj", back, "return", "依据不足", "returned")
		e.fire(t, "hsb-ybj", back, "submit", "", "joint_review")
		if got := e.flow(t, "hsb-bb", back); len(got.Signed) != 0 || !slices.Contains(got.AllowedEvents, "pass") {
			t.Errorf("a resubmitted joint review: %+v", got)
		}
		e.fire(t, "hsb-bb", back, "reject", "超出本部门职权", "rejected")

		// 于田县 has no setting: today's single path.
		yt := e.toState(t, e.yt, "approval", map[string]any{"op": "modify", "item_id": e.itemID(t, e.yt, firstItemName(t, e, e.yt)), "item": map[string]any{"duty": "改"}})
		if d := e.flow(t, "yt-gov", yt); d.Track != "heavy" || d.State != "approval" {
			t.Errorf("于田县 request: %+v", d)
		}
	})
}

func firstItemName(t *testing.T, e *crEnv, list int64) string {
	_, items := e.items(t, list, "")
	return items[0].Name
}

// TestCountersign: a request touching another department's power waits for
// its 会签 before review; 不同意 returns it with the opinion; the next
// submission asks again.
func TestCountersign(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := processEnv(t, db)
		id := e.draftWith(t, map[string]any{"op": "modify", "item_id": e.itemID(t, e.hsb, "社会保险稽核"),
			"item": map[string]any{"department": "红寺堡区医疗保障局、红寺堡区卫生健康局"}})
		e.must(t, http.StatusNotFound, "hsb-wjj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil)
		e.fire(t, "hsb-ybj", id, "submit", "", "countersign")
		transitions := fmt.Sprintf("/api/v1/change-requests/%d/transitions", id)
		e.must(t, http.StatusConflict, "hsb-sfj", "POST", transitions, map[string]string{"event": "pass"})
		e.must(t, http.StatusForbidden, "hsb-ybj", "POST", transitions, map[string]string{"event": "agree"})
		e.must(t, http.StatusForbidden, "hsb-sfj", "POST", transitions, map[string]string{"event": "agree"})
		d := e.flow(t, "hsb-wjj", id)
		if len(d.Countersigns) != 1 || d.Countersigns[0].AgencyName != "红寺堡区卫生健康局" || d.Countersigns[0].Answer != "" ||
			!strings.Contains(d.Countersigns[0].Reason, "社会保险稽核") || !slices.Equal(d.AllowedEvents, []string{"agree", "disagree"}) {
			t.Errorf("countersign as the other agency sees it: %+v", d)
		}
		if !slices.Contains(e.todo(t, "hsb-wjj"), id) || slices.Contains(e.todo(t, "hsb-sfj"), id) {
			t.Errorf("todo while in 会签: 卫健局 %v, 司法局 %v", e.todo(t, "hsb-wjj"), e.todo(t, "hsb-sfj"))
		}
		if n := e.notifications(t, "hsb-wjj"); len(n.Notifications) == 0 || n.Notifications[0].Kind != "countersign" {
			t.Errorf("the other agency's messages: %+v", n)
		}
		r := e.as(t, "hsb-wjj", "POST", transitions, map[string]string{"event": "disagree"})
		if r.Status != 400 || !strings.Contains(r.ErrorMessage(t), "意见") {
			t.Errorf("不同意 without an opinion: %d %s", r.Status, r.Body)
		}
		e.fire(t, "hsb-wjj", id, "disagree", "该事项由卫健局独立实施，不同意共同实施", "returned")
		d = e.flow(t, "hsb-ybj", id)
		if d.Countersigns[0].Answer != "disagree" || d.Timeline[len(d.Timeline)-1].Comment != "该事项由卫健局独立实施，不同意共同实施" {
			t.Errorf("after 不同意: %+v", d)
		}
		if !slices.Contains(e.todo(t, "hsb-ybj"), id) || slices.Contains(e.todo(t, "hsb-wjj"), id) {
			t.Errorf("todo after 不同意: 医保局 %v, 卫健局 %v", e.todo(t, "hsb-ybj"), e.todo(t, "hsb-wjj"))
		}
		e.fire(t, "hsb-ybj", id, "submit", "", "countersign")
		if d := e.flow(t, "hsb-wjj", id); len(d.Countersigns) != 1 || d.Countersigns[0].Answer != "" {
			t.Errorf("a resubmission asks again: %+v", d.Countersigns)
		}
		e.fire(t, "hsb-wjj", id, "agree", "同意", "legal_review")
		e.must(t, http.StatusForbidden, "hsb-wjj", "POST", transitions, map[string]string{"event": "pass"})
		e.fire(t, "hsb-sfj", id, "pass", "", "approval")
	})
}

// TestProcessAuthorizationMatrix: under each configuration, who may fire
// each event in each state of it: the right reviewer 200, everyone else of
// the region 403 (or 409 where the state does not allow the event), other
// regions 404.
func TestProcessAuthorizationMatrix(t *testing.T) {
	everyone := []string{"hsb-ybj", "hsb-wjj", "hsb-sfj", "hsb-bb", "hsb-gov", "yt-ybj", "yt-sfj", "yt-bb", "yt-gov", "admin"}
	const ok, forbidden, notFound, conflict = 200, 403, 404, 409
	want := func(allowed string, others int) map[string]int {
		out := map[string]int{"yt-ybj": notFound, "yt-sfj": notFound, "yt-bb": notFound, "yt-gov": notFound, "hsb-wjj": notFound}
		for _, who := range everyone {
			if _, set := out[who]; !set {
				out[who] = others
			}
		}
		out[allowed] = ok
		return out
	}
	for _, cfg := range []struct {
		name    string
		setting map[string]any
		// path is who takes a new request where, in order.
		path [][2]string
		rows []struct {
			state, event string
			want         map[string]int
		}
	}{
		{"sequential", sequential, [][2]string{{"hsb-ybj", "submit"}, {"hsb-bb", "pass"}, {"hsb-sfj", "pass"}}, []struct {
			state, event string
			want         map[string]int
		}{
			{"staffing_review", "pass", want("hsb-bb", forbidden)},
			{"staffing_review", "return", want("hsb-bb", forbidden)},
			{"staffing_review", "reject", want("hsb-bb", forbidden)},
			{"staffing_review", "approve", want("", conflict)},
			{"legal_review", "pass", want("hsb-sfj", forbidden)},
			{"legal_review", "return", want("hsb-sfj", forbidden)},
		}},
		{"parallel", parallel, [][2]string{{"hsb-ybj", "submit"}}, []struct {
			state, event string
			want         map[string]int
		}{
			{"joint_review", "return", func() map[string]int { m := want("hsb-bb", forbidden); m["hsb-sfj"] = ok; return m }()},
			{"joint_review", "withdraw", want("hsb-ybj", forbidden)},
			{"joint_review", "approve", want("", conflict)},
		}},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				e := processEnv(t, db)
				e.setProcess(t, "admin", "640303", cfg.setting)
				n := 0
				setup := func(state string) int64 {
					n++
					id := e.draftWith(t, map[string]any{"op": "add", "item": map[string]any{"name": fmt.Sprintf("事项%d", n), "category": "行政检查", "basis": crBasis}})
					for _, step := range cfg.path {
						if e.flow(t, "admin", id).State == state {
							break
						}
						e.must(t, ok, step[0], "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", id), map[string]string{"event": step[1]})
					}
					if s := e.flow(t, "admin", id).State; s != state {
						t.Fatalf("setup reached %s, want %s", s, state)
					}
					return id
				}
				for _, row := range cfg.rows {
					shared := setup(row.state)
					for _, who := range everyone {
						id := shared
						if row.want[who] == ok {
							id = setup(row.state)
						}
						r := e.as(t, who, "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", id), map[string]string{"event": row.event, "comment": "意见"})
						if r.Status != row.want[who] {
							t.Errorf("%s %s by %s: %d, want %d: %s", row.state, row.event, who, r.Status, row.want[who], r.Body)
						}
					}
					if s := e.flow(t, "admin", shared).State; s != row.state {
						t.Errorf("a refused call moved the request to %s", s)
					}
				}
			})
		})
	}
}
