package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"qingdan/apperr"
	"qingdan/models"
)

// MaxFileBytes bounds an imported file; the real lists are under 100 KB.
const MaxFileBytes = 16 << 20

// Import parses a list file and stores it as version 1 of a new list, with
// its report. The region is found from the agency's name unless given.
// Importing the same file again writes nothing (see models.ImportList).
func Import(ctx context.Context, store *models.Store, r io.Reader, opts Options, regionCode string) (*Parsed, models.ImportResult, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, models.ImportResult{}, fmt.Errorf("read: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, models.ImportResult{}, apperr.New(apperr.TooLarge, "文件超过 %d 字节上限，不像是一份清单", MaxFileBytes)
	}
	parsed, err := Parse(bytes.NewReader(data), opts)
	if err != nil {
		return nil, models.ImportResult{}, err
	}
	if regionCode == "" {
		region, err := store.RegionForAgencyName(ctx, parsed.Agency)
		if err != nil {
			return parsed, models.ImportResult{}, err
		}
		regionCode = region.Code
	} else if _, err := store.Region(ctx, regionCode); err != nil {
		return parsed, models.ImportResult{}, err
	}
	report, err := json.Marshal(parsed.Report)
	if err != nil {
		return parsed, models.ImportResult{}, fmt.Errorf("encode report: %w", err)
	}
	sum := sha256.Sum256(data)
	res, err := store.ImportList(ctx, models.ImportInput{
		Title: parsed.Title, Kind: parsed.Kind, AgencyName: parsed.Agency, RegionCode: regionCode,
		SHA256: hex.EncodeToString(sum[:]), Items: parsed.Items, Report: string(report),
	})
	return parsed, res, err
}
