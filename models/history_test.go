package models_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/historytest"
	"qingdan/models"
)

func TestVersionsNewestFirstWithTheirChangeRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		res := importSample(t, s, "aaa")
		l, _ := s.List(ctx, res.ListID)
		ppl := historytest.NewPeople(t, s, l.AgencyID, "")
		v1, _ := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		mod := v1[0].Fields()
		mod.Name = "甲处罚（修改）"
		added := models.ItemFields{Seq: 3, Code: "0247003000", Name: "丁处罚", Category: "行政处罚", Note: "增加", Basis: historytest.Basis}
		historytest.Publish(t, s, ppl, res.ListID, "调整甲处罚并增加丁处罚", time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC),
			historytest.Change{Op: models.OpModify, ItemID: v1[0].ItemID, Fields: &mod}, historytest.Change{Op: models.OpAdd, Fields: &added})
		historytest.Publish(t, s, ppl, res.ListID, "取消丙检查", time.Date(2024, 6, 1, 2, 0, 0, 0, time.UTC),
			historytest.Change{Op: models.OpRemove, ItemID: v1[2].ItemID})

		vs, err := s.Versions(ctx, res.ListID)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			number, items, added, modified, removed int
			title, agency                           string
		}
		var got []row
		for _, v := range vs {
			got = append(got, row{v.Number, v.ItemCount, v.Added, v.Modified, v.Removed, v.ChangeRequestTitle, v.ChangeRequestAgency})
		}
		want := []row{
			{3, 3, 0, 0, 1, "取消丙检查", "红寺堡区医疗保障局"},
			{2, 4, 1, 1, 0, "调整甲处罚并增加丁处罚", "红寺堡区医疗保障局"},
			{1, 3, 0, 0, 0, "", ""},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("versions\n got %+v\nwant %+v", got, want)
		}
		if vs[2].ChangeRequestID != nil {
			t.Error("version 1 (the import) has a change request")
		}
		if _, err := s.Versions(ctx, 9999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown list: want not found, got %v", err)
		}
	})
}

func TestChangedRevisionsReadsOnlyWhatDiffers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		res := importSample(t, s, "aaa")
		l, _ := s.List(ctx, res.ListID)
		ppl := historytest.NewPeople(t, s, l.AgencyID, "")
		v1, _ := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		at := time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC)
		a := v1[0].Fields()
		a.Content = "第二版"
		historytest.Publish(t, s, ppl, res.ListID, "v2", at, historytest.Change{Op: models.OpModify, ItemID: v1[0].ItemID, Fields: &a})
		a.Content = "第三版"
		historytest.Publish(t, s, ppl, res.ListID, "v3", at, historytest.Change{Op: models.OpModify, ItemID: v1[0].ItemID, Fields: &a})
		historytest.Publish(t, s, ppl, res.ListID, "v4", at, historytest.Change{Op: models.OpRemove, ItemID: v1[1].ItemID})

		contents := func(revs []models.ItemRevision) map[int64]string {
			m := map[int64]string{}
			for _, r := range revs {
				m[r.ItemID] = r.Name + "|" + r.Content
			}
			return m
		}
		cases := []struct {
			a, b     int
			atA, atB map[int64]string
		}{
			{1, 2, map[int64]string{v1[0].ItemID: "甲处罚|"}, map[int64]string{v1[0].ItemID: "甲处罚|第二版"}},
			// The middle state (第二版) is not read for 1 → 3.
			{1, 3, map[int64]string{v1[0].ItemID: "甲处罚|"}, map[int64]string{v1[0].ItemID: "甲处罚|第三版"}},
			{1, 4, map[int64]string{v1[0].ItemID: "甲处罚|", v1[1].ItemID: "乙处罚_100%|"}, map[int64]string{v1[0].ItemID: "甲处罚|第三版"}},
			{4, 1, map[int64]string{v1[0].ItemID: "甲处罚|第三版"}, map[int64]string{v1[0].ItemID: "甲处罚|", v1[1].ItemID: "乙处罚_100%|"}},
			{3, 4, map[int64]string{v1[1].ItemID: "乙处罚_100%|"}, map[int64]string{}},
			{2, 2, map[int64]string{}, map[int64]string{}},
		}
		for _, c := range cases {
			atA, atB, err := s.ChangedRevisions(ctx, res.ListID, c.a, c.b)
			if err != nil {
				t.Fatal(err)
			}
			if got := contents(atA); !reflect.DeepEqual(got, c.atA) {
				t.Errorf("%d→%d: at %d %v, want %v", c.a, c.b, c.a, got, c.atA)
			}
			if got := contents(atB); !reflect.DeepEqual(got, c.atB) {
				t.Errorf("%d→%d: at %d %v, want %v", c.a, c.b, c.b, got, c.atB)
			}
		}
	})
}

func TestItemHistoryModifiedTwiceAndRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		res := importSample(t, s, "aaa")
		l, _ := s.List(ctx, res.ListID)
		ppl := historytest.NewPeople(t, s, l.AgencyID, "")
		v1, _ := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		item := v1[0].ItemID
		f := v1[0].Fields()
		f.Content = "责令退回，处二倍以上五倍以下的罚款"
		historytest.Publish(t, s, ppl, res.ListID, "补充行使内容", time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC),
			historytest.Change{Op: models.OpModify, ItemID: item, Fields: &f, Reason: "依据条例第三十七条补充"})
		f.Content = "责令退回，处一倍以上三倍以下的罚款"
		// Another item's change in the same request does not enter this item's history.
		other := v1[1].Fields()
		other.Name = "乙处罚（修改）"
		historytest.Publish(t, s, ppl, res.ListID, "调整罚款幅度", time.Date(2024, 6, 1, 2, 0, 0, 0, time.UTC),
			historytest.Change{Op: models.OpModify, ItemID: item, Fields: &f, Reason: "上位法修正"},
			historytest.Change{Op: models.OpModify, ItemID: v1[1].ItemID, Fields: &other, Reason: "名称规范"})
		historytest.Publish(t, s, ppl, res.ListID, "取消甲处罚", time.Date(2024, 7, 1, 2, 0, 0, 0, time.UTC),
			historytest.Change{Op: models.OpRemove, ItemID: item, Reason: "上位法废止"})

		h, err := s.ItemHistory(ctx, item)
		if err != nil {
			t.Fatal(err)
		}
		type step struct {
			version, until int
			op, content    string
			title, reason  string
		}
		var got []step
		for _, e := range h {
			st := step{version: e.Version, until: e.Until, op: e.Op}
			if e.Revision != nil {
				st.content = e.Revision.Content
			}
			if e.Trail != nil {
				st.title = e.Trail.Title
			}
			if e.Operation != nil {
				st.reason = e.Operation.Reason
			}
			got = append(got, st)
		}
		want := []step{
			{1, 2, models.OpImport, "", "", ""},
			{2, 3, models.OpModify, "责令退回，处二倍以上五倍以下的罚款", "补充行使内容", "依据条例第三十七条补充"},
			{3, 4, models.OpModify, "责令退回，处一倍以上三倍以下的罚款", "调整罚款幅度", "上位法修正"},
			{4, 4, models.OpRemove, "", "取消甲处罚", "上位法废止"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("history\n got %+v\nwant %+v", got, want)
		}
		if !h[3].PublishedAt.Equal(time.Date(2024, 7, 1, 2, 0, 0, 0, time.UTC)) {
			t.Errorf("removal published at %v", h[3].PublishedAt)
		}
		trail := h[2].Trail
		if trail.AgencyName != "红寺堡区医疗保障局" || trail.Submitter.DisplayName != "王填报" {
			t.Errorf("trail agency %q submitter %q", trail.AgencyName, trail.Submitter.DisplayName)
		}
		var acts []string
		for _, e := range trail.Events {
			acts = append(acts, e.Event.Event+":"+e.Actor.DisplayName+":"+e.Actor.Role+":"+e.Comment)
			if e.Actor.PasswordHash != "" {
				t.Error("history loads password hashes")
			}
		}
		wantActs := []string{"submit:王填报:submitter:", "pass:李审查:legal_reviewer:" + historytest.ReviewOpinion,
			"approve:赵审定:approver:" + historytest.ApprovalOpinion, "publish:赵审定:approver:"}
		if !reflect.DeepEqual(acts, wantActs) {
			t.Errorf("events\n got %v\nwant %v", acts, wantActs)
		}
		if _, err := s.ItemHistory(ctx, 99999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown item: want not found, got %v", err)
		}
	})
}

// ChangedRevisions scans rows by hand and shares unchanged fields with the
// older revision: it must give exactly what GORM reads, field for field.
func TestChangedRevisionsReadsEveryField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		res := importSample(t, s, "aaa")
		v1 := historytest.Items(t, s, res.ListID, 1)
		renamed := v1[0].Fields() // keeps its citations: shared with version 1
		renamed.Name = "甲处罚（修改）"
		renamed.Extra = map[string]string{"承接单位": "各乡镇"} // an extra column changes and is read back
		recoded := v1[1].Fields()
		recoded.Code, recoded.Citations = "0247009000", []models.Citation{{Level: "部门规章", Title: "医疗保障行政处罚程序暂行规定"}}
		added := models.ItemFields{Seq: 4, Name: "丁", Category: "行政处罚", Basis: "<p>依据</p>", Note: "增加"}
		// Written by the store itself, not the workflow: an extra cell and
		// citations of its own are what the scan must read back.
		err := s.Transaction(ctx, func(tx *models.Store) error {
			_, err := tx.PublishVersion(ctx, models.NewVersion{ListID: res.ListID, BaseVersion: 1, Changes: []models.RevisionChange{
				{Op: models.OpModify, ItemID: v1[0].ItemID, Fields: &renamed},
				{Op: models.OpModify, ItemID: v1[1].ItemID, Fields: &recoded},
				{Op: models.OpAdd, Fields: &added},
				{Op: models.OpRemove, ItemID: v1[2].ItemID}}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		byItem := func(revs []models.ItemRevision) map[int64]models.ItemRevision {
			m := map[int64]models.ItemRevision{}
			for _, r := range revs {
				m[r.ItemID] = r
			}
			return m
		}
		stored := func(version int) []models.ItemRevision { // as stored: ItemsAt renumbers
			var revs []models.ItemRevision
			if err := db.Where("list_id = ? AND valid_from <= ? AND valid_to > ?", res.ListID, version, version).Find(&revs).Error; err != nil {
				t.Fatal(err)
			}
			for i := range revs { // GORM decodes "{}" to an empty map, the scan to none: the same cells
				if len(revs[i].Extra) == 0 {
					revs[i].Extra = nil
				}
			}
			return revs
		}
		all1, all2 := byItem(stored(1)), byItem(stored(2))
		changed := func(a, b int) (atA, atB []models.ItemRevision, err error) {
			return s.ChangedRevisions(ctx, res.ListID, a, b)
		}
		inTx := func(a, b int) (atA, atB []models.ItemRevision, err error) {
			err = s.Transaction(ctx, func(tx *models.Store) error { // one connection: the reads run in turn
				atA, atB, err = tx.ChangedRevisions(ctx, res.ListID, a, b)
				return err
			})
			return atA, atB, err
		}
		for _, dir := range [][2]int{{1, 2}, {2, 1}, {-1, -2}, {-2, -1}} {
			read := changed
			if dir[0] < 0 {
				read, dir = inTx, [2]int{-dir[0], -dir[1]}
			}
			atA, atB, err := read(dir[0], dir[1])
			if err != nil {
				t.Fatal(err)
			}
			want := map[int]map[int64]models.ItemRevision{1: all1, 2: all2}
			for side, revs := range map[int][]models.ItemRevision{dir[0]: atA, dir[1]: atB} {
				got := byItem(revs)
				if !reflect.DeepEqual(got, want[side]) {
					t.Errorf("%d→%d: revisions at %d\n got %+v\nwant %+v", dir[0], dir[1], side, got, want[side])
				}
			}
		}
	})
}
