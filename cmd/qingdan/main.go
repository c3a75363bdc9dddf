// Command qingdan is the one binary of Qingdan: serve, import, export, user,
// audit, check and migrate.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand; run gets the arguments after its name.
type command struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

var commands = map[string]command{
	"serve":   {"迁移数据库、首次启动时导入 seeds/，并提供网页与接口服务", runServe},
	"migrate": {"把数据库结构升级到最新版本", runMigrate},
	"import":  {"导入一份清单文件（权力清单或权责清单）", runImport},
	"export":  {"导出清单的某一版：xlsx、csv，或可再导入的 tsv", runExport},
	"user":    {"管理用户：add 新建、passwd 改密码、disable 停用、list 列出", runUser},
	"audit":   {"审计日志：verify 核对哈希链", runAudit},
	"check":   {"核对版本与修订记录的一致性，列出每处不一致（有则退出码为 1）", runCheck},
	"gen":     {"生成省级规模的合成数据（行政区划、部门、清单及其历史版本），用于测量", runGen},
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "未知的子命令 %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd.run(ctx, os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "qingdan %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "用法: qingdan <子命令> [参数]\n\n子命令:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\n数据库由环境变量 DATABASE_URL 指定（postgres://… 或 sqlite://路径），缺省为 "+defaultURLHint)
	fmt.Fprintln(os.Stderr, "serve 的只读查询可由 DATABASE_READ_URL 指定的 PostgreSQL 流复制备库（逗号分隔）回答")
}
