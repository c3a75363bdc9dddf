package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// crUsers are the people of the change-request tests: the demo accounts
// plus a second submitter and a second legal reviewer of 红寺堡区.
var crUsers = []string{"hsb-ybj", "hsb-ybj2", "hsb-sfj", "hsb-sfj2", "hsb-gov", "yt-ybj", "yt-sfj", "yt-gov", "admin", "hsb-admin", "nx-admin", "yt-admin"}

// seedCRUsers creates the demo accounts and the extra ones.
func seedCRUsers(t testing.TB, a *auth.Service, store *models.Store, hsbList int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := a.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	l, err := store.List(ctx, hsbList)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []auth.NewUser{
		{Username: "hsb-ybj2", DisplayName: "红寺堡区医疗保障局 经办人二", Role: models.RoleSubmitter, AgencyID: &l.AgencyID, Password: auth.DemoPassword},
		{Username: "hsb-sfj2", DisplayName: "红寺堡区司法局 审查员二", Role: models.RoleLegalReviewer, RegionCode: "640303", Password: auth.DemoPassword},
		// Region administrators: of 红寺堡区, of 宁夏 (above it), of 于田县 (elsewhere).
		{Username: "hsb-admin", DisplayName: "红寺堡区 区域管理员", Role: models.RoleRegionAdmin, RegionCode: "640303", Password: auth.DemoPassword},
		{Username: "nx-admin", DisplayName: "宁夏 区域管理员", Role: models.RoleRegionAdmin, RegionCode: "640000", Password: auth.DemoPassword},
		{Username: "yt-admin", DisplayName: "于田县 区域管理员", Role: models.RoleRegionAdmin, RegionCode: "653226", Password: auth.DemoPassword},
	} {
		if _, err := a.AddDemoUser(ctx, auth.Actor{Name: "test"}, u); err != nil {
			t.Fatal(err)
		}
	}
}

// crEnv is a router on a database with both seed lists and everyone logged in.
type crEnv struct {
	h       http.Handler
	store   *models.Store
	hsb, yt int64
	token   map[string]string // "" for an anonymous caller
}

func newCREnv(t *testing.T, db *gorm.DB) *crEnv { return newCREnvWith(t, db, api.Options{}) }

// newCREnvWith is newCREnv with router options (a clock, say); store and auth are its own.
func newCREnvWith(t *testing.T, db *gorm.DB, o api.Options) *crEnv {
	t.Helper()
	store := models.NewStore(db)
	lists := importSeeds(t, store)
	a := auth.New(store, auth.Config{HashCost: bcrypt.MinCost})
	seedCRUsers(t, a, store, lists[0])
	o.Store, o.Auth = store, a
	env := &crEnv{h: api.NewRouter(o), store: store, hsb: lists[0], yt: lists[1],
		token: map[string]string{"anonymous": ""}}
	for _, u := range crUsers {
		_, env.token[u] = loginAs(t, env.h, u)
	}
	return env
}

// as sends a request as a user ("anonymous" for none).
func (e *crEnv) as(t testing.TB, who, method, path string, body any) response {
	t.Helper()
	token, ok := e.token[who]
	if !ok {
		t.Fatalf("no user %s", who)
	}
	return call(t, e.h, method, path, body, token)
}

// must sends a request and fails the test unless it answers the status.
func (e *crEnv) must(t testing.TB, status int, who, method, path string, body any) response {
	t.Helper()
	r := e.as(t, who, method, path, body)
	if r.Status != status {
		t.Fatalf("%s %s %s: %d, want %d: %s", who, method, path, r.Status, status, r.Body)
	}
	return r
}

type crBody struct {
	ID               int64  `json:"id"`
	State            string `json:"state"`
	BaseVersion      int    `json:"base_version"`
	PublishedVersion *int   `json:"published_version"`
	ListVersion      int    `json:"list_version"`
	Operations       []struct {
		ID      int64 `json:"id"`
		Op      string
		Preview struct {
			Before  *models.ItemFields `json:"before"`
			After   *models.ItemFields `json:"after"`
			Changed []string           `json:"changed"`
		} `json:"preview"`
	} `json:"operations"`
	Conflicts []struct {
		ItemID int64  `json:"item_id"`
		Name   string `json:"name"`
	} `json:"conflicts"`
	Timeline []struct {
		Event string `json:"event"`
		Actor struct {
			DisplayName string `json:"display_name"`
		} `json:"actor"`
		Comment string `json:"comment"`
	} `json:"timeline"`
	AllowedEvents []string `json:"allowed_events"`
}

func decodeCR(t testing.TB, r response) crBody {
	t.Helper()
	var b crBody
	r.JSON(t, &b)
	return b
}

// create drafts a request on a list.
func (e *crEnv) create(t testing.TB, who string, listID int64) int64 {
	t.Helper()
	r := e.must(t, http.StatusCreated, who, "POST", "/api/v1/change-requests",
		map[string]any{"list_id": listID, "title": "医疗保障权力事项调整", "reason": "机构改革后职责调整"})
	b := decodeCR(t, r)
	if b.State != "draft" {
		t.Fatalf("new request: %s", r.Body)
	}
	return b.ID
}

// withMaterials is op over defaults, with the materials its type needs to
// be submitted when op gives none (the tests of materials post directly).
func withMaterials(defaults, op map[string]any) map[string]any {
	body := defaults
	switch op["op"] {
	case "remove", "delegate":
		body["supervision"] = crSupervision
	case "include":
		body["takeover_plan"] = crTakeoverPlan
	}
	for k, v := range op {
		body[k] = v
	}
	return body
}

const (
	crSupervision  = "纳入“双随机、一公开”监管，发现违法行为依法查处"
	crTakeoverPlan = "由本局基金监管科承接，一个月内完成人员培训"
)

const crBasis = "【行政法规】《医疗保障基金使用监督管理条例》（2021年国务院令第735号）第四十一条"

// addOp adds an operation with a reason and basis; returns its id.
func (e *crEnv) addOp(t testing.TB, who string, id int64, op map[string]any) int64 {
	t.Helper()
	body := withMaterials(map[string]any{"reason": "依据条例调整", "basis": crBasis}, op)
	r := e.must(t, http.StatusCreated, who, "POST", fmt.Sprintf("/api/v1/change-requests/%d/operations", id), body)
	var out struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &out)
	return out.ID
}

// fire runs an event and checks the new state.
func (e *crEnv) fire(t testing.TB, who string, id int64, event, comment, state string) crBody {
	t.Helper()
	r := e.must(t, http.StatusOK, who, "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", id),
		map[string]string{"event": event, "comment": comment})
	b := decodeCR(t, r)
	if b.State != state {
		t.Fatalf("%s by %s: state %s, want %s", event, who, b.State, state)
	}
	return b
}

// region is the prefix of a list's people: hsb or yt.
func (e *crEnv) region(listID int64) string {
	if listID == e.yt {
		return "yt"
	}
	return "hsb"
}

// toState takes a new request on a list with one operation to a state by the right people.
func (e *crEnv) toState(t testing.TB, listID int64, state string, op map[string]any) int64 {
	t.Helper()
	p := e.region(listID)
	id := e.create(t, p+"-ybj", listID)
	e.addOp(t, p+"-ybj", id, op)
	path := []struct{ who, event, state string }{
		{p + "-ybj", "submit", "legal_review"}, {p + "-sfj", "pass", "approval"}, {p + "-gov", "approve", "approved"}, {p + "-gov", "publish", "published"},
	}
	if state == "returned" {
		e.fire(t, p+"-ybj", id, "submit", "", "legal_review")
		e.fire(t, p+"-sfj", id, "return", "请修改", "returned")
		return id
	}
	for _, s := range path {
		if state == "draft" {
			break
		}
		e.fire(t, s.who, id, s.event, "", s.state)
		if s.state == state {
			break
		}
	}
	return id
}

type listItem struct {
	ID       int64  `json:"id"`
	Seq      int    `json:"seq"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Category string `json:"category"`
	Content  string `json:"content"`
	Duty     string `json:"duty"`
	Note     string `json:"note"`
}

// items reads a version of a list ("" = current) through the public API.
func (e *crEnv) items(t testing.TB, listID int64, version string) (int, []listItem) {
	t.Helper()
	path := fmt.Sprintf("/api/v1/lists/%d/items", listID)
	if version != "" {
		path += "?version=" + version
	}
	r := e.must(t, http.StatusOK, "anonymous", "GET", path, nil)
	var b struct {
		Version int        `json:"version"`
		Items   []listItem `json:"items"`
	}
	r.JSON(t, &b)
	return b.Version, b.Items
}

func findItem(items []listItem, name string) (listItem, bool) {
	i := slices.IndexFunc(items, func(it listItem) bool { return strings.HasPrefix(it.Name, name) })
	if i < 0 {
		return listItem{}, false
	}
	return items[i], true
}

func (e *crEnv) itemID(t testing.TB, listID int64, name string) int64 {
	t.Helper()
	_, items := e.items(t, listID, "")
	it, ok := findItem(items, name)
	if !ok {
		t.Fatalf("list %d has no item %s", listID, name)
	}
	return it.ID
}

// TestChangeRequestWholePath: on both seed lists, a request of every
// operation type goes from draft to published through the API by the right
// people, and the public list shows each new version with its note.
func TestChangeRequestWholePath(t *testing.T) {
	type opCase struct {
		op      string
		target  string         // the item the operation works on (modify, recategorize, remove)
		body    map[string]any // item and source
		name    string         // the item in the new version; "" = gone
		note    string
		changed []string
	}
	hsb := []opCase{
		{op: "add", body: map[string]any{"item": map[string]any{"name": "对定点医药机构违反服务协议行为的处理", "category": "行政处罚",
			"code": "0247011000", "department": "医疗保障行政部门", "level": "县级", "basis": crBasis}},
			name: "对定点医药机构违反服务协议行为的处理", note: "增加", changed: []string{"code", "name", "category", "department", "basis", "level"}},
		{op: "include", body: map[string]any{"source": "宁夏回族自治区医疗保障局权力事项目录", "item": map[string]any{
			"name": "对医疗保障定点医药机构的监督检查", "category": "行政检查", "code": "0647007000", "basis": crBasis}},
			name: "对医疗保障定点医药机构的监督检查", note: "列入", changed: []string{"code", "name", "category", "basis"}},
		{op: "modify", target: "社会保险稽核", body: map[string]any{"item": map[string]any{"content": "负责本区域医疗保险、生育保险稽核"}},
			name: "社会保险稽核", note: "调整", changed: []string{"content"}},
		{op: "recategorize", target: "社会保险登记、申报核定", body: map[string]any{"item": map[string]any{"category": "行政确认", "code": "0747001000"}},
			name: "社会保险登记、申报核定", note: "由其他类别“社会保险登记、申报核定(仅指医疗保险、生育保险)”（1047002000）改为行政确认",
			changed: []string{"code", "category"}}, // first of its new category: seq stays 1
		{op: "remove", target: "社保关系转移接续", body: map[string]any{}, changed: []string{}},
	}
	yt := []opCase{
		{op: "add", body: map[string]any{"item": map[string]any{"name": "对医疗保障定点医药机构的监督检查", "category": "行政检查",
			"duty": "负责本县定点医药机构的监督检查", "basis": crBasis}},
			name: "对医疗保障定点医药机构的监督检查", note: "增加", changed: []string{"name", "category", "basis", "duty"}},
		{op: "include", body: map[string]any{"source": "新疆维吾尔自治区医疗保障权责清单通用目录", "item": map[string]any{
			"name": "参保人员异地就医备案确认", "category": "行政确认", "basis": crBasis}},
			name: "参保人员异地就医备案确认", note: "列入", changed: []string{"name", "category", "basis"}},
		{op: "modify", target: "医疗保险稽核", body: map[string]any{"item": map[string]any{"duty": "负责县级医疗保险稽核"}},
			name: "医疗保险稽核", note: "调整", changed: []string{"duty"}},
		{op: "recategorize", target: "医疗救助对象确认", body: map[string]any{"item": map[string]any{"category": "行政给付"}},
			name: "医疗救助对象确认", note: "由其他类别“医疗救助对象确认”改为行政给付", changed: []string{"category"}},
		{op: "remove", target: "对医疗救助的监督检查", body: map[string]any{}, changed: []string{}},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		for _, l := range []struct {
			id  int64
			ops []opCase
		}{{e.hsb, hsb}, {e.yt, yt}} {
			p := e.region(l.id)
			for _, oc := range l.ops {
				t.Run(p+" "+oc.op, func(t *testing.T) {
					before, oldItems := e.items(t, l.id, "")
					id := e.create(t, p+"-ybj", l.id)
					body := map[string]any{"op": oc.op}
					for k, v := range oc.body {
						body[k] = v
					}
					if oc.target != "" {
						body["item_id"] = e.itemID(t, l.id, oc.target)
					}
					e.addOp(t, p+"-ybj", id, body)
					d := decodeCR(t, e.must(t, http.StatusOK, p+"-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil))
					if len(d.Operations) != 1 || !slices.Equal(d.Operations[0].Preview.Changed, oc.changed) {
						t.Errorf("preview changed = %+v, want %v", d.Operations, oc.changed)
					}
					if !slices.Equal(d.AllowedEvents, []string{"cancel", "submit"}) {
						t.Errorf("submitter may %v", d.AllowedEvents)
					}
					e.fire(t, p+"-ybj", id, "submit", "", "legal_review")
					e.fire(t, p+"-sfj", id, "pass", "合法性审查通过", "approval")
					e.fire(t, p+"-gov", id, "approve", "同意", "approved")
					done := e.fire(t, p+"-gov", id, "publish", "", "published")
					if done.PublishedVersion == nil || *done.PublishedVersion != before+1 || len(done.Timeline) != 5 {
						t.Fatalf("published request: %+v", done)
					}

					after, items := e.items(t, l.id, "")
					if after != before+1 {
						t.Fatalf("list version %d after publishing on %d", after, before)
					}
					if oc.name == "" {
						if _, ok := findItem(items, oc.target); ok || len(items) != len(oldItems)-1 {
							t.Errorf("%s is still in version %d", oc.target, after)
						}
						_, old := e.items(t, l.id, fmt.Sprint(before))
						if _, ok := findItem(old, oc.target); !ok {
							t.Errorf("%s vanished from version %d too", oc.target, before)
						}
						return
					}
					it, ok := findItem(items, oc.name)
					if !ok {
						t.Fatalf("version %d lacks %s", after, oc.name)
					}
					if it.Note != oc.note {
						t.Errorf("note = %q, want %q", it.Note, oc.note)
					}
				})
			}
		}
	})
}

// TestChangeRequestPublishConflict: a request whose item another publication
// changed answers 409 naming the item, and nothing moves; the approver
// returns it, the submitter rebases it, and it publishes.
func TestChangeRequestPublishConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		target := e.itemID(t, e.hsb, "社会保险稽核")
		first := e.toState(t, e.hsb, "approved", map[string]any{"op": "modify", "item_id": target, "item": map[string]any{"content": "甲"}})
		second := e.toState(t, e.hsb, "approved", map[string]any{"op": "modify", "item_id": target, "item": map[string]any{"level": "区级"}})
		e.fire(t, "hsb-gov", first, "publish", "", "published")

		r := e.must(t, http.StatusConflict, "hsb-gov", "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", second), map[string]string{"event": "publish"})
		var conflict struct {
			Error struct {
				Message string `json:"message"`
				Details struct {
					Items []struct {
						ItemID int64  `json:"item_id"`
						Name   string `json:"name"`
					} `json:"items"`
				} `json:"details"`
			} `json:"error"`
		}
		r.JSON(t, &conflict)
		if len(conflict.Error.Details.Items) != 1 || conflict.Error.Details.Items[0].ItemID != target ||
			!strings.Contains(conflict.Error.Message, "社会保险稽核") {
			t.Errorf("conflict: %s", r.Body)
		}
		if v, _ := e.items(t, e.hsb, ""); v != 2 {
			t.Errorf("list at version %d after a refused publication", v)
		}
		d := decodeCR(t, e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", second), nil))
		if d.State != "approved" || d.ListVersion != 2 || d.BaseVersion != 1 || len(d.Conflicts) != 1 {
			t.Errorf("request after the conflict: %+v", d)
		}

		e.must(t, http.StatusConflict, "hsb-ybj", "POST", fmt.Sprintf("/api/v1/change-requests/%d/rebase", second), nil)
		e.fire(t, "hsb-gov", second, "return", "清单已更新，请更新基准版本", "returned")
		d = decodeCR(t, e.must(t, http.StatusOK, "hsb-ybj", "POST", fmt.Sprintf("/api/v1/change-requests/%d/rebase", second), nil))
		if d.BaseVersion != 2 || len(d.Conflicts) != 0 || d.Operations[0].Preview.Before.Content != "甲" {
			t.Errorf("rebased request: %+v", d)
		}
		e.fire(t, "hsb-ybj", second, "submit", "", "legal_review")
		e.fire(t, "hsb-sfj", second, "pass", "", "approval")
		e.fire(t, "hsb-gov", second, "approve", "", "approved")
		e.fire(t, "hsb-gov", second, "publish", "", "published")
		_, items := e.items(t, e.hsb, "3")
		if it, _ := findItem(items, "社会保险稽核"); it.Content != "甲" {
			t.Errorf("version 3 lost the first change: %+v", it)
		}
	})
}

// TestChangeRequestAuthorizationMatrix: every change-request route, for every
// role, on a request of one's own agency or region or of another's: allowed,
// 401, 403, 404 or 409. Each allowed call gets a request of its own; the
// refused ones share one, which must come out unchanged.
func TestChangeRequestAuthorizationMatrix(t *testing.T) {
	// A region administrator administers people and agencies, not requests: they see none.
	everyone := []string{"anonymous", "hsb-ybj", "yt-ybj", "hsb-sfj", "yt-sfj", "hsb-gov", "yt-gov", "admin", "hsb-admin"}
	// statuses builds a row's expectations: who is not named gets other.
	statuses := func(other int, named map[string]int) map[string]int {
		out := map[string]int{"anonymous": http.StatusUnauthorized}
		for _, who := range everyone[1:] {
			out[who] = other
		}
		for who, s := range named {
			out[who] = s
		}
		return out
	}
	const ok, created, noContent, forbidden, notFound, conflict = 200, 201, 204, 403, 404, 409
	// Who sees a draft (its agency, admins) and a submitted request (also the region's reviewers and approvers).
	draft := func(submitter, admin int) map[string]int {
		return statuses(notFound, map[string]int{"hsb-ybj": submitter, "admin": admin})
	}
	submitted := func(submitter, reviewer, approver, admin int) map[string]int {
		return statuses(notFound, map[string]int{"hsb-ybj": submitter, "hsb-sfj": reviewer, "hsb-gov": approver, "admin": admin})
	}
	editSubmitted := submitted(conflict, forbidden, forbidden, forbidden)
	transition := func(event string) map[string]any { return map[string]any{"event": event, "comment": "意见"} }
	addBody := map[string]any{"op": "add", "reason": "新增", "basis": crBasis, "item": map[string]any{"name": "新事项", "category": "行政检查", "basis": crBasis}}
	editBody := map[string]any{"reason": "改写理由"}

	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		rows := []struct {
			name, state, method, path string
			body                      any
			want                      map[string]int
		}{
			{"create on the Hongsibu list", "", "POST", "/api/v1/change-requests", map[string]any{"list_id": e.hsb, "title": "t"},
				statuses(forbidden, map[string]int{"hsb-ybj": created})},
			{"create on the Yutian list", "", "POST", "/api/v1/change-requests", map[string]any{"list_id": e.yt, "title": "t"},
				statuses(forbidden, map[string]int{"yt-ybj": created})},
			{"list", "", "GET", "/api/v1/change-requests", nil, statuses(ok, nil)},
			{"read a draft", "draft", "GET", "/api/v1/change-requests/{id}", nil, draft(ok, ok)},
			{"read a submitted request", "legal_review", "GET", "/api/v1/change-requests/{id}", nil, submitted(ok, ok, ok, ok)},
			{"edit a draft", "draft", "PATCH", "/api/v1/change-requests/{id}", map[string]any{"title": "新标题"}, draft(ok, forbidden)},
			{"edit a submitted request", "legal_review", "PATCH", "/api/v1/change-requests/{id}", map[string]any{"title": "新标题"}, editSubmitted},
			{"add an operation to a draft", "draft", "POST", "/api/v1/change-requests/{id}/operations", addBody, draft(created, forbidden)},
			{"add an operation to a submitted request", "legal_review", "POST", "/api/v1/change-requests/{id}/operations", addBody, editSubmitted},
			{"edit an operation of a draft", "draft", "PATCH", "/api/v1/change-requests/{id}/operations/{op}", editBody, draft(ok, forbidden)},
			{"edit an operation of a submitted request", "legal_review", "PATCH", "/api/v1/change-requests/{id}/operations/{op}", editBody, editSubmitted},
			{"edit an operation of a returned request", "returned", "PATCH", "/api/v1/change-requests/{id}/operations/{op}", editBody, submitted(ok, forbidden, forbidden, forbidden)},
			{"delete a draft never submitted", "draft", "DELETE", "/api/v1/change-requests/{id}", nil, draft(noContent, forbidden)},
			{"delete a submitted request", "legal_review", "DELETE", "/api/v1/change-requests/{id}", nil, submitted(conflict, forbidden, forbidden, forbidden)},
			{"delete a returned request", "returned", "DELETE", "/api/v1/change-requests/{id}", nil, submitted(conflict, forbidden, forbidden, forbidden)},
			{"include candidates of a draft", "draft", "GET", "/api/v1/change-requests/{id}/include-candidates?q=医疗", nil, draft(ok, forbidden)},
			{"include candidates of a submitted request", "legal_review", "GET", "/api/v1/change-requests/{id}/include-candidates?q=医疗", nil, editSubmitted},
			{"counts", "", "GET", "/api/v1/change-requests/counts", nil, statuses(ok, nil)},
			{"delete an operation of a draft", "draft", "DELETE", "/api/v1/change-requests/{id}/operations/{op}", nil, draft(noContent, forbidden)},
			{"delete an operation of a submitted request", "legal_review", "DELETE", "/api/v1/change-requests/{id}/operations/{op}", nil, editSubmitted},
			{"rebase a draft", "draft", "POST", "/api/v1/change-requests/{id}/rebase", nil, draft(ok, forbidden)},
			{"rebase a submitted request", "legal_review", "POST", "/api/v1/change-requests/{id}/rebase", nil, editSubmitted},
			{"submit", "draft", "POST", "/api/v1/change-requests/{id}/transitions", transition("submit"), draft(ok, forbidden)},
			{"withdraw a draft", "draft", "POST", "/api/v1/change-requests/{id}/transitions", transition("withdraw"), draft(conflict, conflict)},
			{"cancel a draft", "draft", "POST", "/api/v1/change-requests/{id}/transitions", transition("cancel"), draft(ok, forbidden)},
			{"cancel a returned request", "returned", "POST", "/api/v1/change-requests/{id}/transitions", transition("cancel"), submitted(ok, forbidden, forbidden, forbidden)},
			{"cancel in legal review", "legal_review", "POST", "/api/v1/change-requests/{id}/transitions", transition("cancel"), submitted(conflict, conflict, conflict, conflict)},
			{"pass", "legal_review", "POST", "/api/v1/change-requests/{id}/transitions", transition("pass"), submitted(forbidden, ok, forbidden, forbidden)},
			{"return in legal review", "legal_review", "POST", "/api/v1/change-requests/{id}/transitions", transition("return"), submitted(forbidden, ok, forbidden, forbidden)},
			{"reject in legal review", "legal_review", "POST", "/api/v1/change-requests/{id}/transitions", transition("reject"), submitted(forbidden, ok, forbidden, forbidden)},
			{"withdraw in legal review", "legal_review", "POST", "/api/v1/change-requests/{id}/transitions", transition("withdraw"), submitted(ok, forbidden, forbidden, forbidden)},
			{"approve in legal review", "legal_review", "POST", "/api/v1/change-requests/{id}/transitions", transition("approve"), submitted(conflict, conflict, conflict, conflict)},
			{"approve", "approval", "POST", "/api/v1/change-requests/{id}/transitions", transition("approve"), submitted(forbidden, forbidden, ok, forbidden)},
			{"return in approval", "approval", "POST", "/api/v1/change-requests/{id}/transitions", transition("return"), submitted(forbidden, forbidden, ok, forbidden)},
			{"reject in approval", "approval", "POST", "/api/v1/change-requests/{id}/transitions", transition("reject"), submitted(forbidden, forbidden, ok, forbidden)},
			{"withdraw in approval", "approval", "POST", "/api/v1/change-requests/{id}/transitions", transition("withdraw"), submitted(ok, forbidden, forbidden, forbidden)},
			{"publish", "approved", "POST", "/api/v1/change-requests/{id}/transitions", transition("publish"), submitted(forbidden, forbidden, ok, forbidden)},
			{"return when approved", "approved", "POST", "/api/v1/change-requests/{id}/transitions", transition("return"), submitted(forbidden, forbidden, ok, forbidden)},
			{"withdraw when approved", "approved", "POST", "/api/v1/change-requests/{id}/transitions", transition("withdraw"), submitted(conflict, conflict, conflict, conflict)},
			{"pass a published request", "published", "POST", "/api/v1/change-requests/{id}/transitions", transition("pass"), submitted(conflict, conflict, conflict, conflict)},
		}
		n := 0
		setup := func(state string) (id, op int64) {
			if state == "" {
				return 0, 0
			}
			n++
			id = e.toState(t, e.hsb, state, map[string]any{"op": "add", "item": map[string]any{"name": fmt.Sprintf("事项%d", n), "category": "行政检查", "basis": crBasis}})
			d := decodeCR(t, e.must(t, ok, "admin", "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil))
			return id, d.Operations[0].ID
		}
		version := func(id int64) int {
			var cr models.ChangeRequest
			if err := db.Where("id = ?", id).Take(&cr).Error; err != nil {
				t.Fatal(err)
			}
			return cr.Version
		}
		for _, row := range rows {
			t.Run(row.name, func(t *testing.T) {
				shared, sharedOp := setup(row.state)
				var sharedVersion int
				if shared != 0 {
					sharedVersion = version(shared)
				}
				for _, who := range everyone {
					want := row.want[who]
					id, op := shared, sharedOp
					if want < 300 && row.method != "GET" {
						id, op = setup(row.state)
					}
					path := strings.NewReplacer("{id}", fmt.Sprint(id), "{op}", fmt.Sprint(op)).Replace(row.path)
					if r := e.as(t, who, row.method, path, row.body); r.Status != want {
						t.Errorf("%s: %d, want %d: %s", who, r.Status, want, r.Body)
					}
				}
				if shared != 0 && version(shared) != sharedVersion {
					t.Errorf("a refused call changed the request")
				}
			})
		}
	})
}

// TestChangeRequestBadInput: wrong input answers 4xx with a message naming
// the field (also in details.field), never a 500.
func TestChangeRequestBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		draft := e.toState(t, e.hsb, "draft", map[string]any{"op": "add", "item": map[string]any{"name": "新事项", "category": "行政检查", "basis": crBasis}})
		review := e.toState(t, e.hsb, "legal_review", map[string]any{"op": "add", "item": map[string]any{"name": "新事项", "category": "行政检查", "basis": crBasis}})
		ops := fmt.Sprintf("/api/v1/change-requests/%d/operations", draft)
		transitions := func(id int64) string { return fmt.Sprintf("/api/v1/change-requests/%d/transitions", id) }
		for _, tc := range []struct {
			name, who, method, path string
			body                    any
			status                  int
			field, msg              string
		}{
			{"create without a title", "hsb-ybj", "POST", "/api/v1/change-requests", map[string]any{"list_id": e.hsb}, 400, "title", "标题不能为空"},
			{"create without a list", "hsb-ybj", "POST", "/api/v1/change-requests", map[string]any{"title": "t"}, 400, "list_id", "清单"},
			{"create on no list", "hsb-ybj", "POST", "/api/v1/change-requests", map[string]any{"list_id": 9999, "title": "t"}, 404, "", "清单 9999 不存在"},
			{"create with a body that is not JSON", "hsb-ybj", "POST", "/api/v1/change-requests", "list_id=1", 400, "", "JSON"},
			{"list by an unknown state", "hsb-ybj", "GET", "/api/v1/change-requests?state=open", nil, 400, "state", "open"},
			{"list by a bad list id", "hsb-ybj", "GET", "/api/v1/change-requests?list_id=x", nil, 400, "", "list_id"},
			{"read a bad id", "hsb-ybj", "GET", "/api/v1/change-requests/abc", nil, 400, "", "id"},
			{"read no request", "admin", "GET", "/api/v1/change-requests/9999", nil, 404, "", "9999"},
			{"operation with a code of another type", "hsb-ybj", "POST", ops, map[string]any{"op": "add", "reason": "r", "basis": crBasis,
				"item": map[string]any{"name": "新处罚", "category": "行政处罚", "code": "0647009000", "basis": crBasis}}, 400, "item.code", "类型位“06”"},
			{"new item without its legal basis", "hsb-ybj", "POST", ops, map[string]any{"op": "add", "reason": "r", "basis": crBasis,
				"item": map[string]any{"name": "新处罚", "category": "行政处罚"}}, 400, "item.basis", "须填写职权依据"},
			{"new item whose legal basis cites no instrument", "hsb-ybj", "POST", ops, map[string]any{"op": "add", "reason": "r", "basis": crBasis,
				"item": map[string]any{"name": "新处罚", "category": "行政处罚", "basis": "依据有关规定"}}, 400, "item.basis", "《名称》"},
			{"operation with an item_id that is not a number", "hsb-ybj", "POST", ops, map[string]any{"op": "remove", "item_id": "甲"}, 400, "item_id", "类型不正确"},
			{"operation with an item that is not an object", "hsb-ybj", "POST", ops, map[string]any{"op": "add", "reason": "r", "basis": crBasis, "item": []int{1}}, 400, "item", "JSON 对象"},
			{"delete no operation", "hsb-ybj", "DELETE", ops + "/9999", nil, 404, "", "9999"},
			{"return without an opinion", "hsb-sfj", "POST", transitions(review), map[string]any{"event": "return"}, 400, "comment", "意见"},
			{"unknown event", "hsb-sfj", "POST", transitions(review), map[string]any{"event": "merge"}, 400, "event", "merge"},
		} {
			r := e.as(t, tc.who, tc.method, tc.path, tc.body)
			msg, field := errorField(t, r)
			if r.Status != tc.status || field != tc.field || !strings.Contains(msg, tc.msg) {
				t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
			}
		}

		r := e.as(t, "hsb-gov", "POST", transitions(review), map[string]any{"event": "approve"})
		var b struct {
			Error struct {
				Message string `json:"message"`
				Details struct {
					State         string   `json:"state"`
					AllowedEvents []string `json:"allowed_events"`
				} `json:"details"`
			} `json:"error"`
		}
		r.JSON(t, &b)
		if r.Status != http.StatusConflict || b.Error.Details.State != "legal_review" ||
			!slices.Equal(b.Error.Details.AllowedEvents, []string{"pass", "reject", "return", "withdraw"}) ||
			!strings.Contains(b.Error.Message, "审查通过（pass）") {
			t.Errorf("event the state does not allow: %d %s", r.Status, r.Body)
		}
	})
}
