package auth

import (
	"context"
	"strconv"
	"sync"
	"time"

	"qingdan/models"
)

// anonymous is the actor of what an unauthenticated client did: the name it
// typed is its claim, not an identity, and goes into the details, quoted.
const anonymous = "anonymous"

// UnknownWindow is how often failed logins of unknown usernames are written
// to the audit log, as one entry with their count.
const UnknownWindow = time.Minute

// sampleSize bounds the names and addresses one aggregate entry lists.
const sampleSize = 20

// unknownLogins counts failed logins of unknown usernames since the last
// aggregate audit entry: a flood of made-up names costs a counter, not a row
// of the hash chain each.
type unknownLogins struct {
	mu    sync.Mutex
	since time.Time
	count int
	names map[string]int // the first sampleSize names tried, quoted
	ips   map[string]int // the first sampleSize client addresses
}

func (u *unknownLogins) add(name, ip string, now time.Time) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.count == 0 {
		u.since, u.names, u.ips = now, map[string]int{}, map[string]int{}
	}
	u.count++
	bump(u.names, quoted(name))
	bump(u.ips, ip)
}

func bump(m map[string]int, k string) {
	if _, ok := m[k]; ok || len(m) < sampleSize {
		m[k]++
	}
}

// take returns the aggregate and starts a new one when it is due (or force).
func (u *unknownLogins) take(now time.Time, force bool) (map[string]any, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.count == 0 || (!force && now.Sub(u.since) < UnknownWindow) {
		return nil, false
	}
	out := map[string]any{"count": u.count, "from": u.since, "to": now, "usernames": u.names, "ips": u.ips}
	u.count = 0
	return out, true
}

func (a *Service) recordUnknown(ctx context.Context, username, ip string) error {
	a.unknown.add(username, ip, a.Now())
	return a.flushUnknown(ctx, false)
}

// FlushFailedLogins writes the pending aggregate of unknown-username failures
// now; serve calls it every UnknownWindow and when it stops.
func (a *Service) FlushFailedLogins(ctx context.Context) error { return a.flushUnknown(ctx, true) }

func (a *Service) flushUnknown(ctx context.Context, force bool) error {
	agg, ok := a.unknown.take(a.Now(), force)
	if !ok {
		return nil
	}
	return a.store.Transaction(ctx, func(tx *models.Store) error {
		return tx.AppendAudit(ctx, models.AuditEntry{Actor: anonymous, Action: ActionLoginUnknown, TargetType: "user", After: agg})
	})
}

// quoted is attacker-chosen text made safe to show: bounded, and with
// control characters and bidi overrides escaped.
func quoted(s string) string {
	return strconv.Quote(truncate(s, 64))
}
