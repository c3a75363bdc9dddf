package models_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

// A list of more items than one statement writes goes in whole and in the
// file's order, every field, citation and extra column as given, on both
// databases (PostgreSQL writes through arrays, SQLite through GORM).
func TestImportStoresEveryFieldOfEveryItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		if err := s.EnsureRegions(ctx, models.KnownRegions); err != nil {
			t.Fatal(err)
		}
		const n = 2345 // three statements of 1,000 on PostgreSQL
		items := make([]models.ItemFields, n)
		for i := range items {
			it := models.ItemFields{Seq: i + 1, Category: "行政许可"}
			for _, f := range models.TextFields {
				if f != models.FieldCategory {
					*it.Ptr(f) = fmt.Sprintf("%s 第%d项 '\"{}\\,", f, i)
				}
			}
			if i%3 > 0 { // the others have neither: stored as [] and {}
				it.Citations = []models.Citation{{Level: "法律", Title: fmt.Sprintf("某法%d", i), Edition: "2021年修正", Articles: "第一条\n第二条"}}
				it.Extra = map[string]string{"承接单位": fmt.Sprintf("单位%d", i), "是否涉企": "是"}
			}
			items[i] = it
		}
		res, err := s.ImportList(ctx, models.ImportInput{Title: "红寺堡区医疗保障局权力清单", Kind: models.KindPower,
			AgencyName: "红寺堡区医疗保障局", RegionCode: "640303", SHA256: "many", Items: items,
			At: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)})
		if err != nil || res.ItemCount != n || res.Region.Name != "红寺堡区" || res.Agency.Name != "红寺堡区医疗保障局" {
			t.Fatalf("import: %+v %v", res, err)
		}
		revs, err := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		if err != nil || len(revs) != n {
			t.Fatalf("%d items read back, %v", len(revs), err)
		}
		seen := map[int64]bool{}
		for i, r := range revs {
			want, got := items[i], r.Fields()
			if len(got.Citations) == 0 && len(got.Extra) == 0 { // none stored: read as empty, nil or not
				got.Citations, got.Extra = nil, nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("item %d:\n got %+v\nwant %+v", i, got, want)
			}
			if seen[r.ItemID] || r.ListID != res.ListID || r.ValidFrom != 1 || r.ValidTo != models.OpenEnd || r.Op != models.OpImport {
				t.Fatalf("item %d: revision %+v", i, r)
			}
			seen[r.ItemID] = true
		}
	})
}
