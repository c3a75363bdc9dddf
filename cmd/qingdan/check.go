package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"qingdan/models"
)

func runCheck(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("用法: qingdan check（不带参数，检查 DATABASE_URL 指定的数据库）")
	}
	store, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	return checkHistory(ctx, store, os.Stdout)
}

// checkHistory is `qingdan check`: it runs models.CheckInvariants and
// lists every violation, one a line; any makes it fail (exit 1).
func checkHistory(ctx context.Context, store *models.Store, stdout io.Writer) error {
	vs, err := models.CheckInvariants(ctx, store)
	if err != nil {
		return err
	}
	for _, v := range vs {
		fmt.Fprintln(stdout, v)
	}
	if len(vs) > 0 {
		return fmt.Errorf("版本与修订记录有 %d 处不一致（见上）", len(vs))
	}
	fmt.Fprintln(stdout, "版本与修订记录一致")
	return nil
}
