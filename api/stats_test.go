package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/basis"
	"qingdan/dbtest"
	"qingdan/historytest"
	"qingdan/models"
	"qingdan/workflow"
)

type statsBody struct {
	Region   struct{ Code, Name string }
	Path     []struct{ Code, Name string }
	Children []struct{ Code, Name string }
	Tables   []struct {
		Name    string
		Title   string
		Columns []string
		Rows    [][]any
	}
}

// table returns the named table's rows keyed by their first cell, each cell
// by its column name.
func (b statsBody) table(t *testing.T, name string) map[string]map[string]any {
	t.Helper()
	for _, tb := range b.Tables {
		if tb.Name != name {
			continue
		}
		out := map[string]map[string]any{}
		for _, r := range tb.Rows {
			m := map[string]any{}
			for i, c := range tb.Columns {
				m[c] = r[i]
			}
			out[fmt.Sprint(r[0])] = m
		}
		return out
	}
	t.Fatalf("no table %s in %+v", name, b.Tables)
	return nil
}

func num(v any) float64 {
	if f, ok := v.(float64); ok {
		return f
	}
	return -1
}

func TestStatsItemsPerCategoryAgencyRegionAndLevel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		ids := importSeeds(t, store)
		h := newRouter(db)
		ctx := context.Background()
		// Asked before a publication, then after it: the counts kept per
		// version follow the list to its new version.
		l, _ := store.List(ctx, ids[0])
		var before statsBody
		call(t, h, "GET", "/api/v1/stats/items", nil, "").JSON(t, &before)
		totalBefore := num(before.table(t, "agencies")[l.Agency.Name]["合计"])
		// A removal: statistics count the current version only.
		items := historytest.Items(t, store, ids[0], 1)
		historytest.Publish(t, store, historytest.NewPeople(t, store, l.AgencyID, "s"), ids[0], "取消一项", time.Now(),
			historytest.Change{Op: models.OpRemove, ItemID: items[0].ItemID})

		// Counted directly from the current items of each list.
		want := map[string]map[string]int{} // agency → category → items
		for _, id := range ids {
			l, _ := store.List(ctx, id)
			for _, r := range historytest.Items(t, store, id, l.CurrentVersion) {
				if want[l.Agency.Name] == nil {
					want[l.Agency.Name] = map[string]int{}
				}
				want[l.Agency.Name][r.Category]++
				want[l.Agency.Name]["合计"]++
			}
		}
		var all statsBody
		r := call(t, h, "GET", "/api/v1/stats/items", nil, "")
		r.JSON(t, &all)
		seen := map[string]bool{}
		for _, c := range all.Children {
			seen[c.Code] = true
		}
		if r.Status != 200 || all.Region.Name != "全部区划" || !seen["640000"] || !seen["650000"] {
			t.Fatalf("all regions: %d %s", r.Status, r.Body)
		}
		agencies := all.table(t, "agencies")
		if got := num(agencies[l.Agency.Name]["合计"]); got != totalBefore-1 {
			t.Errorf("%s after a removal: %v items, before it %v", l.Agency.Name, got, totalBefore)
		}
		if len(agencies) != len(want) {
			t.Errorf("agencies %v, want %v", agencies, want)
		}
		for agency, cats := range want {
			for cat, n := range cats {
				if got := num(agencies[agency][cat]); got != float64(n) {
					t.Errorf("%s %s: %v, want %d", agency, cat, got, n)
				}
			}
		}
		provinces := all.table(t, "regions")
		if num(provinces["宁夏回族自治区"]["合计"]) != float64(want["红寺堡区医疗保障局"]["合计"]) ||
			num(provinces["新疆维吾尔自治区"]["合计"]) != float64(want["于田县医疗保障局"]["合计"]) {
			t.Errorf("per province: %v", provinces)
		}

		// A province: its prefectures, its county level, its one agency.
		var nx statsBody
		call(t, h, "GET", "/api/v1/stats/items?region=640000", nil, "").JSON(t, &nx)
		if len(nx.Path) != 2 || nx.Path[1].Code != "640000" || len(nx.Children) != 5 || nx.Children[2].Code != "640300" { // 宁夏's five prefectures
			t.Errorf("path %v children %v", nx.Path, nx.Children)
		}
		if a := nx.table(t, "agencies"); len(a) != 1 || a["红寺堡区医疗保障局"] == nil {
			t.Errorf("agencies of 640000: %v", a)
		}
		if r := nx.table(t, "regions"); num(r["吴忠市"]["合计"]) != float64(want["红寺堡区医疗保障局"]["合计"]) {
			t.Errorf("regions of 640000: %v", r)
		}
		if l := nx.table(t, "levels"); len(l) != 1 || num(l["县级"]["合计"]) != float64(want["红寺堡区医疗保障局"]["合计"]) {
			t.Errorf("levels of 640000: %v", l)
		}

		r = call(t, h, "GET", "/api/v1/stats/items?region=640000&format=xlsx&table=agencies", nil, "")
		if r.Status != 200 || !strings.HasPrefix(string(r.Body), "PK") || !strings.Contains(r.Header.Get("Content-Disposition"), "xlsx") {
			t.Errorf("xlsx: %d %v", r.Status, r.Header)
		}
		for _, bad := range []string{"?region=999999", "?format=pdf", "?format=xlsx&table=nope"} {
			if r := call(t, h, "GET", "/api/v1/stats/items"+bad, nil, ""); r.Status/100 != 4 {
				t.Errorf("%s: %d", bad, r.Status)
			}
		}
	})
}

func TestStatsChangesPerMonthInBeijingTime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		ids := importSeeds(t, store)
		h := newRouter(db)
		ctx := context.Background()
		l, _ := store.List(ctx, ids[0])
		p := historytest.NewPeople(t, store, l.AgencyID, "s")
		items := historytest.Items(t, store, ids[0], 1)
		mod := func(i int) historytest.Change {
			f := items[i].Fields()
			f.Note = "调整备注"
			return historytest.Change{Op: models.OpModify, ItemID: items[i].ItemID, Fields: &f}
		}
		added := items[0].Fields()
		added.Name, added.Code = "新增的试验事项", ""
		// 23:30 on 31 March in Beijing is still March; 00:30 on 1 April is April, though both are 31 March in UTC.
		historytest.Publish(t, store, p, ids[0], "三月", time.Date(2026, 3, 31, 23, 30, 0, 0, models.China),
			mod(1), historytest.Change{Op: models.OpRemove, ItemID: items[2].ItemID}, historytest.Change{Op: models.OpAdd, Fields: &added})
		var body statsBody
		// Asked between the two publications: what is kept of March follows the list to April.
		call(t, h, "GET", "/api/v1/stats/changes?region=640303", nil, "").JSON(t, &body)
		if m := body.table(t, "months"); len(m) != 1 || num(m["2026-03"]["合计"]) != 3 {
			t.Errorf("March only: %v", m)
		}
		historytest.Publish(t, store, p, ids[0], "四月", time.Date(2026, 4, 1, 0, 30, 0, 0, models.China), mod(3), mod(4))

		call(t, h, "GET", "/api/v1/stats/changes?region=640303", nil, "").JSON(t, &body)
		months := body.table(t, "months")
		want := map[string]map[string]float64{
			"2026-03": {"增加": 1, "取消": 1, workflow.OpLabel(models.OpModify): 1, "合计": 3, "公布版本数": 1},
			"2026-04": {workflow.OpLabel(models.OpModify): 2, "合计": 2, "取消": 0, "公布版本数": 1},
		}
		if len(months) != len(want) {
			t.Fatalf("months %v, want %v (imports are not changes)", months, want)
		}
		for m, kinds := range want {
			for k, n := range kinds {
				if num(months[m][k]) != n {
					t.Errorf("%s %s: %v, want %v", m, k, months[m][k], n)
				}
			}
		}
		call(t, h, "GET", "/api/v1/stats/changes?from=2026-04&to=2026-04", nil, "").JSON(t, &body)
		if m := body.table(t, "months"); len(m) != 1 || m["2026-04"] == nil {
			t.Errorf("April only: %v", m)
		}
		call(t, h, "GET", "/api/v1/stats/changes?region=653226", nil, "").JSON(t, &body)
		if m := body.table(t, "months"); len(m) != 0 {
			t.Errorf("Yutian changed nothing: %v", m)
		}
		if r := call(t, h, "GET", "/api/v1/stats/changes?from=2026-13", nil, ""); r.Status != 400 || !strings.Contains(r.ErrorMessage(t), "from") {
			t.Errorf("bad month: %d %s", r.Status, r.Body)
		}
	})
}

func TestStatsRequestsStatesAndStepTimes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		ctx := context.Background()
		who := func(name string) *models.User {
			u, err := e.store.UserByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			return &u
		}
		sub, rev, gov := who("hsb-ybj"), who("hsb-sfj"), who("hsb-gov")
		t0 := time.Date(2026, 5, 4, 9, 0, 0, 0, models.China)
		// Through the workflow, on a clock the steps set.
		now := t0
		flow := workflow.New(e.store, workflow.WithClock(func() time.Time { return now }))
		item := e.itemID(t, e.hsb, "社会保险稽核")
		type step struct {
			event string
			actor *models.User
			after time.Duration // since creation
		}
		n := 0
		request := func(steps ...step) {
			now, n = t0, n+1
			cr, err := flow.Create(ctx, sub, workflow.NewRequest{ListID: e.hsb, Title: "统计", Reason: "统计"})
			if err != nil {
				t.Fatal(err)
			}
			content, _ := json.Marshal(map[string]string{"content": fmt.Sprintf("统计用的调整%d", n)})
			if _, err := flow.AddOperation(ctx, sub, cr.ID, workflow.OperationInput{Op: models.OpModify, ItemID: &item,
				Item: content, Reason: "统计", Basis: crBasis}); err != nil {
				t.Fatal(err)
			}
			for _, s := range steps {
				now = t0.Add(s.after)
				if s.event == workflow.EventPublish {
					_, err = flow.Publish(ctx, s.actor, workflow.Publication{Requests: []int64{cr.ID}})
				} else {
					_, err = flow.Fire(ctx, s.actor, cr.ID, s.event, "请修改")
				}
				if err != nil {
					t.Fatalf("%s: %v", s.event, err)
				}
			}
		}
		h := time.Hour
		request(step{workflow.EventSubmit, sub, 2 * h}, step{workflow.EventPass, rev, 5 * h},
			step{workflow.EventApprove, gov, 6 * h}, step{workflow.EventPublish, gov, 30 * h})
		request(step{workflow.EventSubmit, sub, 4 * h}, step{workflow.EventReturn, rev, 5 * h})
		request()

		var body statsBody
		e.must(t, 200, "hsb-sfj", "GET", "/api/v1/stats/requests", nil).JSON(t, &body)
		if body.Region.Code != "640303" {
			t.Errorf("a reviewer's statistics default to their region, got %v", body.Region)
		}
		states := body.table(t, "states")
		for label, n := range map[string]float64{"草稿": 1, "已公布": 1, "退回修改": 1, "合法性审查": 0} {
			if num(states[label]["申请数"]) != n {
				t.Errorf("state %s: %v, want %v", label, states[label], n)
			}
		}
		steps := body.table(t, "steps")
		for label, want := range map[string][3]float64{
			"草稿": {2, 3, 4}, "合法性审查": {2, 2, 3}, "审定": {1, 1, 1}, "待公布": {1, 24, 24},
		} {
			s := steps[label]
			if num(s["次数"]) != want[0] || num(s["中位数"]) != want[1] || num(s["最长"]) != want[2] {
				t.Errorf("step %s: %v, want count/median/max %v", label, s, want)
			}
		}
		if len(steps) != 4 {
			t.Errorf("steps: %v", steps)
		}

		e.must(t, 200, "admin", "GET", "/api/v1/stats/requests?region=640000", nil).JSON(t, &body)
		if num(body.table(t, "states")["草稿"]["申请数"]) != 1 {
			t.Errorf("admin, 640000: %v", body.Tables)
		}
		e.must(t, 200, "yt-sfj", "GET", "/api/v1/stats/requests", nil).JSON(t, &body)
		if num(body.table(t, "states")["草稿"]["申请数"]) != 0 {
			t.Errorf("Yutian's reviewer sees Hongsibu's requests: %v", body.Tables)
		}
		e.must(t, 401, "anonymous", "GET", "/api/v1/stats/requests", nil)
		e.must(t, 403, "hsb-ybj", "GET", "/api/v1/stats/requests", nil)
		e.must(t, 403, "yt-sfj", "GET", "/api/v1/stats/requests?region=640303", nil)
		e.must(t, 403, "hsb-gov", "GET", "/api/v1/stats/requests?region=640000", nil)
	})
}

// The findings of the basis check per department: against each seed list's
// own check, counted here from its findings, for every region, after a
// registry edit (which must not serve counts kept from before) and as XLSX.
func TestStatsFindingsPerDepartment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newBasisEnv(t, db)
		agencyOf := map[int64]string{e.hsb: "红寺堡区医疗保障局", e.yt: "于田县医疗保障局"}
		type check struct {
			Findings []struct {
				Kind string `json:"kind"`
			} `json:"findings"`
		}
		// want: agency → kind label (and 合计) → findings, from the lists' own checks.
		counted := func() map[string]map[string]int {
			want := map[string]map[string]int{}
			for id, agency := range agencyOf {
				var chk check
				e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/basis-check", id), nil).JSON(t, &chk)
				want[agency] = map[string]int{}
				for _, f := range chk.Findings {
					want[agency][basis.FindingLabels[f.Kind]]++
					want[agency]["合计"]++
				}
			}
			return want
		}
		compare := func(want map[string]map[string]int) {
			t.Helper()
			for _, tc := range []struct {
				region   string
				agencies []string
			}{
				{"", []string{"红寺堡区医疗保障局", "于田县医疗保障局"}},
				{"640000", []string{"红寺堡区医疗保障局"}},
				{"650000", []string{"于田县医疗保障局"}},
			} {
				var b statsBody
				e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/stats/findings?region="+tc.region, nil).JSON(t, &b)
				got := b.table(t, "findings")
				if len(got) != len(tc.agencies) {
					t.Errorf("region %q: agencies %v", tc.region, got)
				}
				total := map[string]int{}
				for _, a := range tc.agencies {
					for _, kind := range basis.FindingKinds {
						label := basis.FindingLabels[kind]
						if n := num(got[a][label]); n != float64(want[a][label]) {
							t.Errorf("region %q, %s, %s: %v, want %d", tc.region, a, label, n, want[a][label])
						}
						total[label] += want[a][label]
					}
					if n := num(got[a]["合计"]); n != float64(want[a]["合计"]) {
						t.Errorf("region %q, %s: total %v, want %d", tc.region, a, n, want[a]["合计"])
					}
				}
				kinds := b.table(t, "kinds")
				for label, n := range total {
					if num(kinds[label]["发现数"]) != float64(n) {
						t.Errorf("region %q, %s: %v findings, want %d", tc.region, label, kinds[label]["发现数"], n)
					}
				}
			}
		}
		want := counted()
		if want["红寺堡区医疗保障局"]["合计"] == 0 || want["于田县医疗保障局"]["合计"] == 0 {
			t.Fatalf("the seeds have findings: %v", want)
		}
		compare(want)

		// The registry learns that an instrument both lists cite was repealed:
		// the statistics follow it at once, nothing kept from before.
		repealed := basis.FindingLabels[basis.FindingRepealed]
		e.must(t, http.StatusCreated, "admin", "POST", fmt.Sprintf("/api/v1/instruments/%d/changes", e.instrumentID(t, "中华人民共和国社会保险法")),
			map[string]string{"kind": "repealed", "date": "2026-05-01"})
		after := counted()
		if after["红寺堡区医疗保障局"][repealed] <= want["红寺堡区医疗保障局"][repealed] {
			t.Fatalf("the repeal left the findings at %v", after)
		}
		compare(after)

		r := e.as(t, "anonymous", "GET", "/api/v1/stats/findings?region=640000&format=xlsx&table=findings", nil)
		if r.Status != http.StatusOK || !strings.HasPrefix(string(r.Body), "PK") {
			t.Errorf("xlsx: %d %v", r.Status, r.Header)
		}
		if r := e.as(t, "anonymous", "GET", "/api/v1/stats/findings?region=999999", nil); r.Status/100 != 4 {
			t.Errorf("an unknown region: %d", r.Status)
		}
	})
}
