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
	"strings"

	"qingdan/importer"
	"qingdan/models"
)

func runImport(ctx context.Context, args []string) error { return importCmd(ctx, args, os.Stdout) }

func importCmd(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	agency := fs.String("agency", "", "实施部门名称（缺省取自标题行）")
	kind := fs.String("kind", "", "清单类型 power（权力清单）或 duty（权责清单），缺省取自标题行")
	region := fs.String("region", "", "行政区划代码（缺省按部门名称判断）")
	sheet := fs.String("sheet", "", "只读工作簿中的这一张工作表（缺省读全部）")
	asJSON := fs.Bool("json", false, "以 JSON 输出导入报告")
	dryRun := fs.Bool("dry-run", false, "只解析并报告，不写入数据库")
	publishDate := fs.String("publish-date", "", "清单原公布日期 YYYY-MM-DD，作为第 1 版的公布日期（缺省为导入当天）")
	docNumber := fs.String("doc-number", "", "清单原公布文号，作为第 1 版的文号")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("用法: qingdan import [--json] [--dry-run] [--sheet 工作表] [--agency 名称] [--kind power|duty] [--region 代码] [--publish-date YYYY-MM-DD] [--doc-number 文号] 文件（.xlsx .docx .csv .tsv .txt）")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	data, err := importer.ReadAll(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	opts := importer.Options{Agency: *agency, Kind: *kind, Sheet: *sheet,
		Record: importer.Record{PublishDate: *publishDate, DocNumber: *docNumber}}

	if *dryRun {
		parsed, err := importer.Read(path, data, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return printReport(out, path, parsed, nil, *asJSON)
	}
	store, err := openDB(ctx)
	if err != nil {
		return err
	}
	parsed, res, err := importer.ImportFile(ctx, store, path, data, opts, *region)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return printReport(out, path, parsed, &res, *asJSON)
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
		out := map[string]any{"file": path, "title": p.Title, "agency": p.Agency, "kind": p.Kind, "format": p.Format,
			"encoding": p.Encoding, "layout": p.Layout, "items": len(p.Items), "report": p.Report, "dry_run": res == nil}
		if res != nil {
			out["list_id"], out["created"] = res.ListID, res.Created
			out["region"], out["agency_id"] = res.Region, res.Agency.ID
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(w, "%s（%s", path, p.Format)
	if p.Encoding != "" {
		fmt.Fprintf(w, "，%s 编码", p.Encoding)
	}
	fmt.Fprintf(w, "）\n%s（%s）共 %d 项\n", p.Title, p.Agency, len(p.Items))
	if p.Layout != nil {
		fmt.Fprintf(w, "  列：%s\n", layoutText(p.Layout))
	}
	for _, c := range p.Report.Counts {
		fmt.Fprintf(w, "  %s：%d 项\n", c.Category, c.Count)
	}
	if len(p.Report.Anomalies) > 0 {
		fmt.Fprintf(w, "发现 %d 处异常：\n", len(p.Report.Anomalies))
		for _, a := range p.Report.Anomalies {
			where := ""
			if a.Sheet != "" {
				where = "工作表“" + a.Sheet + "”"
			}
			if a.Line > 0 {
				where += fmt.Sprintf("第 %d 行", a.Line)
			}
			fmt.Fprintf(w, "  %s [%s] %s\n", or(where, "全文"), a.Kind, a.Message)
		}
	}
	if res != nil {
		// The region was found from the agency's name unless --region gave
		// it: say where the list went, so a wrong guess is seen at once.
		fmt.Fprintf(w, "行政区划：%s（%s）；部门：%s（编号 %d）\n", res.Region.Name, res.Region.Code, res.Agency.Name, res.Agency.ID)
	}
	switch {
	case res == nil:
		fmt.Fprintln(w, "试运行：未写入数据库。")
	case res.Created:
		fmt.Fprintf(w, "已导入为“%s”的第 1 版（清单编号 %d，供 export --list 使用）。\n", p.Title, res.ListID)
	default:
		fmt.Fprintf(w, "同一文件此前已导入为“%s”（清单编号 %d），未做任何更改。\n", p.Title, res.ListID)
	}
	return nil
}

// layoutText writes a layout's columns as 表头→字段 (附加列 for an extra).
func layoutText(l *models.Layout) string {
	var parts []string
	for _, c := range l.Columns {
		if d, ok := c.Field.Def(); ok {
			parts = append(parts, c.Header+"→"+d.Label)
		} else {
			parts = append(parts, c.Header+"→附加列")
		}
	}
	return strings.Join(parts, "，")
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
