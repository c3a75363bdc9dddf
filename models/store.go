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
	db *gorm.DB
}

// NewStore wraps a database handle.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// DB is the handle, for packages that build their own queries.
func (s *Store) DB(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// Transaction runs fn in one database transaction; fn must use the Store it is given.
func (s *Store) Transaction(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx})
	})
}

// ForUpdate locks the rows a query reads on PostgreSQL. SQLite ignores it; its
// immediate transactions already serialise writers, and compare-and-swap
// updates guard both.
func ForUpdate(q *gorm.DB) *gorm.DB { return q.Clauses(clause.Locking{Strength: "UPDATE"}) }

// notFound turns gorm's ErrRecordNotFound into a domain error with the
// message; any other error is a failed lookup, logged as one (not as "不存在").
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return apperr.New(apperr.NotFound, format, args...)
	}
	return fmt.Errorf("lookup failed (%s): %w", fmt.Sprintf(format, args...), err)
}
