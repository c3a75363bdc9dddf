package models

import (
	"context"
	"fmt"
	"time"

	"qingdan/apperr"
)

// ImportInput is a parsed list to store as version 1 of a new list.
type ImportInput struct {
	Title      string
	Kind       string
	AgencyName string
	RegionCode string
	SHA256     string // of the source file: the same file imported again adds nothing
	Items      []ItemFields
	Report     string // the import report, JSON, kept with version 1
	At         time.Time
}

// ImportResult says what an import did.
type ImportResult struct {
	ListID    int64
	Created   bool // false: the same file was imported before and nothing was written
	ItemCount int
}

// ImportList stores a parsed list as version 1 of a new list, in one
// transaction. Importing the same file again is a no-op; a different file for
// a list that exists is refused: published lists change through change requests.
func (s *Store) ImportList(ctx context.Context, in ImportInput) (ImportResult, error) {
	var res ImportResult
	if in.At.IsZero() {
		in.At = time.Now().UTC()
	}
	err := s.Transaction(ctx, func(tx *Store) error {
		if _, err := tx.Region(ctx, in.RegionCode); err != nil {
			return err
		}
		agency, err := tx.EnsureAgency(ctx, in.RegionCode, in.AgencyName, AgencyDepartment)
		if err != nil {
			return err
		}
		var existing []List
		if err := tx.DB(ctx).Where("agency_id = ? AND kind = ?", agency.ID, in.Kind).Find(&existing).Error; err != nil {
			return fmt.Errorf("find list: %w", err)
		}
		if len(existing) > 0 {
			l := existing[0]
			if l.SourceSHA256 == in.SHA256 {
				res = ImportResult{ListID: l.ID, Created: false}
				return nil
			}
			return apperr.New(apperr.Conflict,
				"%s的清单已存在（清单 %d，第 %d 版）；已公布的清单只能通过修订申请修改", in.AgencyName, l.ID, l.CurrentVersion)
		}
		list := List{AgencyID: agency.ID, Title: in.Title, Kind: in.Kind, CurrentVersion: 1, SourceSHA256: in.SHA256, CreatedAt: in.At}
		if err := tx.DB(ctx).Create(&list).Error; err != nil {
			return fmt.Errorf("create list: %w", err)
		}
		version := ListVersion{ListID: list.ID, Number: 1, PublishedAt: in.At, ItemCount: len(in.Items), ImportReport: in.Report}
		if err := tx.DB(ctx).Create(&version).Error; err != nil {
			return fmt.Errorf("create version 1: %w", err)
		}
		// One multi-row INSERT for the items, not a round trip each: imports
		// run 2–3× faster (BENCHMARKS.md, import against COPY).
		items := make([]Item, len(in.Items))
		for i := range items {
			items[i] = Item{ListID: list.ID, CreatedAt: in.At}
		}
		if len(items) > 0 {
			if err := tx.DB(ctx).CreateInBatches(&items, 1000).Error; err != nil {
				return fmt.Errorf("create items: %w", err)
			}
		}
		revs := make([]ItemRevision, 0, len(in.Items))
		for i, f := range in.Items {
			r := ItemRevision{ItemID: items[i].ID, ListID: list.ID, ValidFrom: 1, ValidTo: OpenEnd, Position: (i + 1) * PositionStep, Op: OpImport}
			r.SetFields(f)
			revs = append(revs, r)
		}
		if len(revs) > 0 {
			if err := tx.DB(ctx).CreateInBatches(revs, 200).Error; err != nil {
				return fmt.Errorf("create revisions: %w", err)
			}
		}
		res = ImportResult{ListID: list.ID, Created: true, ItemCount: len(in.Items)}
		return tx.AppendAudit(ctx, AuditEntry{Actor: "system", Action: "import", TargetType: "list",
			TargetID: fmt.Sprint(list.ID), RegionCode: in.RegionCode,
			After: map[string]any{"title": in.Title, "kind": in.Kind, "agency": in.AgencyName, "items": len(in.Items), "sha256": in.SHA256}})
	})
	if err != nil {
		return res, fmt.Errorf("import %s: %w", in.Title, err)
	}
	return res, nil
}

// PositionStep spaces the positions of imported items so items added later
// can be placed between them.
const PositionStep = 1000
