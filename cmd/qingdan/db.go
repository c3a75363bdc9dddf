package main

import (
	"context"
	"flag"
	"log/slog"
	"os"

	"qingdan/models"
)

const defaultURLHint = models.DefaultURL

// openDB opens DATABASE_URL (or the embedded default) with the read
// replicas of readURLs, migrates it and sets the audit log's key (see
// useAuditKey).
func openDB(ctx context.Context, readURLs ...string) (*models.Store, error) {
	if err := useAuditKey(); err != nil {
		return nil, err
	}
	store, err := models.Open(ctx, os.Getenv("DATABASE_URL"), readURLs...)
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

func runMigrate(ctx context.Context, args []string) error {
	store, err := openDB(ctx)
	if err != nil {
		return err
	}
	return store.Close()
}

// useAuditKey sets the key of the audit chain from QINGDAN_AUDIT_KEY or the
// file QINGDAN_AUDIT_KEY_FILE (serve and audit take --audit-key-file), by
// default a file next to the SQLite database, created on first start.
func useAuditKey() error {
	key, src, err := models.LoadAuditKey(os.Getenv("DATABASE_URL"), os.Getenv("QINGDAN_AUDIT_KEY_FILE"))
	if err != nil {
		return err
	}
	if src.Generated {
		slog.Warn("created a new audit key; keep a copy away from the database: without it the audit log cannot be verified", "file", src.From)
	}
	models.SetAuditKey(key)
	return nil
}

// auditKeyFlag adds --audit-key-file to a command; set, it overrides QINGDAN_AUDIT_KEY_FILE.
func auditKeyFlag(fs *flag.FlagSet) {
	fs.Func("audit-key-file", "审计日志密钥文件（缺省取环境变量 QINGDAN_AUDIT_KEY 或 QINGDAN_AUDIT_KEY_FILE；SQLite 时为数据库旁的 .audit-key 文件，首次启动时生成）",
		func(path string) error { return os.Setenv("QINGDAN_AUDIT_KEY_FILE", path) })
}
