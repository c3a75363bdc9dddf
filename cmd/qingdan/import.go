package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"

	"qingdan/importer"
	"qingdan/models"
)

func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	agency := fs.String("agency", "", "实施部门名称（缺省取自标题行）")
	kind := fs.String("kind", "", "清单类型 power（权力清单）或 duty（权责清单），缺省取自标题行")
	region := fs.String("region", "", "行政区划代码（缺省按部门名称判断）")
	asJSON := fs.Bool("json", false, "以 JSON 输出导入报告")
	dryRun := fs.Bool("dry-run", false, "只解析并报告，不写入数据库")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("用法: qingdan import [--json] [--dry-run] [--agency 名称] [--kind power|duty] [--region 代码] 文件")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	opts := importer.Options{Agency: *agency, Kind: *kind}

	if *dryRun {
		parsed, err := importer.Parse(f, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return printReport(os.Stdout, path, parsed, nil, *asJSON)
	}
	db, err := openDB(ctx)
	if err != nil {
		return err
	}
	store := models.NewStore(db)
	parsed, res, err := importer.Import(ctx, store, f, opts, *region)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return printReport(os.Stdout, path, parsed, &res, *asJSON)
}

// importSeedsIfEmpty imports every list file of dir on a database without lists.
func importSeedsIfEmpty(ctx context.Context, store *models.Store, dir string) error {
	n, err := store.CountLists(ctx)
	if err != nil || n > 0 {
		return err
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return err
	}
	sort.Strings(paths)
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		parsed, res, err := importer.Import(ctx, store, f, importer.Options{}, "")
		f.Close()
		if err != nil {
			return fmt.Errorf("import seed %s: %w", p, err)
		}
		slog.Info("seed imported", "file", p, "list", res.ListID, "items", len(parsed.Items), "anomalies", len(parsed.Report.Anomalies))
	}
	return nil
}

func printReport(w io.Writer, path string, p *importer.Parsed, res *models.ImportResult, asJSON bool) error {
	if asJSON {
		out := map[string]any{"file": path, "title": p.Title, "agency": p.Agency, "kind": p.Kind,
			"items": len(p.Items), "report": p.Report, "dry_run": res == nil}
		if res != nil {
			out["list_id"], out["created"] = res.ListID, res.Created
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(w, "%s\n%s（%s）共 %d 项\n", path, p.Title, p.Agency, len(p.Items))
	for _, c := range p.Report.Counts {
		fmt.Fprintf(w, "  %s：%d 项\n", c.Category, c.Count)
	}
	if len(p.Report.Anomalies) > 0 {
		fmt.Fprintf(w, "发现 %d 处异常：\n", len(p.Report.Anomalies))
		for _, a := range p.Report.Anomalies {
			fmt.Fprintf(w, "  第 %d 行 [%s] %s\n", a.Line, a.Kind, a.Message)
		}
	}
	switch {
	case res == nil:
		fmt.Fprintln(w, "试运行：未写入数据库。")
	case res.Created:
		fmt.Fprintf(w, "已导入为清单 %d 的第 1 版。\n", res.ListID)
	default:
		fmt.Fprintf(w, "同一文件此前已导入清单 %d，未做任何更改。\n", res.ListID)
	}
	return nil
}
