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
	u := URL(t, engine)
	db, err := models.Open(context.Background(), u)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	if err := models.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	// Whatever the test wrote must leave history whole (before the close above).
	t.Cleanup(func() {
		vs, err := models.CheckInvariants(context.Background(), models.NewStore(db))
		if err != nil {
			t.Errorf("check invariants on %s: %v", engine, err)
		}
		for _, v := range vs {
			t.Errorf("history left broken on %s: %s", engine, v)
		}
	})
	return db
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
	sqlAdmin, _ := admin.DB()
	defer sqlAdmin.Close()

	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "qdtest_" + hex.EncodeToString(b[:])
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		admin, err := models.Open(context.Background(), PostgresAdminURL())
		if err != nil {
			t.Logf("drop database %s: %v", name, err)
			return
		}
		if err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error; err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
		if sqlDB, err := admin.DB(); err == nil {
			sqlDB.Close()
		}
	})
	u, err := url.Parse(PostgresAdminURL())
	if err != nil {
		t.Fatalf("parse QINGDAN_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return fmt.Sprint(u)
}
