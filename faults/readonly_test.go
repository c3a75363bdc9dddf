package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/gen"
	"qingdan/models"
)

// TestReadOnlyOrFullDatabaseAnswers503: when the database takes no writes —
// PostgreSQL with default_transaction_read_only, SQLite in query_only mode
// or at its maximum size — reading goes on, and every write answers at once
// with a 503 that says why, not a 500 and not a hang.
func TestReadOnlyOrFullDatabaseAnswers503(t *testing.T) {
	tests := []struct {
		name, engine string
		restrict     func(t *testing.T, dbURL string, db *gorm.DB) *gorm.DB // returns the handle the server then uses
		message      string
		loginFails   bool // a login's small writes fit in a full file's free pages
	}{
		{"postgres read-only", "postgres", postgresReadOnly, "只读", true},
		{"sqlite read-only", "sqlite", sqlitePragma("PRAGMA query_only = ON"), "只读", true},
		{"sqlite full", "sqlite", sqliteFull, "已满", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			dbURL := dbtest.URL(t, tt.engine)
			db := openDB(t, dbURL)
			if _, err := gen.Write(ctx, db, gen.Config{Seed: 19, Counties: 1, Departments: 1, MinVersions: 1, MaxVersions: 1}, nil); err != nil {
				t.Fatal(err)
			}
			var list models.List
			if err := db.Take(&list).Error; err != nil {
				t.Fatal(err)
			}
			p := addPeople(t, db, list)
			writable := api.NewRouter(api.Options{Store: models.NewStore(db), Auth: auth.New(models.NewStore(db), auth.Config{HashCost: bcrypt.MinCost})})
			token := loginThrough(t, writable, p.submitter.Username)

			limited := tt.restrict(t, dbURL, db)
			store := models.NewStore(limited)
			h := api.NewRouter(api.Options{Store: store, Auth: auth.New(store, auth.Config{HashCost: bcrypt.MinCost})})
			if code, body := serve(t, h, "GET", "/api/v1/lists/"+itoa(list.ID)+"/items", "", ""); code != http.StatusOK {
				t.Fatalf("reading: %d %s", code, body)
			}
			writes := []struct{ path, token, body string }{
				{"/api/v1/change-requests", token, `{"list_id": ` + itoa(list.ID) + `, "title": "调整", "reason": "` + strings.Repeat("依据新法调整。", models.MaxReasonRunes/7) + `"}`}, // the longest reason allowed: more than a full file's free pages hold
			}
			if tt.loginFails {
				writes = append(writes, struct{ path, token, body string }{"/api/v1/auth/login", "", `{"username": "` + p.reviewer.Username + `", "password": "` + password + `"}`})
			}
			for _, w := range writes {
				code, body := serve(t, h, "POST", w.path, w.token, w.body)
				var e struct {
					Error struct{ Code, Message string }
				}
				json.Unmarshal(body, &e)
				if code != http.StatusServiceUnavailable || e.Error.Code != "unavailable" || !strings.Contains(e.Error.Message, tt.message) {
					t.Errorf("POST %s: %d %.300s, want 503 saying %q", w.path, code, body, tt.message)
				}
			}
		})
	}
}

// serve runs one request through the router and fails the test if it takes
// more than 5 seconds: a refusal must not wait for anything.
func serve(t *testing.T, h http.Handler, method, path, token, body string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { h.ServeHTTP(rec, req); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s %s hangs", method, path)
	}
	return rec.Code, rec.Body.Bytes()
}

func loginThrough(t *testing.T, h http.Handler, username string) string {
	t.Helper()
	code, body := serve(t, h, "POST", "/api/v1/auth/login", "", `{"username": "`+username+`", "password": "`+password+`"}`)
	var out struct{ Token string }
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&out); err != nil || code != http.StatusOK {
		t.Fatalf("login: %d %s", code, body)
	}
	return out.Token
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// postgresReadOnly makes the database read-only for new sessions, as an
// operator would during maintenance, and opens a new handle on it.
func postgresReadOnly(t *testing.T, dbURL string, db *gorm.DB) *gorm.DB {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if err := db.Exec("ALTER DATABASE " + name + " SET default_transaction_read_only = on").Error; err != nil {
		t.Fatal(err)
	}
	ro, err := models.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return ro.DB(context.Background())
}

// sqlitePragma opens a one-connection handle on the file with a pragma set.
func sqlitePragma(pragma string) func(t *testing.T, dbURL string, db *gorm.DB) *gorm.DB {
	return func(t *testing.T, dbURL string, _ *gorm.DB) *gorm.DB {
		t.Helper()
		store, err := models.Open(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		h := store.DB(context.Background())
		sqlDB, _ := h.DB()
		sqlDB.SetMaxOpenConns(1) // the pragma is per connection
		if err := h.Exec(pragma).Error; err != nil {
			t.Fatal(err)
		}
		return h
	}
}

// sqliteFull caps the file at the pages it has: the next write that needs a
// page fails as on a full disk (SQLITE_FULL).
func sqliteFull(t *testing.T, dbURL string, db *gorm.DB) *gorm.DB {
	t.Helper()
	var pages int64
	if err := db.Raw("PRAGMA page_count").Scan(&pages).Error; err != nil {
		t.Fatal(err)
	}
	return sqlitePragma("PRAGMA max_page_count = "+itoa(pages))(t, dbURL, db)
}
