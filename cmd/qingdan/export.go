package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"qingdan/export"
	"qingdan/models"
)

func runExport(ctx context.Context, args []string) error {
	store, err := openDB(ctx)
	if err != nil {
		return err
	}
	return exportList(ctx, store, args, os.Stdout)
}

// exportList is `qingdan export`: one version of a list as xlsx, csv or tsv,
// to --out or to stdout. The file is written only once it is complete.
func exportList(ctx context.Context, store *models.Store, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	listID := fs.Int64("list", 0, "清单编号（见 GET /api/v1/lists）")
	format := fs.String("format", "", "格式：xlsx、csv 或 tsv（tsv 为原清单格式，可再导入）")
	version := fs.Int("version", 0, "版本号（缺省为现行版本）")
	out := fs.String("out", "", "输出文件（缺省写到标准输出）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *listID <= 0 || fs.NArg() > 0 || *version < 0 {
		return fmt.Errorf("用法: qingdan export --list 编号 --format xlsx|csv|tsv [--version 版本号] [--out 文件]")
	}
	f, err := export.ParseFormat(*format, export.VersionFormats)
	if err != nil {
		return err
	}
	v, err := export.LoadVersion(ctx, store, *listID, *version)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, f, v); err != nil {
		return err
	}
	if *out == "" {
		_, err = buf.WriteTo(stdout)
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "已导出%s第 %d 版（%d 项）到 %s\n", v.Title, v.Number, len(v.Items), *out)
	return nil
}
