package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"golang.org/x/term"

	"qingdan/apperr"
	"qingdan/auth"
	"qingdan/models"
)

const userUsage = `用法:
  qingdan user add --username 用户名 --name 姓名 --role 角色 [--agency-id 部门编号] [--region 区划代码] [--password-stdin]
  qingdan user passwd [--password-stdin] 用户名
  qingdan user disable 用户名
  qingdan user list
角色: submitter（填报人员，须 --agency-id，业务部门）、legal_reviewer（合法性审查人员，司法局）和 approver（审定人员，人民政府）须 --region 或 --agency-id；region_admin（区域管理员）须 --region；admin（系统管理员）。
密码不在命令行上给出：在终端上按提示输入，或用 --password-stdin 从标准输入读第一行。`

// userCmd is `qingdan user` with its database and terminal.
type userCmd struct {
	store *models.Store
	auth  *auth.Service
	in    io.Reader
	out   io.Writer
}

func runUser(ctx context.Context, args []string) error {
	store, err := openDB(ctx)
	if err != nil {
		return err
	}
	c := userCmd{store: store, auth: auth.New(store, auth.Config{}), in: os.Stdin, out: os.Stdout}
	return plainError(c.run(ctx, args))
}

func (c userCmd) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	switch args[0] {
	case "add":
		return c.add(ctx, args[1:])
	case "passwd":
		return c.passwd(ctx, args[1:])
	case "disable":
		return c.disable(ctx, args[1:])
	case "list":
		return c.list(ctx)
	}
	return fmt.Errorf("未知的操作 %q\n%s", args[0], userUsage)
}

func (c userCmd) add(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	username := fs.String("username", "", "用户名（登录名）")
	name := fs.String("name", "", "姓名（显示名称）")
	role := fs.String("role", "", "角色")
	agencyID := fs.Int64("agency-id", 0, "所属部门编号")
	region := fs.String("region", "", "负责的行政区划代码")
	fromStdin := fs.Bool("password-stdin", false, "从标准输入读密码")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return fmt.Errorf("参数有误\n%s", userUsage)
	}
	if *username == "" || *name == "" || *role == "" {
		return fmt.Errorf("--username、--name 和 --role 都必须给出\n%s", userUsage)
	}
	password, err := c.readPassword(*fromStdin, *username)
	if err != nil {
		return err
	}
	in := auth.NewUser{Username: *username, DisplayName: *name, Role: *role, RegionCode: *region, Password: password}
	if *agencyID != 0 {
		in.AgencyID = agencyID
	}
	u, err := c.auth.AddUser(ctx, cliActor(), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.out, "已创建用户 %s（%s，%s，%s）。\n", u.Username, u.DisplayName, models.RoleLabels[u.Role], scopeText(&u))
	return nil
}

func (c userCmd) passwd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("user passwd", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fromStdin := fs.Bool("password-stdin", false, "从标准输入读密码")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return fmt.Errorf("参数有误\n%s", userUsage)
	}
	username := fs.Arg(0)
	if _, err := c.store.UserByUsername(ctx, username); err != nil {
		return err // before asking for a password that would be thrown away
	}
	password, err := c.readPassword(*fromStdin, username)
	if err != nil {
		return err
	}
	// Typed at the terminal by the person (or for them, who then knows it): not temporary.
	if err := c.auth.SetPassword(ctx, cliActor(), username, password, false); err != nil {
		return err
	}
	fmt.Fprintf(c.out, "已修改用户 %s 的密码；其原有登录均已失效，登录锁定（如有）已解除。\n", username)
	return nil
}

func (c userCmd) disable(ctx context.Context, args []string) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("参数有误\n%s", userUsage)
	}
	if err := c.auth.DisableUser(ctx, cliActor(), args[0]); err != nil {
		return err
	}
	fmt.Fprintf(c.out, "已停用用户 %s；其原有登录均已失效。\n", args[0])
	return nil
}

func (c userCmd) list(ctx context.Context) error {
	users, err := c.store.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(c.out, "还没有用户。用 qingdan user add 创建，或用 qingdan serve --demo 创建演示账号。")
		return nil
	}
	rows := [][]string{{"用户名", "姓名", "角色", "范围", "状态"}}
	for _, u := range users {
		state := "正常"
		if u.Disabled {
			state = "已停用"
		}
		rows = append(rows, []string{u.Username, u.DisplayName, models.RoleLabels[u.Role], scopeText(&u), state})
	}
	printTable(c.out, rows)
	return nil
}

// readPassword reads a new password: the first line of standard input with
// --password-stdin, else twice from the terminal without echo.
func (c userCmd) readPassword(fromStdin bool, username string) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(c.in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("读取密码: %w", err)
		}
		password := strings.TrimRight(line, "\r\n")
		return password, auth.CheckPasswordPolicy(username, password)
	}
	f, ok := c.in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("标准输入不是终端：请用 --password-stdin 从标准输入提供密码")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(c.out, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.out)
		if err != nil {
			return "", fmt.Errorf("读取密码: %w", err)
		}
		return string(b), nil
	}
	password, err := ask("请输入新密码：")
	if err != nil {
		return "", err
	}
	if err := auth.CheckPasswordPolicy(username, password); err != nil {
		return "", err
	}
	again, err := ask("请再输入一次：")
	if err != nil {
		return "", err
	}
	if again != password {
		return "", errors.New("两次输入的密码不一致，未做任何更改")
	}
	return password, nil
}

// cliActor is who the audit log names for a command-line change: the
// operating-system account that ran it.
func cliActor() auth.Actor {
	name := "命令行"
	if u, err := user.Current(); err == nil {
		name += ":" + u.Username
	}
	return auth.Actor{Name: name}
}

// scopeText says where a user acts: agency and region, region, or everywhere.
func scopeText(u *models.User) string {
	var parts []string
	if u.Agency != nil {
		parts = append(parts, u.Agency.Name)
	}
	if u.Region != nil && (u.Agency == nil || u.Agency.RegionCode != u.Region.Code) {
		parts = append(parts, u.Region.Name+"（"+u.Region.Code+"）")
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, "，")
}

// plainError shows a domain error by its Chinese message alone.
func plainError(err error) error {
	if e, ok := apperr.As(err); ok {
		return errors.New(e.Message)
	}
	return err
}
