package models

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/gorm"
)

//go:embed migrations
var migrations embed.FS

// Migrate brings the schema up to date with the versioned SQL migrations of
// the database's dialect. On PostgreSQL a session lock keeps several
// instances starting at once from migrating twice.
func Migrate(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dialect, dir := database.DialectPostgres, "migrations/postgres"
	opts := []goose.ProviderOption{goose.WithGoMigrations(catalogueMigrations(IsSQLite(db))...)}
	if IsSQLite(db) {
		dialect, dir = database.DialectSQLite3, "migrations/sqlite"
	} else {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	files, err := fs.Sub(migrations, dir)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	p, err := goose.NewProvider(dialect, sqlDB, files, opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
