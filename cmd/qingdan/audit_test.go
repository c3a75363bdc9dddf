package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
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
		if err := auditVerify(ctx, store, "", &out); err != nil || out.String() != "审计日志完好：4 条记录，哈希链逐条核对无误。\n" {
			t.Fatalf("good chain: %q %v", out.String(), err)
		}

		if err := db.Exec(`UPDATE audit_events SET "after" = '{"n":7}' WHERE id = ?`, ids[1]).Error; err != nil {
			t.Fatal(err)
		}
		out.Reset()
		err := auditVerify(ctx, store, "", &out)
		want := fmt.Sprintf("审计日志的哈希链在记录 %d 处断开（其前 1 条完好）：内容与 hash 不符：本条记录被改动（或审计密钥不是写入时的密钥）\n", ids[1])
		if err == nil || out.String() != want {
			t.Fatalf("tampered chain: %q %v, want %q and an error", out.String(), err, want)
		}
	})
}

func TestAuditHeadThenVerifyHead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		appendN := func(n int) {
			for i := range n {
				if err := store.Transaction(ctx, func(tx *models.Store) error {
					return tx.AppendAudit(ctx, models.AuditEntry{Actor: "admin", Action: "user_add", After: map[string]int{"n": i}})
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
		appendN(3)
		var head bytes.Buffer
		if err := auditHead(ctx, store, &head); err != nil || !strings.HasPrefix(head.String(), "qingdan-audit-head:v1:") {
			t.Fatalf("audit head: %q %v", head.String(), err)
		}
		appendN(2)
		var out bytes.Buffer
		if err := auditVerify(ctx, store, head.String(), &out); err != nil || !strings.Contains(out.String(), "仍在链中") {
			t.Fatalf("verify --head on a grown log: %q %v", out.String(), err)
		}
		// Cut back to before the head: the chain left holds, the head shows the cut.
		var ids []int64
		db.Model(&models.AuditEvent{}).Order("id").Pluck("id", &ids)
		db.Exec(`DELETE FROM audit_events WHERE id >= ?`, ids[2])
		out.Reset()
		if err := auditVerify(ctx, store, "", &out); err != nil {
			t.Fatalf("without the head the shorter chain holds: %q %v", out.String(), err)
		}
		out.Reset()
		if err := auditVerify(ctx, store, head.String(), &out); err == nil || !strings.Contains(out.String(), "截断") {
			t.Fatalf("verify --head on a truncated log: %q %v", out.String(), err)
		}
	})
}
