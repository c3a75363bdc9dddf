package models_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/basis"
	"qingdan/dbtest"
	"qingdan/historytest"
	"qingdan/models"
	"qingdan/workflow"
)

// brokenHistory is a list with a published history to break: version 1 of
// five items, version 2 modifying item 0, removing item 1 and adding one,
// its citations linked.
func brokenHistory(t *testing.T, db *gorm.DB) {
	t.Helper()
	ctx := context.Background()
	s := models.NewStore(db)
	listID := bigList(t, s, 5)
	l, err := s.List(ctx, listID)
	if err != nil {
		t.Fatal(err)
	}
	p := historytest.NewPeople(t, s, l.AgencyID, "")
	v1 := historytest.Items(t, s, listID, 1)
	f := v1[0].Fields()
	f.Content, f.Basis = "调整后", "【法律】《中华人民共和国社会保险法》第八十二条"
	f.Citations = basis.Parse(f.Basis)
	historytest.Publish(t, s, p, listID, "调整", time.Date(2026, 3, 2, 9, 0, 0, 0, models.China),
		historytest.Change{Op: models.OpModify, ItemID: v1[0].ItemID, Fields: &f},
		historytest.Change{Op: models.OpRemove, ItemID: v1[1].ItemID},
		historytest.Change{Op: models.OpAdd, Fields: &models.ItemFields{Name: "新增", Category: "行政处罚", Basis: f.Basis}})
	if err := workflow.New(s).LinkPending(ctx); err != nil {
		t.Fatal(err)
	}
}

func violations(t *testing.T, s *models.Store) []string {
	t.Helper()
	vs, err := models.CheckInvariants(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	var checks []string
	for _, v := range vs {
		checks = append(checks, v.Check)
	}
	return checks
}

// TestCheckInvariantsFindsBrokenHistory breaks a whole history one way at a
// time and wants the checker to name the rule broken; the history as
// published breaks none.
func TestCheckInvariantsFindsBrokenHistory(t *testing.T) {
	cases := []struct {
		name  string
		sql   string // ? is the revision of item 0 in force in version 2, ?? its list
		check string
	}{
		{"a version number skipped", `UPDATE list_versions SET number = 3 WHERE number = 2`, "versions-contiguous"},
		{"current version behind the last", `UPDATE lists SET current_version = 1`, "versions-contiguous"},
		{"item count off", `UPDATE list_versions SET item_count = item_count + 1 WHERE number = 2`, "item-count"},
		{"counts off", `UPDATE list_versions SET added = added + 1 WHERE number = 2`, "version-counts"},
		{"removals off", `UPDATE list_versions SET removed = 0 WHERE number = 2`, "version-removed"},
		{"a revision ending where it starts", `UPDATE item_revisions SET valid_to = valid_from WHERE valid_from = 2 AND op = 'modify'`, "revision-validity"},
		{"a revision valid past the current version", `UPDATE item_revisions SET valid_to = 7 WHERE valid_from = 2 AND op = 'modify'`, "revision-validity"},
		{"two revisions in force at once", `UPDATE item_revisions SET valid_to = 2147483647 WHERE valid_to = 2 AND op = 'import'
			AND item_id IN (SELECT item_id FROM item_revisions WHERE valid_from = 2 AND op = 'modify')`, "revision-overlap"},
		{"a gap in an item's revisions", `UPDATE item_revisions SET valid_from = 3 WHERE valid_from = 2 AND op = 'modify'`, "revision-gap"},
		{"two items at one place", `UPDATE item_revisions SET position = 1000 WHERE valid_to = 2147483647`, "position-unique"},
		{"a published request without its version", `UPDATE change_requests SET published_version = NULL`, "published-request"},
		{"a revision naming a request not published there", `UPDATE change_requests SET published_version = 1`, "revision-request"},
		{"a version naming a request not published there", `UPDATE change_requests SET published_version = NULL, state = 'approved'`, "version-request"},
		{"citations marked linked without links", `DELETE FROM citation_links WHERE field = 'basis'`, "citation-links"},
		{"an item without revisions", `INSERT INTO items (list_id, created_at) SELECT id, created_at FROM lists`, "item-has-revision"},
		{"a category twice in the arrangement", `UPDATE lists SET category_order = '["行政处罚","行政处罚"]'`, "arrangement"},
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		brokenHistory(t, db)
		if got := violations(t, models.NewStore(db)); len(got) != 0 {
			t.Fatalf("a history published as it should be breaks %v", got)
		}
		for _, c := range cases {
			// Each breakage in a transaction rolled back after the check.
			tx := db.Begin()
			if err := tx.Exec(c.sql).Error; err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got := violations(t, models.NewStore(tx)); !slices.Contains(got, c.check) {
				t.Errorf("%s: the checker found %v, not %s", c.name, got, c.check)
			}
			if err := tx.Rollback().Error; err != nil {
				t.Fatal(err)
			}
		}
	})
}
