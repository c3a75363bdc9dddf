package models_test

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/models"
	"qingdan/testkit"
)

// PublishVersion writes all changes in a few batched statements; these are
// the rules the batching must keep.

// bigList imports a list of n items.
func bigList(t *testing.T, s *models.Store, n int) int64 {
	t.Helper()
	ctx := context.Background()
	if err := s.EnsureRegions(ctx, models.KnownRegions); err != nil {
		t.Fatal(err)
	}
	in := models.ImportInput{Title: "红寺堡区医疗保障局权力清单", Kind: models.KindPower, AgencyName: "红寺堡区医疗保障局", RegionCode: "640303", SHA256: "big", At: testkit.Imported}
	for i := range n {
		in.Items = append(in.Items, models.ItemFields{Seq: i + 1, Code: fmt.Sprintf("0247%03d000", i+1), Name: fmt.Sprintf("事项%d", i+1), Category: "行政处罚"})
	}
	res, err := s.ImportList(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return res.ListID
}

func TestPublishVersionManyChangesAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		listID := bigList(t, s, 60)
		v1, err := s.ItemsAt(ctx, listID, 1, models.ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var changes []models.RevisionChange
		for i := range 50 { // items 0–49 modified, 50–54 removed, two added
			f := v1[i].Fields()
			f.Content = "调整后"
			changes = append(changes, models.RevisionChange{ItemID: v1[i].ItemID, Op: models.OpModify, Fields: &f})
		}
		for i := 50; i < 55; i++ {
			changes = append(changes, models.RevisionChange{ItemID: v1[i].ItemID, Op: models.OpRemove})
		}
		for _, name := range []string{"新增甲", "新增乙"} {
			changes = append(changes, models.RevisionChange{Op: models.OpAdd, Fields: &models.ItemFields{Name: name, Category: "行政处罚"}})
		}
		var v models.ListVersion
		err = s.Transaction(ctx, func(tx *models.Store) error {
			v, err = tx.PublishVersion(ctx, models.NewVersion{ListID: listID, BaseVersion: 1, Changes: changes})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if v.Number != 2 || v.ItemCount != 57 || v.Modified != 50 || v.Removed != 5 || v.Added != 2 {
			t.Fatalf("version %+v", v)
		}
		v2, err := s.ItemsAt(ctx, listID, 2, models.ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 50 { // modified items keep identity and place
			if v2[i].ItemID != v1[i].ItemID || v2[i].Content != "调整后" || v2[i].Position != v1[i].Position {
				t.Fatalf("item %d: %+v", i, v2[i])
			}
		}
		if v2[50].ItemID != v1[55].ItemID || v2[55].Name != "新增甲" || v2[56].Name != "新增乙" || v2[56].Position <= v2[55].Position {
			t.Fatalf("order after removals and additions: %v", names(v2[50:]))
		}
		if again, _ := s.ItemsAt(ctx, listID, 1, models.ItemFilter{}); len(again) != 60 || again[0].Content != "" {
			t.Fatalf("version 1 changed: %d items", len(again))
		}
	})
}

func TestPublishVersionRefusesBadChangesWritingNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		listID := bigList(t, s, 5)
		other := bigListIn(t, s)
		v1, _ := s.ItemsAt(ctx, listID, 1, models.ItemFilter{})
		foreign, _ := s.ItemsAt(ctx, other, 1, models.ItemFilter{})
		f := v1[0].Fields()
		tests := []struct {
			name    string
			changes []models.RevisionChange
			code    apperr.Code
		}{
			{"an item of another list", []models.RevisionChange{{ItemID: v1[1].ItemID, Op: models.OpRemove}, {ItemID: foreign[0].ItemID, Op: models.OpRemove}}, apperr.NotFound},
			{"an item that does not exist", []models.RevisionChange{{ItemID: 1 << 40, Op: models.OpRemove}}, apperr.NotFound},
			{"the same item twice", []models.RevisionChange{{ItemID: v1[0].ItemID, Op: models.OpModify, Fields: &f}, {ItemID: v1[0].ItemID, Op: models.OpRemove}}, apperr.Conflict},
			{"an addition without fields", []models.RevisionChange{{ItemID: v1[1].ItemID, Op: models.OpRemove}, {Op: models.OpAdd}}, apperr.Invalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.Transaction(ctx, func(tx *models.Store) error {
					_, err := tx.PublishVersion(ctx, models.NewVersion{ListID: listID, BaseVersion: 1, Changes: tt.changes})
					return err
				})
				if !apperr.Is(err, tt.code) {
					t.Fatalf("got %v, want %s", err, tt.code)
				}
				l, _ := s.List(ctx, listID)
				now, _ := s.ItemsAt(ctx, listID, 1, models.ItemFilter{})
				if l.CurrentVersion != 1 || len(now) != 5 {
					t.Fatalf("a refused publication wrote: version %d, %d items", l.CurrentVersion, len(now))
				}
			})
		}
	})
}

// bigListIn imports a second list, of another agency.
func bigListIn(t *testing.T, s *models.Store) int64 {
	t.Helper()
	res, err := s.ImportList(context.Background(), models.ImportInput{Title: "于田县医疗保障局权力清单", Kind: models.KindPower,
		AgencyName: "于田县医疗保障局", RegionCode: "653226", SHA256: "other",
		Items: []models.ItemFields{{Seq: 1, Name: "他处事项", Category: "行政检查"}}})
	if err != nil {
		t.Fatal(err)
	}
	return res.ListID
}
