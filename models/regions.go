package models

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm/clause"

	"qingdan/apperr"
)

func strp(s string) *string { return &s }

// Region levels.
const (
	LevelProvince   = "province"
	LevelPrefecture = "prefecture"
	LevelCounty     = "county"
)

// RegionLevels are the levels with their Chinese names.
var RegionLevels = map[string]string{LevelProvince: "省级", LevelPrefecture: "地级", LevelCounty: "县级"}

// KnownRegions are the divisions of the seed lists. The catalogue migration
// already holds them; tests that build a database by hand create them with EnsureRegions.
var KnownRegions = []Region{
	{Code: "640000", Name: "宁夏回族自治区", Level: LevelProvince},
	{Code: "640300", Name: "吴忠市", ParentCode: strp("640000"), Level: LevelPrefecture},
	{Code: "640303", Name: "红寺堡区", ParentCode: strp("640300"), Level: LevelCounty},
	{Code: "650000", Name: "新疆维吾尔自治区", Level: LevelProvince},
	{Code: "653200", Name: "和田地区", ParentCode: strp("650000"), Level: LevelPrefecture},
	{Code: "653226", Name: "于田县", ParentCode: strp("653200"), Level: LevelCounty},
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

// RegionRow is a region as the catalogue shows it, with its full name
// (广东省广州市南沙区).
type RegionRow struct {
	Code       string
	Name       string
	ParentCode *string
	Level      string
	FullName   string
}

// RegionFilter narrows GET /regions.
type RegionFilter struct {
	Q      string // part of the full name, or the beginning of the code
	Parent string // direct children of this code
	Level  string
	Within string // this region and every region under it ("" = all)
}

// The catalogue is three levels deep, so two joins give every full name.
const regionRowSelect = `SELECT r.code, r.name, r.parent_code, r.level,
	COALESCE(pp.name, '') || COALESCE(p.name, '') || r.name AS full_name
FROM regions r
LEFT JOIN regions p ON p.code = r.parent_code
LEFT JOIN regions pp ON pp.code = p.parent_code`

// Regions returns a page of the catalogue by code, and how many match.
func (s *Store) Regions(ctx context.Context, f RegionFilter, page Page) ([]RegionRow, int64, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Q != "" {
		where = append(where, `(COALESCE(pp.name, '') || COALESCE(p.name, '') || r.name LIKE ? ESCAPE '\' OR r.code LIKE ? ESCAPE '\')`)
		args = append(args, "%"+escapeLike(f.Q)+"%", escapeLike(f.Q)+"%")
	}
	if f.Parent != "" {
		where = append(where, "r.parent_code = ?")
		args = append(args, f.Parent)
	}
	if f.Level != "" {
		where = append(where, "r.level = ?")
		args = append(args, f.Level)
	}
	if f.Within != "" {
		where = append(where, "(r.code = ? OR r.parent_code = ? OR p.parent_code = ?)")
		args = append(args, f.Within, f.Within, f.Within)
	}
	out, total, err := rawPage[RegionRow](ctx, s, regionRowSelect, " WHERE "+strings.Join(where, " AND "), "r.code", args, page)
	if err != nil {
		return nil, 0, fmt.Errorf("regions: %w", err)
	}
	return out, total, nil
}

// RegionWithParents returns a region and its parents, the province first.
func (s *Store) RegionWithParents(ctx context.Context, code string) (RegionRow, []RegionRow, error) {
	var chain []RegionRow
	for c := code; ; {
		var rows []RegionRow
		if err := s.DB(ctx).Raw(regionRowSelect+" WHERE r.code = ?", c).Scan(&rows).Error; err != nil {
			return RegionRow{}, nil, fmt.Errorf("region %s: %w", code, err)
		}
		if len(rows) == 0 {
			return RegionRow{}, nil, apperr.New(apperr.NotFound, "行政区划 %s 不存在", code)
		}
		chain = append([]RegionRow{rows[0]}, chain...)
		if rows[0].ParentCode == nil || len(chain) > 3 {
			break
		}
		c = *rows[0].ParentCode
	}
	return chain[len(chain)-1], chain[:len(chain)-1], nil
}

// InRegion tells whether code is within (equal to or under) the region.
func (s *Store) InRegion(ctx context.Context, code, within string) (bool, error) {
	if code == within {
		return true, nil
	}
	_, parents, err := s.RegionWithParents(ctx, code)
	if err != nil {
		return false, err
	}
	for _, p := range parents {
		if p.Code == within {
			return true, nil
		}
	}
	return false, nil
}

// RegionForAgencyName finds the region of an agency from the beginning of
// its name: the longest match of a county, prefecture or province name,
// alone or after the names of its parents (广州市南沙区卫生健康局 → 440115,
// 红寺堡区医疗保障局 → 640303). A name that several regions match equally
// (鼓楼区 …, without its prefecture) is refused, listing them.
func (s *Store) RegionForAgencyName(ctx context.Context, agency string) (Region, error) {
	var regions []Region
	if err := s.DB(ctx).Find(&regions).Error; err != nil {
		return Region{}, fmt.Errorf("region for %s: %w", agency, err)
	}
	return MatchRegion(regions, agency)
}

// MatchRegion is RegionForAgencyName on a set of regions.
func MatchRegion(regions []Region, agency string) (Region, error) {
	byCode := make(map[string]*Region, len(regions))
	for i := range regions {
		byCode[regions[i].Code] = &regions[i]
	}
	var best []*Region
	bestLen := 0
	for i := range regions {
		r := &regions[i]
		n := longestPrefix(agency, namesOf(r, byCode))
		switch {
		case n == 0 || n < bestLen:
		case n > bestLen:
			best, bestLen = []*Region{r}, n
		default:
			best = append(best, r)
		}
	}
	switch len(best) {
	case 0:
		return Region{}, apperr.New(apperr.Invalid, "无法从部门名称“%s”判断所属行政区划，请用 --region 指定区划代码", agency)
	case 1:
		return *best[0], nil
	}
	sort.Slice(best, func(i, j int) bool { return best[i].Code < best[j].Code })
	names := make([]string, len(best))
	candidates := make([]map[string]string, len(best))
	for i, r := range best {
		full := fullName(r, byCode)
		names[i] = fmt.Sprintf("%s（%s）", full, r.Code)
		candidates[i] = map[string]string{"code": r.Code, "full_name": full}
	}
	return Region{}, apperr.New(apperr.Invalid, "部门名称“%s”开头的“%s”不止一个行政区划：%s；请在名称前加上所属的市，或用 --region 指定区划代码",
		agency, agency[:bestLen], strings.Join(names, "、")).
		WithDetails(map[string]any{"candidates": candidates})
}

// namesOf lists how a name may begin for a region: its own name, after its
// parent's, and after the whole chain (南沙区, 广州市南沙区, 广东省广州市南沙区, 湖北省仙桃市).
func namesOf(r *Region, byCode map[string]*Region) []string {
	out := []string{r.Name}
	prefix := r.Name
	for p := parentOf(r, byCode); p != nil; p = parentOf(p, byCode) {
		prefix = p.Name + prefix
		out = append(out, prefix)
		if p.Level != LevelProvince {
			// a prefecture's name directly before the county's is common; with the province before the county alone too
			if pp := parentOf(p, byCode); pp != nil {
				out = append(out, pp.Name+r.Name)
			}
		}
	}
	return out
}

func parentOf(r *Region, byCode map[string]*Region) *Region {
	if r.ParentCode == nil {
		return nil
	}
	return byCode[*r.ParentCode]
}

func fullName(r *Region, byCode map[string]*Region) string {
	name := r.Name
	for p := parentOf(r, byCode); p != nil; p = parentOf(p, byCode) {
		name = p.Name + name
	}
	return name
}

// longestPrefix is the byte length of the longest of names that begins s, 0 when none does.
func longestPrefix(s string, names []string) int {
	n := 0
	for _, name := range names {
		if len(name) > n && strings.HasPrefix(s, name) {
			n = len(name)
		}
	}
	return n
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
