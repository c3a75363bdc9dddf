package models

import (
	"cmp"
	"context"
	"encoding/json"
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
	SHA256     string  // of the source file: the same file imported again adds nothing
	Layout     *Layout // the file's columns; nil: the kind's seed layout
	Items      []ItemFields
	Report     string // the import report, JSON, kept with version 1
	At         time.Time
	// DocNumber and PublishDate are the list's publication as the county
	// made it: version 1's 文号 and 公布日期 ("": At's day in Beijing).
	DocNumber   string
	PublishDate string
}

// ImportResult says what an import did, and where: the region and agency
// the list belongs to (found from the agency's name unless given).
type ImportResult struct {
	ListID    int64
	Created   bool // false: the same file was imported before and nothing was written
	ItemCount int
	Region    Region
	Agency    Agency
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
		region, err := tx.Region(ctx, in.RegionCode)
		if err != nil {
			return err
		}
		agency, err := tx.EnsureAgency(ctx, in.RegionCode, in.AgencyName, AgencyDepartment)
		if err != nil {
			return err
		}
		res.Region, res.Agency = region, agency
		existing, err := tx.listOf(ctx, agency.ID, in.Kind)
		if err != nil {
			return err
		}
		if existing != nil {
			if existing.SourceSHA256 == in.SHA256 {
				res.ListID = existing.ID
				return nil
			}
			return existsError(in.AgencyName, existing)
		}
		arr := NewArrangement(in.Items)
		list := List{AgencyID: agency.ID, Title: in.Title, Kind: in.Kind, CurrentVersion: 1, SourceSHA256: in.SHA256, Layout: in.Layout,
			CategoryOrder: arr.Categories, SeqScope: arr.SeqScope, CreatedAt: in.At}
		if err := tx.DB(ctx).Create(&list).Error; err != nil {
			return fmt.Errorf("create list: %w", err)
		}
		version := ListVersion{ListID: list.ID, Number: 1, PublishedAt: in.At, ItemCount: len(in.Items), ImportReport: in.Report,
			DocNumber: in.DocNumber, PublishDate: cmp.Or(in.PublishDate, in.At.In(China).Format(time.DateOnly))}
		if err := tx.DB(ctx).Create(&version).Error; err != nil {
			return fmt.Errorf("create version 1: %w", err)
		}
		if err := tx.insertImported(ctx, list.ID, in.At, in.Items); err != nil {
			return err
		}
		res.ListID, res.Created, res.ItemCount = list.ID, true, len(in.Items)
		return tx.AppendAudit(ctx, AuditEntry{Actor: "system", Action: "import", TargetType: "list",
			TargetID: fmt.Sprint(list.ID), RegionCode: in.RegionCode,
			After: map[string]any{"title": in.Title, "kind": in.Kind, "agency": in.AgencyName, "items": len(in.Items), "sha256": in.SHA256}})
	})
	if err != nil {
		return res, fmt.Errorf("import %s: %w", in.Title, err)
	}
	return res, nil
}

// importChunk is how many items one statement writes: a county's workbook
// (12,000 items, some 40 MB of text) goes in a dozen statements, each a few
// MB, never all of it in memory twice.
var importChunk = 1000

// insertImported writes the items of version 1 and their revisions, in the
// file's order. On PostgreSQL each chunk of items is one INSERT … SELECT
// FROM unnest(arrays): one parameter per column instead of one per cell,
// parsed and planned once, without an ORM's reflection over every field —
// close to COPY (BENCHMARKS.md, reading and importing a county's
// workbook). SQLite, which has no arrays, takes GORM's multi-row INSERTs.
func (s *Store) insertImported(ctx context.Context, listID int64, at time.Time, fields []ItemFields) error {
	if len(fields) == 0 {
		return nil
	}
	if IsSQLite(s.db) {
		return s.insertImportedSQLite(ctx, listID, at, fields)
	}
	conn := s.DB(ctx).Statement.ConnPool
	for start := 0; start < len(fields); start += importChunk {
		chunk := fields[start:min(start+importChunk, len(fields))]
		n := len(chunk)
		ids := make([]int64, 0, n)
		rows, err := conn.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('items', 'id')) FROM generate_series(1, $1)`, n)
		if err != nil {
			return fmt.Errorf("reserve item ids: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return fmt.Errorf("reserve item ids: %w", err)
			}
			ids = append(ids, id)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("reserve item ids: %w", err)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO items (id, list_id, created_at) SELECT id, $2, $3 FROM unnest($1::bigint[]) AS id`,
			ids, listID, at); err != nil {
			return fmt.Errorf("create items: %w", err)
		}
		var (
			position, seq                                                                []int64
			code, name, subitem, category, department, basis, citations, level, content  []string
			duty, responsibility, responsibilityBasis, accountable, accountability, note []string
			extra                                                                        []string
		)
		for i, f := range chunk {
			var r ItemRevision
			r.SetFields(f)
			cites, err := json.Marshal(r.Citations)
			if err != nil {
				return fmt.Errorf("encode citations: %w", err)
			}
			ex, err := json.Marshal(r.Extra)
			if err != nil {
				return fmt.Errorf("encode extra columns: %w", err)
			}
			position = append(position, int64(start+i+1)*PositionStep)
			seq = append(seq, int64(r.Seq))
			code, name, subitem, category = append(code, r.Code), append(name, r.Name), append(subitem, r.Subitem), append(category, r.Category)
			department, basis, citations = append(department, r.Department), append(basis, r.Basis), append(citations, string(cites))
			level, content, duty = append(level, r.Level), append(content, r.Content), append(duty, r.Duty)
			responsibility, responsibilityBasis = append(responsibility, r.Responsibility), append(responsibilityBasis, r.ResponsibilityBasis)
			accountable, accountability = append(accountable, r.Accountable), append(accountability, r.Accountability)
			note, extra = append(note, r.Note), append(extra, string(ex))
		}
		_, err = conn.ExecContext(ctx, `INSERT INTO item_revisions (list_id, valid_from, valid_to, op,
			item_id, position, seq, code, name, subitem, category, department, basis, citations, level, content,
			duty, responsibility, responsibility_basis, accountable, accountability, note, extra)
			SELECT $1, 1, $2, $3, u.* FROM unnest($4::bigint[], $5::bigint[], $6::int[], $7::text[], $8::text[], $9::text[],
				$10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
				$18::text[], $19::text[], $20::text[], $21::text[], $22::text[]) AS u`,
			listID, OpenEnd, OpImport, ids, position, seq, code, name, subitem, category, department, basis, citations,
			level, content, duty, responsibility, responsibilityBasis, accountable, accountability, note, extra)
		if err != nil {
			return fmt.Errorf("create revisions: %w", err)
		}
	}
	return nil
}

func (s *Store) insertImportedSQLite(ctx context.Context, listID int64, at time.Time, fields []ItemFields) error {
	items := make([]Item, len(fields))
	for i := range items {
		items[i] = Item{ListID: listID, CreatedAt: at}
	}
	if err := s.DB(ctx).CreateInBatches(&items, 1000).Error; err != nil {
		return fmt.Errorf("create items: %w", err)
	}
	revs := make([]ItemRevision, len(fields))
	for i, f := range fields {
		revs[i] = ItemRevision{ItemID: items[i].ID, ListID: listID, ValidFrom: 1, ValidTo: OpenEnd, Position: (i + 1) * PositionStep, Op: OpImport}
		revs[i].SetFields(f)
	}
	if err := s.DB(ctx).CreateInBatches(revs, 200).Error; err != nil {
		return fmt.Errorf("create revisions: %w", err)
	}
	return nil
}

// PositionStep spaces the positions of imported items so items added later
// can be placed between them: some thirty insertions at one spot before its
// gap is used up.
const PositionStep = 1 << 30

func (s *Store) listOf(ctx context.Context, agencyID int64, kind string) (*List, error) {
	var existing []List
	if err := s.DB(ctx).Where("agency_id = ? AND kind = ?", agencyID, kind).Find(&existing).Error; err != nil {
		return nil, fmt.Errorf("find list: %w", err)
	}
	if len(existing) == 0 {
		return nil, nil
	}
	return &existing[0], nil
}

func existsError(agency string, l *List) error {
	return apperr.New(apperr.Conflict, "%s的清单“%s”已存在（现行第 %d 版）；已公布的清单只能通过修订申请修改，不能再导入",
		agency, l.Title, l.CurrentVersion).WithDetails(map[string]any{"list_id": l.ID})
}

// CheckNoList refuses an import for an agency (by region and name) that
// already has a list of the kind.
func (s *Store) CheckNoList(ctx context.Context, regionCode, agencyName, kind string) error {
	var lists []List
	err := s.DB(ctx).Joins("JOIN agencies a ON a.id = lists.agency_id").
		Where("a.region_code = ? AND a.name = ? AND lists.kind = ?", regionCode, agencyName, kind).Limit(1).Find(&lists).Error
	if err != nil {
		return fmt.Errorf("lists of %s: %w", agencyName, err)
	}
	if len(lists) > 0 {
		return existsError(agencyName, &lists[0])
	}
	return nil
}

// StagedImport is an uploaded list awaiting confirmation.
type StagedImport struct {
	ID         int64 `gorm:"primaryKey"`
	AgencyName string
	RegionCode string
	Kind       string
	Sheet      string
	FileName   string
	Data       []byte
	Mapping    string // JSON of the corrected column mapping; "" as detected
	CreatedBy  int64
	CreatedAt  time.Time
	ListID     *int64
}

func (StagedImport) TableName() string { return "imports" }

// stagedImportTTL: an upload not confirmed within a day is dropped.
const stagedImportTTL = 24 * time.Hour

// StageImport keeps an upload for its preview, dropping stale ones.
func (s *Store) StageImport(ctx context.Context, in *StagedImport) error {
	in.CreatedAt = time.Now().UTC()
	if err := s.DB(ctx).Where("list_id IS NULL AND created_at < ?", in.CreatedAt.Add(-stagedImportTTL)).
		Delete(&StagedImport{}).Error; err != nil {
		return fmt.Errorf("drop stale imports: %w", err)
	}
	if err := s.DB(ctx).Create(in).Error; err != nil {
		return fmt.Errorf("stage import: %w", err)
	}
	return nil
}

// StagedImport returns one upload.
func (s *Store) StagedImport(ctx context.Context, id int64) (StagedImport, error) {
	var in StagedImport
	if err := s.DB(ctx).Where("id = ?", id).Take(&in).Error; err != nil {
		return in, notFound(err, "导入 %d 不存在或已过期", id)
	}
	return in, nil
}

// SetImportMapping records the corrected column mapping of an upload.
func (s *Store) SetImportMapping(ctx context.Context, id int64, mapping string) error {
	if err := s.DB(ctx).Model(&StagedImport{}).Where("id = ?", id).Update("mapping", mapping).Error; err != nil {
		return fmt.Errorf("import %d mapping: %w", id, err)
	}
	return nil
}

// ConfirmStagedImport marks an upload as imported into the list.
func (s *Store) ConfirmStagedImport(ctx context.Context, id, listID int64) error {
	res := s.DB(ctx).Model(&StagedImport{}).Where("id = ? AND list_id IS NULL", id).Update("list_id", listID)
	if res.Error != nil {
		return fmt.Errorf("confirm import %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.Conflict, "导入 %d 已确认过", id)
	}
	return nil
}
