package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm/clause"

	"qingdan/apperr"
)

func strp(s string) *string { return &s }

// KnownRegions are the divisions (GB/T 2260) of the seed lists, created on
// first start so their agencies have a home.
var KnownRegions = []Region{
	{Code: "640000", Name: "宁夏回族自治区", Level: "province"},
	{Code: "640300", Name: "吴忠市", ParentCode: strp("640000"), Level: "prefecture"},
	{Code: "640303", Name: "红寺堡区", ParentCode: strp("640300"), Level: "county"},
	{Code: "650000", Name: "新疆维吾尔自治区", Level: "province"},
	{Code: "653200", Name: "和田地区", ParentCode: strp("650000"), Level: "prefecture"},
	{Code: "653226", Name: "于田县", ParentCode: strp("653200"), Level: "county"},
}

// EnsureRegions creates the regions that do not exist yet, parents first.
func (s *Store) EnsureRegions(ctx context.Context, regions []Region) error {
	for _, r := range regions {
		if err := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
			return fmt.Errorf("ensure region %s: %w", r.Code, err)
		}
	}
	return nil
}

// Region returns one region by code.
func (s *Store) Region(ctx context.Context, code string) (Region, error) {
	var r Region
	err := s.DB(ctx).Where("code = ?", code).Take(&r).Error
	if err != nil {
		return r, notFound(err, "行政区划 %s 不存在", code)
	}
	return r, nil
}

// RegionForAgencyName finds the county whose name begins the agency's name
// (红寺堡区医疗保障局 → 红寺堡区), the most specific match winning.
func (s *Store) RegionForAgencyName(ctx context.Context, agency string) (Region, error) {
	var regions []Region
	if err := s.DB(ctx).Find(&regions).Error; err != nil {
		return Region{}, fmt.Errorf("region for %s: %w", agency, err)
	}
	var best Region
	for _, r := range regions {
		if strings.HasPrefix(agency, r.Name) && len(r.Name) > len(best.Name) {
			best = r
		}
	}
	if best.Code == "" {
		return best, apperr.New(apperr.Invalid, "无法从部门名称“%s”判断所属行政区划，请用 --region 指定区划代码", agency)
	}
	return best, nil
}

// EnsureAgency returns the agency of that name in the region, creating it.
func (s *Store) EnsureAgency(ctx context.Context, regionCode, name, kind string) (Agency, error) {
	a := Agency{Name: name, Kind: kind, RegionCode: regionCode}
	err := s.DB(ctx).Where("region_code = ? AND name = ?", regionCode, name).
		Attrs(Agency{Kind: kind}).FirstOrCreate(&a).Error
	if err != nil {
		return a, fmt.Errorf("ensure agency %s: %w", name, err)
	}
	return a, nil
}

// Agency returns one agency with its region.
func (s *Store) Agency(ctx context.Context, id int64) (Agency, error) {
	var a Agency
	err := s.DB(ctx).Preload("Region").Where("id = ?", id).Take(&a).Error
	if err != nil {
		return a, notFound(err, "部门 %d 不存在", id)
	}
	return a, nil
}
