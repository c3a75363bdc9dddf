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

	"golang.org/x/sync/errgroup"

	"qingdan/apperr"
	"qingdan/codes"
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
	// scanRows: the page's lists are read by their rows up to this many (ten
	// full lists), which costs milliseconds whatever the word.
	scanRows = 3000
)

// Query is what GET /api/v1/search asks.
type Query struct {
	Q        string
	Region   string // a region code: that region and everything under it; "" everywhere
	Category string
	AgencyID int64
	Cites    int64 // an instrument of the registry: only items citing it; 0 any
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

// Run answers a query. The store counts the matches per list and category
// (counts.go keeps them per list version); totals, facets and the page's
// place follow from the counts, and only the lists on the page have their
// matching items read.
func (s *Searcher) Run(ctx context.Context, q Query) (Result, error) {
	if err := q.Validate(); err != nil {
		return Result{}, err
	}
	st := s.store
	places, lists, err := listsIn(ctx, st, q.Region)
	if err != nil {
		return Result{}, err
	}
	res := Result{Q: q.Q, Limit: q.Limit, Offset: q.Offset, Groups: []Group{}}
	var counts []models.SearchCount
	if lists == nil || len(lists) > 0 {
		if counts, err = s.countsIn(ctx, q.Q, q.Cites, places, lists); err != nil {
			return Result{}, err
		}
	}

	// Facets: each dimension counted under the other filters.
	byCategory, byAgency, byRegion := map[string]int{}, map[int64]int{}, map[string]int{}
	perList := map[int64]int{}
	for _, c := range counts {
		p := places[c.ListID]
		catOK := q.Category == "" || c.Category == q.Category
		agencyOK := q.AgencyID == 0 || p.AgencyID == q.AgencyID
		if agencyOK {
			byCategory[c.Category] += c.N
		}
		if catOK {
			byAgency[p.AgencyID] += c.N
		}
		if catOK && agencyOK {
			byRegion[p.RegionCode] += c.N
			perList[c.ListID] += c.N
			res.Total += c.N
		}
	}
	// The facets' names and the page's items are independent reads: at
	// once, so a search waits for the database about twice (the lists'
	// places, then these), not once per read.
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		res.Facets, err = facets(gctx, st, byCategory, byAgency, byRegion)
		return err
	})
	g.Go(func() (err error) {
		res.Groups, err = page(gctx, st, q, places, perList)
		return err
	})
	if err := g.Wait(); err != nil {
		return Result{}, err
	}
	return res, nil
}

// listsIn returns where every list belongs and, for a region, the ids of the
// lists in it and under it (nil for every region).
func listsIn(ctx context.Context, st *models.Store, region string) (map[int64]models.ListPlace, []int64, error) {
	all, err := st.ListPlaces(ctx)
	if err != nil {
		return nil, nil, err
	}
	places := make(map[int64]models.ListPlace, len(all))
	for _, p := range all {
		places[p.ListID] = p
	}
	if region == "" {
		return places, nil, nil
	}
	under, err := st.RegionsUnder(ctx, region)
	if err != nil {
		return nil, nil, err
	}
	in := map[string]bool{}
	for _, r := range under {
		in[r.Code] = true
	}
	lists := []int64{}
	for _, p := range all {
		if in[p.RegionCode] {
			lists = append(lists, p.ListID)
		}
	}
	return places, lists, nil
}

// page reads the page's items: the results are in catalogue order (region,
// agency, list, then list order), so the page is a slice of the matches of
// each list it spans, found from the counts alone.
func page(ctx context.Context, st *models.Store, q Query, places map[int64]models.ListPlace, perList map[int64]int) ([]Group, error) {
	ordered := make([]models.ListPlace, 0, len(perList))
	for id := range perList {
		ordered = append(ordered, places[id])
	}
	slices.SortFunc(ordered, func(a, b models.ListPlace) int {
		return cmp.Or(cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.AgencyID, b.AgencyID), cmp.Compare(a.ListID, b.ListID))
	})
	type span struct{ from, to int }
	spans := map[int64]span{}
	var lists []int64
	skip, want := q.Offset, q.Limit
	for _, p := range ordered {
		n := perList[p.ListID]
		if skip >= n {
			skip -= n
			continue
		}
		take := min(n-skip, want)
		spans[p.ListID] = span{skip, skip + take}
		lists = append(lists, p.ListID)
		skip, want = 0, want-take
		if want == 0 {
			break
		}
	}
	out := []Group{}
	if len(lists) == 0 {
		return out, nil
	}
	var revs []models.ItemRevision
	var summaries []models.ListSummary
	var layouts map[int64]*models.Layout
	// The page's lists' rows, when few (scanRows) or fewer than the matches:
	// the index's candidates are the word's matches in every list of the
	// province, read only to be filtered by list, and a word searched within
	// a county may match thousands of items elsewhere.
	rows, matches := 0, 0
	for _, id := range lists {
		rows += places[id].Items
	}
	for _, n := range perList {
		matches += n
	}
	scan := rows <= scanRows || rows < matches
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		revs, err = st.SearchItems(gctx, q.Q, lists, q.Category, q.Cites, scan)
		return err
	})
	g.Go(func() (err error) {
		summaries, err = st.ListSummariesByID(gctx, lists)
		return err
	})
	g.Go(func() (err error) {
		layouts, err = st.ListLayouts(gctx, lists)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	byList := map[int64][]models.ItemRevision{}
	for _, r := range revs {
		byList[r.ListID] = append(byList[r.ListID], r)
	}
	summary := map[int64]models.ListSummary{}
	for _, l := range summaries {
		summary[l.ID] = l
	}
	for _, id := range lists {
		l, sp, items := summary[id], spans[id], byList[id]
		// A publication between the two reads may have changed what matches.
		items = items[min(sp.from, len(items)):min(sp.to, len(items))]
		g := Group{
			List:   ListRef{ID: l.ID, Title: l.Title, Kind: l.Kind, Version: l.Version},
			Agency: Ref{ID: l.AgencyID, Name: l.AgencyName},
			Region: Ref{Code: l.RegionCode, Name: l.RegionName},
			Total:  perList[id],
			Items:  make([]Item, 0, len(items)),
		}
		layout := layouts[id]
		if layout == nil { // a list gone between the reads: its kind's columns
			layout = (&models.List{Kind: l.Kind}).ColumnLayout()
		}
		for _, r := range items {
			g.Items = append(g.Items, Item{ID: r.ItemID, Code: r.Code, Name: r.Name, Subitem: r.Subitem,
				Category: r.Category, Matches: fieldMatches(r.Fields(), layout, q.Q)})
		}
		out = append(out, g)
	}
	return out, nil
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
	ids := make([]int64, 0, len(byAgency))
	for id := range byAgency {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Or(cmp.Compare(byAgency[b], byAgency[a]), cmp.Compare(a, b)) })
	ids = ids[:min(len(ids), MaxAgencyFacets)]
	var regions []models.Region
	var agencies []models.Agency
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		regions, err = st.RegionsByCode(gctx, codes)
		return err
	})
	g.Go(func() (err error) {
		agencies, err = st.AgenciesByID(gctx, ids)
		return err
	})
	if err := g.Wait(); err != nil {
		return f, err
	}
	for _, r := range regions {
		f.Regions = append(f.Regions, Count{Code: r.Code, Name: r.Name, Count: byRegion[r.Code]})
	}
	slices.SortFunc(f.Regions, func(a, b Count) int { return cmp.Compare(a.Code, b.Code) })
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

// searched are the fields a query looks in, in the order results show them;
// the short ones are shown whole, the long ones as an excerpt around the match.
var searched = []struct {
	field models.Field
	long  bool
}{
	{models.FieldName, false}, {models.FieldSubitem, false}, {models.FieldCode, false},
	{models.FieldContent, true}, {models.FieldBasis, true},
}

// fieldMatches are the searched fields of an item that hold q, each named
// as its list heads the column.
func fieldMatches(f models.ItemFields, layout *models.Layout, q string) []FieldMatch {
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
		out = append(out, FieldMatch{Field: s.field, Label: layout.Header(s.field), Segments: segs})
	}
	return out
}
