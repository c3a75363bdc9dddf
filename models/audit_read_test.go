package models_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

// appendAuditEntries writes n audit entries and returns their ids in order.
func appendAuditEntries(t *testing.T, s *models.Store, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		actor := int64(i + 1)
		err := s.Transaction(ctx, func(tx *models.Store) error {
			return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &actor, Actor: "zhang", Action: "login",
				TargetType: "session", TargetID: "1", RegionCode: "640303", After: map[string]any{"n": i}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var ids []int64
	if err := s.DB(ctx).Model(&models.AuditEvent{}).Order("id").Pluck("id", &ids).Error; err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestVerifyAuditNamesTheFirstBrokenEntry(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func(db *gorm.DB, ids []int64) error
		brokenI int // index of the entry reported broken; -1 for none
		problem string
		count   int
	}{
		{"untouched", func(*gorm.DB, []int64) error { return nil }, -1, "", 5},
		{"changed after", func(db *gorm.DB, ids []int64) error {
			return db.Exec(`UPDATE audit_events SET "after" = ? WHERE id = ?`, `{"n":99}`, ids[2]).Error
		}, 2, "被改动", 2},
		{"changed actor", func(db *gorm.DB, ids []int64) error {
			return db.Exec(`UPDATE audit_events SET actor = 'li' WHERE id = ?`, ids[1]).Error
		}, 1, "被改动", 1},
		{"changed with its own hash recomputed", func(db *gorm.DB, ids []int64) error {
			var e models.AuditEvent
			if err := db.Take(&e, ids[1]).Error; err != nil {
				return err
			}
			e.RegionCode = "653226"
			return db.Exec(`UPDATE audit_events SET region_code = ?, hash = ? WHERE id = ?`, e.RegionCode, e.ComputeHash(), e.ID).Error
		}, 2, "prev_hash 与上一条", 2},
		{"deleted in the middle", func(db *gorm.DB, ids []int64) error {
			return db.Exec(`DELETE FROM audit_events WHERE id = ?`, ids[2]).Error
		}, 3, "被删除", 2},
		{"deleted first", func(db *gorm.DB, ids []int64) error {
			return db.Exec(`DELETE FROM audit_events WHERE id = ?`, ids[0]).Error
		}, 1, "链首", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				s := models.NewStore(db)
				ids := appendAuditEntries(t, s, 5)
				if err := tc.tamper(db, ids); err != nil {
					t.Fatal(err)
				}
				check, err := s.VerifyAudit(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if check.Count != tc.count {
					t.Errorf("count %d, want %d", check.Count, tc.count)
				}
				switch {
				case tc.brokenI < 0 && check.Broken != nil:
					t.Fatalf("untouched chain reported broken: %+v", check.Broken)
				case tc.brokenI >= 0 && (check.Broken == nil || check.Broken.ID != ids[tc.brokenI] || !strings.Contains(check.Broken.Problem, tc.problem)):
					t.Fatalf("broken = %+v, want id %d and %q", check.Broken, ids[tc.brokenI], tc.problem)
				}
			})
		})
	}
}
