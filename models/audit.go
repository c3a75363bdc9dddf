package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// AuditEntry is what a caller records; AppendAudit adds time and hash chain.
type AuditEntry struct {
	ActorID    *int64
	Actor      string
	Action     string // e.g. login, login_failed, transition, publish, user_add
	TargetType string
	TargetID   string
	RegionCode string
	Before     any // marshalled to JSON; nil for none
	After      any
}

// GenesisHash is the prev_hash of the first audit entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AppendAudit adds an entry to the hash-chained audit log. Call it inside the
// transaction whose change it records. Appends are serialised (an advisory
// lock on PostgreSQL, the immediate write lock on SQLite) so the chain never forks.
func (s *Store) AppendAudit(ctx context.Context, e AuditEntry) error {
	ctx = Primary(ctx) // the chain's last hash, never a replica's
	key := currentAuditKey()
	if key == nil {
		return fmt.Errorf("audit %s: no audit key set", e.Action)
	}
	if !IsSQLite(s.db) {
		if err := s.DB(ctx).Exec("SELECT pg_advisory_xact_lock(7147001)").Error; err != nil {
			return fmt.Errorf("audit %s: lock: %w", e.Action, err)
		}
	}
	var last []AuditEvent
	if err := s.DB(ctx).Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	prev := GenesisHash
	if len(last) == 1 {
		prev = last[0].Hash
	}
	ev := AuditEvent{
		CreatedAt: time.Now().UTC().Truncate(time.Microsecond), ActorID: e.ActorID, Actor: e.Actor, Action: e.Action,
		TargetType: e.TargetType, TargetID: e.TargetID, RegionCode: e.RegionCode,
		Before: marshalAudit(e.Before), After: marshalAudit(e.After), PrevHash: prev,
	}
	ev.Hash = ev.ComputeHash(key)
	if err := s.DB(ctx).Create(&ev).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

func marshalAudit(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// ComputeHash is the HMAC-SHA-256 with the key over the entry's content and
// the previous hash; with a nil key the plain SHA-256 that entries written
// before the chain was keyed carry.
func (e *AuditEvent) ComputeHash(key []byte) string {
	actorID := ""
	if e.ActorID != nil {
		actorID = strconv.FormatInt(*e.ActorID, 10)
	}
	h := sha256.New()
	if key != nil {
		h = hmac.New(sha256.New, key)
	}
	for _, part := range []string{e.PrevHash, e.CreatedAt.UTC().Format(time.RFC3339Nano), actorID, e.Actor, e.Action,
		e.TargetType, e.TargetID, e.RegionCode, e.Before, e.After} {
		fmt.Fprintf(h, "%d:%s\n", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}
