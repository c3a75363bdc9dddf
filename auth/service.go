package auth

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"qingdan/apperr"
	"qingdan/models"
	"qingdan/throttle"
)

// Session policy.
const (
	SessionTTL         = 12 * time.Hour   // a session ends this long after login, used or not
	DefaultIdleTimeout = 30 * time.Minute // and after this long without a request
)

// Login throttling. No account is ever locked: a stranger's wrong passwords
// slow down only the stranger. Every attempt first takes a token from its
// client IP's bucket (before any user lookup or hashing), then a client that
// keeps failing for one username waits longer and longer before it may try
// that username again — known or unknown, so neither the answer nor the
// time tells them apart. Both are kept in the database (models.LoginThrottle),
// so several instances behind a load balancer count as one.
const (
	DefaultLoginBurst = 20              // login attempts a client IP may make at once
	DefaultLoginEvery = 3 * time.Second // then one per this
	FreeFailures      = 3               // failures per username and IP before the backoff
	BackoffBase       = time.Second     // the first wait, doubled by each further failure
	BackoffMax        = 15 * time.Minute
	backoffForget     = time.Hour   // failures this old are forgotten
	pruneEvery        = time.Minute // how often an instance deletes expired throttle rows
)

var loginBackoff = throttle.Backoff{Free: FreeFailures, Base: BackoffBase, Max: BackoffMax, Forget: backoffForget}

// Audit actions written by this package.
const (
	ActionLogin       = "login"
	ActionLoginFailed = "login_failed"
	// ActionLoginUnknown records failed logins of unknown usernames in
	// aggregate, one entry per UnknownWindow, not one per attempt.
	ActionLoginUnknown   = "login_failed_unknown"
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
	Now         func() time.Time // the clock; tests move it instead of sleeping
	HashCost    int              // bcrypt cost of new hashes; out of range (0) means DefaultHashCost
	IdleTimeout time.Duration    // a session unused this long ends; 0 means DefaultIdleTimeout
	LoginBurst  int              // login attempts per client IP at once; 0 means DefaultLoginBurst
	LoginEvery  time.Duration    // then one per this; 0 means DefaultLoginEvery
}

// Service logs users in and out and manages their accounts.
type Service struct {
	store     *models.Store
	now       func() time.Time
	hashCost  int
	dummyHash string // compared against for unknown users, so they take as long as known ones
	idle      time.Duration
	ipEvery   time.Duration // a client IP's bucket of attempts: one per ipEvery,
	ipBurst   int           // ipBurst at once
	unknown   unknownLogins
	pruned    atomic.Int64 // when this instance last pruned the throttle (Unix seconds)
}

// New builds the service.
func New(store *models.Store, cfg Config) *Service {
	a := &Service{store: store, now: cfg.Now, hashCost: cfg.HashCost, idle: cmp.Or(cfg.IdleTimeout, DefaultIdleTimeout)}
	if a.now == nil {
		a.now = time.Now
	}
	a.ipEvery, a.ipBurst = cmp.Or(cfg.LoginEvery, DefaultLoginEvery), cmp.Or(cfg.LoginBurst, DefaultLoginBurst)
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

// Login checks a username and password and opens a session. ip is the
// client's address: it is throttled by it (see the policy above) and it is
// recorded in the audit log. A failed login is audited with the actor
// "anonymous" and the name tried, quoted, in the details; failures of
// unknown usernames are counted and audited in aggregate.
func (a *Service) Login(ctx context.Context, username, password, ip string) (Login, error) {
	client := throttle.ClientKey(ip)
	if err := a.takeAttempt(ctx, client); err != nil {
		return Login{}, err
	}
	name := throttleName(username)
	now := a.Now()
	until, err := a.store.LoginWait(ctx, name, client, now)
	if err != nil {
		return Login{}, err
	}
	if until.After(now) {
		return Login{}, apperr.Slowed(until.Sub(now), "登录失败次数过多")
	}
	badCredentials := apperr.New(apperr.Unauthorized, msgBadCredentials)
	u, err := a.store.UserByUsername(ctx, username)
	if apperr.Is(err, apperr.NotFound) {
		PasswordMatches(a.dummyHash, password)
		if err := a.fail(ctx, name, client); err != nil {
			return Login{}, err
		}
		if err := a.recordUnknown(ctx, username, ip); err != nil {
			return Login{}, fmt.Errorf("login: %w", err)
		}
		return Login{}, badCredentials
	}
	if err != nil {
		return Login{}, fmt.Errorf("login %q: %w", username, err)
	}
	// The slow hash comparison runs outside the transaction so it holds no
	// lock; the transaction re-reads the row and decides on fresh state.
	matches := PasswordMatches(u.PasswordHash, password)

	var out Login
	var refusal error
	err = a.store.Transaction(ctx, func(tx *models.Store) error {
		row, err := tx.LockUser(ctx, u.ID)
		if err != nil {
			return err
		}
		failed := func(reason string) error {
			return tx.AppendAudit(ctx, models.AuditEntry{
				Actor: anonymous, Action: ActionLoginFailed, TargetType: "user",
				TargetID: fmt.Sprint(u.ID), RegionCode: u.ScopeRegion(),
				After: map[string]any{"reason": reason, "ip": ip, "username": quoted(username)},
			})
		}
		switch {
		case !matches || row.PasswordHash != u.PasswordHash:
			refusal = badCredentials
			return failed("wrong_password")
		case row.Disabled:
			refusal = apperr.New(apperr.Forbidden, "账号 %s 已停用，请联系系统管理员", u.Username)
			return failed("disabled")
		}
		if err := tx.DeleteEndedSessions(ctx, u.ID, now); err != nil {
			return err
		}
		token, hash := newToken()
		sess := models.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(SessionTTL), LastSeenAt: now}
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
		if apperr.Is(refusal, apperr.Unauthorized) {
			if err := a.fail(ctx, name, client); err != nil {
				return Login{}, err
			}
		}
		return Login{}, refusal
	}
	if err := a.store.ForgetLoginFailures(ctx, name, client); err != nil {
		return Login{}, err
	}
	return out, nil
}

// takeAttempt takes one attempt from the client's bucket, shared by every
// instance, or refuses it with the wait.
func (a *Service) takeAttempt(ctx context.Context, client string) error {
	now := a.Now()
	a.prune(ctx, now)
	var wait time.Duration
	err := a.store.UpdateLoginThrottle(ctx, "", client, now, func(r *models.LoginThrottle) {
		r.WaitUntil, _, wait = throttle.Take(r.WaitUntil, now, a.ipEvery, a.ipBurst)
		r.LastAt, r.ExpiresAt = now, r.WaitUntil
	})
	if err != nil {
		return err
	}
	if wait > 0 {
		return apperr.Slowed(wait, "登录尝试过于频繁")
	}
	return nil
}

// fail records a failed login of the name from the client: the backoff it
// now owes, kept until it is forgotten.
func (a *Service) fail(ctx context.Context, name, client string) error {
	now := a.Now()
	return a.store.UpdateLoginThrottle(ctx, name, client, now, func(r *models.LoginThrottle) {
		var wait time.Duration
		r.Failures, wait = loginBackoff.Fail(r.Failures, r.LastAt, now)
		r.LastAt, r.WaitUntil = now, now.Add(wait)
		r.ExpiresAt = now.Add(max(backoffForget, wait))
	})
}

// prune deletes the expired throttle rows and caps the table, at most once a
// minute per instance; a failure is logged, not the login's.
func (a *Service) prune(ctx context.Context, now time.Time) {
	last := a.pruned.Load()
	if now.Unix()-last < int64(pruneEvery/time.Second) || !a.pruned.CompareAndSwap(last, now.Unix()) {
		return
	}
	if err := a.store.PruneLoginThrottle(ctx, now, models.MaxLoginThrottleRows); err != nil {
		slog.Warn("prune the login throttle", "err", err)
	}
}

// StickyPrimary is how long after a request that may write its session's
// reads go to the primary database rather than a read replica: longer than
// any replication delay the replicas are allowed, short enough that officials
// reading pages load the replicas too.
const StickyPrimary = 15 * time.Second

// restampAfter is how old a session's last stamped write may be before a new
// write stamps it again: a write a row per request is not needed, and the
// window after the last write stays at least StickyPrimary − restampAfter.
const restampAfter = 5 * time.Second

// Authenticate returns the user of a session token, with its agency and
// region loaded. An unknown, expired, idle or revoked token, or a disabled
// user, is Unauthorized.
func (a *Service) Authenticate(ctx context.Context, token string) (*models.User, error) {
	u, _, err := a.AuthenticateRequest(ctx, token, false)
	return u, err
}

// AuthenticateRequest is Authenticate for a request that may write (write),
// which it records, and tells whether the session wrote within
// StickyPrimary, so that its reads see what it did. It reads the primary.
func (a *Service) AuthenticateRequest(ctx context.Context, token string, write bool) (u *models.User, wroteLately bool, err error) {
	ctx = models.Primary(ctx)
	sess, ok, err := a.openSession(ctx, token, write)
	if err != nil || !ok {
		return nil, false, err
	}
	user, err := a.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, false, fmt.Errorf("session user %d: %w", sess.UserID, err)
	}
	if user.Disabled {
		return nil, false, apperr.New(apperr.Unauthorized, "账号已停用，请联系系统管理员")
	}
	return &user, write || sess.WroteAt != nil && a.Now().Sub(*sess.WroteAt) < StickyPrimary, nil
}

// openSession finds the session of a token; ok is false with an Unauthorized
// error when it is unknown, expired or revoked.
func (a *Service) openSession(ctx context.Context, token string, write bool) (models.Session, bool, error) {
	sess, found, err := a.store.SessionByTokenHash(ctx, HashToken(token))
	if err != nil {
		return sess, false, err
	}
	now := a.Now()
	if !found || sess.RevokedAt != nil || !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(a.idle)) {
		return sess, false, apperr.New(apperr.Unauthorized, msgSessionInvalid)
	}
	if write && (sess.WroteAt == nil || now.Sub(*sess.WroteAt) >= restampAfter) {
		return sess, true, a.store.SessionWrote(ctx, sess.ID, now)
	}
	// The idle clock restarts with use; written at most once a minute so
	// reading pages does not write a row per request.
	if now.Sub(sess.LastSeenAt) >= time.Minute {
		if err := a.store.TouchSession(ctx, sess.ID, now); err != nil {
			return sess, false, err
		}
	}
	return sess, true, nil
}

// Logout revokes the session of the token. Logging out of a session that is
// already over is not an error: the client's goal is reached either way.
func (a *Service) Logout(ctx context.Context, token, ip string) error {
	sess, ok, err := a.openSession(ctx, token, false)
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

// truncate bounds attacker-chosen text (a username tried) before it is stored.
func truncate(s string, maxRunes int) string {
	r := []rune(s)
	if len(r) <= maxRunes {
		return s
	}
	return string(r[:maxRunes])
}

// throttleName is the name a login was tried with as the throttle keeps it:
// bounded, since a stranger chooses it; no real username is this long.
func throttleName(username string) string { return truncate(username, 64) }

// LockedUntil is when the last login backoff of each user ends (for the
// administrators' view); users who may log in from anywhere now are left out.
func (a *Service) LockedUntil(ctx context.Context, usernames ...string) (map[string]time.Time, error) {
	return a.store.LoginWaits(ctx, usernames, a.Now())
}
