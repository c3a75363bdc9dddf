package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"qingdan/gen"
)

func runGen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	var c gen.Config
	fs.Uint64Var(&c.Seed, "seed", 1, "随机种子：相同参数与种子生成相同的数据")
	fs.StringVar(&c.Province, "province", "99", "省级代码的前两位（区划代码形如 GB/T 2260）")
	fs.IntVar(&c.Counties, "counties", 100, "县（区、市）数；省级规模为 100")
	fs.IntVar(&c.Departments, "departments", 40, "每县的部门数（每个部门一份清单）")
	fs.IntVar(&c.MinItems, "min-items", 50, "每份清单最少事项数")
	fs.IntVar(&c.MaxItems, "max-items", 300, "每份清单最多事项数（每县有一份满额清单）")
	fs.IntVar(&c.MeanItems, "mean-items", 100, "每份清单平均事项数")
	fs.IntVar(&c.MinVersions, "min-versions", 2, "每份清单最少已公布版本数（含导入的第 1 版）")
	fs.IntVar(&c.MaxVersions, "max-versions", 6, "每份清单最多已公布版本数")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("用法: qingdan gen [--seed N] [--province 99] [--counties 100] [--departments 40] …")
	}
	store, err := openDB(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	st, err := gen.Write(ctx, store.DB(ctx), c, func(county int, s gen.Stats) {
		if county%10 == 0 || county == c.Counties {
			fmt.Fprintf(os.Stderr, "%d/%d 县  %d 份清单  %d 个事项  %d 条修订  %s\n",
				county, c.Counties, s.Lists, s.Items, s.Revisions, time.Since(start).Round(100*time.Millisecond))
		}
	})
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintln(os.Stderr, "整理数据库（供查询规划的统计信息）…")
	if err := store.AfterBulkLoad(ctx); err != nil {
		return err
	}
	fmt.Printf("生成完成：%d 个县、%d 个机关、%d 份清单、%d 个版本、%d 个事项（现行 %d）、%d 条修订，用时 %s（%.0f 条修订/秒）\n",
		st.Counties, st.Agencies, st.Lists, st.Versions, st.Items, st.Live, st.Revisions,
		elapsed.Round(100*time.Millisecond), float64(st.Revisions)/elapsed.Seconds())
	return nil
}
