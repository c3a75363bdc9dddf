package api_test

import (
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

func TestAdminsManageAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, _ := authRouter(t, db)
		_, admin := loginAs(t, h, "admin")
		_, reviewer := loginAs(t, h, "hsb-sfj")

		var hsbJustice models.Agency
		if err := db.Where("name = ?", "红寺堡区司法局").Take(&hsbJustice).Error; err != nil {
			t.Fatal(err)
		}
		newReviewer := map[string]any{"username": "zhao", "display_name": "赵审查", "role": "legal_reviewer",
			"agency_id": hsbJustice.ID, "region_code": "640303", "password": "first-pass-1"}
		for _, tc := range []struct {
			name, method, path string
			body               any
			token              string
			status             int
		}{
			{"anonymous list", "GET", "/api/v1/users", nil, "", 401},
			{"reviewer list", "GET", "/api/v1/users", nil, reviewer, 403},
			{"reviewer create", "POST", "/api/v1/users", newReviewer, reviewer, 403},
			{"reviewer disable", "POST", "/api/v1/users/hsb-ybj/disable", nil, reviewer, 403},
			{"reviewer password", "PUT", "/api/v1/users/hsb-ybj/password", map[string]string{"password": "x-x-x-x-x"}, reviewer, 403},
			{"not JSON", "POST", "/api/v1/users", "username=zhao", admin, 400},
			{"no region", "POST", "/api/v1/users", map[string]any{"username": "zhao", "display_name": "赵", "role": "approver", "password": "first-pass-1"}, admin, 400},
			{"create", "POST", "/api/v1/users", newReviewer, admin, 201},
			{"create again", "POST", "/api/v1/users", newReviewer, admin, 409},
			{"unknown user", "POST", "/api/v1/users/nobody/disable", nil, admin, 404},
			{"disable oneself", "POST", "/api/v1/users/admin/disable", nil, admin, 409},
			{"short password", "PUT", "/api/v1/users/zhao/password", map[string]string{"password": "short"}, admin, 400},
		} {
			if r := call(t, h, tc.method, tc.path, tc.body, tc.token); r.Status != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Body, tc.status)
			}
		}

		r := call(t, h, "POST", "/api/v1/auth/login", map[string]string{"username": "zhao", "password": "first-pass-1"}, "")
		var zhao loginBody
		r.JSON(t, &zhao)
		if r.Status != 200 || zhao.User.Region == nil || zhao.User.Region.Code != "640303" || zhao.User.Agency == nil || zhao.User.Agency.Name != "红寺堡区司法局" {
			t.Fatalf("the created reviewer logs in: %d %s", r.Status, r.Body)
		}
		if r := call(t, h, "PUT", "/api/v1/users/zhao/password", map[string]string{"password": "second-pass-2"}, admin); r.Status != http.StatusNoContent {
			t.Fatalf("password: %d %s", r.Status, r.Body)
		}
		if r := call(t, h, "GET", "/api/v1/me", nil, zhao.Token); r.Status != 401 {
			t.Fatalf("a session outlived a password reset: %d", r.Status)
		}
		_, zhaoToken := loginWith(t, h, "zhao", "second-pass-2")
		if r := call(t, h, "POST", "/api/v1/users/zhao/disable", nil, admin); r.Status != http.StatusNoContent {
			t.Fatalf("disable: %d %s", r.Status, r.Body)
		}
		if r := call(t, h, "GET", "/api/v1/me", nil, zhaoToken); r.Status != 401 {
			t.Fatalf("a session outlived disabling: %d", r.Status)
		}

		var list struct {
			Users []struct {
				Username string `json:"username"`
				Role     string `json:"role"`
				Disabled bool   `json:"disabled"`
			} `json:"users"`
		}
		r = call(t, h, "GET", "/api/v1/users", nil, admin)
		r.JSON(t, &list)
		if len(list.Users) != 10 || list.Users[9].Username != "zhao" || !list.Users[9].Disabled || list.Users[0].Username != "admin" || list.Users[0].Disabled {
			t.Fatalf("users: %s", r.Body)
		}

		var actors []string
		db.Model(&models.AuditEvent{}).Where("action IN ?", []string{"user_add", "user_passwd", "user_disable"}).
			Where("actor <> ?", "demo").Order("id").Pluck("actor", &actors)
		if strings.Join(actors, " ") != "admin admin admin" {
			t.Fatalf("account changes through the API are audited as %v", actors)
		}
	})
}

// loginWith logs in with a password and returns the response and token.
func loginWith(t *testing.T, h http.Handler, username, password string) (response, string) {
	t.Helper()
	r := call(t, h, "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password}, "")
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var b loginBody
	r.JSON(t, &b)
	return r, b.Token
}

func TestCookieAuthenticatedChangesMustComeFromTheSameOrigin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, _ := authRouter(t, db)
		_, admin := loginAs(t, h, "admin")
		body := `{"username":"%s","display_name":"钱","role":"admin","password":"first-pass-1"}`
		for _, tc := range []struct {
			username string
			headers  map[string]string
			status   int
		}{
			{"qian1", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"qian2", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
			{"qian3", map[string]string{"Origin": "http://evil.example"}, 403},
			{"qian4", map[string]string{"Sec-Fetch-Site": "same-origin"}, 201},
			{"qian5", nil, 201}, // no browser headers: not a browser, or a same-origin request of an old one
		} {
			r := browserCall(t, h, "POST", "/api/v1/users", admin, strings.Replace(body, "%s", tc.username, 1), tc.headers)
			if r.Status != tc.status {
				t.Errorf("%s %v: %d %s, want %d", tc.username, tc.headers, r.Status, r.Body, tc.status)
			}
		}
		var created []string
		db.Model(&models.User{}).Where("username LIKE ?", "qian%").Order("username").Pluck("username", &created)
		if strings.Join(created, " ") != "qian4 qian5" {
			t.Fatalf("created by cookie requests: %v", created)
		}
		// The same cross-site request with a Bearer token carries no ambient credential and passes.
		r := browserCall(t, h, "POST", "/api/v1/users", "", strings.Replace(body, "%s", "qian6", 1),
			map[string]string{"Sec-Fetch-Site": "cross-site", "Authorization": "Bearer " + admin})
		if r.Status != 201 {
			t.Fatalf("bearer: %d %s", r.Status, r.Body)
		}
	})
}
