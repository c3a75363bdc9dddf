package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"qingdan/apperr"
	"qingdan/calendar"
	"qingdan/models"
)

// MaxFileBytes bounds an imported file; the real lists are under 1 MB.
const MaxFileBytes = 16 << 20

// ReadAll reads a file to import, refusing one past MaxFileBytes.
func ReadAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, apperr.New(apperr.TooLarge, "文件超过 %d MB 上限，不像是一份清单", MaxFileBytes>>20)
	}
	return data, nil
}

// Import reads a list in the seed text layouts (or any format Read takes)
// and stores it as version 1 of a new list; see ImportFile.
func Import(ctx context.Context, store *models.Store, r io.Reader, opts Options, regionCode string) (*Parsed, models.ImportResult, error) {
	data, err := ReadAll(r)
	if err != nil {
		return nil, models.ImportResult{}, err
	}
	return ImportFile(ctx, store, "", data, opts, regionCode)
}

// ImportFile reads a list file of any format Read takes and stores it as
// version 1 of a new list, with its layout and report. The region is found
// from the agency's name unless given. Importing the same file again writes
// nothing (see models.ImportList).
func ImportFile(ctx context.Context, store *models.Store, name string, data []byte, opts Options, regionCode string) (*Parsed, models.ImportResult, error) {
	parsed, err := Read(name, data, opts)
	if err != nil {
		return nil, models.ImportResult{}, err
	}
	res, err := storeParsed(ctx, store, parsed, data, regionCode, opts.At, opts.Record)
	return parsed, res, err
}

// Record is how a list was published before it came into Qingdan — its
// 公布日期 and 文号, which become version 1's — so that the list's history
// starts where the county's did, not on the day of the import.
type Record struct {
	PublishDate string `json:"publish_date"` // YYYY-MM-DD; "": the day of the import
	DocNumber   string `json:"doc_number"`
}

// since checks the record and returns when version 1 took effect: the start
// of its 公布日期 in Beijing, or at when none is given.
func (r Record) since(at time.Time) (time.Time, error) {
	if pr := models.TextProblem(r.DocNumber, models.MaxDocNumberRunes); pr != "" {
		return at, apperr.New(apperr.Invalid, "文号%s", pr).WithDetails(map[string]any{"field": "doc_number"})
	}
	if r.PublishDate == "" {
		return at, nil
	}
	now := at
	if now.IsZero() {
		now = time.Now()
	}
	d, err := calendar.ParsePastDate(r.PublishDate, now)
	if err != nil {
		return at, apperr.New(apperr.Invalid, "公布日期：%s", err.Error()).WithDetails(map[string]any{"field": "publish_date"})
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, models.China), nil
}

func storeParsed(ctx context.Context, store *models.Store, parsed *Parsed, data []byte, regionCode string, at time.Time, rec Record) (models.ImportResult, error) {
	at, err := rec.since(at)
	if err != nil {
		return models.ImportResult{}, err
	}
	if regionCode == "" {
		region, err := RegionOf(ctx, store, parsed.Agency)
		if err != nil {
			return models.ImportResult{}, err
		}
		regionCode = region.Code
	} else if _, err := store.Region(ctx, regionCode); err != nil {
		return models.ImportResult{}, err
	}
	report, err := json.Marshal(parsed.Report)
	if err != nil {
		return models.ImportResult{}, fmt.Errorf("encode report: %w", err)
	}
	sum := sha256.Sum256(data)
	return store.ImportList(ctx, models.ImportInput{
		Title: parsed.Title, Kind: parsed.Kind, AgencyName: parsed.Agency, RegionCode: regionCode, Layout: parsed.Layout,
		SHA256: hex.EncodeToString(sum[:]), Items: parsed.Items, Report: string(report), At: at,
		DocNumber: rec.DocNumber, PublishDate: rec.PublishDate,
	})
}

// RegionOf finds the region of an agency from its name: the one place an
// import decides it, whatever the catalogue of regions becomes.
func RegionOf(ctx context.Context, store *models.Store, agency string) (models.Region, error) {
	return store.RegionForAgencyName(ctx, agency)
}
