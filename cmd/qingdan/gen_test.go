package main

import (
	"context"
	"testing"

	"qingdan/dbtest"
)

// `qingdan gen` leaves a database ready to read: on PostgreSQL the tables it
// loaded are vacuumed (their index-only scans need no heap pages) and
// analysed, on SQLite analysed.
func TestGenLeavesTheDatabaseReadyToRead(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			t.Setenv("DATABASE_URL", dbtest.URL(t, engine))
			t.Setenv("QINGDAN_AUDIT_KEY", dbtest.TestAuditKey)
			if err := runGen(ctx, []string{"--counties", "1", "--departments", "2"}); err != nil {
				t.Fatal(err)
			}
			store, err := openDB(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			var ready bool
			q := `SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'item_revisions'`
			if engine == "sqlite" {
				q = `SELECT COUNT(*) > 0 FROM sqlite_stat1 WHERE tbl = 'item_revisions'`
			}
			if err := store.DB(ctx).Raw(q).Scan(&ready).Error; err != nil || !ready {
				t.Errorf("item_revisions not vacuumed and analysed after gen (%v)", err)
			}
		})
	}
}
