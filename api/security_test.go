package api_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
	"qingdan/testkit"
	"qingdan/throttle"
)

// Made-up HTTP methods must not become metric labels: /metrics stays small.
func TestMetricsLabelsComeFromFixedSets(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	h := newRouter(db)
	before := len(call(t, h, "GET", "/metrics", nil, "").Body)
	for i := range 200 {
		call(t, h, fmt.Sprintf("M%dETHOD", i), "/api/v1/lists", nil, "")
		call(t, h, "GET", fmt.Sprintf("/no/such/path/%d", i), nil, "")
	}
	r := call(t, h, "GET", "/metrics", nil, "")
	if strings.Contains(string(r.Body), "M17ETHOD") || strings.Contains(string(r.Body), "/no/such/path") {
		t.Fatal("a client-chosen method or path became a label")
	}
	if grown := len(r.Body) - before; grown > 20_000 {
		t.Fatalf("400 odd requests grew /metrics by %d bytes", grown)
	}
	if !strings.Contains(string(r.Body), `method="other"`) {
		t.Fatal("unknown methods are not counted under \"other\"")
	}
}

func TestMetricsCanLeaveThePublicAddress(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	store := models.NewStore(db)
	h := api.NewRouter(api.Options{Store: store, MetricsElsewhere: true})
	if r := call(t, h, "GET", "/metrics", nil, ""); r.Status != http.StatusNotFound {
		t.Fatalf("/metrics on the public router with MetricsElsewhere: %d", r.Status)
	}
	rec := httptest.NewRecorder()
	api.MetricsHandler(store).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "qingdan_http_requests_total") {
		t.Fatalf("the separate metrics handler: %d", rec.Code)
	}
}

// A panic answers the JSON error shape, not gin's empty 500.
func TestPanicAnswersJSON(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	r := api.NewRouter(api.Options{Store: models.NewStore(db)})
	r.GET("/boom", func(*gin.Context) { panic("boom") })
	res := call(t, r, "GET", "/boom", nil, "")
	if res.Status != 500 || res.ErrorMessage(t) != "服务器内部错误，请稍后重试" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("panic: %d %v %s", res.Status, res.Header, res.Body)
	}
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	db := dbtest.Open(t, "sqlite")
	h := api.NewRouter(api.Options{Store: models.NewStore(db), TrustedProxies: []string{"10.0.0.1"}})
	for _, path := range []string{"/", "/lists/1", "/api/v1/lists", "/api/v1/nothing", "/healthz"} {
		r := call(t, h, "GET", path, nil, "")
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") ||
			r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: %v", path, r.Header)
		}
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
	for _, tc := range []struct {
		remote string
		hsts   bool
	}{{"10.0.0.1:5000", true}, {"192.0.2.1:5000", false}} { // only a trusted proxy is believed
		req := httptest.NewRequest("GET", "/api/v1/lists", nil)
		req.RemoteAddr = tc.remote
		req.Header.Set("X-Forwarded-Proto", "https")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Strict-Transport-Security") != ""; got != tc.hsts {
			t.Errorf("X-Forwarded-Proto https from %s: HSTS %v, want %v", tc.remote, got, tc.hsts)
		}
	}
}

// Behind a TLS-terminating proxy the cookie is Secure; a browser login gets
// the cookie only, an API client the token too.
func TestLoginCookieAndTokenByClient(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		svc := auth.New(store, auth.Config{HashCost: bcrypt.MinCost})
		if _, err := svc.SeedDemo(context.Background()); err != nil {
			t.Fatal(err)
		}
		h := api.NewRouter(api.Options{Store: store, Auth: svc, TrustedProxies: []string{"10.0.0.1"}})
		body := `{"username":"hsb-ybj","password":"demo12345"}`
		send := func(remote string, headers map[string]string) (*http.Cookie, string) {
			req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(body))
			req.RemoteAddr = remote
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("login: %d %s", rec.Code, rec.Body)
			}
			return sessionCookie(t, response{Header: rec.Header()}), rec.Body.String()
		}
		ck, b := send("10.0.0.1:4000", map[string]string{"X-Forwarded-Proto": "https", "Sec-Fetch-Site": "same-origin"})
		if !ck.Secure || strings.Contains(b, ck.Value) || strings.Contains(b, `"token"`) {
			t.Fatalf("browser login behind a TLS proxy: secure=%v body %s", ck.Secure, b)
		}
		ck, b = send("192.0.2.9:4000", map[string]string{"X-Forwarded-Proto": "https"})
		if ck.Secure || !strings.Contains(b, `"token":"`+ck.Value+`"`) {
			t.Fatalf("API client, untrusted X-Forwarded-Proto: secure=%v body %s", ck.Secure, b)
		}
	})
}

// The costly public routes answer 429 with Retry-After to an anonymous
// client over its limit; another client and logged-in users go on.
func TestCostlyRoutesAreLimitedPerClient(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		ids := importSeeds(t, store)
		clk := testkit.NewClock(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
		svc := auth.New(store, auth.Config{Now: clk.Now, HashCost: bcrypt.MinCost})
		if _, err := svc.SeedDemo(context.Background()); err != nil {
			t.Fatal(err)
		}
		h := api.NewRouter(api.Options{Store: store, Auth: svc, Costly: throttle.New(time.Minute, 2, clk.Now)})
		_, token := loginAs(t, h, "admin")
		for _, path := range []string{
			fmt.Sprintf("/api/v1/lists/%d/diff?from=1&to=1", ids[0]),
			fmt.Sprintf("/api/v1/lists/%d/export?format=csv", ids[0]),
			fmt.Sprintf("/api/v1/lists/%d/comparison?from=1&to=1&format=html", ids[0]),
		} {
			clk.Advance(time.Hour) // a full bucket per path
			var last response
			for range 3 {
				last = call(t, h, "GET", path, nil, "")
			}
			if last.Status != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
				t.Errorf("%s, third anonymous call: %d %v", path, last.Status, last.Header)
			}
			if r := call(t, h, "GET", path, nil, token); r.Status == http.StatusTooManyRequests {
				t.Errorf("%s: a logged-in user was limited", path)
			}
			req := httptest.NewRequest("GET", path, nil)
			req.RemoteAddr = "198.51.100.7:1234"
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code == http.StatusTooManyRequests {
				t.Errorf("%s: another client was limited", path)
			}
		}
	})
}

// The limits clients read are the ones the server enforces.
func TestLimitsAreServed(t *testing.T) {
	h := newRouter(dbtest.Open(t, "sqlite"))
	var b struct {
		Fields  map[string]int `json:"fields"`
		Opinion int            `json:"opinion"`
	}
	r := call(t, h, "GET", "/api/v1/limits", nil, "")
	r.JSON(t, &b)
	if r.Status != 200 || b.Fields["basis"] != models.FieldBasis.MaxRunes() || b.Opinion != models.MaxOpinionRunes || len(b.Fields) != len(models.TextFields) {
		t.Fatalf("limits: %d %s", r.Status, r.Body)
	}
}

// One access-log line per request: method, route, status, duration, client IP, user.
func TestAccessLogLine(t *testing.T) {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(prev)
	h := newRouter(dbtest.Open(t, "sqlite"))
	call(t, h, "GET", "/api/v1/lists/7?x=1", nil, "")
	line := buf.String()
	for _, want := range []string{"msg=http", "method=GET", "route=/api/v1/lists/:id", "status=404", "duration_ms=", "ip=192.0.2.1", `user=""`} {
		if !strings.Contains(line, want) {
			t.Errorf("access log %q lacks %s", line, want)
		}
	}
	if strings.Count(line, "msg=http") != 1 {
		t.Errorf("not one line per request: %q", line)
	}
}
