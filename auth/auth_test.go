package auth_test

import (
	"context"
	"fmt"
	"qingdan/testkit"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// setup returns a service on db with the demo accounts created.
func setup(t *testing.T, db *gorm.DB) (*auth.Service, *testkit.Clock, *models.Store) {
	t.Helper()
	store := models.NewStore(db)
	clk := testkit.NewClock(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	svc := auth.New(store, auth.Config{Now: clk.Now, HashCost: bcrypt.MinCost})
	if _, err := svc.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	return svc, clk, store
}

func code(err error) apperr.Code {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return "<not a domain error>"
}

func auditActions(t *testing.T, store *models.Store) []string {
	t.Helper()
	events, err := store.AuditEvents(context.Background(), models.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(events))
	for i, e := range events {
		out[len(events)-1-i] = e.Action // oldest first
	}
	return out
}

func TestPasswordsAreHashedAndVerified(t *testing.T) {
	h, err := auth.HashPassword("demo12345", bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "demo12345") || !strings.HasPrefix(h, "$2") {
		t.Fatalf("hash %q is not a bcrypt hash of the password", h)
	}
	h2, _ := auth.HashPassword("demo12345", bcrypt.MinCost)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !auth.PasswordMatches(h, "demo12345") || auth.PasswordMatches(h, "demo12346") || auth.PasswordMatches("not a hash", "demo12345") {
		t.Fatal("PasswordMatches accepts a wrong password or rejects the right one")
	}
	for _, tc := range []struct {
		password string
		ok       bool
	}{
		{"zq7-vk2-m9", true},
		{"zq7-vk2-m", false},             // 9 characters
		{"清单修订密码十个字符", true},             // 10 characters, 30 bytes
		{strings.Repeat("密", 24), true},  // 72 bytes
		{strings.Repeat("密", 25), false}, // 75 bytes: bcrypt would silently cut it
		{"wang.xiaoming-2024", false},    // contains the username
		{"WANG.XIAOMING!", false},        // in any case
		{"qwertyuiop", false},            // common
		{"Password123", false},           // common, in any case
		{"1qaz2wsx3edc", false},          // common keyboard walk
	} {
		err := auth.CheckPasswordPolicy("wang.xiaoming", tc.password)
		if (err == nil) != tc.ok || (err != nil && code(err) != apperr.Invalid) {
			t.Errorf("CheckPasswordPolicy(%q) = %v, want ok=%v", tc.password, err, tc.ok)
		}
	}
}

func TestStrangersCannotLockAnAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc, clk, store := setup(t, db)

		_, errUnknown := svc.Login(ctx, "nobody", "demo12345", "10.0.0.1")
		_, errWrong := svc.Login(ctx, "hsb-ybj", "wrong-password", "10.0.0.1")
		if code(errUnknown) != apperr.Unauthorized || code(errWrong) != apperr.Unauthorized || errUnknown.Error() != errWrong.Error() {
			t.Fatalf("unknown user and wrong password must answer alike: %v / %v", errUnknown, errWrong)
		}
		// A stranger guesses admin's password from one address until slowed down…
		var slowed error
		for range 10 {
			if _, err := svc.Login(ctx, "admin", "wrong-password", "203.0.113.9"); code(err) == apperr.TooMany {
				slowed = err
				break
			}
		}
		if slowed == nil {
			t.Fatal("ten wrong passwords from one address were never slowed down")
		}
		// …while the administrator, from their own address, logs in at once.
		if _, err := svc.Login(ctx, "admin", auth.DemoPassword, "10.1.1.1"); err != nil {
			t.Fatalf("the stranger's guesses locked the account for its owner: %v", err)
		}
		// During the backoff even the right password is not checked from the stranger's address.
		if _, err := svc.Login(ctx, "admin", auth.DemoPassword, "203.0.113.9"); code(err) != apperr.TooMany {
			t.Fatalf("backoff let the address in: %v", err)
		}
		clk.Advance(auth.BackoffMax)
		if _, err := svc.Login(ctx, "admin", auth.DemoPassword, "203.0.113.9"); err != nil {
			t.Fatalf("after the wait: %v", err)
		}

		// Failed logins are the anonymous caller's, the name tried quoted in the details.
		events, err := store.AuditEvents(ctx, models.AuditFilter{Limit: 100, Action: auth.ActionLoginFailed})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Actor != "anonymous" || e.ActorID != nil || !strings.Contains(e.After, `"username":"\"`) {
				t.Fatalf("failed login recorded as %q (%v): %s", e.Actor, e.ActorID, e.After)
			}
		}
	})
}

func TestUnknownAndSlowedAccountsAnswerAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc, _, _ := setup(t, db)
		answers := map[string][]string{}
		for _, name := range []string{"admin", "no-such-user"} {
			for range auth.FreeFailures + 2 {
				_, err := svc.Login(ctx, name, "wrong-password", "198.51.100.4")
				e, _ := apperr.As(err)
				answers[name] = append(answers[name], fmt.Sprintf("%s %s %v %v", e.Code, e.Message, e.Details, e.RetryAfter))
			}
		}
		if strings.Join(answers["admin"], "|") != strings.Join(answers["no-such-user"], "|") {
			t.Fatalf("a known and an unknown account answer differently:\n%q\n%q", answers["admin"], answers["no-such-user"])
		}
		if !strings.HasPrefix(answers["admin"][auth.FreeFailures+1], "too_many") {
			t.Fatalf("no backoff after %d failures: %q", auth.FreeFailures+1, answers["admin"])
		}
	})
}

func TestLoginFloodAndSprayingAreSlowedPerAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc, clk, store := setup(t, db)
		before := len(auditActions(t, store))
		// One address sprays one password across many names: after the burst it
		// is refused before any lookup or hashing, and nothing is written.
		var refused int
		for i := range auth.DefaultLoginBurst + 10 {
			_, err := svc.Login(ctx, fmt.Sprintf("user%d", i), "demo12345", "192.0.2.50")
			if code(err) == apperr.TooMany {
				refused++
				if e, _ := apperr.As(err); e.RetryAfter <= 0 {
					t.Fatalf("429 without Retry-After: %v", err)
				}
			}
		}
		if refused != 10 {
			t.Fatalf("%d of %d attempts refused, want the 10 beyond the burst of %d", refused, auth.DefaultLoginBurst+10, auth.DefaultLoginBurst)
		}
		// Unknown names are audited in aggregate: nothing yet, then one entry.
		if n := len(auditActions(t, store)) - before; n != 0 {
			t.Fatalf("%d audit entries for failed logins of unknown names, want them aggregated", n)
		}
		clk.Advance(auth.UnknownWindow)
		if err := svc.FlushFailedLogins(ctx); err != nil {
			t.Fatal(err)
		}
		events, _ := store.AuditEvents(ctx, models.AuditFilter{Limit: 1})
		if events[0].Action != auth.ActionLoginUnknown || events[0].Actor != "anonymous" || !strings.Contains(events[0].After, fmt.Sprintf(`"count":%d`, auth.DefaultLoginBurst)) {
			t.Fatalf("aggregate entry: %+v", events[0])
		}
		// Another address is not affected.
		if _, err := svc.Login(ctx, "hsb-gov", auth.DemoPassword, "192.0.2.51"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSessionsEndWhenIdle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc, clk, _ := setup(t, db)
		l, err := svc.Login(ctx, "hsb-ybj", auth.DemoPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		// Used every 20 minutes the session lives on…
		for range 3 {
			clk.Advance(20 * time.Minute)
			if _, err := svc.Authenticate(ctx, l.Token); err != nil {
				t.Fatalf("a session in use ended: %v", err)
			}
		}
		// …left alone for the idle timeout it ends.
		clk.Advance(auth.DefaultIdleTimeout)
		if _, err := svc.Authenticate(ctx, l.Token); code(err) != apperr.Unauthorized {
			t.Fatalf("an idle session still works: %v", err)
		}
	})
}

func TestSessionsExpireAndAreRevoked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc, clk, _ := setup(t, db)
		l, err := svc.Login(ctx, "yt-sfj", auth.DemoPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		u, err := svc.Authenticate(ctx, l.Token)
		if err != nil || u.Username != "yt-sfj" || u.ScopeRegion() != "653226" || u.Agency == nil || u.Agency.Name != "于田县司法局" {
			t.Fatalf("authenticate: %+v %v", u, err)
		}
		if _, err := svc.Authenticate(ctx, l.Token+"x"); code(err) != apperr.Unauthorized {
			t.Fatalf("a wrong token: %v", err)
		}
		clk.Advance(auth.SessionTTL)
		if _, err := svc.Authenticate(ctx, l.Token); code(err) != apperr.Unauthorized {
			t.Fatalf("an expired session: %v", err)
		}

		l1, _ := svc.Login(ctx, "yt-sfj", auth.DemoPassword, "")
		l2, _ := svc.Login(ctx, "yt-sfj", auth.DemoPassword, "")
		if err := svc.Logout(ctx, l1.Token, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, l1.Token); code(err) != apperr.Unauthorized {
			t.Fatalf("logged-out session: %v", err)
		}
		if _, err := svc.Authenticate(ctx, l2.Token); err != nil {
			t.Fatalf("logout must end only its own session: %v", err)
		}
		if err := svc.Logout(ctx, l1.Token, ""); err != nil {
			t.Fatalf("logging out twice: %v", err)
		}
		// A login clears the user's ended sessions: the expired and the logged-out one.
		clk.Advance(time.Minute)
		if _, err := svc.Login(ctx, "yt-sfj", auth.DemoPassword, ""); err != nil {
			t.Fatal(err)
		}
		var sessions int64
		if err := db.Model(&models.Session{}).Count(&sessions).Error; err != nil || sessions != 2 {
			t.Fatalf("%d sessions kept, want the 2 open ones (%v)", sessions, err)
		}

		// A new password ends every session; disabling ends them and refuses logins.
		admin := auth.Actor{Name: "test"}
		if err := svc.SetPassword(ctx, admin, "yt-sfj", "new-password-1", false); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, l2.Token); code(err) != apperr.Unauthorized {
			t.Fatalf("session after a password change: %v", err)
		}
		if _, err := svc.Login(ctx, "yt-sfj", auth.DemoPassword, ""); code(err) != apperr.Unauthorized {
			t.Fatalf("old password after a change: %v", err)
		}
		l3, err := svc.Login(ctx, "yt-sfj", "new-password-1", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.DisableUser(ctx, admin, "yt-sfj"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, l3.Token); code(err) != apperr.Unauthorized {
			t.Fatalf("session of a disabled user: %v", err)
		}
		if _, err := svc.Login(ctx, "yt-sfj", "new-password-1", ""); code(err) != apperr.Forbidden {
			t.Fatalf("login of a disabled user: %v", err)
		}
		if _, err := svc.Login(ctx, "yt-sfj", "wrong-password", ""); code(err) != apperr.Unauthorized {
			t.Fatalf("wrong password of a disabled user must not reveal it: %v", err)
		}
		if err := svc.DisableUser(ctx, admin, "yt-sfj"); code(err) != apperr.Conflict {
			t.Fatalf("disabling twice: %v", err)
		}
	})
}

func TestAddUserValidatesRoleAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc, _, store := setup(t, db)
		hsb, err := store.EnsureAgency(ctx, "640303", "红寺堡区医疗保障局", models.AgencyDepartment)
		if err != nil {
			t.Fatal(err)
		}
		gov, err := store.EnsureAgency(ctx, "640303", "红寺堡区人民政府", models.AgencyGovernment)
		if err != nil {
			t.Fatal(err)
		}
		closed, err := store.EnsureAgency(ctx, "640303", "红寺堡区撤销局", models.AgencyDepartment)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.UpdateAgency(ctx, &models.Agency{ID: closed.ID, Name: closed.Name, Active: false}); err != nil {
			t.Fatal(err)
		}
		id := func(v int64) *int64 { return &v }
		ok := auth.NewUser{Username: "zhang.san", DisplayName: "张三", Role: models.RoleSubmitter, AgencyID: &hsb.ID, Password: "secret-1234"}
		for _, tc := range []struct {
			name   string
			change func(*auth.NewUser)
			code   apperr.Code
			msg    string
		}{
			{"bad username", func(u *auth.NewUser) { u.Username = "Zhang San" }, apperr.Invalid, "用户名"},
			{"taken username", func(u *auth.NewUser) { u.Username = "hsb-ybj" }, apperr.Conflict, "已存在"},
			{"no display name", func(u *auth.NewUser) { u.DisplayName = " " }, apperr.Invalid, "姓名"},
			{"unknown role", func(u *auth.NewUser) { u.Role = "boss" }, apperr.Invalid, "角色"},
			{"short password", func(u *auth.NewUser) { u.Password = "123" }, apperr.Invalid, "密码"},
			{"submitter without agency", func(u *auth.NewUser) { u.AgencyID = nil }, apperr.Invalid, "所属部门"},
			{"submitter with region", func(u *auth.NewUser) { u.RegionCode = "640303" }, apperr.Invalid, "不能另行指定"},
			{"unknown agency", func(u *auth.NewUser) { u.AgencyID = id(99999) }, apperr.NotFound, "部门"},
			{"reviewer without region", func(u *auth.NewUser) { u.Role, u.AgencyID = models.RoleLegalReviewer, nil }, apperr.Invalid, "行政区划"},
			{"reviewer of a department", func(u *auth.NewUser) { u.Role = models.RoleLegalReviewer }, apperr.Invalid, "合法性审查人员应属于司法局"},
			{"submitter of a government", func(u *auth.NewUser) { u.AgencyID = &gov.ID }, apperr.Invalid, "填报人员应属于业务部门"},
			{"submitter of a closed agency", func(u *auth.NewUser) { u.AgencyID = &closed.ID }, apperr.Invalid, "已停用"},
			{"region admin without region", func(u *auth.NewUser) { u.Role, u.AgencyID = models.RoleRegionAdmin, nil }, apperr.Invalid, "区域管理员必须指定"},
			{"region admin of an agency", func(u *auth.NewUser) { u.Role, u.RegionCode = models.RoleRegionAdmin, "640303" }, apperr.Invalid, "不属于某个部门"},
			{"password with the username", func(u *auth.NewUser) { u.Password = "zhang.san-2025" }, apperr.Invalid, "用户名"},
			{"common password", func(u *auth.NewUser) { u.Password = "1234567890" }, apperr.Invalid, "常见密码"},
			{"reviewer, unknown region", func(u *auth.NewUser) { u.Role, u.AgencyID, u.RegionCode = models.RoleLegalReviewer, nil, "999999" }, apperr.NotFound, "999999"},
			{"approver, agency elsewhere", func(u *auth.NewUser) { u.Role, u.AgencyID, u.RegionCode = models.RoleApprover, &gov.ID, "653226" }, apperr.Invalid, "不属于于田县"},
			{"admin with agency", func(u *auth.NewUser) { u.Role = models.RoleAdmin }, apperr.Invalid, "系统管理员"},
		} {
			in := ok
			tc.change(&in)
			_, err := svc.AddUser(ctx, auth.Actor{Name: "test"}, in)
			if code(err) != tc.code || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s: %v, want %s mentioning %q", tc.name, err, tc.code, tc.msg)
			}
		}
		u, err := svc.AddUser(ctx, auth.Actor{Name: "test"}, ok)
		if err != nil || u.ScopeRegion() != "640303" || u.Agency == nil || u.Agency.Name != "红寺堡区医疗保障局" || u.PasswordHash == "secret-1234" {
			t.Fatalf("valid submitter: %+v %v", u, err)
		}
	})
}

func TestSeedDemoIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc, _, store := setup(t, db) // first run
		if err := svc.SetPassword(ctx, auth.Actor{Name: "test"}, "hsb-gov", "changed-password", false); err != nil {
			t.Fatal(err)
		}
		accounts, err := svc.SeedDemo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(accounts) != 9 { // a submitter, legal reviewer, approver and 编办 reviewer per county, and the admin
			t.Fatalf("accounts: %+v", accounts)
		}
		for _, a := range accounts {
			if a.Created {
				t.Errorf("second run created %s again", a.Username)
			}
		}
		users, err := store.Users(ctx)
		if err != nil || len(users) != 9 {
			t.Fatalf("users after two runs: %d %v", len(users), err)
		}
		if _, err := svc.Login(ctx, "hsb-gov", "changed-password", ""); err != nil {
			t.Fatalf("a second run must not reset a changed password: %v", err)
		}
		var agencies int64
		if err := db.Model(&models.Agency{}).Count(&agencies).Error; err != nil || agencies != 8 {
			t.Fatalf("agencies after two runs: %d %v", agencies, err)
		}
		want := map[string]string{
			"hsb-ybj": "submitter 640303 红寺堡区医疗保障局", "hsb-sfj": "legal_reviewer 640303 红寺堡区司法局",
			"hsb-gov": "approver 640303 红寺堡区人民政府", "yt-ybj": "submitter 653226 于田县医疗保障局",
			"yt-sfj": "legal_reviewer 653226 于田县司法局", "yt-gov": "approver 653226 于田县人民政府", "admin": "admin  ",
			"hsb-bb": "staffing_reviewer 640303 红寺堡区机构编制委员会办公室", "yt-bb": "staffing_reviewer 653226 于田县机构编制委员会办公室",
		}
		for _, u := range users {
			agency := ""
			if u.Agency != nil {
				agency = u.Agency.Name
			}
			if got := u.Role + " " + u.ScopeRegion() + " " + agency; got != want[u.Username] {
				t.Errorf("%s: %q, want %q", u.Username, got, want[u.Username])
			}
		}
	})
}
