package models

import (
	"context"
	"fmt"
	"time"
)

// CreateSession stores a new session (only the token's hash is kept).
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	if err := s.DB(ctx).Create(sess).Error; err != nil {
		return fmt.Errorf("create session for user %d: %w", sess.UserID, err)
	}
	return nil
}

// SessionByTokenHash finds a session by its token's hash; found is false when
// there is none. Expiry and revocation are the caller's to judge.
func (s *Store) SessionByTokenHash(ctx context.Context, tokenHash string) (sess Session, found bool, err error) {
	var out []Session
	if err := s.DB(ctx).Where("token_hash = ?", tokenHash).Limit(1).Find(&out).Error; err != nil {
		return sess, false, fmt.Errorf("find session: %w", err)
	}
	if len(out) == 0 {
		return sess, false, nil
	}
	return out[0], true, nil
}

// RevokeSession ends one session.
func (s *Store) RevokeSession(ctx context.Context, id int64, at time.Time) error {
	err := s.DB(ctx).Model(&Session{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at).Error
	if err != nil {
		return fmt.Errorf("revoke session %d: %w", id, err)
	}
	return nil
}

// RevokeUserSessions ends every open session of a user.
func (s *Store) RevokeUserSessions(ctx context.Context, userID int64, at time.Time) error {
	err := s.DB(ctx).Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at).Error
	if err != nil {
		return fmt.Errorf("revoke sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteEndedSessions removes a user's sessions that expired or were revoked
// before the time, so the table does not grow with every login.
func (s *Store) DeleteEndedSessions(ctx context.Context, userID int64, before time.Time) error {
	err := s.DB(ctx).Where("user_id = ? AND (expires_at < ? OR revoked_at < ?)", userID, before, before).
		Delete(&Session{}).Error
	if err != nil {
		return fmt.Errorf("delete ended sessions of user %d: %w", userID, err)
	}
	return nil
}

// TouchSession records that a session was used, restarting its idle clock.
func (s *Store) TouchSession(ctx context.Context, id int64, at time.Time) error {
	if err := s.DB(ctx).Model(&Session{}).Where("id = ?", id).Update("last_seen_at", at).Error; err != nil {
		return fmt.Errorf("touch session %d: %w", id, err)
	}
	return nil
}

// SessionWrote records that a session is making a request that may write,
// which also counts as its use.
func (s *Store) SessionWrote(ctx context.Context, id int64, at time.Time) error {
	if err := s.DB(ctx).Model(&Session{}).Where("id = ?", id).Updates(map[string]any{"last_seen_at": at, "wrote_at": at}).Error; err != nil {
		return fmt.Errorf("session %d wrote: %w", id, err)
	}
	return nil
}
