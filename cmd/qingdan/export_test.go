package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/importer"
	"qingdan/models"
)

func TestExportCommand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
			t.Fatal(err)
		}
		if err := importSeedsIfEmpty(ctx, store, filepath.Join("..", "..", "seeds")); err != nil {
			t.Fatal(err)
		}
		lists, err := store.ListSummaries(ctx)
		if err != nil || len(lists) != 2 {
			t.Fatalf("%d lists, %v", len(lists), err)
		}
		for _, l := range lists {
			var out bytes.Buffer
			if err := exportList(ctx, store, []string{"--list", strconv.FormatInt(l.ID, 10), "--format", "tsv", "--version", "1"}, &out); err != nil {
				t.Fatal(err)
			}
			p, err := importer.Parse(&out, importer.Options{})
			if err != nil || p.Title != l.Title || len(p.Items) != l.ItemCount {
				t.Fatalf("list %d as tsv: %v, %d items, want %d", l.ID, err, len(p.Items), l.ItemCount)
			}
		}

		file := filepath.Join(t.TempDir(), "清单.xlsx")
		if err := exportList(ctx, store, []string{"--list", strconv.FormatInt(lists[0].ID, 10), "--format", "xlsx", "--out", file}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if title, _ := f.GetCellValue(f.GetSheetName(0), "A1"); title != lists[0].Title {
			t.Errorf("A1 = %q, want %q", title, lists[0].Title)
		}

		for _, c := range []struct {
			args []string
			msg  string
		}{
			{[]string{"--format", "csv"}, "用法"},
			{[]string{"--list", strconv.FormatInt(lists[0].ID, 10), "--format", "pdf"}, "format"},
			{[]string{"--list", "9999", "--format", "csv"}, "清单 9999 不存在"},
			{[]string{"--list", strconv.FormatInt(lists[0].ID, 10), "--format", "csv", "--version", "7"}, "没有第 7 版"},
		} {
			var out bytes.Buffer
			err := exportList(ctx, store, c.args, &out)
			if err == nil || !strings.Contains(err.Error(), c.msg) || out.Len() != 0 {
				t.Errorf("export %v: %v (wrote %d bytes), want an error saying %q and no output", c.args, err, out.Len(), c.msg)
			}
		}
	})
}
