package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// Request bodies: whatever arrives, a JSON endpoint answers a 4xx with a
// {"error":{"code","message"}} body the user can act on — never a 500.

// bodyEnv is a router with the seeds, the demo accounts logged in, and two
// drafts: one to edit, one to fire transitions at.
type bodyEnv struct {
	engine *gin.Engine
	tokens []string // "" (anonymous), then the tokens of bodyUsers
	draft  int64
	moving int64
	listID int64
}

var bodyUsers = []string{"hsb-ybj", "hsb-sfj", "hsb-gov", "admin"}

// fuzzTarget is the account routes with a :username act on, so fuzzing
// never locks out or disables the accounts it logs in with.
const fuzzTarget = "fuzz-target"

func newBodyEnv(t testing.TB, db *gorm.DB) *bodyEnv {
	t.Helper()
	ctx := context.Background()
	store := models.NewStore(db)
	lists := importSeeds(t, store)
	a := auth.New(store, auth.Config{HashCost: bcrypt.MinCost})
	if _, err := a.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddDemoUser(ctx, auth.Actor{Name: "test"}, auth.NewUser{Username: fuzzTarget, DisplayName: "被测账号",
		Role: models.RoleApprover, RegionCode: "640303", Password: auth.DemoPassword}); err != nil {
		t.Fatal(err)
	}
	e := &bodyEnv{engine: api.NewRouter(api.Options{Store: store, Auth: a}), tokens: []string{""}, listID: lists[0]}
	for _, u := range bodyUsers {
		r := call(t, e.engine, "POST", "/api/v1/auth/login", map[string]string{"username": u, "password": auth.DemoPassword}, "")
		var l struct{ Token string }
		r.JSON(t, &l)
		if r.Status != http.StatusOK || l.Token == "" {
			t.Fatalf("login %s: %d %s", u, r.Status, r.Body)
		}
		e.tokens = append(e.tokens, l.Token)
	}
	for _, id := range []*int64{&e.draft, &e.moving} {
		r := call(t, e.engine, "POST", "/api/v1/change-requests", map[string]any{"list_id": e.listID, "title": "调整事项", "reason": "法律修订"}, e.tokens[1])
		var cr struct{ ID int64 }
		r.JSON(t, &cr)
		if r.Status != http.StatusCreated {
			t.Fatalf("create draft: %d %s", r.Status, r.Body)
		}
		*id = cr.ID
	}
	return e
}

// bodyRoutes are the routes that read a body: every POST, PUT and PATCH of
// the router, so a new endpoint is fuzzed without anyone remembering to.
func bodyRoutes(e *gin.Engine) []gin.RouteInfo {
	var out []gin.RouteInfo
	for _, r := range e.Routes() {
		if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b gin.RouteInfo) int { return strings.Compare(a.Method+a.Path, b.Method+b.Path) })
	return out
}

// path fills a route's parameters: id, when given, for every numeric one.
func (e *bodyEnv) path(r gin.RouteInfo, id string) string {
	var parts []string
	for _, p := range strings.Split(r.Path, "/") {
		switch {
		case p == ":username":
			p = fuzzTarget
		case strings.HasPrefix(p, ":") && id != "":
			p = id
		case p == ":id" && strings.Contains(r.Path, "/transitions"):
			p = fmt.Sprint(e.moving)
		case p == ":id":
			p = fmt.Sprint(e.draft)
		case strings.HasPrefix(p, ":"):
			p = "1"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "/")
}

// send posts raw bytes as a JSON body.
func (e *bodyEnv) send(method, path string, body []byte, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.engine.ServeHTTP(rec, req)
	return rec
}

// checkAnswer fails on a 5xx and on an error body that is not exactly
// {"error":{"code","message"[,"details"]}} with both filled in.
func checkAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s: %d %s", what, rec.Code, rec.Body)
	}
	if rec.Code < 400 {
		return
	}
	var body struct {
		Error *struct {
			Code    string          `json:"code"`
			Message string          `json:"message"`
			Details json.RawMessage `json:"details"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || body.Error == nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("%s: %d with body %q (err %v), want {\"error\":{\"code\",\"message\"}}", what, rec.Code, rec.Body, err)
	}
}

// FuzzJSONEndpoints sends arbitrary bodies, as any of the users, with any
// path id, to every route that reads a body — on PostgreSQL and SQLite.
// Every input costs database round trips, so the fuzzer's minimisation of a
// new input (up to a minute by default) shows as 0 execs/sec for a while;
// -fuzzminimizetime=100x shortens it.
func FuzzJSONEndpoints(f *testing.F) {
	for i, route := range []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8} {
		f.Add(route, uint8(i), "", []byte(`{}`))
	}
	f.Add(uint8(3), uint8(1), "", []byte(`{"list_id":1,"title":"调整","reason":"修法"}`))
	f.Add(uint8(0), uint8(0), "", []byte(`{"username":"admin","password":"x"}`))
	envs := []*bodyEnv{newBodyEnv(f, dbtest.Open(f, "postgres")), newBodyEnv(f, dbtest.Open(f, "sqlite"))}
	routes := bodyRoutes(envs[0].engine)
	f.Fuzz(func(t *testing.T, route, who uint8, id string, body []byte) {
		r := routes[int(route)%len(routes)]
		for i, e := range envs {
			path := e.path(r, url.PathEscape(id))
			rec := e.send(r.Method, path, body, e.tokens[int(who)%len(e.tokens)])
			checkAnswer(t, fmt.Sprintf("%s %s on %s, body %q", r.Method, path, dbtest.Engines[i], body), rec)
		}
	})
}

func TestFuzzedRoutesAreTheBodyRoutes(t *testing.T) {
	var got []string
	for _, r := range bodyRoutes(api.NewRouter(api.Options{Store: models.NewStore(dbtest.Open(t, "sqlite"))})) {
		got = append(got, r.Method+" "+r.Path)
	}
	for _, want := range []string{"POST /api/v1/auth/login", "POST /api/v1/change-requests", "PATCH /api/v1/change-requests/:id",
		"POST /api/v1/change-requests/:id/operations", "POST /api/v1/change-requests/:id/transitions", "POST /api/v1/users",
		"PUT /api/v1/users/:username/password"} {
		if !slices.Contains(got, want) {
			t.Errorf("%s is not fuzzed; fuzzed: %v", want, got)
		}
	}
}

// TestBadBodiesAnswer4xx: each way a body or a path id can be wrong gets its
// status and a message that says what is wrong.
func TestBadBodiesAnswer4xx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newBodyEnv(t, db)
		submitter, admin := e.tokens[1], e.tokens[4]
		crs := "/api/v1/change-requests"
		draft := fmt.Sprintf("%s/%d", crs, e.draft)
		tests := []struct {
			name, method, path, body, token string
			status                          int
			message                         string
		}{
			{"empty", "POST", crs, "", submitter, 400, "请求体为空"},
			{"blank", "PATCH", draft, " \n", submitter, 400, "请求体为空"},
			{"not an object", "POST", crs, `[1,2]`, submitter, 400, "应为 JSON 对象"},
			{"null", "POST", crs, `null`, submitter, 400, "应为 JSON 对象"},
			{"syntax", "POST", crs, `{list_id: 1}`, submitter, 400, "不是合法的 JSON"},
			{"cut short", "POST", crs, `{"list_id": 1, "title": "调`, submitter, 400, "不完整"},
			{"wrong type", "POST", crs, `{"list_id": "1", "title": "调整"}`, submitter, 400, "list_id：类型不正确，应为整数"},
			{"string for text", "PATCH", draft, `{"title": 5}`, submitter, 400, "title：类型不正确，应为字符串"},
			{"number out of range", "POST", crs, `{"list_id": 1e40, "title": "调整"}`, submitter, 400, "list_id：类型不正确，应为整数"},
			{"fraction for an id", "POST", crs, `{"list_id": 1.5, "title": "调整"}`, submitter, 400, "list_id：类型不正确"},
			{"unknown field", "POST", crs, `{"list_id": 1, "titel": "调整"}`, submitter, 400, "titel：没有这个字段"},
			{"unknown field on patch", "PATCH", draft, `{"state": "published"}`, submitter, 400, "state：没有这个字段"},
			{"two objects", "POST", crs, `{"list_id": 1}{"list_id": 2}`, submitter, 400, "只能是一个 JSON 对象"},
			{"invalid UTF-8", "POST", crs, "{\"list_id\": 1, \"title\": \"\xff\xfe\"}", submitter, 400, "UTF-8"},
			{"oversized", "POST", crs, `{"title": "` + strings.Repeat("长", api.MaxBodyBytes/3+1) + `"}`, submitter, 413, "请求体过大"},
			{"id nobody has", "POST", crs, `{"list_id": 9223372036854775807, "title": "调整"}`, submitter, 404, "不存在"},
			{"negative id", "POST", crs, `{"list_id": -3, "title": "调整"}`, submitter, 400, "list_id"},
			{"path id not a number", "PATCH", crs + "/abc", `{"title": "x"}`, submitter, 400, "参数 id 应为正整数"},
			{"path id zero", "POST", crs + "/0/operations", `{}`, submitter, 400, "参数 id 应为正整数"},
			{"path id too big", "POST", crs + "/99999999999999999999/transitions", `{"event":"submit"}`, submitter, 400, "参数 id 应为正整数"},
			{"path id nobody has", "PATCH", crs + "/9223372036854775807", `{"title": "x"}`, submitter, 404, "不存在"},
			{"item field of the wrong type", "POST", draft + "/operations", `{"op": "add", "item": {"level": 1}, "reason": "r", "basis": "b"}`, submitter, 400, "item.level"},
			{"item unknown field", "POST", draft + "/operations", `{"op": "add", "item": {"nmae": "x"}, "reason": "r", "basis": "b"}`, submitter, 400, "item"},
			{"unknown event", "POST", draft + "/transitions", `{"event": "teleport"}`, submitter, 400, "teleport"},
			{"login wrong type", "POST", "/api/v1/auth/login", `{"username": 1, "password": "x"}`, "", 400, "username：类型不正确，应为字符串"},
			{"user unknown field", "POST", "/api/v1/users", `{"username": "a1", "admin": true}`, admin, 400, "admin：没有这个字段"},
			{"password wrong type", "PUT", "/api/v1/users/" + fuzzTarget + "/password", `{"password": ["x"]}`, admin, 400, "password：类型不正确，应为字符串"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := e.send(tt.method, tt.path, []byte(tt.body), tt.token)
				checkAnswer(t, tt.name, rec)
				r := response{Status: rec.Code, Body: rec.Body.Bytes()}
				if rec.Code != tt.status || !strings.Contains(r.ErrorMessage(t), tt.message) {
					t.Errorf("%s %s: %d %s, want %d with %q", tt.method, tt.path, rec.Code, rec.Body, tt.status, tt.message)
				}
			})
		}
	})
}
