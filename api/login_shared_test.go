package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
	"qingdan/testkit"
)

// loginFrom logs in from a client address; the answer as one line: status,
// Retry-After and body.
func loginFrom(t *testing.T, h http.Handler, ip, username, password string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = ip + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code == http.StatusOK {
		return "200"
	}
	return fmt.Sprintf("%d %s %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
}

// TestLoginThrottleIsSharedByInstances: two server instances on one
// database (as behind a load balancer) count a client's attempts and
// failures together, so a second instance gives an attacker no more tries;
// a known and an unknown account still answer alike throughout, and an
// administrator's unlock on one instance holds on the other.
func TestLoginThrottleIsSharedByInstances(t *testing.T) {
	const burst = 16
	for _, engine := range dbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			url := dbtest.URL(t, engine)
			clk := testkit.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			var routers []http.Handler
			var store *models.Store
			for i := range 2 {
				// The first instance migrates; the second opens what it made.
				if i == 0 {
					store = dbtest.OpenURL(t, url)
				} else {
					var err error
					if store, err = models.Open(context.Background(), url); err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { store.Close() })
				}
				svc := auth.New(store, auth.Config{Now: clk.Now, HashCost: bcrypt.MinCost, LoginBurst: burst})
				if i == 0 {
					if _, err := svc.SeedDemo(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
				routers = append(routers, api.NewRouter(api.Options{Store: store, Auth: svc, Now: clk.Now}))
			}
			a, b := routers[0], routers[1]

			// One address guesses admin's password, alternating instances: the
			// backoff after FreeFailures counts the guesses made on both.
			answers := map[string][]string{}
			for _, name := range []string{"admin", "no-such-user"} {
				for i := range auth.FreeFailures + 2 {
					answers[name] = append(answers[name], loginFrom(t, routers[i%2], "203.0.113.7", name, "wrong-password"))
				}
			}
			got := answers["admin"]
			for i, ans := range got {
				want := "401"
				if i > auth.FreeFailures {
					want = "429 1"
				}
				if !strings.HasPrefix(ans, want) {
					t.Fatalf("guess %d on instance %d: %q, want %s (the other instance's failures count)", i+1, i%2+1, ans, want)
				}
			}
			if !strings.Contains(got[auth.FreeFailures+1], "登录失败次数过多") {
				t.Fatalf("slowed answer: %q", got[auth.FreeFailures+1])
			}
			if strings.Join(got, "|") != strings.Join(answers["no-such-user"], "|") {
				t.Fatalf("a known and an unknown account answer differently:\n%q\n%q", got, answers["no-such-user"])
			}
			// The right password from the attacker's address waits too, on either instance…
			if ans := loginFrom(t, b, "203.0.113.7", "admin", auth.DemoPassword); !strings.HasPrefix(ans, "429") {
				t.Fatalf("during the backoff: %q", ans)
			}
			// …the owner elsewhere is not held up, sees the wait, and lifts it on the other instance.
			_, token := loginAs(t, a, "admin")
			var users struct {
				Users []struct {
					Username    string     `json:"username"`
					LockedUntil *time.Time `json:"locked_until"`
				} `json:"users"`
			}
			r := call(t, a, "GET", "/api/v1/users?q=admin", nil, token)
			r.JSON(t, &users)
			locked := false
			for _, u := range users.Users {
				locked = locked || u.Username == "admin" && u.LockedUntil != nil && u.LockedUntil.After(clk.Now())
			}
			if !locked {
				t.Fatalf("the wait is not shown to the administrator: %s", r.Body)
			}
			if r := call(t, b, "POST", "/api/v1/users/admin/unlock", nil, token); r.Status != http.StatusNoContent {
				t.Fatalf("unlock: %d %s", r.Status, r.Body)
			}
			if ans := loginFrom(t, a, "203.0.113.7", "admin", auth.DemoPassword); ans != "200" {
				t.Fatalf("after the unlock on the other instance: %q", ans)
			}

			// One address spraying names gets the burst across both instances, not twice it.
			var refusedAt int
			for i := range burst + 2 {
				ans := loginFrom(t, routers[i%2], "198.51.100.9", fmt.Sprintf("user%d", i), "wrong-password")
				if strings.HasPrefix(ans, "429") {
					if !strings.Contains(ans, "登录尝试过于频繁") {
						t.Fatalf("refusal: %q", ans)
					}
					refusedAt = i + 1
					break
				}
			}
			if refusedAt != burst+1 {
				t.Fatalf("refused at attempt %d, want %d (a burst of %d shared by both instances)", refusedAt, burst+1, burst)
			}

			// Rows expire: an hour later a login prunes them all but its own.
			clk.Advance(2 * time.Hour)
			if ans := loginFrom(t, b, "192.0.2.200", "hsb-ybj", auth.DemoPassword); ans != "200" {
				t.Fatal(ans)
			}
			var rows []models.LoginThrottle
			if err := store.DB(context.Background()).Find(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || rows[0].Client != "192.0.2.200" {
				t.Fatalf("after the rows expired: %+v", rows)
			}
		})
	}
}
