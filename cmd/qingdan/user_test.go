package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// testUserCmd is `qingdan user` on db with cheap hashes; stdin is what the
// command reads, and the returned buffer collects what it prints.
func testUserCmd(db *gorm.DB, stdin string) (userCmd, *bytes.Buffer) {
	store := models.NewStore(db)
	out := &bytes.Buffer{}
	return userCmd{store: store, auth: auth.New(store, auth.Config{HashCost: bcrypt.MinCost}), in: strings.NewReader(stdin), out: out}, out
}

func TestUserCommands(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
			t.Fatal(err)
		}
		justice, err := store.EnsureAgency(ctx, "653226", "于田县司法局", models.AgencyJustice)
		if err != nil {
			t.Fatal(err)
		}
		run := func(stdin string, args ...string) (string, error) {
			c, out := testUserCmd(db, stdin)
			err := plainError(c.run(ctx, args))
			return out.String(), err
		}

		out, err := run("s3cret-pass\n", "add", "--username", "wang", "--name", "王审查", "--role", "legal_reviewer",
			"--region", "653226", "--agency-id", strconv.FormatInt(justice.ID, 10), "--password-stdin")
		if err != nil || out != "已创建用户 wang（王审查，合法性审查人员，于田县司法局）。\n" {
			t.Fatalf("add: %q %v", out, err)
		}
		login := func(password string) error {
			_, err := auth.New(store, auth.Config{HashCost: bcrypt.MinCost}).Login(ctx, "wang", password, "")
			return err
		}
		if err := login("s3cret-pass"); err != nil {
			t.Fatalf("the added user cannot log in: %v", err)
		}

		for _, tc := range []struct {
			stdin string
			args  []string
			want  string
		}{
			{"s3cret-pass\n", []string{"add", "--username", "wang", "--name", "王", "--role", "admin", "--password-stdin"}, "用户名 wang 已存在"},
			{"short\n", []string{"add", "--username", "li", "--name", "李", "--role", "admin", "--password-stdin"}, "密码至少需要 10 个字符"},
			{"", []string{"add", "--username", "li", "--name", "李", "--role", "admin"}, "请用 --password-stdin"},
			{"", []string{"add", "--username", "li", "--role", "admin"}, "--name"},
			{"", []string{"add", "--username", "li", "--name", "李", "--role", "admin", "--password", "x"}, "参数有误"},
			{"", []string{"passwd", "nobody", "--password-stdin"}, "参数有误"},
			{"new-pass-1\n", []string{"passwd", "--password-stdin", "nobody"}, "用户 nobody 不存在"},
			{"", []string{"disable"}, "参数有误"},
			{"", []string{"remove", "wang"}, "未知的操作"},
			{"", nil, "用法"},
		} {
			if _, err := run(tc.stdin, tc.args...); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("user %v: %v, want an error with %q", tc.args, err, tc.want)
			}
		}

		if out, err := run("new-pass-1\r\n", "passwd", "--password-stdin", "wang"); err != nil || !strings.Contains(out, "已修改用户 wang 的密码") {
			t.Fatalf("passwd: %q %v", out, err)
		}
		if login("s3cret-pass") == nil || login("new-pass-1") != nil {
			t.Fatal("passwd did not replace the password")
		}
		if out, err := run("", "disable", "wang"); err != nil || !strings.Contains(out, "已停用用户 wang") {
			t.Fatalf("disable: %q %v", out, err)
		}
		if _, err := run("", "disable", "wang"); err == nil || err.Error() != "用户 wang 已是停用状态" {
			t.Fatalf("disable twice: %v", err)
		}
		out, err = run("", "list")
		if err != nil || !strings.Contains(out, "wang") || !strings.Contains(out, "已停用") {
			t.Fatalf("list: %q %v", out, err)
		}

		var actions []string
		db.Model(&models.AuditEvent{}).Order("id").Pluck("action", &actions)
		if got := strings.Join(actions, " "); got != "user_add login user_passwd login_failed login user_disable" {
			t.Fatalf("audit: %s", got)
		}
		var actor string
		db.Model(&models.AuditEvent{}).Where("action = ?", "user_disable").Pluck("actor", &actor)
		if !strings.HasPrefix(actor, "命令行") {
			t.Fatalf("a command-line change is audited as %q", actor)
		}
	})
}
