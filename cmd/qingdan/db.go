package main

import (
	"context"
	"os"

	"gorm.io/gorm"

	"qingdan/models"
)

const defaultURLHint = models.DefaultURL

// openDB opens DATABASE_URL (or the embedded default) and migrates it.
func openDB(ctx context.Context) (*gorm.DB, error) {
	db, err := models.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return nil, err
	}
	if err := models.Migrate(ctx, db); err != nil {
		return nil, err
	}
	return db, nil
}

func runMigrate(ctx context.Context, args []string) error {
	db, err := openDB(ctx)
	if err != nil {
		return err
	}
	sqlDB, _ := db.DB()
	return sqlDB.Close()
}
