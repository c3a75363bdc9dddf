package models

import (
	"context"
	"crypto/hmac"
	"fmt"

	"gorm.io/gorm"
)

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	Limit    int    // at most this many
	Offset   int    // after skipping this many
	BeforeID int64  // only events older than this id (paging); 0 for the newest
	Action   string // only this action; "" for all
	// Regions keeps only the events of these regions; nil for all. Events of
	// no region ("") are an admin's alone.
	Regions []string
}

// AuditEvents returns the events the filter selects, newest first.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, error) {
	var out []AuditEvent
	if err := s.auditQuery(ctx, f).Order("id DESC").Limit(f.Limit).Offset(f.Offset).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("audit events: %w", err)
	}
	return out, nil
}

// CountAuditEvents is how many events the filter selects, whatever its Limit and Offset.
func (s *Store) CountAuditEvents(ctx context.Context, f AuditFilter) (int64, error) {
	var n int64
	if err := s.auditQuery(ctx, f).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count audit events: %w", err)
	}
	return n, nil
}

func (s *Store) auditQuery(ctx context.Context, f AuditFilter) *gorm.DB {
	q := s.DB(ctx).Model(&AuditEvent{})
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Regions != nil {
		q = q.Where("region_code IN ?", f.Regions)
	}
	return q
}

// AuditBreak is the first entry where the chain does not hold.
type AuditBreak struct {
	ID      int64
	Problem string
}

// AuditCheck is the result of walking the audit chain.
type AuditCheck struct {
	Count  int         // entries checked (up to the break)
	Legacy int         // of them, entries written before the chain was keyed (plain SHA-256)
	Head   AuditHead   // the last entry that holds
	Broken *AuditBreak // nil when the whole chain holds
}

// auditBatch is how many entries VerifyAudit reads at a time.
const auditBatch = 1000

// VerifyAudit walks the audit log in id order, recomputing every keyed hash
// and checking that each entry names its predecessor's hash, and reports the
// first entry where that fails: a changed entry fails its own hash, a
// deleted one breaks its successor's link. Entries from before the chain was
// keyed hold by plain SHA-256, and only before the first keyed one.
// Deleting the newest entries leaves a shorter valid chain: VerifyAuditFrom
// with a head kept elsewhere shows that.
func (s *Store) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	return s.VerifyAuditFrom(ctx, nil)
}

// VerifyAuditFrom is VerifyAudit that also holds the log to a head taken
// earlier (AuditHead): its entry must still be there with the same hash.
func (s *Store) VerifyAuditFrom(ctx context.Context, anchor *AuditHead) (AuditCheck, error) {
	var check AuditCheck
	key := currentAuditKey()
	prev, afterID, keyed, anchored := GenesisHash, int64(0), false, false
	for {
		var batch []AuditEvent
		if err := s.DB(ctx).Where("id > ?", afterID).Order("id").Limit(auditBatch).Find(&batch).Error; err != nil {
			return check, fmt.Errorf("verify audit after %d: %w", afterID, err)
		}
		for i := range batch {
			e := &batch[i]
			legacy := false
			switch {
			case e.PrevHash != prev && afterID == 0:
				check.Broken = &AuditBreak{ID: e.ID, Problem: "第一条记录的 prev_hash 不是链首值：更早的记录被删除或本条被改动"}
			case e.PrevHash != prev:
				check.Broken = &AuditBreak{ID: e.ID, Problem: fmt.Sprintf("prev_hash 与上一条（id %d）的 hash 不符：其间有记录被删除，或上一条连同其 hash 被改动，或本条的 prev_hash 被改动", afterID)}
			case key != nil && hmac.Equal([]byte(e.ComputeHash(key)), []byte(e.Hash)):
				keyed = true
			case !keyed && e.ComputeHash(nil) == e.Hash:
				legacy = true
			default:
				check.Broken = &AuditBreak{ID: e.ID, Problem: "内容与 hash 不符：本条记录被改动（或审计密钥不是写入时的密钥）"}
			}
			if check.Broken == nil && anchor != nil && e.ID == anchor.ID {
				if e.Hash != anchor.Hash {
					check.Broken = &AuditBreak{ID: e.ID, Problem: "与保存的日志头不符：日志连同哈希链被整体改写"}
				}
				anchored = true
			}
			if check.Broken != nil {
				return check, nil
			}
			check.Count++
			if legacy {
				check.Legacy++
			}
			check.Head = AuditHead{ID: e.ID, Hash: e.Hash}
			prev, afterID = e.Hash, e.ID
		}
		if len(batch) < auditBatch {
			if anchor != nil && !anchored {
				check.Broken = &AuditBreak{ID: anchor.ID, Problem: fmt.Sprintf("保存的日志头（记录 %d）已不在日志中：日志被截断或改写", anchor.ID)}
			}
			return check, nil
		}
	}
}
