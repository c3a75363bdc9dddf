package main

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

func TestAuditVerifyReportsTheFirstBrokenEntry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		for i := range 4 {
			err := store.Transaction(ctx, func(tx *models.Store) error {
				return tx.AppendAudit(ctx, models.AuditEntry{Actor: "admin", Action: "user_add", After: map[string]int{"n": i}})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var ids []int64
		db.Model(&models.AuditEvent{}).Order("id").Pluck("id", &ids)

		var out bytes.Buffer
		if err := auditVerify(ctx, store, &out); err != nil || out.String() != "审计日志完好：4 条记录，哈希链逐条核对无误。\n" {
			t.Fatalf("good chain: %q %v", out.String(), err)
		}

		if err := db.Exec(`UPDATE audit_events SET "after" = '{"n":7}' WHERE id = ?`, ids[1]).Error; err != nil {
			t.Fatal(err)
		}
		out.Reset()
		err := auditVerify(ctx, store, &out)
		want := fmt.Sprintf("审计日志的哈希链在记录 %d 处断开（其前 1 条完好）：内容与 hash 不符：本条记录被改动\n", ids[1])
		if err == nil || out.String() != want {
			t.Fatalf("tampered chain: %q %v, want %q and an error", out.String(), err, want)
		}
	})
}
