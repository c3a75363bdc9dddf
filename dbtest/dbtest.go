// Package dbtest gives tests a fresh, migrated database on each engine
// Qingdan supports: PostgreSQL (always required, never skipped) and SQLite.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"qingdan/models"
)

// PostgresAdminURL is the server tests create their databases on. PostgreSQL
// must answer: a test that cannot reach it fails rather than skips.
func PostgresAdminURL() string {
	if u := os.Getenv("QINGDAN_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// TestAuditKey keys the audit chain of every test database.
const TestAuditKey = "qingdan-test-audit-key-not-for-production-use"

func init() { models.SetAuditKey([]byte(TestAuditKey)) }

// Engines are the names Each runs a test under.
var Engines = []string{"postgres", "sqlite"}

// Each runs fn once per engine, each time on a new empty migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, engine := range Engines {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// Open returns a new migrated database of the engine, dropped after the
// test, whose history is checked (models.CheckInvariants) when the test ends.
func Open(t testing.TB, engine string) *gorm.DB {
	t.Helper()
	return OpenStore(t, engine).DB(context.Background())
}

// OpenStore is Open's store.
func OpenStore(t testing.TB, engine string) *models.Store {
	t.Helper()
	return OpenURL(t, URL(t, engine))
}

// OpenURL opens and migrates the database at url (and its read replicas),
// closed after the test.
func OpenURL(t testing.TB, url string, readURLs ...string) *models.Store {
	t.Helper()
	store, err := models.Open(context.Background(), url, readURLs...)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", url, err)
	}
	// Whatever the test wrote must leave history whole (checked before the close above).
	t.Cleanup(func() {
		vs, err := models.CheckInvariants(context.Background(), store)
		if err != nil {
			t.Errorf("check invariants on %s: %v", url, err)
		}
		for _, v := range vs {
			t.Errorf("history left broken on %s: %s", url, v)
		}
	})
	return store
}

// URL creates a new empty database of the engine and returns its
// DATABASE_URL, for tests that start a server process of their own.
func URL(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return "sqlite://" + filepath.Join(t.TempDir(), "qingdan.db")
	case "postgres":
		return newPostgresDB(t)
	}
	t.Fatalf("unknown engine %q", engine)
	return ""
}

func newPostgresDB(t testing.TB) string {
	t.Helper()
	admin, err := models.Open(context.Background(), PostgresAdminURL())
	if err != nil {
		t.Fatalf("PostgreSQL is required for the tests (set QINGDAN_TEST_POSTGRES): %v", err)
	}
	defer admin.Close()

	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "qdtest_" + hex.EncodeToString(b[:])
	if err := admin.DB(context.Background()).Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		admin, err := models.Open(context.Background(), PostgresAdminURL())
		if err != nil {
			t.Logf("drop database %s: %v", name, err)
			return
		}
		defer admin.Close()
		if err := admin.DB(context.Background()).Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error; err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(PostgresAdminURL())
	if err != nil {
		t.Fatalf("parse QINGDAN_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return fmt.Sprint(u)
}
