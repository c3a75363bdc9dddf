package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

// TestCheckCommand: `qingdan check` passes the seed lists as imported, and
// fails (exit 1) listing the violation when a version's item count is off.
func TestCheckCommand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
			t.Fatal(err)
		}
		if err := importSeedsIfEmpty(ctx, store, filepath.Join("..", "..", "seeds")); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := checkHistory(ctx, store, &out); err != nil || !strings.Contains(out.String(), "一致") {
			t.Fatalf("check of the seeds: %v\n%s", err, out.String())
		}
		if err := runCheck(ctx, []string{"--fix"}); err == nil || !strings.Contains(err.Error(), "用法") {
			t.Errorf("check with an argument: %v", err)
		}

		tx := db.Begin() // broken only inside, rolled back
		defer tx.Rollback()
		if err := tx.Exec(`UPDATE list_versions SET item_count = item_count + 2 WHERE list_id = (SELECT MIN(id) FROM lists)`).Error; err != nil {
			t.Fatal(err)
		}
		out.Reset()
		err := checkHistory(ctx, models.NewStore(tx), &out)
		if err == nil || !strings.Contains(err.Error(), "1 处") {
			t.Errorf("check of a broken history: %v", err)
		}
		if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "item-count: ") ||
			!strings.Contains(lines[0], "第 1 版记录事项") {
			t.Errorf("check listed %q", out.String())
		}
	})
}
