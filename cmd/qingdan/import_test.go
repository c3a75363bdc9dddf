package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"qingdan/dbtest"
	"qingdan/models"
	"qingdan/testkit"
)

// `qingdan import` takes every test layout on both databases: the items
// stored are those written by hand, with the list's own columns.
func TestImportCommandEveryLayout(t *testing.T) {
	for _, engine := range []string{"postgres", "sqlite"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			t.Setenv("DATABASE_URL", dbtest.URL(t, engine))
			t.Setenv("QINGDAN_AUDIT_KEY", dbtest.TestAuditKey)
			dir := t.TempDir()
			for _, tc := range testkit.LayoutCases {
				path := filepath.Join(dir, tc.File)
				if err := os.WriteFile(path, tc.Data(), 0o644); err != nil {
					t.Fatal(err)
				}
				args := []string{"--json", "--region", "640303"}
				if tc.AgencyOption != "" {
					args = append(args, "--agency", tc.AgencyOption)
				}
				var out bytes.Buffer
				if err := importCmd(ctx, append(args, "--dry-run", path), &out); err != nil {
					t.Fatalf("%s dry run: %v", tc.Name, err)
				}
				var dry struct {
					DryRun bool `json:"dry_run"`
					Items  int  `json:"items"`
				}
				if json.Unmarshal(out.Bytes(), &dry); !dry.DryRun || dry.Items != len(tc.Items) {
					t.Errorf("%s dry run: %s", tc.Name, out.String())
				}
				out.Reset()
				if err := importCmd(ctx, append(args, path), &out); err != nil {
					t.Fatalf("%s: %v", tc.Name, err)
				}
				var res struct {
					ListID int64 `json:"list_id"`
				}
				json.Unmarshal(out.Bytes(), &res)
				store, err := openDB(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer store.Close()
				l, err := store.List(ctx, res.ListID)
				if err != nil || l.Agency.Name != tc.Agency || l.Kind != tc.Kind {
					t.Fatalf("%s: list %+v %v", tc.Name, l, err)
				}
				revs, err := store.ItemsAt(ctx, l.ID, 1, models.ItemFilter{})
				if err != nil {
					t.Fatal(err)
				}
				var items []models.ItemFields
				for _, r := range revs {
					items = append(items, r.Fields())
				}
				testkit.CheckItems(t, items, tc.Published())
				if got := l.ColumnLayout().Columns; len(got) != len(tc.Columns) {
					t.Errorf("%s: stored layout %v", tc.Name, got)
				}
			}
		})
	}
}

// --sheet reads one worksheet; the text report names the format, the
// columns and each finding's sheet and row; bad files are refused by name.
func TestImportCommandSheetAndReport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var jiyuan testkit.LayoutCase
	for _, tc := range testkit.LayoutCases {
		if strings.HasSuffix(tc.File, "jiyuan.xlsx") {
			jiyuan = tc
		}
	}
	path := filepath.Join(dir, jiyuan.File)
	if err := os.WriteFile(path, jiyuan.Data(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := importCmd(ctx, []string{"--dry-run", "--sheet", "行政检查", "--agency", "济源市医疗保障局", path}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"（xlsx）", "共 2 项", "责任科室→实施部门", "是否涉企→附加列", "工作表“行政检查”", "试运行"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	bad := filepath.Join(dir, "清单.xls")
	os.WriteFile(bad, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), 0o644)
	if err := importCmd(ctx, []string{"--dry-run", bad}, &out); err == nil || !strings.Contains(err.Error(), "清单.xls: 这是旧版") {
		t.Errorf("old workbook: %v", err)
	}
}

// Without --region, `qingdan import` finds the region from the agency's name
// and says where the list went, as text and as JSON, on both databases.
func TestImportCommandNamesTheRegionItFound(t *testing.T) {
	for _, engine := range []string{"postgres", "sqlite"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			t.Setenv("DATABASE_URL", dbtest.URL(t, engine))
			t.Setenv("QINGDAN_AUDIT_KEY", dbtest.TestAuditKey)
			dir := t.TempDir()
			files := map[string][]byte{}
			for _, tc := range testkit.LayoutCases {
				if tc.Agency == "建平县医疗保障局" || tc.Agency == "宿城区司法局" {
					files[tc.Agency] = tc.Data()
				}
			}
			path := filepath.Join(dir, "jianping.xlsx")
			os.WriteFile(path, files["建平县医疗保障局"], 0o644)
			var out bytes.Buffer
			if err := importCmd(ctx, []string{path}, &out); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "行政区划：建平县（211322）；部门：建平县医疗保障局（编号 ") {
				t.Errorf("the report does not name the region found:\n%s", out.String())
			}
			path = filepath.Join(dir, "sucheng.docx")
			os.WriteFile(path, files["宿城区司法局"], 0o644)
			out.Reset()
			if err := importCmd(ctx, []string{"--json", path}, &out); err != nil {
				t.Fatal(err)
			}
			var res struct {
				Region   models.Region `json:"region"`
				AgencyID int64         `json:"agency_id"`
				ListID   int64         `json:"list_id"`
			}
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if res.Region.Code != "321302" || res.Region.Name != "宿城区" || res.AgencyID == 0 {
				t.Errorf("JSON report: %s", out.String())
			}
			store, err := openDB(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			l, err := store.List(ctx, res.ListID)
			if err != nil || l.Agency.ID != res.AgencyID || l.Agency.RegionCode != "321302" {
				t.Errorf("list %d: %+v %v", res.ListID, l.Agency, err)
			}
		})
	}
}

// `qingdan import --publish-date --doc-number` records the list's own
// publication as version 1's; a bad date is refused before anything is kept.
func TestImportCommandRecordsThePublication(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			t.Setenv("DATABASE_URL", dbtest.URL(t, engine))
			t.Setenv("QINGDAN_AUDIT_KEY", dbtest.TestAuditKey)
			tc := testkit.LayoutCases[0]
			path := filepath.Join(t.TempDir(), tc.File)
			if err := os.WriteFile(path, tc.Data(), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"--region", "640303", "--agency", "红寺堡区民政局"}
			var out bytes.Buffer
			err := importCmd(ctx, append(args, "--publish-date", "2023-02-30", path), &out)
			if err == nil || !strings.Contains(err.Error(), "公布日期") {
				t.Fatalf("an impossible date: %v", err)
			}
			if err := importCmd(ctx, append(args, "--publish-date", "2023-05-08", "--doc-number", "红政办发〔2023〕12号", path), &out); err != nil {
				t.Fatal(err)
			}
			store, err := openDB(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			lists, err := store.ListSummaries(ctx)
			if err != nil || len(lists) != 1 {
				t.Fatalf("lists %v, %v (the refused import kept one?)", lists, err)
			}
			v, err := store.Version(ctx, lists[0].ID, 1)
			if err != nil || v.PublishDate != "2023-05-08" || v.DocNumber != "红政办发〔2023〕12号" || !v.PublishedAt.Equal(time.Date(2023, 5, 8, 0, 0, 0, 0, models.China)) {
				t.Errorf("version 1: %+v, %v", v, err)
			}
		})
	}
}
