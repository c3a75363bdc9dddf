package auth

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"qingdan/apperr"
	"qingdan/models"
)

// Session and lockout policy.
const (
	SessionTTL      = 12 * time.Hour
	MaxFailedLogins = 5                // consecutive failures that lock an account
	LockDuration    = 15 * time.Minute // how long a locked account refuses logins
)

// Audit actions written by this package.
const (
	ActionLogin          = "login"
	ActionLoginFailed    = "login_failed"
	ActionLogout         = "logout"
	ActionUserAdd        = "user_add"
	ActionUserPasswd     = "user_passwd"
	ActionUserDisable    = "user_disable"
	ActionUserUpdate     = "user_update"
	ActionUserUnlock     = "user_unlock"
	ActionPasswordChange = "password_change" // a user's own
)

// Messages a client sees; a wrong password and an unknown user read the same.
const (
	msgBadCredentials = "用户名或密码错误"
	msgSessionInvalid = "登录已失效，请重新登录"
)

// beijing is China Standard Time (no daylight saving), for times in messages.
var beijing = time.FixedZone("CST", 8*3600)

// Config tunes a Service; the zero value is production.
type Config struct {
	Now      func() time.Time // the clock; tests move it instead of sleeping
	HashCost int              // bcrypt cost of new hashes; out of range (0) means DefaultHashCost
}

// Service logs users in and out and manages their accounts.
type Service struct {
	store     *models.Store
	now       func() time.Time
	hashCost  int
	dummyHash string // compared against for unknown users, so they take as long as known ones
}

// New builds the service.
func New(store *models.Store, cfg Config) *Service {
	a := &Service{store: store, now: cfg.Now, hashCost: cfg.HashCost}
	if a.now == nil {
		a.now = time.Now
	}
	if a.hashCost < bcrypt.MinCost || a.hashCost > bcrypt.MaxCost {
		a.hashCost = DefaultHashCost
	}
	// Cannot fail: the cost is in range and the password short.
	dummy, _ := bcrypt.GenerateFromPassword([]byte("qingdan-dummy-password"), a.hashCost)
	a.dummyHash = string(dummy)
	return a
}

// Now is the service's clock, in UTC at the database's precision.
func (a *Service) Now() time.Time { return a.now().UTC().Truncate(time.Microsecond) }

// Login is a successful login.
type Login struct {
	Token     string // given to the client once; only its hash is stored
	ExpiresAt time.Time
	User      models.User
}

// Login checks a username and password and opens a session. Failures are
// audited and counted: after MaxFailedLogins in a row the account is locked
// for LockDuration, during which the password is not even checked. ip is
// recorded in the audit log.
func (a *Service) Login(ctx context.Context, username, password, ip string) (Login, error) {
	u, err := a.store.UserByUsername(ctx, username)
	if apperr.Is(err, apperr.NotFound) {
		PasswordMatches(a.dummyHash, password)
		err = a.store.Transaction(ctx, func(tx *models.Store) error {
			return tx.AppendAudit(ctx, models.AuditEntry{
				Actor: truncate(username, 64), Action: ActionLoginFailed, TargetType: "user", TargetID: truncate(username, 64),
				After: map[string]any{"reason": "unknown_user", "ip": ip},
			})
		})
		if err != nil {
			return Login{}, fmt.Errorf("login %q: %w", username, err)
		}
		return Login{}, apperr.New(apperr.Unauthorized, msgBadCredentials)
	}
	if err != nil {
		return Login{}, fmt.Errorf("login %q: %w", username, err)
	}
	// The slow hash comparison runs outside the transaction so it holds no
	// lock; the transaction re-reads the row and decides on fresh state.
	now := a.Now()
	matches := !locked(&u, now) && PasswordMatches(u.PasswordHash, password)

	var out Login
	var refusal error
	err = a.store.Transaction(ctx, func(tx *models.Store) error {
		row, err := tx.LockUser(ctx, u.ID)
		if err != nil {
			return err
		}
		failed := func(reason string, extra map[string]any) error {
			after := map[string]any{"reason": reason, "ip": ip}
			for k, v := range extra {
				after[k] = v
			}
			return tx.AppendAudit(ctx, models.AuditEntry{
				ActorID: &u.ID, Actor: u.Username, Action: ActionLoginFailed, TargetType: "user",
				TargetID: fmt.Sprint(u.ID), RegionCode: u.ScopeRegion(), After: after,
			})
		}
		switch {
		case locked(&row, now):
			refusal = lockedError(*row.LockedUntil)
			return failed("locked", map[string]any{"locked_until": row.LockedUntil})
		case !matches || row.PasswordHash != u.PasswordHash:
			count, until := row.FailedLogins+1, (*time.Time)(nil)
			refusal = apperr.New(apperr.Unauthorized, msgBadCredentials)
			if count >= MaxFailedLogins {
				t := now.Add(LockDuration)
				count, until = 0, &t
				refusal = lockedError(t)
			}
			if err := tx.SetLoginFailures(ctx, u.ID, count, until); err != nil {
				return err
			}
			return failed("wrong_password", map[string]any{"failed_logins": row.FailedLogins + 1, "locked_until": until})
		case row.Disabled:
			refusal = apperr.New(apperr.Forbidden, "账号 %s 已停用，请联系系统管理员", u.Username)
			return failed("disabled", nil)
		}
		if err := tx.SetLoginFailures(ctx, u.ID, 0, nil); err != nil {
			return err
		}
		if err := tx.DeleteEndedSessions(ctx, u.ID, now); err != nil {
			return err
		}
		token, hash := newToken()
		sess := models.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
		if err := tx.CreateSession(ctx, &sess); err != nil {
			return err
		}
		out = Login{Token: token, ExpiresAt: sess.ExpiresAt, User: u}
		return tx.AppendAudit(ctx, models.AuditEntry{
			ActorID: &u.ID, Actor: u.Username, Action: ActionLogin, TargetType: "session",
			TargetID: fmt.Sprint(sess.ID), RegionCode: u.ScopeRegion(), After: map[string]any{"ip": ip},
		})
	})
	if err != nil {
		return Login{}, fmt.Errorf("login %q: %w", username, err)
	}
	if refusal != nil {
		return Login{}, refusal
	}
	out.User.FailedLogins, out.User.LockedUntil = 0, nil
	return out, nil
}

func locked(u *models.User, now time.Time) bool {
	return u.LockedUntil != nil && now.Before(*u.LockedUntil)
}

func lockedError(until time.Time) error {
	return apperr.New(apperr.TooMany, "连续 %d 次登录失败，账号已临时锁定，请于 %s（北京时间）后重试",
		MaxFailedLogins, until.In(beijing).Format("2006-01-02 15:04")).
		WithDetails(map[string]any{"retry_at": until})
}

// Authenticate returns the user of a session token, with its agency and
// region loaded. An unknown, expired or revoked token, or a disabled user,
// is Unauthorized.
func (a *Service) Authenticate(ctx context.Context, token string) (*models.User, error) {
	sess, ok, err := a.openSession(ctx, token)
	if err != nil || !ok {
		return nil, err
	}
	u, err := a.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, fmt.Errorf("session user %d: %w", sess.UserID, err)
	}
	if u.Disabled {
		return nil, apperr.New(apperr.Unauthorized, "账号已停用，请联系系统管理员")
	}
	return &u, nil
}

// openSession finds the session of a token; ok is false with an Unauthorized
// error when it is unknown, expired or revoked.
func (a *Service) openSession(ctx context.Context, token string) (models.Session, bool, error) {
	sess, found, err := a.store.SessionByTokenHash(ctx, HashToken(token))
	if err != nil {
		return sess, false, err
	}
	if !found || sess.RevokedAt != nil || !a.Now().Before(sess.ExpiresAt) {
		return sess, false, apperr.New(apperr.Unauthorized, msgSessionInvalid)
	}
	return sess, true, nil
}

// Logout revokes the session of the token. Logging out of a session that is
// already over is not an error: the client's goal is reached either way.
func (a *Service) Logout(ctx context.Context, token, ip string) error {
	sess, ok, err := a.openSession(ctx, token)
	if !ok {
		if apperr.Is(err, apperr.Unauthorized) {
			return nil
		}
		return err
	}
	u, err := a.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return fmt.Errorf("logout: %w", err)
	}
	return a.store.Transaction(ctx, func(tx *models.Store) error {
		if err := tx.RevokeSession(ctx, sess.ID, a.Now()); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{
			ActorID: &u.ID, Actor: u.Username, Action: ActionLogout, TargetType: "session",
			TargetID: fmt.Sprint(sess.ID), RegionCode: u.ScopeRegion(), After: map[string]any{"ip": ip},
		})
	})
}

// truncate bounds attacker-chosen text (an unknown username) before it is stored.
func truncate(s string, maxRunes int) string {
	r := []rune(s)
	if len(r) <= maxRunes {
		return s
	}
	return string(r[:maxRunes])
}
