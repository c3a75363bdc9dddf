package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"qingdan/apperr"
	"qingdan/models"
)

// Importing in the browser: an upload is read and kept for its preview
// (nothing published), its column mapping may be corrected, and confirming
// publishes it as version 1 of the agency's list.

// Upload is a file an administrator sends for an agency, named by id or by
// name (with its region, or the region found from the name).
type Upload struct {
	FileName   string
	Data       []byte
	AgencyID   int64
	AgencyName string
	RegionCode string
	Kind       string
	Sheet      string
}

// Preview is what an upload would import.
type Preview struct {
	ID         int64               `json:"id"`
	FileName   string              `json:"file_name"`
	Agency     string              `json:"agency"`
	RegionCode string              `json:"region_code"`
	Title      string              `json:"title"`
	Kind       string              `json:"kind" ts:"ListKind"`
	Format     string              `json:"format"`
	Encoding   string              `json:"encoding,omitempty"`
	Columns    []SourceColumn      `json:"columns"`
	Layout     *models.Layout      `json:"layout"`
	Items      []models.ItemFields `json:"items"`
	Lines      []int               `json:"lines"`
	Sheets     []string            `json:"sheets,omitempty"`
	Report     Report              `json:"report"`
}

// MayImport is who may import a list for an agency of a region: an
// administrator. (A region's own administrators, for their region, belong
// here when that role exists.)
func MayImport(u *models.User, regionCode string) error {
	if u != nil && u.Role == models.RoleAdmin {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有系统管理员可以导入清单")
}

// Stage reads an upload and keeps it for its preview. A file that is not a
// list, or a list for an agency that has one, is refused and nothing is kept.
func Stage(ctx context.Context, store *models.Store, actor *models.User, up Upload) (*Preview, error) {
	name, region, err := uploadAgency(ctx, store, up)
	if err != nil {
		return nil, err
	}
	if err := MayImport(actor, region); err != nil {
		return nil, err
	}
	if up.Kind != "" && up.Kind != models.KindPower && up.Kind != models.KindDuty {
		return nil, apperr.New(apperr.Invalid, "清单类型应为 power（权力清单）或 duty（权责清单），收到“%s”", up.Kind)
	}
	if up.Kind != "" { // refused before reading; without a kind, once the file names it
		if err := store.CheckNoList(ctx, region, name, up.Kind); err != nil {
			return nil, err
		}
	}
	in := models.StagedImport{AgencyName: name, RegionCode: region, Kind: up.Kind, Sheet: up.Sheet,
		FileName: clip(up.FileName, 200), Data: up.Data, CreatedBy: actor.ID}
	p, err := read(in, nil)
	if err != nil {
		return nil, err
	}
	if err := store.CheckNoList(ctx, region, name, p.Kind); err != nil {
		return nil, err
	}
	if err := store.StageImport(ctx, &in); err != nil {
		return nil, err
	}
	return preview(in, p), nil
}

func uploadAgency(ctx context.Context, store *models.Store, up Upload) (name, region string, err error) {
	if up.AgencyID != 0 {
		a, err := store.Agency(ctx, up.AgencyID)
		return a.Name, a.RegionCode, err
	}
	name = strings.TrimSpace(up.AgencyName)
	if name == "" {
		return "", "", apperr.New(apperr.Invalid, "请指定部门（agency_id 或 agency）").WithDetails(map[string]any{"field": "agency"})
	}
	if up.RegionCode != "" {
		_, err := store.Region(ctx, up.RegionCode)
		return name, up.RegionCode, err
	}
	r, err := RegionOf(ctx, store, name)
	return name, r.Code, err
}

// read reads a staged upload with its mapping (or the one given).
func read(in models.StagedImport, mapping []ColumnChoice) (*Parsed, error) {
	if mapping == nil && in.Mapping != "" {
		if err := json.Unmarshal([]byte(in.Mapping), &mapping); err != nil {
			return nil, fmt.Errorf("import %d mapping: %w", in.ID, err)
		}
	}
	p, err := Read(in.FileName, in.Data, Options{Agency: in.AgencyName, Kind: in.Kind, Sheet: in.Sheet, Mapping: mapping})
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "%s：%v", in.FileName, err).WithDetails(err)
	}
	return p, nil
}

func preview(in models.StagedImport, p *Parsed) *Preview {
	return &Preview{ID: in.ID, FileName: in.FileName, Agency: p.Agency, RegionCode: in.RegionCode, Title: p.Title, Kind: p.Kind,
		Format: p.Format, Encoding: p.Encoding, Columns: p.Columns, Layout: p.Layout, Items: p.Items, Lines: p.Lines, Sheets: p.Sheets, Report: p.Report}
}

// staged loads an upload its actor may work on and that is still open.
func staged(ctx context.Context, store *models.Store, actor *models.User, id int64) (models.StagedImport, error) {
	in, err := store.StagedImport(ctx, id)
	if err != nil {
		return in, err
	}
	if err := MayImport(actor, in.RegionCode); err != nil {
		return in, err
	}
	if in.ListID != nil {
		return in, apperr.New(apperr.Conflict, "导入 %d 已确认为清单 %d", id, *in.ListID)
	}
	return in, nil
}

// Remap re-reads an upload with a corrected column mapping and keeps it.
func Remap(ctx context.Context, store *models.Store, actor *models.User, id int64, mapping []ColumnChoice) (*Preview, error) {
	in, err := staged(ctx, store, actor, id)
	if err != nil {
		return nil, err
	}
	if mapping == nil {
		mapping = []ColumnChoice{}
	}
	p, err := read(in, mapping)
	if err != nil {
		return nil, err
	}
	text, err := json.Marshal(mapping)
	if err != nil {
		return nil, fmt.Errorf("encode mapping: %w", err)
	}
	if err := store.SetImportMapping(ctx, id, string(text)); err != nil {
		return nil, err
	}
	in.Mapping = string(text)
	return preview(in, p), nil
}

// GetPreview reads an upload again as it stands.
func GetPreview(ctx context.Context, store *models.Store, actor *models.User, id int64) (*Preview, error) {
	in, err := staged(ctx, store, actor, id)
	if err != nil {
		return nil, err
	}
	p, err := read(in, nil)
	if err != nil {
		return nil, err
	}
	return preview(in, p), nil
}

// Confirm publishes an upload as version 1 of the agency's list, audited.
func Confirm(ctx context.Context, store *models.Store, actor *models.User, id int64, rec Record) (models.ImportResult, error) {
	var res models.ImportResult
	in, err := staged(ctx, store, actor, id)
	if err != nil {
		return res, err
	}
	p, err := read(in, nil)
	if err != nil {
		return res, err
	}
	err = store.Transaction(ctx, func(tx *models.Store) error {
		if err := tx.CheckNoList(ctx, in.RegionCode, in.AgencyName, p.Kind); err != nil {
			return err
		}
		if res, err = storeParsed(ctx, tx, p, in.Data, in.RegionCode, time.Time{}, rec); err != nil {
			return err
		}
		if err := tx.ConfirmStagedImport(ctx, id, res.ListID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &actor.ID, Actor: actor.Username, Action: "list_import",
			TargetType: "list", TargetID: fmt.Sprint(res.ListID), RegionCode: in.RegionCode,
			After: map[string]any{"title": p.Title, "agency": p.Agency, "kind": p.Kind, "file": in.FileName, "items": len(p.Items), "layout": p.Layout, "record": rec}})
	})
	return res, err
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
