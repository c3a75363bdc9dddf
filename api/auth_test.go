package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"qingdan/testkit"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// authRouter is the full router on db with the demo accounts, a settable
// clock and cheap password hashes.
func authRouter(t *testing.T, db *gorm.DB) (http.Handler, *testkit.Clock) {
	t.Helper()
	store := models.NewStore(db)
	clk := testkit.NewClock(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	svc := auth.New(store, auth.Config{Now: clk.Now, HashCost: bcrypt.MinCost})
	if _, err := svc.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	return api.NewRouter(api.Options{Store: store, Auth: svc}), clk
}

type loginBody struct {
	Token string `json:"token"`
	User  struct {
		ID          int64  `json:"id"`
		Username    string `json:"username"`
		DisplayName string `json:"display_name"`
		Role        string `json:"role"`
		Agency      *struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"agency"`
		Region *struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"region"`
	} `json:"user"`
}

// loginAs logs in with the demo password and returns the response and token.
func loginAs(t *testing.T, h http.Handler, username string) (response, string) {
	t.Helper()
	r := call(t, h, "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": auth.DemoPassword}, "")
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	var b loginBody
	r.JSON(t, &b)
	return r, b.Token
}

// browserCall sends a request as a browser would: the session cookie and
// the given headers (e.g. Sec-Fetch-Site), no Authorization header.
func browserCall(t *testing.T, h http.Handler, method, path, cookie, body string, headers map[string]string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "qingdan_session", Value: cookie})
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

func sessionCookie(t *testing.T, r response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == "qingdan_session" {
			return c
		}
	}
	t.Fatalf("no session cookie in %v", r.Header)
	return nil
}

func TestLoginAnswersWithTokenUserAndCookie(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, _ := authRouter(t, db)
		for _, tc := range []struct {
			username, role, agency, region string
		}{
			{"hsb-ybj", "submitter", "红寺堡区医疗保障局", "640303 红寺堡区"},
			{"yt-sfj", "legal_reviewer", "于田县司法局", "653226 于田县"},
			{"hsb-gov", "approver", "红寺堡区人民政府", "640303 红寺堡区"},
			{"admin", "admin", "", ""},
		} {
			r, token := loginAs(t, h, tc.username)
			var b loginBody
			r.JSON(t, &b)
			agency, region := "", ""
			if b.User.Agency != nil {
				agency = b.User.Agency.Name
			}
			if b.User.Region != nil {
				region = b.User.Region.Code + " " + b.User.Region.Name
			}
			if len(token) < 40 || b.User.Username != tc.username || b.User.Role != tc.role || agency != tc.agency || region != tc.region || b.User.DisplayName == "" {
				t.Errorf("login %s: %s", tc.username, r.Body)
			}
			ck := sessionCookie(t, r)
			if ck.Value != token || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/" || ck.MaxAge != int(auth.SessionTTL.Seconds()) {
				t.Errorf("cookie of %s: %+v", tc.username, ck)
			}
			me := call(t, h, "GET", "/api/v1/me", nil, token)
			var meBody struct {
				Username string `json:"username"`
			}
			me.JSON(t, &meBody)
			if me.Status != http.StatusOK || meBody.Username != tc.username {
				t.Errorf("/me with the token of %s: %d %s", tc.username, me.Status, me.Body)
			}
			me = browserCall(t, h, "GET", "/api/v1/me", token, "", nil)
			me.JSON(t, &meBody)
			if me.Status != http.StatusOK || meBody.Username != tc.username {
				t.Errorf("/me with the cookie of %s: %d %s", tc.username, me.Status, me.Body)
			}
		}
		// The database keeps only the token's hash.
		var hashes []string
		db.Model(&models.Session{}).Pluck("token_hash", &hashes)
		_, token := loginAs(t, h, "admin")
		for _, hsh := range hashes {
			if hsh == token {
				t.Fatal("a token is stored in plain")
			}
		}
	})
}

func TestLoginRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, clk := authRouter(t, db)
		for _, tc := range []struct {
			name   string
			body   any
			status int
			msg    string
		}{
			{"wrong password", map[string]string{"username": "hsb-ybj", "password": "wrong-password"}, 401, "用户名或密码错误"},
			{"unknown user", map[string]string{"username": "nobody", "password": "wrong-password"}, 401, "用户名或密码错误"},
			{"empty password", map[string]string{"username": "hsb-ybj"}, 400, "请填写用户名和密码"},
			{"not JSON", "username=hsb-ybj", 400, "JSON"},
		} {
			r := call(t, h, "POST", "/api/v1/auth/login", tc.body, "")
			if r.Status != tc.status || !strings.Contains(r.ErrorMessage(t), tc.msg) {
				t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
			}
		}

		// Failures slow down the client that makes them: 429 with Retry-After.
		bad := map[string]string{"username": "yt-ybj", "password": "wrong-password"}
		for i := 1; i <= auth.FreeFailures; i++ {
			if r := call(t, h, "POST", "/api/v1/auth/login", bad, ""); r.Status != 401 {
				t.Fatalf("failure %d: %d %s", i, r.Status, r.Body)
			}
		}
		call(t, h, "POST", "/api/v1/auth/login", bad, "")
		good := map[string]string{"username": "yt-ybj", "password": auth.DemoPassword}
		r := call(t, h, "POST", "/api/v1/auth/login", good, "")
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") != "1" || !strings.Contains(r.ErrorMessage(t), "请 1 秒后重试") {
			t.Fatalf("during the backoff: %d %v %s", r.Status, r.Header, r.Body)
		}
		clk.Advance(time.Second)
		if r := call(t, h, "POST", "/api/v1/auth/login", good, ""); r.Status != http.StatusOK {
			t.Fatalf("after the wait: %d %s", r.Status, r.Body)
		}

		_, token := loginAs(t, h, "admin")
		if err := auth.New(models.NewStore(db), auth.Config{Now: clk.Now}).DisableUser(context.Background(), auth.Actor{Name: "test"}, "yt-gov"); err != nil {
			t.Fatal(err)
		}
		r = call(t, h, "POST", "/api/v1/auth/login", map[string]string{"username": "yt-gov", "password": auth.DemoPassword}, "")
		if r.Status != http.StatusForbidden || !strings.Contains(r.ErrorMessage(t), "已停用") {
			t.Fatalf("disabled user: %d %s", r.Status, r.Body)
		}
		if r := call(t, h, "GET", "/api/v1/me", nil, token); r.Status != 200 {
			t.Fatalf("disabling one user touched another's session: %d", r.Status)
		}
	})
}

func TestSessionsEndWithLogoutAndExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, clk := authRouter(t, db)
		if r := call(t, h, "GET", "/api/v1/me", nil, ""); r.Status != 401 || r.ErrorMessage(t) != "请先登录" {
			t.Fatalf("anonymous /me: %d %s", r.Status, r.Body)
		}
		if r := call(t, h, "GET", "/api/v1/lists", nil, ""); r.Status != 200 {
			t.Fatalf("anonymous public read: %d %s", r.Status, r.Body)
		}

		_, token := loginAs(t, h, "hsb-sfj")
		if r := call(t, h, "POST", "/api/v1/auth/logout", nil, token); r.Status != http.StatusNoContent || sessionCookie(t, r).MaxAge >= 0 {
			t.Fatalf("logout: %d %v", r.Status, r.Header)
		}
		for _, path := range []string{"/api/v1/me", "/api/v1/lists"} {
			r := call(t, h, "GET", path, nil, token)
			if r.Status != 401 || !strings.Contains(r.ErrorMessage(t), "登录已失效") {
				t.Fatalf("%s after logout: %d %s", path, r.Status, r.Body)
			}
		}
		if r := call(t, h, "POST", "/api/v1/auth/logout", nil, token); r.Status != http.StatusNoContent {
			t.Fatalf("logging out again: %d %s", r.Status, r.Body)
		}

		_, token = loginAs(t, h, "hsb-sfj")
		// Used every 20 minutes, a session lasts until its absolute end.
		for left := auth.SessionTTL - time.Minute; left > 0; left -= min(left, 20*time.Minute) {
			clk.Advance(min(left, 20*time.Minute))
			if r := call(t, h, "GET", "/api/v1/me", nil, token); r.Status != 200 {
				t.Fatalf("a session in use, %v before expiry: %d %s", left, r.Status, r.Body)
			}
		}
		if r := call(t, h, "GET", "/api/v1/me", nil, token); r.Status != 200 {
			t.Fatalf("a session just before expiry: %d %s", r.Status, r.Body)
		}
		clk.Advance(time.Minute)
		if r := call(t, h, "GET", "/api/v1/me", nil, token); r.Status != 401 {
			t.Fatalf("an expired session: %d %s", r.Status, r.Body)
		}
		// Unused for the idle timeout, a session ends too.
		_, idle := loginAs(t, h, "hsb-sfj")
		clk.Advance(auth.DefaultIdleTimeout)
		if r := call(t, h, "GET", "/api/v1/me", nil, idle); r.Status != 401 {
			t.Fatalf("an idle session: %d %s", r.Status, r.Body)
		}
		// A stale cookie answers 401 once and is cleared; logging in still works.
		r := browserCall(t, h, "GET", "/api/v1/lists", token, "", nil)
		if r.Status != 401 || sessionCookie(t, r).MaxAge >= 0 {
			t.Fatalf("stale cookie: %d %v", r.Status, r.Header)
		}
		r = browserCall(t, h, "POST", "/api/v1/auth/login", token, `{"username":"hsb-sfj","password":"demo12345"}`, nil)
		if r.Status != 200 {
			t.Fatalf("login with a stale cookie: %d %s", r.Status, r.Body)
		}
		if r := call(t, h, "GET", "/api/v1/me", nil, "not-a-token"); r.Status != 401 {
			t.Fatalf("made-up token: %d", r.Status)
		}
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		req.Header.Set("Authorization", "Basic aGk6dGhlcmU=")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 401 || !strings.Contains(rec.Body.String(), "Bearer") {
			t.Fatalf("Basic auth: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestCookieRequestsFromOtherSitesAreRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, _ := authRouter(t, db)
		_, token := loginAs(t, h, "admin")
		for _, tc := range []struct {
			name    string
			method  string
			path    string
			headers map[string]string
			status  int
		}{
			{"same-origin logout", "POST", "/api/v1/auth/logout", map[string]string{"Sec-Fetch-Site": "same-origin"}, 204},
			{"cross-site logout", "POST", "/api/v1/auth/logout", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
			{"other origin", "POST", "/api/v1/auth/logout", map[string]string{"Origin": "https://evil.example"}, 403},
			{"cross-site read", "GET", "/api/v1/me", map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
			{"cross-site login", "POST", "/api/v1/auth/login", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		} {
			cookie := token
			if tc.status == 204 {
				_, cookie = loginAs(t, h, "admin")
			}
			body := ""
			if tc.method == "POST" {
				body = `{"username":"admin","password":"demo12345"}`
			}
			if r := browserCall(t, h, tc.method, tc.path, cookie, body, tc.headers); r.Status != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Body, tc.status)
			}
		}
		if r := call(t, h, "GET", "/api/v1/me", nil, token); r.Status != 200 {
			t.Fatalf("a refused cross-site logout must not end the session: %d", r.Status)
		}
	})
}

func TestAuditIsReadByAdminsAndRegionalReviewers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h, _ := authRouter(t, db)
		tokens := map[string]string{}
		for _, u := range []string{"admin", "hsb-ybj", "hsb-sfj", "hsb-gov", "yt-sfj", "yt-ybj"} {
			_, tokens[u] = loginAs(t, h, u)
		}
		call(t, h, "POST", "/api/v1/auth/login", map[string]string{"username": "yt-gov", "password": "whatever1"}, "")

		type events struct {
			Events []struct {
				ID         int64          `json:"id"`
				At         time.Time      `json:"at"`
				Actor      string         `json:"actor"`
				Action     string         `json:"action"`
				TargetType string         `json:"target_type"`
				RegionCode string         `json:"region_code"`
				After      map[string]any `json:"after"`
				Hash       string         `json:"hash"`
				PrevHash   string         `json:"prev_hash"`
			} `json:"events"`
		}
		read := func(who, query string) (int, events) {
			var e events
			r := call(t, h, "GET", "/api/v1/audit"+query, nil, tokens[who])
			if r.Status == 200 {
				r.JSON(t, &e)
			}
			return r.Status, e
		}
		for who, want := range map[string]int{"": 401, "hsb-ybj": 403, "hsb-gov": 403, "yt-ybj": 403, "admin": 200, "hsb-sfj": 200} {
			if status, _ := read(who, ""); status != want {
				t.Errorf("audit read by %q: %d, want %d", who, status, want)
			}
		}

		_, all := read("admin", "?limit=500")
		// 9 demo accounts, 6 logins, 1 failed login, 3 refusals of the audit to other roles.
		if len(all.Events) != 19 || all.Events[0].Action != "access_denied" || all.Events[3].Action != "login_failed" ||
			all.Events[3].Actor != "anonymous" || all.Events[3].After["username"] != `"yt-gov"` {
			t.Fatalf("admin sees %d events, newest %+v", len(all.Events), all.Events[0])
		}
		for i, e := range all.Events[:len(all.Events)-1] {
			if e.PrevHash != all.Events[i+1].Hash || e.ID <= all.Events[i+1].ID || e.At.IsZero() {
				t.Fatalf("events not newest first with linked hashes at %d", i)
			}
		}
		_, hsb := read("hsb-sfj", "?limit=500")
		_, yt := read("yt-sfj", "?action=login")
		for _, tc := range []struct {
			who    string
			got    events
			region string
			count  int
		}{
			// Hongsibu: 4 accounts added, 3 logins, 2 refusals; Yutian logins only: yt-sfj, yt-ybj.
			{"hsb-sfj", hsb, "640303", 9},
			{"yt-sfj", yt, "653226", 2},
		} {
			if len(tc.got.Events) != tc.count {
				t.Errorf("%s sees %d events, want %d", tc.who, len(tc.got.Events), tc.count)
			}
			for _, e := range tc.got.Events {
				if e.RegionCode != tc.region {
					t.Errorf("%s sees an event of region %q: %+v", tc.who, e.RegionCode, e)
				}
			}
		}

		_, page1 := read("admin", "?limit=5")
		_, page2 := read("admin", fmt.Sprintf("?limit=5&before_id=%d", page1.Events[4].ID))
		if len(page1.Events) != 5 || len(page2.Events) != 5 || page2.Events[0].ID != all.Events[5].ID {
			t.Fatalf("paging: %d then %d events", len(page1.Events), len(page2.Events))
		}
		if status, _ := read("admin", "?before_id=abc"); status != 400 {
			t.Fatalf("bad before_id: %d", status)
		}
		if status, _ := read("admin", "?limit=0"); status != 400 {
			t.Fatalf("bad limit: %d", status)
		}
	})
}
