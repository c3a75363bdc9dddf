// Package search is 全域检索: one query over the current items of every
// list, answered grouped by list and agency, with the matching text marked
// as segments (never HTML) and counts per region, category and agency. The
// store finds the matches with its indexes; this package filters, counts,
// orders, pages and marks them.
package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/codes"
	"qingdan/importer"
	"qingdan/models"
)

// Limits of a query.
const (
	MaxQueryRunes = 50
	MaxLimit      = 100
	DefaultLimit  = 20
	MaxOffset     = 10000
	// MaxAgencyFacets bounds the agency facet; the busiest agencies come first.
	MaxAgencyFacets  = 100
	maxCategoryRunes = 20
)

// Query is what GET /api/v1/search asks.
type Query struct {
	Q        string
	Region   string // a region code: that region and everything under it; "" everywhere
	Category string
	AgencyID int64
	Limit    int
	Offset   int
}

// Segment is a run of text; Hit marks the runs that match the query.
type Segment struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// FieldMatch is one field of an item in which the query occurs.
type FieldMatch struct {
	Field    models.Field `json:"field"`
	Label    string       `json:"label"`
	Segments []Segment    `json:"segments"`
}

// Item is one matching item.
type Item struct {
	ID       int64        `json:"id"`
	Code     string       `json:"code"`
	Name     string       `json:"name"`
	Subitem  string       `json:"subitem"`
	Category string       `json:"category"`
	Matches  []FieldMatch `json:"matches"`
}

// Ref names a list, agency or region.
type Ref struct {
	ID   int64  `json:"id,omitempty"`
	Code string `json:"code,omitempty"`
	Name string `json:"name"`
}

// Group is the matching items of one list on this page; Total counts them
// on every page.
type Group struct {
	List   ListRef `json:"list"`
	Agency Ref     `json:"agency"`
	Region Ref     `json:"region"`
	Total  int     `json:"total"`
	Items  []Item  `json:"items"`
}

// ListRef is the list of a group.
type ListRef struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	Kind    string `json:"kind"`
	Version int    `json:"version"`
}

// Count is one facet value with the number of matching items it would keep.
type Count struct {
	ID    int64  `json:"id,omitempty"`
	Code  string `json:"code,omitempty"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Facets count the matches per value, each under the other filters (so a
// chosen category still shows what the other categories hold).
type Facets struct {
	Regions    []Count `json:"regions"`
	Categories []Count `json:"categories"`
	Agencies   []Count `json:"agencies"`
}

// Result is the answer of a search.
type Result struct {
	Q      string  `json:"q"`
	Total  int     `json:"total"`
	Limit  int     `json:"limit"`
	Offset int     `json:"offset"`
	Groups []Group `json:"groups"`
	Facets Facets  `json:"facets"`
}

// Validate checks the query and fills defaults; errors name the parameter.
func (q *Query) Validate() error {
	q.Q = strings.TrimSpace(q.Q)
	n := utf8.RuneCountInString(q.Q)
	switch {
	case n == 0:
		return apperr.New(apperr.Invalid, "参数 q：请输入检索词")
	case n > MaxQueryRunes:
		return apperr.New(apperr.Invalid, "参数 q：检索词最长 %d 个字，收到 %d 个", MaxQueryRunes, n)
	case n < models.ShortQuery && !strings.ContainsFunc(q.Q, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		return apperr.New(apperr.Invalid, "参数 q：一两个字的检索词须含汉字、字母或数字")
	case utf8.RuneCountInString(q.Category) > maxCategoryRunes:
		// Lists hold categories beyond the ten (其他类 …), so any name is a filter.
		return apperr.New(apperr.Invalid, "参数 category：权力类型最长 %d 个字", maxCategoryRunes)
	case q.Limit < 0 || q.Limit > MaxLimit:
		return apperr.New(apperr.Invalid, "参数 limit 应在 1–%d 之间", MaxLimit)
	case q.Offset < 0 || q.Offset > MaxOffset:
		return apperr.New(apperr.Invalid, "参数 offset 应在 0–%d 之间", MaxOffset)
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	return nil
}

// Run answers a query.
func Run(ctx context.Context, st *models.Store, q Query) (Result, error) {
	if err := q.Validate(); err != nil {
		return Result{}, err
	}
	var regions []string
	if q.Region != "" {
		under, err := st.RegionsUnder(ctx, q.Region)
		if err != nil {
			return Result{}, err
		}
		for _, r := range under {
			regions = append(regions, r.Code)
		}
	}
	hits, err := st.SearchHits(ctx, q.Q, regions)
	if err != nil {
		return Result{}, err
	}
	res := Result{Q: q.Q, Limit: q.Limit, Offset: q.Offset, Groups: []Group{}}

	// Facets: each dimension counted under the other filter.
	byCategory, byAgency, byRegion := map[string]int{}, map[int64]int{}, map[string]int{}
	var kept []models.SearchHit
	for _, h := range hits {
		catOK := q.Category == "" || h.Category == q.Category
		agencyOK := q.AgencyID == 0 || h.AgencyID == q.AgencyID
		if agencyOK {
			byCategory[h.Category]++
		}
		if catOK {
			byAgency[h.AgencyID]++
		}
		if catOK && agencyOK {
			byRegion[h.RegionCode]++
			kept = append(kept, h)
		}
	}
	res.Total = len(kept)
	if res.Facets, err = facets(ctx, st, byCategory, byAgency, byRegion); err != nil {
		return Result{}, err
	}

	// Results in catalogue order: region, agency, list, then list order.
	slices.SortFunc(kept, func(a, b models.SearchHit) int {
		return cmp.Or(cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.AgencyID, b.AgencyID),
			cmp.Compare(a.ListID, b.ListID), cmp.Compare(a.Position, b.Position), cmp.Compare(a.ItemID, b.ItemID))
	})
	perList := map[int64]int{}
	for _, h := range kept {
		perList[h.ListID]++
	}
	page := kept[min(q.Offset, len(kept)):min(q.Offset+q.Limit, len(kept))]
	if len(page) == 0 {
		return res, nil
	}
	res.Groups, err = groups(ctx, st, q.Q, page, perList)
	return res, err
}

func facets(ctx context.Context, st *models.Store, byCategory map[string]int, byAgency map[int64]int, byRegion map[string]int) (Facets, error) {
	f := Facets{Regions: []Count{}, Categories: []Count{}, Agencies: []Count{}}
	for c, n := range byCategory {
		f.Categories = append(f.Categories, Count{Name: c, Count: n})
	}
	// The ten in their usual order, then any other by name.
	slices.SortFunc(f.Categories, func(a, b Count) int {
		return cmp.Or(cmp.Compare(rank(a.Name), rank(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	codes := make([]string, 0, len(byRegion))
	for c := range byRegion {
		codes = append(codes, c)
	}
	regions, err := st.RegionsByCode(ctx, codes)
	if err != nil {
		return f, err
	}
	for _, r := range regions {
		f.Regions = append(f.Regions, Count{Code: r.Code, Name: r.Name, Count: byRegion[r.Code]})
	}
	slices.SortFunc(f.Regions, func(a, b Count) int { return cmp.Compare(a.Code, b.Code) })

	ids := make([]int64, 0, len(byAgency))
	for id := range byAgency {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Or(cmp.Compare(byAgency[b], byAgency[a]), cmp.Compare(a, b)) })
	ids = ids[:min(len(ids), MaxAgencyFacets)]
	agencies, err := st.AgenciesByID(ctx, ids)
	if err != nil {
		return f, err
	}
	for _, a := range agencies {
		f.Agencies = append(f.Agencies, Count{ID: a.ID, Name: a.Name, Count: byAgency[a.ID]})
	}
	slices.SortFunc(f.Agencies, func(a, b Count) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name)) })
	return f, nil
}

func rank(category string) int {
	if i := slices.Index(codes.Categories, category); i >= 0 {
		return i
	}
	return len(codes.Categories)
}

// groups reads the page's items and lists and groups them by list.
func groups(ctx context.Context, st *models.Store, q string, page []models.SearchHit, perList map[int64]int) ([]Group, error) {
	ids := make([]int64, len(page))
	var listIDs []int64
	for i, h := range page {
		ids[i] = h.RevisionID
		if !slices.Contains(listIDs, h.ListID) {
			listIDs = append(listIDs, h.ListID)
		}
	}
	revs, err := st.RevisionsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*models.ItemRevision, len(revs))
	for i := range revs {
		byID[revs[i].ID] = &revs[i]
	}
	lists, err := st.ListSummariesByID(ctx, listIDs)
	if err != nil {
		return nil, err
	}
	listByID := map[int64]models.ListSummary{}
	for _, l := range lists {
		listByID[l.ID] = l
	}
	var out []Group
	for _, h := range page {
		r := byID[h.RevisionID]
		l, ok := listByID[h.ListID]
		if r == nil || !ok { // published away between the two reads: leave it out
			continue
		}
		if len(out) == 0 || out[len(out)-1].List.ID != l.ID {
			out = append(out, Group{
				List:   ListRef{ID: l.ID, Title: l.Title, Kind: l.Kind, Version: l.Version},
				Agency: Ref{ID: l.AgencyID, Name: l.AgencyName},
				Region: Ref{Code: l.RegionCode, Name: l.RegionName},
				Total:  perList[l.ID],
			})
		}
		g := &out[len(out)-1]
		g.Items = append(g.Items, Item{ID: r.ItemID, Code: r.Code, Name: r.Name, Subitem: r.Subitem,
			Category: r.Category, Matches: fieldMatches(r.Fields(), l.Kind, q)})
	}
	return out, nil
}

// searched are the fields a query looks in, in the order results show them;
// the short ones are shown whole, the long ones as an excerpt around the match.
var searched = []struct {
	field models.Field
	long  bool
}{
	{models.FieldName, false}, {models.FieldSubitem, false}, {models.FieldCode, false},
	{models.FieldContent, true}, {models.FieldBasis, true},
}

func fieldMatches(f models.ItemFields, kind, q string) []FieldMatch {
	layout, _ := importer.LayoutFor(kind)
	out := []FieldMatch{}
	for _, s := range searched {
		text := f.Get(s.field)
		if s.long {
			text = PlainText(text)
		}
		segs := Mark(text, q)
		if len(segs) == 0 {
			continue
		}
		if s.long {
			segs = Excerpt(segs, excerptBefore, excerptAfter)
		}
		label := importer.Power.Header(s.field) // the columns a duty list lacks are named as a power list names them
		if layout != nil && layout.Has(s.field) {
			label = layout.Header(s.field)
		}
		out = append(out, FieldMatch{Field: s.field, Label: label, Segments: segs})
	}
	return out
}
