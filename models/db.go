// Package models holds the database models and the queries on them (the
// store). It knows nothing of HTTP or of workflow rules.
package models

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DefaultURL is the embedded database used when DATABASE_URL is unset.
const DefaultURL = "sqlite://./data/qingdan.db"

// Open connects to the database named by url: postgres://… or sqlite://PATH,
// and returns its store. readURLs name PostgreSQL streaming replicas of it
// that may answer reads marked with ReadReplica (see replicas.go).
func Open(ctx context.Context, url string, readURLs ...string) (*Store, error) {
	if url == "" {
		url = DefaultURL
	}
	db, err := openGorm(ctx, url)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, shared: &shared{}}
	if len(readURLs) > 0 {
		if IsSQLite(db) {
			s.Close()
			return nil, fmt.Errorf("open database: read replicas (DATABASE_READ_URL) need PostgreSQL")
		}
		if err := s.useReplicas(ctx, readURLs); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// openGorm opens one database handle with the product's pool sizes.
func openGorm(ctx context.Context, url string) (*gorm.DB, error) {
	var dialector gorm.Dialector
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		dialector = postgres.Open(url)
	case strings.HasPrefix(url, "sqlite://"):
		path := strings.TrimPrefix(url, "sqlite://")
		if path == "" {
			return nil, fmt.Errorf("open database: sqlite:// needs a file path")
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open database: %w", err)
			}
		}
		// WAL + busy timeout + immediate transactions: without _txlock=immediate
		// read-then-write transactions fail with SQLITE_BUSY under concurrency.
		dialector = sqlite.Open("file:" + path +
			"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	default:
		return nil, fmt.Errorf("open database: DATABASE_URL must start with postgres:// or sqlite:// (got %q)", redact(url))
	}
	db, err := gorm.Open(dialector, &gorm.Config{
		TranslateError: true,
		Logger:         logger.Default.LogMode(logger.Silent),
		NowFunc:        func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redact(url), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if IsSQLite(db) {
		sqlDB.SetMaxOpenConns(8)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", redact(url), err)
	}
	return db, nil
}

// IsSQLite tells the embedded database from PostgreSQL.
func IsSQLite(db *gorm.DB) bool { return db.Dialector.Name() == "sqlite" }

// redact hides a password in a connection URL before it is logged.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	userinfo := url[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return url[:scheme+3] + userinfo[:i] + ":***" + url[at:]
	}
	return url
}
