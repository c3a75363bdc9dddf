// Package stats is 统计分析: for a region and everything under it, the items
// per 权力类型 per department and per region, the changes per month by kind,
// the change requests by state with the time each step took, and the
// findings of the legal-basis check per department. Every
// answer is a set of tables — labels, columns and rows decided here — that
// the UI draws as charts and tables and the API also sends as XLSX.
package stats

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/codes"
	"qingdan/models"
	"qingdan/workflow"
)

// The kinds of chart: bars, stacked bars, a line.
const (
	ChartBar     = "bar"
	ChartStacked = "stacked"
	ChartLine    = "line"
)

// ChartKinds are every kind of chart, for the UI's type.
var ChartKinds = []string{ChartBar, ChartStacked, ChartLine}

// Chart tells the UI how to draw a table: its kind (one of ChartKinds),
// the column of the x axis and the columns drawn as series.
type Chart struct {
	Kind   string `json:"kind" ts:"ChartKind"`
	X      int    `json:"x"`
	Series []int  `json:"series"`
}

// Table is one table of an answer. Cells are strings or numbers.
type Table struct {
	Name    string   `json:"name"`
	Title   string   `json:"title"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Chart   *Chart   `json:"chart,omitempty"`
}

// Answer is a statistics answer: the region it covers (code "" for all of
// them), the way down to it and the regions directly under it, for drilling
// down, and its tables.
type Answer struct {
	Region   models.Region   `json:"region"`
	Path     []models.Region `json:"path"`
	Children []models.Region `json:"children"`
	Tables   []Table         `json:"tables"`
}

// Table returns the named table, or the first when name is "".
func (a Answer) Table(name string) (Table, bool) {
	for _, t := range a.Tables {
		if name == "" || t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// regionTree is a region and everything under it.
type regionTree struct {
	root   models.Region
	byCode map[string]models.Region
	codes  []string
}

// All is the root of every region, the answer for code "".
var All = models.Region{Code: "", Name: "全部区划", Level: "all"}

func loadTree(ctx context.Context, st *models.Store, code string) (regionTree, error) {
	var under []models.Region
	var err error
	if code == "" {
		under, err = st.AllRegions(ctx)
		under = append([]models.Region{All}, under...)
	} else {
		under, err = st.RegionsUnder(ctx, code)
	}
	if err != nil {
		return regionTree{}, err
	}
	t := regionTree{root: under[0], byCode: map[string]models.Region{}}
	for _, r := range under {
		t.byCode[r.Code] = r
		t.codes = append(t.codes, r.Code)
	}
	return t, nil
}

// answer starts an answer for the tree: the path from the top down to its
// root and the regions directly under it.
func (t regionTree) answer(ctx context.Context, st *models.Store, tables ...Table) (Answer, error) {
	a := Answer{Region: t.root, Path: []models.Region{}, Children: []models.Region{}, Tables: tables}
	for r := t.root; r.Code != ""; {
		a.Path = append([]models.Region{r}, a.Path...)
		if r.ParentCode == nil {
			break
		}
		p, err := st.Region(ctx, *r.ParentCode)
		if err != nil {
			return a, err
		}
		r = p
	}
	a.Path = append([]models.Region{All}, a.Path...)
	for _, r := range t.byCode {
		if r.Code != t.root.Code && t.child(r.Code).Code == r.Code {
			a.Children = append(a.Children, r)
		}
	}
	slices.SortFunc(a.Children, func(x, y models.Region) int { return cmp.Compare(x.Code, y.Code) })
	return a, nil
}

// child returns the region directly under the root that code lies in (the
// root itself for the root).
func (t regionTree) child(code string) models.Region {
	r := t.byCode[code]
	for r.ParentCode != nil && *r.ParentCode != t.root.Code {
		p, ok := t.byCode[*r.ParentCode]
		if !ok {
			break
		}
		r = p
	}
	return r
}

var levelLabels = map[string]string{"province": "省级", "prefecture": "市级", "county": "县级"}

func levelLabel(l string) string {
	if s, ok := levelLabels[l]; ok {
		return s
	}
	return l
}

// Items counts the current items per 权力类型: per department, per region
// directly under the region, and per region level.
func Items(ctx context.Context, st *models.Store, flow *workflow.Service, region string) (Answer, error) {
	tree, err := loadTree(ctx, st, region)
	if err != nil {
		return Answer{}, err
	}
	counts, err := tree.itemCounts(ctx, st, flow)
	if err != nil {
		return Answer{}, err
	}
	cats := slices.Clone(codes.Categories)
	for _, c := range counts { // a category outside the ten still counts
		if !slices.Contains(cats, c.Category) {
			cats = append(cats, c.Category)
		}
	}
	type acc struct {
		key, name, region string
		n                 []int
	}
	group := func(key func(itemCount) (string, string, string)) []acc {
		m := map[string]*acc{}
		var order []string
		for _, c := range counts {
			k, name, reg := key(c)
			a := m[k]
			if a == nil {
				a = &acc{key: k, name: name, region: reg, n: make([]int, len(cats)+1)}
				m[k] = a
				order = append(order, k)
			}
			a.n[slices.Index(cats, c.Category)] += c.N
			a.n[len(cats)] += c.N
		}
		out := make([]acc, len(order))
		for i, k := range order {
			out[i] = *m[k]
		}
		return out
	}
	header := func(first ...string) []string { return append(append(first, cats...), "合计") }
	series := func(from int) []int {
		s := make([]int, len(cats))
		for i := range s {
			s[i] = from + i
		}
		return s
	}
	row := func(first []any, n []int) []any {
		for _, v := range n {
			first = append(first, v)
		}
		return first
	}

	agencies := group(func(c itemCount) (string, string, string) {
		return fmt.Sprint(c.AgencyID), c.AgencyName, tree.byCode[c.RegionCode].Name
	})
	slices.SortFunc(agencies, func(a, b acc) int {
		return cmp.Or(cmp.Compare(b.n[len(cats)], a.n[len(cats)]), cmp.Compare(a.name, b.name), cmp.Compare(a.region, b.region), cmp.Compare(a.key, b.key))
	})
	byAgency := Table{Name: "agencies", Title: "各部门权力事项数（按权力类型）", Columns: header("部门", "区划"),
		Rows: [][]any{}, Chart: &Chart{Kind: ChartStacked, X: 0, Series: series(2)}}
	for _, a := range agencies {
		byAgency.Rows = append(byAgency.Rows, row([]any{a.name, a.region}, a.n))
	}

	regions := group(func(c itemCount) (string, string, string) {
		r := tree.child(c.RegionCode)
		return r.Code, r.Name, ""
	})
	slices.SortFunc(regions, func(a, b acc) int { return cmp.Compare(a.key, b.key) })
	byRegion := Table{Name: "regions", Title: "各区划权力事项数（按权力类型）", Columns: header("区划"),
		Rows: [][]any{}, Chart: &Chart{Kind: ChartStacked, X: 0, Series: series(1)}}
	for _, a := range regions {
		byRegion.Rows = append(byRegion.Rows, row([]any{a.name}, a.n))
	}

	levels := group(func(c itemCount) (string, string, string) {
		l := tree.byCode[c.RegionCode].Level
		return l, levelLabel(l), ""
	})
	levelOrder := []string{"province", "prefecture", "county"}
	slices.SortFunc(levels, func(a, b acc) int {
		return cmp.Or(cmp.Compare(rank(levelOrder, a.key), rank(levelOrder, b.key)), cmp.Compare(a.key, b.key))
	})
	byLevel := Table{Name: "levels", Title: "各层级权力事项数（按权力类型）", Columns: header("层级"),
		Rows: [][]any{}, Chart: &Chart{Kind: ChartBar, X: 0, Series: series(1)}}
	for _, a := range levels {
		byLevel.Rows = append(byLevel.Rows, row([]any{a.name}, a.n))
	}
	return tree.answer(ctx, st, byAgency, byRegion, byLevel)
}

// lists returns the lists of the tree's agencies with their current versions.
func (t regionTree) lists(ctx context.Context, st *models.Store) ([]models.ListPlace, error) {
	places, err := st.ListPlaces(ctx)
	if err != nil {
		return nil, err
	}
	var out []models.ListPlace
	for _, p := range places {
		if _, ok := t.byCode[p.RegionCode]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// itemCount is the number of current items of one category in one agency's lists.
type itemCount struct {
	AgencyID   int64
	AgencyName string
	RegionCode string
	Category   string
	N          int
}

// itemCounts counts the current items of the tree's lists per agency and category.
func (t regionTree) itemCounts(ctx context.Context, st *models.Store, flow *workflow.Service) ([]itemCount, error) {
	lists, err := t.lists(ctx, st)
	if err != nil || len(lists) == 0 {
		return nil, err
	}
	agencyIDs := make([]int64, len(lists))
	for i, p := range lists {
		agencyIDs[i] = p.AgencyID
	}
	counts, err := flow.ItemCounts(ctx, lists)
	if err != nil {
		return nil, err
	}
	agencies, err := st.AgenciesByID(ctx, agencyIDs)
	if err != nil {
		return nil, err
	}
	name := map[int64]string{}
	for _, a := range agencies {
		name[a.ID] = a.Name
	}
	sum := map[[2]any]*itemCount{}
	var out []*itemCount
	for i, p := range lists {
		for _, c := range counts[i] {
			k := [2]any{p.AgencyID, c.Category}
			if sum[k] == nil {
				sum[k] = &itemCount{AgencyID: p.AgencyID, AgencyName: name[p.AgencyID], RegionCode: p.RegionCode, Category: c.Category}
				out = append(out, sum[k])
			}
			sum[k].N += c.N
		}
	}
	res := make([]itemCount, len(out))
	for i, c := range out {
		res[i] = *c
	}
	return res, nil
}

func rank(order []string, s string) int {
	if i := slices.Index(order, s); i >= 0 {
		return i
	}
	return len(order)
}

// changeKinds are the kinds of change a published version counts, labelled
// as the workflow labels its operations.
var changeKinds = models.Ops

// Changes counts the changes of published versions per month (Beijing time)
// by kind, between from and to (months, inclusive; zero: unbounded). The
// import that made version 1 is not a change.
func Changes(ctx context.Context, st *models.Store, flow *workflow.Service, region string, from, to time.Time) (Answer, error) {
	tree, err := loadTree(ctx, st, region)
	if err != nil {
		return Answer{}, err
	}
	lists, err := tree.lists(ctx, st)
	if err != nil {
		return Answer{}, err
	}
	versions, err := flow.VersionChanges(ctx, lists)
	if err != nil {
		return Answer{}, err
	}
	perMonth := map[string][]int{}
	for _, v := range slices.Concat(versions...) {
		at := v.PublishedAt.In(models.China)
		month := time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, models.China)
		if v.Number == 1 || (!from.IsZero() && month.Before(from)) || (!to.IsZero() && month.After(to)) {
			continue
		}
		key := month.Format("2006-01")
		n := perMonth[key]
		if n == nil {
			n = make([]int, len(changeKinds)+2)
			perMonth[key] = n
		}
		for i, op := range changeKinds {
			c := v.Count(op)
			n[i] += c
			n[len(changeKinds)] += c
		}
		n[len(changeKinds)+1]++
	}
	months := make([]string, 0, len(perMonth))
	for m := range perMonth {
		months = append(months, m)
	}
	slices.Sort(months)
	cols := []string{"月份"}
	series := []int{}
	for i, k := range changeKinds {
		cols = append(cols, workflow.OpLabel(k))
		series = append(series, i+1)
	}
	t := Table{Name: "months", Title: "每月调整事项数（按调整方式）", Columns: append(cols, "合计", "公布版本数"),
		Rows: [][]any{}, Chart: &Chart{Kind: ChartLine, X: 0, Series: series}}
	for _, m := range months {
		r := []any{m}
		for _, n := range perMonth[m] {
			r = append(r, n)
		}
		t.Rows = append(t.Rows, r)
	}
	return tree.answer(ctx, st, t)
}

// Requests counts the change requests of the region by state, and for each
// state a request waits in, how long it waited: how often, the median and
// the slowest, in hours. Administrators see every region; a reviewer or
// approver their own region and what lies under it (by default their own).
func Requests(ctx context.Context, st *models.Store, u *models.User, region string) (Answer, error) {
	if u.Role != models.RoleAdmin {
		if u.RegionCode == nil || (u.Role != models.RoleLegalReviewer && u.Role != models.RoleStaffingReviewer && u.Role != models.RoleApprover) {
			return Answer{}, apperr.New(apperr.Forbidden, "只有审查、审定人员和管理员可以查看修订申请统计")
		}
		if region == "" {
			region = *u.RegionCode
		}
		own, err := loadTree(ctx, st, *u.RegionCode)
		if err != nil {
			return Answer{}, err
		}
		if _, ok := own.byCode[region]; !ok {
			return Answer{}, apperr.New(apperr.Forbidden, "只能查看本区划（%s）及下级区划的修订申请统计", own.root.Name)
		}
	}
	tree, err := loadTree(ctx, st, region)
	if err != nil {
		return Answer{}, err
	}
	states, err := st.RequestStates(ctx, tree.codes)
	if err != nil {
		return Answer{}, err
	}
	steps, err := st.RequestSteps(ctx, tree.codes)
	if err != nil {
		return Answer{}, err
	}
	perState := map[string]int{}
	for _, s := range states {
		perState[s.State]++
	}
	byState := Table{Name: "states", Title: "修订申请（按状态）", Columns: []string{"状态", "申请数"},
		Rows: [][]any{}, Chart: &Chart{Kind: ChartBar, X: 0, Series: []int{1}}}
	for _, s := range workflow.States {
		byState.Rows = append(byState.Rows, []any{workflow.StateLabel(s), perState[s]})
	}

	waits := map[string][]time.Duration{}
	for _, s := range steps {
		waits[s.FromState] = append(waits[s.FromState], s.LeftAt.Sub(s.EnteredAt))
	}
	bySteps := Table{Name: "steps", Title: "各环节用时（小时）", Columns: []string{"环节", "次数", "中位数", "最长"},
		Rows: [][]any{}, Chart: &Chart{Kind: ChartBar, X: 0, Series: []int{2, 3}}}
	for _, s := range workflow.States {
		w := waits[s]
		if len(w) == 0 {
			continue
		}
		slices.Sort(w)
		bySteps.Rows = append(bySteps.Rows, []any{workflow.StateLabel(s), len(w), hours(Median(w)), hours(w[len(w)-1])})
	}
	return tree.answer(ctx, st, byState, bySteps)
}

// Median of sorted durations (the mean of the middle two for an even count).
func Median(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// hours rounds to a tenth of an hour.
func hours(d time.Duration) float64 {
	return float64((d+3*time.Minute)/(6*time.Minute)) / 10
}

// Findings counts the findings of the basis check (依据体检) of every list's
// current version, per department by kind, and per kind with the lists they
// are in. Departments whose lists have no finding are counted too, with 0.
func Findings(ctx context.Context, st *models.Store, flow *workflow.Service, region string) (Answer, error) {
	tree, err := loadTree(ctx, st, region)
	if err != nil {
		return Answer{}, err
	}
	all, err := tree.lists(ctx, st)
	if err != nil {
		return Answer{}, err
	}
	var lists []models.ListPlace
	var agencyIDs []int64
	for _, l := range all {
		if l.Version > 0 {
			lists = append(lists, l)
			agencyIDs = append(agencyIDs, l.AgencyID)
		}
	}
	counts, err := flow.FindingCounts(ctx, lists)
	if err != nil {
		return Answer{}, err
	}
	named, err := st.AgenciesByID(ctx, agencyIDs)
	if err != nil {
		return Answer{}, err
	}
	agencyName := map[int64]string{}
	for _, a := range named {
		agencyName[a.ID] = a.Name
	}
	kinds := basis.FindingKinds
	type acc struct {
		name, region string
		n            []int // per kind, then the total
	}
	byAgency := map[int64]*acc{}
	var order []int64
	perKind := make([]int, len(kinds))
	listsPerKind := make([]int, len(kinds))
	for i, l := range lists {
		a := byAgency[l.AgencyID]
		if a == nil {
			a = &acc{name: agencyName[l.AgencyID], region: tree.byCode[l.RegionCode].Name, n: make([]int, len(kinds)+1)}
			byAgency[l.AgencyID] = a
			order = append(order, l.AgencyID)
		}
		for k, kind := range kinds {
			n := counts[i][kind]
			a.n[k] += n
			a.n[len(kinds)] += n
			perKind[k] += n
			if n > 0 {
				listsPerKind[k]++
			}
		}
	}
	slices.SortFunc(order, func(x, y int64) int {
		a, b := byAgency[x], byAgency[y]
		return cmp.Or(cmp.Compare(b.n[len(kinds)], a.n[len(kinds)]), cmp.Compare(a.region, b.region), cmp.Compare(a.name, b.name))
	})
	cols := []string{"部门", "区划"}
	series := []int{}
	for i, k := range kinds {
		cols = append(cols, basis.FindingLabels[k])
		series = append(series, i+2)
	}
	agencies := Table{Name: "findings", Title: "各部门依据体检发现（按问题类型）", Columns: append(cols, "合计"),
		Rows: [][]any{}, Chart: &Chart{Kind: ChartStacked, X: 0, Series: series}}
	for _, id := range order {
		a := byAgency[id]
		r := []any{a.name, a.region}
		for _, n := range a.n {
			r = append(r, n)
		}
		agencies.Rows = append(agencies.Rows, r)
	}
	byKind := Table{Name: "kinds", Title: "依据体检发现（按问题类型）", Columns: []string{"问题类型", "发现数", "涉及清单数"},
		Rows: [][]any{}, Chart: &Chart{Kind: ChartBar, X: 0, Series: []int{1}}}
	for k, kind := range kinds {
		byKind.Rows = append(byKind.Rows, []any{basis.FindingLabels[kind], perKind[k], listsPerKind[k]})
	}
	return tree.answer(ctx, st, agencies, byKind)
}
