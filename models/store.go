package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"qingdan/apperr"
)

// Store runs the queries of Qingdan against one database handle, which may
// be a transaction.
type Store struct {
	db     *gorm.DB
	shared *shared
	// notes are the heads a transaction changed (see notifyHead), forgotten
	// here once it commits; nil outside transactions.
	notes *[]string
}

// shared is what a store and its transactions have in common.
type shared struct {
	replicas *replicaSet // nil without read replicas
	heads    *heads      // the lists' current versions, kept while LISTEN works; nil without
	stop     []func()    // run by Close, last first
}

// NewStore wraps a database handle.
func NewStore(db *gorm.DB) *Store { return &Store{db: db, shared: &shared{}} }

// DB is the handle, for packages that build their own queries.
func (s *Store) DB(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// Migrate brings the store's schema up to date (see Migrate).
func (s *Store) Migrate(ctx context.Context) error { return Migrate(ctx, s.db) }

// Close stops what the store runs (the replicas' health checks, the version
// listener) and closes its connections.
func (s *Store) Close() error {
	for i := len(s.shared.stop) - 1; i >= 0; i-- {
		s.shared.stop[i]()
	}
	s.shared.stop = nil
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Transaction runs fn in one database transaction; fn must use the Store it is given.
func (s *Store) Transaction(ctx context.Context, fn func(tx *Store) error) error {
	var notes []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, shared: s.shared, notes: &notes})
	})
	if err == nil && s.notes != nil { // a nested transaction: the outer one commits
		*s.notes = append(*s.notes, notes...)
	} else if err == nil && s.shared.heads != nil {
		s.shared.heads.forget(notes...)
		s.shared.heads.awaitAcks(ctx, notes)
	}
	return err
}

// ForUpdate locks the rows a query reads on PostgreSQL. SQLite ignores it; its
// immediate transactions already serialise writers, and compare-and-swap
// updates guard both. The lock is FOR NO KEY UPDATE: it serialises writers of
// the row as strongly, but lets others insert rows that reference it (a
// foreign key check takes FOR KEY SHARE, which FOR UPDATE blocks) — a
// publication holding its list FOR UPDATE deadlocked with the citation linker
// inserting links of that list's revisions.
func ForUpdate(q *gorm.DB) *gorm.DB { return q.Clauses(clause.Locking{Strength: "NO KEY UPDATE"}) }

// notFound turns gorm's ErrRecordNotFound into a domain error with the
// message; any other error is a failed lookup, logged as one (not as "不存在").
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.New(apperr.NotFound, format, args...)
	}
	return fmt.Errorf("lookup failed (%s): %w", fmt.Sprintf(format, args...), err)
}
