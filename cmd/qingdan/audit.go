package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"qingdan/models"
)

const auditUsage = `用法:
  qingdan audit verify [--head 日志头]   逐条核对审计日志的哈希链（HMAC），报告第一条被改动或其前被删除的记录；
                                         给出此前保存的日志头时，还能发现日志被截断或整体改写
  qingdan audit head                     核对后打印当前的日志头（带签名），请抄存在数据库之外
两者都接受 --audit-key-file 文件（缺省见 README：QINGDAN_AUDIT_KEY、QINGDAN_AUDIT_KEY_FILE）`

func runAudit(ctx context.Context, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "head") {
		return errors.New(auditUsage)
	}
	fs := flag.NewFlagSet("audit "+args[0], flag.ContinueOnError)
	auditKeyFlag(fs)
	head := ""
	if args[0] == "verify" {
		fs.StringVar(&head, "head", "", "此前用 qingdan audit head 保存的日志头")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New(auditUsage)
	}
	store, err := openDB(ctx)
	if err != nil {
		return err
	}
	if args[0] == "head" {
		return auditHead(ctx, store, os.Stdout)
	}
	return auditVerify(ctx, store, head, os.Stdout)
}

// auditVerify prints the result of checking the chain, against a head kept
// earlier when one is given; a broken chain is an error, so the command
// exits non-zero.
func auditVerify(ctx context.Context, store *models.Store, head string, w io.Writer) error {
	var anchor *models.AuditHead
	if head != "" {
		h, err := models.ParseAuditHead(head)
		if err != nil {
			return err
		}
		anchor = &h
	}
	check, err := store.VerifyAuditFrom(ctx, anchor)
	if err != nil {
		return err
	}
	if check.Broken != nil {
		fmt.Fprintf(w, "审计日志的哈希链在记录 %d 处断开（其前 %d 条完好）：%s\n", check.Broken.ID, check.Count, check.Broken.Problem)
		return fmt.Errorf("审计日志校验失败：记录 %d", check.Broken.ID)
	}
	fmt.Fprintf(w, "审计日志完好：%d 条记录，哈希链逐条核对无误。\n", check.Count)
	if anchor != nil {
		fmt.Fprintf(w, "保存的日志头（记录 %d）仍在链中，此后的记录逐条相接。\n", anchor.ID)
	}
	if check.Legacy > 0 {
		fmt.Fprintf(w, "其中最早的 %d 条写于哈希链加密钥之前，只有普通 SHA-256 保护；请保存一个日志头（qingdan audit head）作为锚点。\n", check.Legacy)
	}
	return nil
}

// auditHead checks the chain and prints its signed head.
func auditHead(ctx context.Context, store *models.Store, w io.Writer) error {
	check, err := store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if check.Broken != nil {
		return fmt.Errorf("审计日志在记录 %d 处断开，不打印日志头：%s", check.Broken.ID, check.Broken.Problem)
	}
	fmt.Fprintln(w, check.Head.String())
	return nil
}
