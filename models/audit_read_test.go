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

// rehash changes an entry's region and stores the hash computed with key
// (nil: plain SHA-256), as someone who can write the database would.
func rehash(db *gorm.DB, id int64, key []byte) error {
	var e models.AuditEvent
	if err := db.Take(&e, id).Error; err != nil {
		return err
	}
	e.RegionCode = "653226"
	return db.Exec(`UPDATE audit_events SET region_code = ?, hash = ? WHERE id = ?`, e.RegionCode, e.ComputeHash(key), e.ID).Error
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
		{"changed with its own hash recomputed without the key", func(db *gorm.DB, ids []int64) error {
			return rehash(db, ids[1], nil)
		}, 1, "被改动", 1},
		{"changed with a key of one's own", func(db *gorm.DB, ids []int64) error {
			return rehash(db, ids[1], []byte("an attacker's key, as long as any other"))
		}, 1, "被改动", 1},
		{"changed by the key's holder, its hash recomputed", func(db *gorm.DB, ids []int64) error {
			return rehash(db, ids[1], []byte(dbtest.TestAuditKey))
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

// A head kept outside the database shows the log cut short after it, or
// rewritten wholesale without the key, which a walk of the chain alone cannot.
func TestAuditHeadDetectsTruncationAndRewriting(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func(db *gorm.DB, ids []int64) error
		problem string // "" for a chain that holds
	}{
		{"untouched", func(*gorm.DB, []int64) error { return nil }, ""},
		{"newest entries deleted, back to before the head", func(db *gorm.DB, ids []int64) error {
			return db.Exec(`DELETE FROM audit_events WHERE id >= ?`, ids[2]).Error
		}, "截断"},
		{"rewritten from the start with plain SHA-256", func(db *gorm.DB, ids []int64) error {
			prev := models.GenesisHash
			for _, id := range ids {
				var e models.AuditEvent
				if err := db.Take(&e, id).Error; err != nil {
					return err
				}
				e.Actor, e.PrevHash = "li", prev
				e.Hash = e.ComputeHash(nil)
				if err := db.Exec(`UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?`, e.Actor, e.PrevHash, e.Hash, id).Error; err != nil {
					return err
				}
				prev = e.Hash
			}
			return nil
		}, "整体改写"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
				s := models.NewStore(db)
				ctx := context.Background()
				appendAuditEntries(t, s, 3)
				check, err := s.VerifyAudit(ctx)
				if err != nil || check.Broken != nil {
					t.Fatal(check.Broken, err)
				}
				head, err := models.ParseAuditHead(check.Head.String())
				if err != nil || head != check.Head {
					t.Fatalf("head %s read back as %+v: %v", check.Head, head, err)
				}
				ids := appendAuditEntries(t, s, 2)
				if err := tc.tamper(db, ids); err != nil {
					t.Fatal(err)
				}
				check, err = s.VerifyAuditFrom(ctx, &head)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case tc.problem == "" && check.Broken != nil:
					t.Fatalf("untouched chain reported broken: %+v", check.Broken)
				case tc.problem != "" && (check.Broken == nil || !strings.Contains(check.Broken.Problem, tc.problem)):
					t.Fatalf("broken = %+v, want %q", check.Broken, tc.problem)
				}
			})
		})
	}
	if _, err := models.ParseAuditHead("qingdan-audit-head:v1:3:abc:0123456789abcdef0123456789abcdef"); err == nil {
		t.Fatal("a head with a made-up signature was accepted")
	}
}
