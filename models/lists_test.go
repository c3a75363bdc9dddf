package models_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/models"
)

func importSample(t *testing.T, s *models.Store, sha string) models.ImportResult {
	t.Helper()
	ctx := context.Background()
	if err := s.EnsureRegions(ctx, models.KnownRegions); err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportList(ctx, models.ImportInput{
		Title: "红寺堡区医疗保障局权力清单", Kind: models.KindPower, AgencyName: "红寺堡区医疗保障局",
		RegionCode: "640303", SHA256: sha,
		At: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC),
		Items: []models.ItemFields{
			{Seq: 1, Code: "0247001000", Name: "甲处罚", Category: "行政处罚", Citations: []models.Citation{{Level: "法律", Title: "中华人民共和国社会保险法"}}},
			{Seq: 2, Code: "0247002000", Name: "乙处罚_100%", Category: "行政处罚"},
			{Seq: 1, Code: "0647001000", Name: "丙检查", Category: "行政检查"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func names(revs []models.ItemRevision) []string {
	out := []string{}
	for _, r := range revs {
		out = append(out, r.Name)
	}
	return out
}

func TestImportIsIdempotentAndRefusesOtherContent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := models.NewStore(db)
		first := importSample(t, s, "aaa")
		if !first.Created || first.ItemCount != 3 {
			t.Fatalf("first import: %+v", first)
		}
		again := importSample(t, s, "aaa")
		if again.Created || again.ListID != first.ListID {
			t.Fatalf("same file again must add nothing: %+v", again)
		}
		revs, err := s.ItemsAt(context.Background(), first.ListID, 1, models.ItemFilter{})
		if err != nil || len(revs) != 3 {
			t.Fatalf("items after re-import: %d %v", len(revs), err)
		}
		_, err = s.ImportList(context.Background(), models.ImportInput{Title: "x", Kind: models.KindPower,
			AgencyName: "红寺堡区医疗保障局", RegionCode: "640303", SHA256: "bbb"})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("different file into existing list: want conflict, got %v", err)
		}
	})
}

func TestVersionsReadByNumberDateAndFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		res := importSample(t, s, "aaa")
		v1, err := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		mod := v1[0].Fields()
		mod.Name = "甲处罚（修改）"
		added := models.ItemFields{Seq: 3, Code: "0247003000", Name: "丁处罚", Category: "行政处罚", Note: "增加"}
		err = s.Transaction(ctx, func(tx *models.Store) error {
			_, err := tx.PublishVersion(ctx, models.NewVersion{ListID: res.ListID, BaseVersion: 1,
				At: time.Date(2024, 6, 1, 20, 0, 0, 0, time.UTC), // 2024-06-02 04:00 in Beijing
				Changes: []models.RevisionChange{
					{ItemID: v1[0].ItemID, Op: models.OpModify, Fields: &mod},
					{ItemID: v1[2].ItemID, Op: models.OpRemove},
					{Op: models.OpAdd, Fields: &added},
				}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		v2, _ := s.ItemsAt(ctx, res.ListID, 2, models.ItemFilter{})
		if got, want := names(v2), []string{"甲处罚（修改）", "乙处罚_100%", "丁处罚"}; !equal(got, want) {
			t.Fatalf("version 2 = %v, want %v", got, want)
		}
		again, _ := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		if got, want := names(again), []string{"甲处罚", "乙处罚_100%", "丙检查"}; !equal(got, want) {
			t.Fatalf("version 1 after publishing 2 = %v, want %v", got, want)
		}
		if v2[0].ItemID != v1[0].ItemID {
			t.Fatalf("a modified item keeps its identity")
		}
		for _, tc := range []struct {
			day  string
			want int
		}{{"2024-03-01", 1}, {"2024-06-01", 1}, {"2024-06-02", 2}, {"2030-01-01", 2}} {
			d, _ := time.Parse(time.DateOnly, tc.day)
			v, err := s.VersionAt(ctx, res.ListID, d)
			if err != nil || v.Number != tc.want {
				t.Errorf("version at %s = %d %v, want %d", tc.day, v.Number, err, tc.want)
			}
		}
		if _, err := s.VersionAt(ctx, res.ListID, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a date before version 1 must be not found, got %v", err)
		}
		for _, tc := range []struct {
			f    models.ItemFilter
			want []string
		}{
			{models.ItemFilter{Category: "行政检查"}, []string{"丙检查"}},
			{models.ItemFilter{Q: "0247002"}, []string{"乙处罚_100%"}},
			{models.ItemFilter{Q: "_100%"}, []string{"乙处罚_100%"}},
			{models.ItemFilter{Q: "%"}, []string{"乙处罚_100%"}},
		} {
			got, err := s.ItemsAt(ctx, res.ListID, 1, tc.f)
			if err != nil || !equal(names(got), tc.want) {
				t.Errorf("filter %+v = %v %v, want %v", tc.f, names(got), err, tc.want)
			}
		}
		// A second publication against the stale base version loses nothing: it is refused.
		err = s.Transaction(ctx, func(tx *models.Store) error {
			_, err := tx.PublishVersion(ctx, models.NewVersion{ListID: res.ListID, BaseVersion: 1,
				Changes: []models.RevisionChange{{Op: models.OpAdd, Fields: &added}}})
			return err
		})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale publication: want conflict, got %v", err)
		}
		sum, _ := s.ListSummary(ctx, res.ListID)
		if sum.Version != 2 || sum.ItemCount != 3 || sum.RegionName != "红寺堡区" {
			t.Fatalf("summary = %+v", sum)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
