package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/historytest"
	"qingdan/models"
	"qingdan/search"
	"qingdan/testkit"
)

type searchBody struct {
	Q      string `json:"q"`
	Total  int    `json:"total"`
	Groups []struct {
		List   struct{ ID int64 }
		Agency struct{ ID int64 }
		Total  int
		Items  []struct {
			ID       int64
			Name     string
			Category string
			Matches  []struct {
				Field    string
				Label    string
				Segments []search.Segment
			}
		}
	} `json:"groups"`
	Facets struct {
		Regions []struct {
			Code, Name string
			Count      int
		}
		Categories []struct {
			Name  string
			Count int
		}
		Agencies []struct {
			ID    int64
			Name  string
			Count int
		}
	} `json:"facets"`
}

// itemIDs are the result's item ids in order.
func (b searchBody) itemIDs() []int64 {
	var ids []int64
	for _, g := range b.Groups {
		for _, it := range g.Items {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// expectedMatches is the search rule computed directly from every current
// item: q occurs in name, sub-item or code — or, from three characters, also
// in content or basis.
func expectedMatches(t *testing.T, store *models.Store, lists []int64, q, category string) map[int64]models.ItemRevision {
	t.Helper()
	want := map[int64]models.ItemRevision{}
	for _, id := range lists {
		l, err := store.List(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range historytest.Items(t, store, id, l.CurrentVersion) {
			fields := []string{r.Name, r.Subitem, r.Code}
			if len([]rune(q)) >= 3 {
				fields = append(fields, r.Content, r.Basis)
			}
			for _, f := range fields {
				if strings.Contains(f, q) && (category == "" || r.Category == category) {
					want[r.ItemID] = r
				}
			}
		}
	}
	return want
}

func searchURL(params ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	return "/api/v1/search?" + v.Encode()
}

func TestSearchFindsWhatTheRuleFinds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		ids := importSeeds(t, store)
		h := newRouter(db)
		for _, q := range []string{"罚", "医", "医保", "处罚", "骗取", "医疗保障基金", "社会保险法", "行政处罚", "XK", "定点医药机构", "不存在的事项名"} {
			want := expectedMatches(t, store, ids, q, "")
			var body searchBody
			r := call(t, h, "GET", searchURL("q", q, "limit", "100"), nil, "")
			r.JSON(t, &body)
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", q, r.Status, r.Body)
			}
			got := body.itemIDs()
			if body.Total != len(want) || len(got) != min(len(want), 100) {
				t.Errorf("%q: total %d, %d on the page; want %d", q, body.Total, len(got), len(want))
			}
			cats := map[string]int{}
			for _, w := range want {
				cats[w.Category]++
			}
			for _, c := range body.Facets.Categories {
				if cats[c.Name] != c.Count {
					t.Errorf("%q: facet %s = %d, want %d", q, c.Name, c.Count, cats[c.Name])
				}
				delete(cats, c.Name)
			}
			if len(cats) > 0 {
				t.Errorf("%q: categories missing from the facet: %v", q, cats)
			}
			for _, g := range body.Groups {
				for _, it := range g.Items {
					if _, ok := want[it.ID]; !ok {
						t.Errorf("%q: item %d %s should not match", q, it.ID, it.Name)
					}
					if len(it.Matches) == 0 {
						t.Errorf("%q: item %d %s has no marked field", q, it.ID, it.Name)
					}
					for _, m := range it.Matches {
						hits := 0
						for _, s := range m.Segments {
							if s.Hit {
								hits++
								if s.Text != q {
									t.Errorf("%q: marked %q in %s", q, s.Text, m.Field)
								}
							}
							if strings.Contains(s.Text, "<p>") {
								t.Errorf("%q: segment of %s keeps markup: %q", q, m.Field, s.Text)
							}
						}
						if hits == 0 || m.Label == "" {
							t.Errorf("%q: field %s of item %d listed without a mark or label", q, m.Field, it.ID)
						}
					}
				}
			}
		}
	})
}

func TestSearchFiltersFacetsAndPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		ids := importSeeds(t, store)
		h := newRouter(db)
		const q = "医疗保障"
		all := expectedMatches(t, store, ids, q, "")
		hsb := expectedMatches(t, store, ids[:1], q, "")
		if len(hsb) == 0 || len(hsb) == len(all) {
			t.Fatalf("the seeds should match %q in both lists (%d of %d)", q, len(hsb), len(all))
		}

		// A region and everything under it: 宁夏 holds the Hongsibu list only.
		for _, region := range []string{"640000", "640300", "640303"} {
			var body searchBody
			call(t, h, "GET", searchURL("q", q, "region", region, "limit", "100"), nil, "").JSON(t, &body)
			if body.Total != len(hsb) {
				t.Errorf("region %s: %d, want %d", region, body.Total, len(hsb))
			}
			for _, g := range body.Groups {
				if g.List.ID != ids[0] {
					t.Errorf("region %s: list %d", region, g.List.ID)
				}
			}
			if len(body.Facets.Regions) != 1 || body.Facets.Regions[0].Code != "640303" || body.Facets.Regions[0].Count != len(hsb) {
				t.Errorf("region %s: region facet %+v", region, body.Facets.Regions)
			}
		}

		// Category: the result narrows, the category facet still counts every category.
		var unfiltered searchBody
		call(t, h, "GET", searchURL("q", q, "limit", "100"), nil, "").JSON(t, &unfiltered)
		cat := unfiltered.Facets.Categories[0]
		var byCat searchBody
		call(t, h, "GET", searchURL("q", q, "category", cat.Name, "limit", "100"), nil, "").JSON(t, &byCat)
		if byCat.Total != cat.Count || byCat.Total != len(expectedMatches(t, store, ids, q, cat.Name)) {
			t.Errorf("category %s: %d, facet said %d", cat.Name, byCat.Total, cat.Count)
		}
		if len(byCat.Facets.Categories) != len(unfiltered.Facets.Categories) {
			t.Errorf("category facet under its own filter: %+v", byCat.Facets.Categories)
		}

		// Agency: the facet's count is what the filter keeps.
		ag := unfiltered.Facets.Agencies[0]
		var byAgency searchBody
		call(t, h, "GET", searchURL("q", q, "agency_id", fmt.Sprint(ag.ID), "limit", "100"), nil, "").JSON(t, &byAgency)
		if byAgency.Total != ag.Count {
			t.Errorf("agency %s: %d, facet said %d", ag.Name, byAgency.Total, ag.Count)
		}

		// Pages of 7 cover every match once, in the order of the whole result.
		var paged []int64
		for off := 0; off < len(all); off += 7 {
			var body searchBody
			call(t, h, "GET", searchURL("q", q, "limit", "7", "offset", fmt.Sprint(off)), nil, "").JSON(t, &body)
			paged = append(paged, body.itemIDs()...)
			for _, g := range body.Groups {
				if g.Total < len(g.Items) {
					t.Errorf("group total %d below its %d items on the page", g.Total, len(g.Items))
				}
			}
		}
		if !slices.Equal(paged, unfiltered.itemIDs()) {
			t.Errorf("pages %v\nwhole   %v", paged, unfiltered.itemIDs())
		}
	})
}

// A publication changes what is found at once: the old name is gone, the new
// one found — also by a searcher that counted the same words before (counts
// are kept per list version), everywhere and within a region.
func TestSearchFollowsPublication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		ids := importSeeds(t, store)
		h := newRouter(db)
		items := historytest.Items(t, store, ids[0], 1)
		l, _ := store.List(context.Background(), ids[0])
		p := historytest.NewPeople(t, store, l.AgencyID, "s")
		f := items[0].Fields()
		old, removed := f.Name, items[1].Name
		words := []string{"擅自改名试验", "改名", "处罚", "罚", old, removed}
		// Each word everywhere, in 红寺堡's province (a part of the lists) and in 于田's.
		check := func(when string) {
			t.Helper()
			for _, q := range words {
				for region, lists := range map[string][]int64{"": ids, "640000": ids[:1], "650000": ids[1:]} {
					want := len(expectedMatches(t, store, lists, q, ""))
					var body searchBody
					call(t, h, "GET", searchURL("q", q, "region", region), nil, "").JSON(t, &body)
					if body.Total != want {
						t.Errorf("%s: %q in %q: %d, want %d", when, q, region, body.Total, want)
					}
				}
			}
		}
		check("before")
		f.Name = "对擅自改名试验事项的处罚"
		historytest.Publish(t, store, p, ids[0], "改名", time.Now(),
			historytest.Change{Op: models.OpModify, ItemID: items[0].ItemID, Fields: &f},
			historytest.Change{Op: models.OpRemove, ItemID: items[1].ItemID})
		check("after")
		var body searchBody
		call(t, h, "GET", searchURL("q", "擅自改名试验"), nil, "").JSON(t, &body)
		if body.Total != 1 {
			t.Errorf("the new name: %d found", body.Total)
		}
		call(t, h, "GET", searchURL("q", removed), nil, "").JSON(t, &body)
		if slices.Contains(body.itemIDs(), items[1].ItemID) {
			t.Errorf("the removed item %s is still found", removed)
		}
	})
}

func TestSearchBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		importSeeds(t, models.NewStore(db))
		h := newRouter(db)
		for _, tc := range []struct {
			query  string
			status int
			want   string
		}{
			{searchURL("q", " "), 400, "q"},
			{searchURL("q", strings.Repeat("罚", 51)), 400, "最长"},
			{searchURL("q", "（"), 400, "汉字"},
			{searchURL("q", "处罚", "category", strings.Repeat("类", 21)), 400, "category"},
			{searchURL("q", "处罚", "limit", "1000"), 400, "limit"},
			{searchURL("q", "处罚", "offset", "-1"), 400, "offset"},
			{searchURL("q", "处罚", "limit", "x"), 400, "limit"},
			{searchURL("q", "处罚", "agency_id", "0"), 400, "agency_id"},
			{searchURL("q", "处罚", "cites", "0"), 400, "cites"},
			{searchURL("q", "处罚", "region", "999999"), 404, "999999"},
			{searchURL("q", `"处罚" OR *`), 200, ""},
			{searchURL("q", `%_\`), 200, ""},
		} {
			r := call(t, h, "GET", tc.query, nil, "")
			if r.Status != tc.status || (tc.want != "" && !strings.Contains(r.ErrorMessage(t), tc.want)) {
				t.Errorf("%s: %d %s, want %d naming %s", tc.query, r.Status, r.Body, tc.status, tc.want)
			}
		}
		if r := call(t, h, "GET", searchURL("q", `%_\`), nil, ""); r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"total":0`) {
			t.Errorf("LIKE wildcards must match themselves only: %s", r.Body)
		}
	})
}

// cites keeps the items whose legal basis cites the instrument, however the
// citation names it: counted here from the citations parsed from the basis,
// not from the registry's links.
func TestSearchCitesAnInstrument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newBasisEnv(t, db)
		law, ok, err := e.store.InstrumentByTitle(context.Background(), "中华人民共和国社会保险法")
		if err != nil || !ok {
			t.Fatalf("社会保险法 in the registry: %v %v", ok, err)
		}
		for _, q := range []string{"处罚", "医疗保险", "社会保险"} { // two characters take the short-query index
			want := map[int64]bool{}
			for id, r := range expectedMatches(t, e.store, []int64{e.hsb, e.yt}, q, "") {
				if slices.ContainsFunc(r.Citations, func(c models.Citation) bool { return strings.HasSuffix(c.Title, "社会保险法") }) {
					want[id] = true
				}
			}
			var body searchBody
			r := call(t, e.h, "GET", searchURL("q", q, "cites", fmt.Sprint(law.ID), "limit", "100"), nil, "")
			r.JSON(t, &body)
			if r.Status != 200 || len(want) == 0 || body.Total != len(want) {
				t.Fatalf("%s citing 社会保险法: %d, total %d, want %d: %s", q, r.Status, body.Total, len(want), r.Body)
			}
			for _, id := range body.itemIDs() {
				if !want[id] {
					t.Errorf("%s: item %d does not cite 社会保险法", q, id)
				}
			}
		}
	})
}

// The page's items are read through the index or, when the page's lists
// have fewer rows than the word has matches, by scanning those rows: both
// ways find exactly what the rule finds.
func TestSearchItemsScanAndIndexAgree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		ids := importSeeds(t, store)
		for _, q := range []string{"罚", "处罚", "医疗保障", "医疗保障基金", "中华人民共和国社会保险法", "骗取", "0", "不存在的词语"} {
			want := expectedMatches(t, store, ids, q, "")
			for _, scan := range []bool{false, true} {
				got, err := store.SearchItems(context.Background(), q, ids, "", 0, scan)
				if err != nil {
					t.Fatal(err)
				}
				seen := map[int64]bool{}
				for _, r := range got {
					if _, ok := want[r.ItemID]; !ok || seen[r.ItemID] {
						t.Errorf("%q (scan %v): item %d %s is not a match, or twice", q, scan, r.ItemID, r.Name)
					}
					seen[r.ItemID] = true
				}
				if len(seen) != len(want) {
					t.Errorf("%q (scan %v): %d items, want %d", q, scan, len(seen), len(want))
				}
			}
		}
	})
}

// A match is named as its own list heads the column: 建平's imported 权责清单
// calls the name 主项 and the basis 设定依据, where the seed 权责清单 says
// 事项名称 and 实施依据.
func TestSearchLabelsByTheListsColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := newCREnv(t, db)
		tc := testkit.LayoutCases[0]
		r := upload(t, env.h, env.token["admin"], tc.File, tc.Data(), map[string]string{"agency": "建平县医疗保障局", "kind": "duty"})
		if r.Status != http.StatusCreated {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		var p previewJSON
		r.JSON(t, &p)
		var done struct {
			ListID int64 `json:"list_id"`
		}
		env.must(t, 201, "admin", "POST", fmt.Sprintf("/api/v1/imports/%d/confirm", p.ID), nil).JSON(t, &done)
		var body searchBody
		call(t, env.h, "GET", searchURL("q", "骗取医保基金", "limit", "100"), nil, "").JSON(t, &body)
		labels := map[string]string{}
		for _, g := range body.Groups {
			if g.List.ID != done.ListID {
				continue
			}
			for _, it := range g.Items {
				for _, m := range it.Matches {
					labels[m.Field] = m.Label
				}
			}
		}
		if labels["subitem"] != "子项" {
			t.Errorf("labels of the imported list's matches: %v", labels)
		}
		call(t, env.h, "GET", searchURL("q", "社会保险法", "limit", "100"), nil, "").JSON(t, &body)
		seen := map[int64]bool{}
		for _, g := range body.Groups {
			for _, it := range g.Items {
				for _, m := range it.Matches {
					if m.Field == "basis" {
						seen[g.List.ID] = true
					}
					if g.List.ID == done.ListID && m.Field == "basis" && m.Label != "设定依据" {
						t.Errorf("basis of the imported list named %q", m.Label)
					}
					if g.List.ID == env.yt && m.Field == "basis" && m.Label != "实施依据" {
						t.Errorf("basis of the seed 权责清单 named %q", m.Label)
					}
				}
			}
		}
		if !seen[done.ListID] || !seen[env.yt] {
			t.Errorf("basis matches in the lists: %v", seen)
		}
	})
}
