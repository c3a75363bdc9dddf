package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// agencyID finds an agency by name.
func agencyID(t testing.TB, db *gorm.DB, name string) int64 {
	t.Helper()
	var a models.Agency
	if err := db.Where("name = ?", name).Take(&a).Error; err != nil {
		t.Fatalf("agency %s: %v", name, err)
	}
	return a.ID
}

// TestAdministrationAuthorizationMatrix: every route of people and agencies,
// for every role: admins everywhere, region administrators in their region
// and the regions under it, nobody else.
func TestAdministrationAuthorizationMatrix(t *testing.T) {
	everyone := []string{"anonymous", "hsb-ybj", "hsb-sfj", "hsb-gov", "admin", "hsb-admin", "nx-admin", "yt-admin"}
	const ok, created, noContent, forbidden, unauthorized = 200, 201, 204, 403, 401
	// hsb is the answer on a person or agency of 红寺堡区: its own and the province's region administrators may.
	hsb := func(status int) map[string]int {
		return map[string]int{"anonymous": unauthorized, "admin": status, "hsb-admin": status, "nx-admin": status}
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		hsbDept := agencyID(t, db, "红寺堡区医疗保障局")
		n := 0
		unique := func() string { n++; return fmt.Sprint(n) }
		rows := []struct {
			name, method, path string
			body               func() any
			want               map[string]int // who is not named: 403
		}{
			{"list users", "GET", "/api/v1/users", nil, map[string]int{"anonymous": unauthorized, "admin": ok, "hsb-admin": ok, "nx-admin": ok, "yt-admin": ok}},
			{"list users of 于田县", "GET", "/api/v1/users?region=653226", nil, map[string]int{"anonymous": unauthorized, "admin": ok, "yt-admin": ok}},
			{"create a submitter of 红寺堡区", "POST", "/api/v1/users", func() any {
				return map[string]any{"username": "new" + unique(), "display_name": "新人", "role": "submitter", "agency_id": hsbDept, "password": "Tmp-pass-8421"}
			}, hsb(created)},
			{"create an admin", "POST", "/api/v1/users", func() any {
				return map[string]any{"username": "boss" + unique(), "display_name": "新管理员", "role": "admin", "password": "Tmp-pass-8421"}
			}, map[string]int{"anonymous": unauthorized, "admin": created}},
			{"edit a person of 红寺堡区", "PATCH", "/api/v1/users/hsb-ybj2", func() any { return map[string]any{"display_name": "经办人" + unique()} }, hsb(ok)},
			{"reset a password in 红寺堡区", "PUT", "/api/v1/users/hsb-ybj2/password", func() any { return map[string]any{"password": "Reset-pass-" + unique() + "x"} }, hsb(noContent)},
			{"unlock a person of 红寺堡区", "POST", "/api/v1/users/hsb-sfj2/unlock", nil, hsb(noContent)},
			{"list agencies", "GET", "/api/v1/agencies", nil, map[string]int{"anonymous": ok, "hsb-ybj": ok, "hsb-sfj": ok, "hsb-gov": ok, "admin": ok, "hsb-admin": ok, "nx-admin": ok, "yt-admin": ok}},
			{"create an agency of 红寺堡区", "POST", "/api/v1/agencies", func() any {
				return map[string]any{"region_code": "640303", "name": "红寺堡区新局" + unique(), "kind": "department"}
			}, hsb(created)},
			{"rename an agency of 红寺堡区", "PATCH", fmt.Sprintf("/api/v1/agencies/%d", hsbDept), func() any { return map[string]any{"name": "红寺堡区医疗保障局"} }, hsb(ok)},
			// Every region administrator reads the audit log, scoped to their regions (TestRegionAdministratorsReadTheirRegionsAudit).
			{"read the audit log", "GET", "/api/v1/audit", nil, map[string]int{"anonymous": unauthorized, "admin": ok, "hsb-sfj": ok, "hsb-admin": ok, "nx-admin": ok, "yt-admin": ok}},
		}
		for _, row := range rows {
			t.Run(row.name, func(t *testing.T) {
				for _, who := range everyone {
					want, named := row.want[who]
					if !named {
						want = forbidden
					}
					var body any
					if row.body != nil {
						body = row.body()
					}
					if r := e.as(t, who, row.method, row.path, body); r.Status != want {
						t.Errorf("%s: %d, want %d: %s", who, r.Status, want, r.Body)
					}
				}
			})
		}
	})
}

// TestTemporaryPasswords: a password an administrator sets must be replaced
// by its user before anything else; the new one follows the policy.
func TestTemporaryPasswords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		e.must(t, http.StatusCreated, "hsb-admin", "POST", "/api/v1/users", map[string]any{"username": "li.si", "display_name": "李四",
			"role": "submitter", "agency_id": agencyID(t, db, "红寺堡区医疗保障局"), "password": "Temp-4821-xz"})
		r, token := loginWith(t, e.h, "li.si", "Temp-4821-xz")
		var login struct {
			MustChange bool `json:"must_change_password"`
			User       struct {
				MustChange bool `json:"must_change_password"`
			} `json:"user"`
		}
		r.JSON(t, &login)
		if !login.MustChange || !login.User.MustChange {
			t.Fatalf("login with a temporary password: %s", r.Body)
		}
		if r := call(t, e.h, "GET", "/api/v1/me", nil, token); r.Status != 200 {
			t.Fatalf("/me with a temporary password: %d", r.Status)
		}
		for _, path := range []string{"/api/v1/change-requests", "/api/v1/lists", "/api/v1/agencies"} {
			if r := call(t, e.h, "GET", path, nil, token); r.Status != 403 || !strings.Contains(r.ErrorMessage(t), "临时密码") {
				t.Errorf("%s with a temporary password: %d %s", path, r.Status, r.Body)
			}
		}
		change := func(old, new string) response {
			return call(t, e.h, "PUT", "/api/v1/me/password", map[string]string{"old_password": old, "new_password": new}, token)
		}
		for _, tc := range []struct{ old, new, field, msg string }{
			{"wrong-old-pass", "Lisi-own-7731", "old_password", "原密码不正确"},
			{"Temp-4821-xz", "short-1", "new_password", "至少需要 10 个字符"},
			{"Temp-4821-xz", "my-li.si-pass", "new_password", "用户名"},
			{"Temp-4821-xz", "password123", "new_password", "常见密码"},
			{"Temp-4821-xz", "Temp-4821-xz", "new_password", "相同"},
		} {
			r := change(tc.old, tc.new)
			var body struct {
				Error struct {
					Message string
					Details struct{ Field string }
				}
			}
			r.JSON(t, &body)
			if r.Status != 400 || body.Error.Details.Field != tc.field || !strings.Contains(body.Error.Message, tc.msg) {
				t.Errorf("change %q → %q: %d %s, want 400 on %s with %q", tc.old, tc.new, r.Status, r.Body, tc.field, tc.msg)
			}
		}
		if r := change("Temp-4821-xz", "Lisi-own-7731"); r.Status != 204 {
			t.Fatalf("own password: %d %s", r.Status, r.Body)
		}
		if r := call(t, e.h, "GET", "/api/v1/change-requests", nil, token); r.Status != 200 {
			t.Fatalf("after the change, the session works: %d %s", r.Status, r.Body)
		}
		r, _ = loginWith(t, e.h, "li.si", "Lisi-own-7731")
		r.JSON(t, &login)
		if login.MustChange {
			t.Fatalf("one's own password is not temporary: %s", r.Body)
		}
		// A reset by an administrator is temporary again; demo accounts never are.
		e.must(t, http.StatusNoContent, "admin", "PUT", "/api/v1/users/li.si/password", map[string]string{"password": "Reset-9917-ab"})
		r, _ = loginWith(t, e.h, "li.si", "Reset-9917-ab")
		r.JSON(t, &login)
		if !login.MustChange {
			t.Fatalf("a reset password is temporary: %s", r.Body)
		}
		r, _ = loginAs(t, e.h, "hsb-gov")
		r.JSON(t, &login)
		if login.MustChange {
			t.Fatalf("a demo account must not be asked to change its password")
		}
		// Everyone changes their own password there.
		if r := call(t, e.h, "PUT", "/api/v1/me/password", map[string]string{"old_password": "demo12345", "new_password": "Gov-own-5530"}, e.token["hsb-gov"]); r.Status != 204 {
			t.Fatalf("a user's own change: %d %s", r.Status, r.Body)
		}
		if r := call(t, e.h, "PUT", "/api/v1/me/password", map[string]string{"old_password": "x", "new_password": "y"}, ""); r.Status != 401 {
			t.Fatalf("anonymous change: %d", r.Status)
		}
	})
}

type usersBody struct {
	Users []struct {
		Username    string     `json:"username"`
		Role        string     `json:"role"`
		Disabled    bool       `json:"disabled"`
		LockedUntil *time.Time `json:"locked_until"`
		Agency      *struct{ Name string }
		Region      *struct{ Code string }
	} `json:"users"`
	Total int `json:"total"`
}

// TestRegionAdministrators: a region administrator sees and changes the
// people of their region and the regions under it, and roles fit agencies.
func TestRegionAdministrators(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		users := func(who, query string) usersBody {
			var b usersBody
			e.must(t, 200, who, "GET", "/api/v1/users"+query, nil).JSON(t, &b)
			return b
		}
		names := func(b usersBody) string {
			var out []string
			for _, u := range b.Users {
				out = append(out, u.Username)
			}
			return strings.Join(out, " ")
		}
		if b := users("hsb-admin", ""); names(b) != "hsb-admin hsb-bb hsb-gov hsb-sfj hsb-sfj2 hsb-ybj hsb-ybj2" || b.Total != 7 {
			t.Errorf("红寺堡区's administrator sees %d: %s", b.Total, names(b))
		}
		if b := users("nx-admin", ""); b.Total != 8 {
			t.Errorf("宁夏's administrator sees %d: %s", b.Total, names(b))
		}
		if b := users("admin", "?limit=5"); b.Total != 14 || len(b.Users) != 5 {
			t.Errorf("admin, first page of 5: %d of %d", len(b.Users), b.Total)
		}
		if b := users("admin", "?limit=5&offset=10"); len(b.Users) != 4 {
			t.Errorf("admin, last page: %d", len(b.Users))
		}
		if b := users("admin", "?q=yt-&role=submitter"); names(b) != "yt-ybj" {
			t.Errorf("search: %s", names(b))
		}
		if b := users("admin", fmt.Sprintf("?agency_id=%d", agencyID(t, db, "红寺堡区医疗保障局"))); names(b) != "hsb-ybj hsb-ybj2" {
			t.Errorf("by agency: %s", names(b))
		}
		gov := agencyID(t, db, "红寺堡区人民政府")
		for _, tc := range []struct {
			name, who, path string
			body            map[string]any
			status          int
			msg             string
		}{
			{"outside the region", "hsb-admin", "/api/v1/users/yt-ybj", map[string]any{"display_name": "x"}, 403, "区域管理员只能管理"},
			{"move a person out of the region", "hsb-admin", "/api/v1/users/hsb-sfj2", map[string]any{"region_code": "653226"}, 403, "区域管理员只能管理"},
			{"role that does not fit the agency", "admin", "/api/v1/users/hsb-ybj2", map[string]any{"role": "legal_reviewer"}, 400, "应属于司法局"},
			{"unknown role", "admin", "/api/v1/users/hsb-ybj2", map[string]any{"role": "boss"}, 400, "角色"},
			{"unknown agency", "admin", "/api/v1/users/hsb-ybj2", map[string]any{"agency_id": 99999}, 404, "部门"},
			{"disable oneself", "hsb-admin", "/api/v1/users/hsb-admin", map[string]any{"active": false}, 409, "自己"},
			{"an approver of the government", "hsb-admin", "/api/v1/users/hsb-ybj2", map[string]any{"role": "approver", "agency_id": gov}, 200, ""},
		} {
			r := e.as(t, tc.who, "PATCH", tc.path, tc.body)
			if r.Status != tc.status || (tc.msg != "" && !strings.Contains(r.ErrorMessage(t), tc.msg)) {
				t.Errorf("%s: %d %s, want %d %q", tc.name, r.Status, r.Body, tc.status, tc.msg)
			}
		}
		var moved struct {
			Role   string
			Region struct{ Code string }
			Agency struct{ Name string }
		}
		e.must(t, 200, "admin", "GET", "/api/v1/users?q=hsb-ybj2", nil)
		r := e.must(t, 200, "hsb-admin", "PATCH", "/api/v1/users/hsb-ybj2", map[string]any{"display_name": "红寺堡区人民政府 审定人二"})
		r.JSON(t, &moved)
		if moved.Role != "approver" || moved.Region.Code != "640303" || moved.Agency.Name != "红寺堡区人民政府" {
			t.Fatalf("moved person: %s", r.Body)
		}
		// Disabling and enabling; unlocking a locked account.
		e.must(t, 200, "hsb-admin", "PATCH", "/api/v1/users/hsb-ybj", map[string]any{"active": false})
		if r := call(t, e.h, "GET", "/api/v1/me", nil, e.token["hsb-ybj"]); r.Status != 401 {
			t.Fatalf("a disabled person's session goes on: %d", r.Status)
		}
		e.must(t, 200, "hsb-admin", "PATCH", "/api/v1/users/hsb-ybj", map[string]any{"active": true})
		loginAs(t, e.h, "hsb-ybj")
		// Wrong passwords from one address make it wait before it may try again.
		login := func(password string) int {
			body, _ := json.Marshal(map[string]string{"username": "hsb-sfj2", "password": password})
			req := httptest.NewRequest("POST", "/api/v1/auth/login", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.RemoteAddr = "203.0.113.5:4000"
			rec := httptest.NewRecorder()
			e.h.ServeHTTP(rec, req)
			return rec.Code
		}
		for range auth.FreeFailures + 1 {
			login("wrong-password")
		}
		if got := login(auth.DemoPassword); got != 429 {
			t.Fatalf("login during the backoff: %d, want 429", got)
		}
		if b := users("hsb-admin", "?q=hsb-sfj2"); b.Users[0].LockedUntil == nil {
			t.Fatalf("a locked account shows its lock: %+v", b.Users[0])
		}
		e.must(t, 204, "hsb-admin", "POST", "/api/v1/users/hsb-sfj2/unlock", nil)
		if b := users("hsb-admin", "?q=hsb-sfj2"); b.Users[0].LockedUntil != nil {
			t.Fatalf("an unlocked account still shows a lock: %+v", b.Users[0])
		}
		if got := login(auth.DemoPassword); got != 200 {
			t.Fatalf("login after the unlock: %d", got)
		}
		// Changes are audited with who did them.
		var audit struct {
			Events []struct{ Action, Actor string } `json:"events"`
		}
		e.must(t, 200, "admin", "GET", "/api/v1/audit", nil).JSON(t, &audit)
		seen := map[string]bool{}
		for _, ev := range audit.Events {
			if ev.Actor == "hsb-admin" {
				seen[ev.Action] = true
			}
		}
		if !seen["user_update"] || !seen["user_unlock"] {
			t.Fatalf("audit of the region administrator's changes: %v", seen)
		}
	})
}

type agencyBody struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Kind           string `json:"kind"`
	KindName       string `json:"kind_name"`
	RegionFullName string `json:"region_full_name"`
	Active         bool   `json:"active"`
	ListCount      int    `json:"list_count"`
}

func TestAgencies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		var ag agencyBody
		e.must(t, 201, "hsb-admin", "POST", "/api/v1/agencies", map[string]any{"region_code": "640303", "name": " 红寺堡区委编办 ", "kind": "staffing"}).JSON(t, &ag)
		if ag.Name != "红寺堡区委编办" || ag.KindName != "机构编制部门" || ag.RegionFullName != "宁夏回族自治区吴忠市红寺堡区" || !ag.Active {
			t.Fatalf("created: %+v", ag)
		}
		for _, tc := range []struct {
			name   string
			body   map[string]any
			status int
			field  string
		}{
			{"same name in the region", map[string]any{"region_code": "640303", "name": "红寺堡区委编办", "kind": "staffing"}, 409, "name"},
			{"unknown kind", map[string]any{"region_code": "640303", "name": "红寺堡区某局", "kind": "bureau"}, 400, "kind"},
			{"empty name", map[string]any{"region_code": "640303", "name": " ", "kind": "department"}, 400, "name"},
			{"unknown region", map[string]any{"region_code": "999999", "name": "某局", "kind": "department"}, 404, ""},
		} {
			r := e.as(t, "admin", "POST", "/api/v1/agencies", tc.body)
			var body struct {
				Error struct{ Details struct{ Field string } }
			}
			r.JSON(t, &body)
			if r.Status != tc.status || body.Error.Details.Field != tc.field {
				t.Errorf("%s: %d %s, want %d on %q", tc.name, r.Status, r.Body, tc.status, tc.field)
			}
		}
		// The same name in another region is another agency.
		e.must(t, 201, "admin", "POST", "/api/v1/agencies", map[string]any{"region_code": "653226", "name": "红寺堡区委编办", "kind": "staffing"})

		// Renaming keeps the list and its history; it is audited with before and after.
		hsbDept := agencyID(t, db, "红寺堡区医疗保障局")
		e.must(t, 200, "hsb-admin", "PATCH", fmt.Sprintf("/api/v1/agencies/%d", hsbDept), map[string]any{"name": "红寺堡区医疗保障服务局"}).JSON(t, &ag)
		if ag.Name != "红寺堡区医疗保障服务局" || ag.ListCount != 1 {
			t.Fatalf("renamed: %+v", ag)
		}
		var list struct {
			Agency struct{ Name string } `json:"agency"`
		}
		e.must(t, 200, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d", e.hsb), nil).JSON(t, &list)
		if list.Agency.Name != "红寺堡区医疗保障服务局" {
			t.Fatalf("the list after the rename: %+v", list)
		}
		var versions struct {
			Versions []any `json:"versions"`
		}
		e.must(t, 200, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/versions", e.hsb), nil).JSON(t, &versions)
		if len(versions.Versions) != 1 {
			t.Fatalf("the list's history after the rename: %+v", versions)
		}
		r := e.must(t, 200, "admin", "GET", "/api/v1/audit", nil)
		if body := string(r.Body); !strings.Contains(body, "agency_update") || !strings.Contains(body, "红寺堡区医疗保障服务局") {
			t.Fatalf("rename not audited: %s", r.Body)
		}
		// Deactivated, never deleted: it takes no new people.
		e.must(t, 200, "admin", "PATCH", fmt.Sprintf("/api/v1/agencies/%d", hsbDept), map[string]any{"active": false})
		r = e.as(t, "admin", "POST", "/api/v1/users", map[string]any{"username": "late", "display_name": "迟到", "role": "submitter", "agency_id": hsbDept, "password": "Xq-5521-pq-7"})
		if r.Status != 400 || !strings.Contains(r.ErrorMessage(t), "已停用") {
			t.Fatalf("a person for a deactivated agency: %d %s", r.Status, r.Body)
		}
		if r := e.as(t, "admin", "DELETE", fmt.Sprintf("/api/v1/agencies/%d", hsbDept), nil); r.Status != 404 && r.Status != 405 {
			t.Fatalf("agencies have no delete: %d", r.Status)
		}

		// Paging and filters.
		var page struct {
			Agencies []agencyBody `json:"agencies"`
			Total    int          `json:"total"`
		}
		e.must(t, 200, "anonymous", "GET", "/api/v1/agencies?region=640000&limit=2", nil).JSON(t, &page)
		if page.Total != 5 || len(page.Agencies) != 2 {
			t.Fatalf("宁夏's agencies, first page: %d of %d", len(page.Agencies), page.Total)
		}
		e.must(t, 200, "anonymous", "GET", "/api/v1/agencies?kind=justice", nil).JSON(t, &page)
		if page.Total != 2 {
			t.Fatalf("justice bureaus: %d", page.Total)
		}
		e.must(t, 200, "hsb-admin", "GET", "/api/v1/agencies?kind=justice", nil).JSON(t, &page)
		if page.Total != 1 || page.Agencies[0].Name != "红寺堡区司法局" {
			t.Fatalf("a region administrator sees their region's: %+v", page)
		}
		if r := e.as(t, "hsb-admin", "GET", "/api/v1/agencies?region=653226", nil); r.Status != 403 {
			t.Fatalf("a region administrator asking for another region: %d", r.Status)
		}
		e.must(t, 200, "anonymous", "GET", "/api/v1/agencies?q=编办&active=true", nil).JSON(t, &page)
		if page.Total != 2 {
			t.Fatalf("search: %d", page.Total)
		}
		if r := e.as(t, "anonymous", "GET", "/api/v1/agencies?kind=bureau", nil); r.Status != 400 {
			t.Fatalf("unknown kind filter: %d", r.Status)
		}
	})
}

// TestRegionAdministratorsReadTheirRegionsAudit: a region administrator
// reads the audit events of their region and the regions under it, never
// another region's nor those of no region (an admin's own).
func TestRegionAdministratorsReadTheirRegionsAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		e.create(t, "hsb-ybj", e.hsb)
		e.create(t, "yt-ybj", e.yt)
		read := func(who string) map[string]int {
			var out struct {
				Events []struct {
					RegionCode string `json:"region_code"`
				} `json:"events"`
				Total int `json:"total"`
			}
			e.must(t, http.StatusOK, who, "GET", "/api/v1/audit?limit=500", nil).JSON(t, &out)
			if out.Total != len(out.Events) {
				t.Fatalf("%s: total %d for %d events", who, out.Total, len(out.Events))
			}
			regions := map[string]int{}
			for _, ev := range out.Events {
				regions[ev.RegionCode]++
			}
			return regions
		}
		all := read("admin")
		if all["640303"] == 0 || all["653226"] == 0 || all[""] == 0 {
			t.Fatalf("the admin's log lacks a region: %v", all)
		}
		for who, want := range map[string][]string{
			"hsb-admin": {"640303"},
			"nx-admin":  {"640000", "640303"},
			"yt-admin":  {"653226"},
		} {
			got := read(who)
			for region, n := range got {
				if !slices.Contains(want, region) {
					t.Errorf("%s reads %d events of region %q", who, n, region)
				}
			}
			if got["640303"]+got["653226"] != all[want[len(want)-1]] {
				t.Errorf("%s reads %v, want all %d events of %s", who, got, all[want[len(want)-1]], want[len(want)-1])
			}
		}
	})
}
