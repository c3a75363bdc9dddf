package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// LoginThrottle is the login throttle's state of a client address (Username
// "") or of a username tried from a client address, shared by every server
// instance on the database. The auth package gives the rows their meaning.
type LoginThrottle struct {
	Username  string `gorm:"primaryKey"`
	Client    string `gorm:"primaryKey"`
	Failures  int
	LastAt    time.Time
	WaitUntil time.Time
	ExpiresAt time.Time // after this the row is as good as none
}

// TableName is the throttle's table.
func (LoginThrottle) TableName() string { return "login_throttle" }

// MaxLoginThrottleRows caps the table: beyond it the rows that expire first go.
const MaxLoginThrottleRows = 100_000

// UpdateLoginThrottle changes the row of (username, client) under a lock, so
// instances counting the same client at once do not lose each other's
// counts: fn gets the row — a zero one (LastAt, WaitUntil zero) when there
// was none or it had expired — and sets what is stored.
func (s *Store) UpdateLoginThrottle(ctx context.Context, username, client string, now time.Time, fn func(*LoginThrottle)) error {
	err := s.Transaction(ctx, func(tx *Store) error {
		row := LoginThrottle{Username: username, Client: client, ExpiresAt: now}
		if err := tx.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return err
		}
		if err := ForUpdate(tx.DB(ctx)).Where("username = ? AND client = ?", username, client).Take(&row).Error; err != nil {
			return err
		}
		if !row.ExpiresAt.After(now) {
			row = LoginThrottle{Username: username, Client: client}
		}
		fn(&row)
		// Not Save: gorm takes the client bucket's username "" for no key.
		return tx.DB(ctx).Model(&LoginThrottle{}).Where("username = ? AND client = ?", username, client).
			Updates(map[string]any{"failures": row.Failures, "last_at": row.LastAt, "wait_until": row.WaitUntil, "expires_at": row.ExpiresAt}).Error
	})
	if err != nil {
		return fmt.Errorf("login throttle: %w", err)
	}
	return nil
}

// LoginWaits returns, per username, the latest end of a wait its rows hold
// after now (from any client); usernames not waiting are left out.
func (s *Store) LoginWaits(ctx context.Context, usernames []string, now time.Time) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(usernames) == 0 {
		return out, nil
	}
	var rows []LoginThrottle
	err := s.DB(ctx).Where("username IN ? AND wait_until > ? AND expires_at > ?", usernames, now, now).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("login waits: %w", err)
	}
	for _, r := range rows {
		if r.WaitUntil.After(out[r.Username]) {
			out[r.Username] = r.WaitUntil
		}
	}
	return out, nil
}

// LoginWait is the end of the wait of (username, client); zero when none.
func (s *Store) LoginWait(ctx context.Context, username, client string, now time.Time) (time.Time, error) {
	var rows []LoginThrottle
	err := s.DB(ctx).Where("username = ? AND client = ? AND expires_at > ?", username, client, now).Limit(1).Find(&rows).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("login wait: %w", err)
	}
	if len(rows) == 0 {
		return time.Time{}, nil
	}
	return rows[0].WaitUntil, nil
}

// ForgetLoginFailures deletes the rows of a username: from one client, or
// from every client when client is "".
func (s *Store) ForgetLoginFailures(ctx context.Context, username, client string) error {
	q := s.DB(ctx).Where("username = ?", username)
	if client != "" {
		q = q.Where("client = ?", client)
	}
	if err := q.Delete(&LoginThrottle{}).Error; err != nil {
		return fmt.Errorf("forget login failures of %q: %w", username, err)
	}
	return nil
}

// PruneLoginThrottle deletes the rows expired at now, then, beyond keep
// rows, those that would expire first.
func (s *Store) PruneLoginThrottle(ctx context.Context, now time.Time, keep int) error {
	db := s.DB(ctx)
	if err := db.Where("expires_at <= ?", now).Delete(&LoginThrottle{}).Error; err != nil {
		return fmt.Errorf("prune login throttle: %w", err)
	}
	err := db.Exec(`DELETE FROM login_throttle WHERE expires_at <
	(SELECT expires_at FROM login_throttle ORDER BY expires_at DESC LIMIT 1 OFFSET ?)`, keep).Error
	if err != nil {
		return fmt.Errorf("cap login throttle: %w", err)
	}
	return nil
}
