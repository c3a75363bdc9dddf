package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/diff"
	"qingdan/historytest"
	"qingdan/importer"
	"qingdan/models"
)

// revisedHongsibu is the Hongsibu list after three published requests:
// version 2 modifies item A, version 3 modifies A again and adds an item,
// version 4 removes A. Dates are Beijing-time days 2024-05-01, -06-01, -07-01.
type revisedHongsibu struct {
	listID      int64
	itemA       int64 // modified twice, then removed
	added       int64 // added in version 3
	v1          []models.ItemRevision
	nameA       string
	contentV1   string
	contentV2   string
	contentV3   string
	suspectName string // the added item's name, markup a page must not run
}

func reviseHongsibu(t *testing.T, db *gorm.DB) revisedHongsibu {
	t.Helper()
	ctx := context.Background()
	s := models.NewStore(db)
	ids := importSeeds(t, s)
	l, err := s.List(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	ppl := historytest.NewPeople(t, s, l.AgencyID, "")
	r := revisedHongsibu{listID: ids[0], v1: historytest.Items(t, s, ids[0], 1),
		contentV2: "责令退回，处骗取金额二倍以上五倍以下的罚款", contentV3: "责令退回，处骗取金额一倍以上三倍以下的罚款",
		suspectName: `<img src=x onerror=alert(1)>对定点医药机构的处罚`}
	r.itemA, r.nameA, r.contentV1 = r.v1[0].ItemID, r.v1[0].Name, r.v1[0].Content
	a := r.v1[0].Fields()
	a.Content = r.contentV2
	historytest.Publish(t, s, ppl, r.listID, "补充行使内容", time.Date(2024, 4, 30, 18, 0, 0, 0, time.UTC),
		historytest.Change{Op: models.OpModify, ItemID: r.itemA, Fields: &a, Reason: "依据条例第三十七条补充"})
	a.Content = r.contentV3
	added := models.ItemFields{Seq: 11, Code: "0247011000", Name: r.suspectName, Category: "行政处罚", Department: "医疗保障行政部门", Note: "增加",
		Basis: historytest.Basis}
	historytest.Publish(t, s, ppl, r.listID, "调整罚款幅度", time.Date(2024, 6, 1, 2, 0, 0, 0, time.UTC),
		historytest.Change{Op: models.OpModify, ItemID: r.itemA, Fields: &a, Reason: "上位法修正"},
		historytest.Change{Op: models.OpAdd, Fields: &added, Reason: "新增职权"})
	historytest.Publish(t, s, ppl, r.listID, "取消事项", time.Date(2024, 7, 1, 2, 0, 0, 0, time.UTC),
		historytest.Change{Op: models.OpRemove, ItemID: r.itemA, Reason: "上位法废止"})
	for _, it := range historytest.Items(t, s, r.listID, 3) {
		if it.Name == r.suspectName {
			r.added = it.ItemID
		}
	}
	return r
}

func TestVersionsAPIListsNewestFirstWithRequestsAndCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newRouter(db)
		r := reviseHongsibu(t, db)
		res := call(t, h, "GET", "/api/v1/lists/"+itoa(r.listID)+"/versions", nil, "")
		if res.Status != 200 {
			t.Fatalf("status %d: %s", res.Status, res.Body)
		}
		var body struct {
			Versions []struct {
				Number        int
				PublishedAt   time.Time `json:"published_at"`
				ItemCount     int       `json:"item_count"`
				ChangeRequest *struct {
					ID            int64
					Title, Agency string
				} `json:"change_request"`
				Counts map[string]int
			}
		}
		res.JSON(t, &body)
		if len(body.Versions) != 4 {
			t.Fatalf("%d versions, want 4", len(body.Versions))
		}
		want := []struct {
			number, items int
			title         string
			counts        map[string]int
		}{
			{4, 23, "取消事项", map[string]int{"added": 0, "included": 0, "modified": 0, "recategorized": 0, "removed": 1, "delegated": 0, "merged": 0, "split": 0}},
			{3, 24, "调整罚款幅度", map[string]int{"added": 1, "included": 0, "modified": 1, "recategorized": 0, "removed": 0, "delegated": 0, "merged": 0, "split": 0}},
			{2, 23, "补充行使内容", map[string]int{"added": 0, "included": 0, "modified": 1, "recategorized": 0, "removed": 0, "delegated": 0, "merged": 0, "split": 0}},
			{1, 23, "", map[string]int{"added": 0, "included": 0, "modified": 0, "recategorized": 0, "removed": 0, "delegated": 0, "merged": 0, "split": 0}},
		}
		for i, w := range want {
			v := body.Versions[i]
			title := ""
			if v.ChangeRequest != nil {
				title = v.ChangeRequest.Title
				if v.ChangeRequest.Agency != "红寺堡区医疗保障局" || v.ChangeRequest.ID == 0 {
					t.Errorf("version %d: change request %+v", v.Number, v.ChangeRequest)
				}
			}
			if v.Number != w.number || v.ItemCount != w.items || title != w.title || !equalCounts(v.Counts, w.counts) {
				t.Errorf("version %d: got %d items, request %q, counts %v; want version %d, %d items, %q, %v",
					i, v.ItemCount, title, v.Counts, w.number, w.items, w.title, w.counts)
			}
		}
		if body.Versions[3].ChangeRequest != nil {
			t.Error("version 1 is the import: its change_request must be null")
		}
		for _, c := range []struct {
			path   string
			status int
		}{{"/api/v1/lists/9999/versions", 404}, {"/api/v1/lists/abc/versions", 400}} {
			if got := call(t, h, "GET", c.path, nil, "").Status; got != c.status {
				t.Errorf("GET %s: %d, want %d", c.path, got, c.status)
			}
		}
	})
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

type diffBody struct {
	From, To int
	Changes  []struct {
		ItemID int64 `json:"item_id"`
		Kind   string
		Before *struct {
			ID            int64
			Name, Content string
		}
		After *struct {
			ID            int64
			Name, Content string
		}
		Fields []diff.Field
	}
}

func getDiff(t *testing.T, h http.Handler, listID int64, from, to int) diffBody {
	t.Helper()
	res := call(t, h, "GET", "/api/v1/lists/"+itoa(listID)+"/diff?from="+strconv.Itoa(from)+"&to="+strconv.Itoa(to), nil, "")
	if res.Status != 200 {
		t.Fatalf("diff %d→%d: status %d: %s", from, to, res.Status, res.Body)
	}
	var body diffBody
	res.JSON(t, &body)
	return body
}

func TestDiffAPIComparesAnyTwoVersionsBothWays(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newRouter(db)
		r := reviseHongsibu(t, db)

		fwd := getDiff(t, h, r.listID, 1, 3)
		if fwd.From != 1 || fwd.To != 3 || len(fwd.Changes) != 2 {
			t.Fatalf("1→3: %+v", fwd)
		}
		mod, add := fwd.Changes[0], fwd.Changes[1]
		if mod.ItemID != r.itemA || mod.Kind != "modified" || mod.Before.Content != r.contentV1 || mod.After.Content != r.contentV3 {
			t.Errorf("1→3 first change: %+v", mod)
		}
		// Only the fields that changed between 1 and 3, not the intermediate
		// state: the content, and the 备注 publication writes (调整).
		if len(mod.Fields) != 2 || mod.Fields[0].Field != "content" || mod.Fields[0].After != r.contentV3 ||
			mod.Fields[1].Field != "note" || mod.Fields[1].After != "调整" {
			t.Errorf("1→3 fields: %+v", mod.Fields)
		}
		if add.ItemID != r.added || add.Kind != "added" || add.Before != nil || add.After == nil || add.After.Name != r.suspectName {
			t.Errorf("1→3 second change: %+v", add)
		}

		// Neighbours: a character-level redline of the amounts.
		nb := getDiff(t, h, r.listID, 2, 3)
		segs := nb.Changes[0].Fields[0].Segments
		want := []diff.Segment{{Op: diff.Equal, Text: "责令退回，处骗取金额"}, {Op: diff.Delete, Text: "二"}, {Op: diff.Insert, Text: "一"},
			{Op: diff.Equal, Text: "倍以上"}, {Op: diff.Delete, Text: "五"}, {Op: diff.Insert, Text: "三"}, {Op: diff.Equal, Text: "倍以下的罚款"}}
		if fmt.Sprint(segs) != fmt.Sprint(want) {
			t.Errorf("2→3 segments %v, want %v", segs, want)
		}

		for _, pair := range [][2]int{{1, 4}, {2, 4}, {1, 2}, {3, 4}} {
			a, b := getDiff(t, h, r.listID, pair[0], pair[1]), getDiff(t, h, r.listID, pair[1], pair[0])
			if len(a.Changes) != len(b.Changes) || len(a.Changes) == 0 {
				t.Fatalf("%v: %d changes forward, %d backward", pair, len(a.Changes), len(b.Changes))
			}
			inverse := map[string]string{"added": "removed", "removed": "added", "modified": "modified", "recategorized": "recategorized"}
			for i, fc := range a.Changes {
				bc := b.Changes[i]
				if bc.ItemID != fc.ItemID || bc.Kind != inverse[fc.Kind] || (fc.Before == nil) != (bc.After == nil) || len(bc.Fields) != len(fc.Fields) {
					t.Fatalf("%v change %d: forward %+v, backward %+v", pair, i, fc, bc)
				}
				for j, ff := range fc.Fields {
					bf := bc.Fields[j]
					if bf.Field != ff.Field || bf.Before != ff.After || bf.After != ff.Before {
						t.Errorf("%v item %d %s: backward is not the inverse", pair, fc.ItemID, ff.Field)
					}
					for _, f := range []diff.Field{ff, bf} {
						if diff.Before(f.Segments) != f.Before || diff.After(f.Segments) != f.After {
							t.Errorf("%v item %d %s: segments do not reassemble before and after", pair, fc.ItemID, f.Field)
						}
					}
				}
			}
		}
		if same := getDiff(t, h, r.listID, 2, 2); len(same.Changes) != 0 {
			t.Errorf("a version compared with itself has %d changes", len(same.Changes))
		}
		if rm := getDiff(t, h, r.listID, 3, 4); rm.Changes[0].Kind != "removed" || rm.Changes[0].After != nil {
			t.Errorf("3→4: %+v", rm.Changes[0])
		}
	})
}

func TestDiffAPIRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newRouter(db)
		ids := importSeeds(t, models.NewStore(db))
		base := "/api/v1/lists/" + itoa(ids[0]) + "/diff"
		for _, c := range []struct {
			query  string
			status int
			msg    string
		}{
			{"?from=1&to=2", 400, "没有第 2 版"},
			{"?from=5&to=1", 400, "没有第 5 版"},
			{"?from=a&to=1", 400, "from"},
			{"?from=1", 400, "缺少参数 to"},
			{"?to=1", 400, "缺少参数 from"},
			{"?from=0&to=1", 400, "from"},
			{"?from=1&to=1", 200, ""},
		} {
			res := call(t, h, "GET", base+c.query, nil, "")
			if res.Status != c.status || (c.msg != "" && !strings.Contains(res.ErrorMessage(t), c.msg)) {
				t.Errorf("GET diff%s: %d %s, want %d with %q", c.query, res.Status, res.Body, c.status, c.msg)
			}
		}
		if got := call(t, h, "GET", "/api/v1/lists/9999/diff?from=1&to=1", nil, "").Status; got != 404 {
			t.Errorf("unknown list: %d, want 404", got)
		}
	})
}

// staffRouter is the full router with the demo accounts, and a token of a
// legal reviewer of 红寺堡区.
func staffRouter(t *testing.T, db *gorm.DB) (http.Handler, string) {
	t.Helper()
	store := models.NewStore(db)
	a := auth.New(store, auth.Config{HashCost: bcrypt.MinCost})
	if _, err := a.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := api.NewRouter(api.Options{Store: store, Auth: a})
	_, token := loginAs(t, h, "hsb-sfj")
	return h, token
}

// The public reads what was decided and why — the request's number, title,
// reasons, legal basis, dates and agency — but not the review behind it:
// no opinions, no returned rounds, no names of staff.
func TestItemHistoryAPIAnonymousSeesNoOpinionsOrNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := reviseHongsibu(t, db)
		h, token := staffRouter(t, db)
		path := "/api/v1/items/" + itoa(r.itemA) + "/history"
		anon := call(t, h, "GET", path, nil, "")
		if anon.Status != 200 {
			t.Fatalf("status %d: %s", anon.Status, anon.Body)
		}
		for _, secret := range []string{historytest.ReviewOpinion, historytest.ApprovalOpinion, "王填报", "李审查", "赵审定",
			"yibao", "sifa", "zhengfu", "display_name", "username", "return"} {
			if strings.Contains(string(anon.Body), secret) {
				t.Errorf("anonymous history shows %q: %s", secret, anon.Body)
			}
		}
		var body struct {
			Revisions []struct {
				ChangeRequest *struct {
					ID                    int64
					Title, Reason, Agency string
					OperationReason       string     `json:"operation_reason"`
					OperationBasis        string     `json:"operation_basis"`
					SubmittedAt           *time.Time `json:"submitted_at"`
					ApprovedAt            *time.Time `json:"approved_at"`
				} `json:"change_request"`
				PublishedAt time.Time `json:"published_at"`
				Opinions    []any
				People      []any
			}
		}
		anon.JSON(t, &body)
		mod := body.Revisions[2]
		cr := mod.ChangeRequest
		if cr == nil || cr.ID == 0 || cr.Title != "调整罚款幅度" || cr.Reason != "调整罚款幅度的理由" || cr.Agency != "红寺堡区医疗保障局" ||
			cr.OperationReason != "上位法修正" || !strings.Contains(cr.OperationBasis, "社会保险法") ||
			cr.SubmittedAt == nil || cr.ApprovedAt == nil || mod.PublishedAt.IsZero() {
			t.Errorf("anonymous readers miss what was decided: %+v", cr)
		}
		if len(mod.Opinions) != 0 || len(mod.People) != 0 {
			t.Errorf("anonymous readers get opinions %v people %v", mod.Opinions, mod.People)
		}
		staff := call(t, h, "GET", path, nil, token)
		for _, want := range []string{historytest.ReviewOpinion, "李审查"} {
			if !strings.Contains(string(staff.Body), want) {
				t.Errorf("staff do not see %q", want)
			}
		}
	})
}

func TestItemHistoryAPIModifiedTwiceAndRemoved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := reviseHongsibu(t, db)
		h, token := staffRouter(t, db)
		res := call(t, h, "GET", "/api/v1/items/"+itoa(r.itemA)+"/history", nil, token)
		if res.Status != 200 {
			t.Fatalf("status %d: %s", res.Status, res.Body)
		}
		type actor struct {
			DisplayName string `json:"display_name"`
			Role        string
		}
		var body struct {
			ItemID    int64 `json:"item_id"`
			RemovedIn *int  `json:"removed_in"`
			Revisions []struct {
				Version       int
				ValidTo       *int `json:"valid_to"`
				Op, Note      string
				Item          *struct{ Name, Content string }
				ChangeRequest *struct {
					Title, Reason   string
					OperationReason string `json:"operation_reason"`
				} `json:"change_request"`
				Opinions []struct {
					Comment string
					Actor   actor
				}
				People []struct {
					actor
					Acts []string
				}
			}
		}
		res.JSON(t, &body)
		if body.RemovedIn == nil || *body.RemovedIn != 4 || len(body.Revisions) != 4 {
			t.Fatalf("removed_in %v, %d revisions: %s", body.RemovedIn, len(body.Revisions), res.Body)
		}
		steps := []struct {
			version int
			validTo any
			op      string
			content string
			reason  string
		}{
			{1, 2, "import", r.contentV1, ""},
			{2, 3, "modify", r.contentV2, "依据条例第三十七条补充"},
			{3, 4, "modify", r.contentV3, "上位法修正"},
			{4, nil, "remove", "", "上位法废止"}, // no state of its own
		}
		for i, w := range steps {
			e := body.Revisions[i]
			validTo := any(nil)
			if e.ValidTo != nil {
				validTo = *e.ValidTo
			}
			content, reason := "", ""
			if e.Item != nil {
				content = e.Item.Content
			}
			if e.ChangeRequest != nil {
				reason = e.ChangeRequest.OperationReason
			}
			if e.Version != w.version || validTo != w.validTo || e.Op != w.op || content != w.content || reason != w.reason {
				t.Errorf("revision %d: version %d valid_to %v op %s content %q reason %q; want %+v", i, e.Version, validTo, e.Op, content, reason, w)
			}
		}
		if body.Revisions[0].ChangeRequest != nil || body.Revisions[3].Item != nil {
			t.Error("the import has a change request, or the removal an item state")
		}
		mod := body.Revisions[2]
		if mod.ChangeRequest.Title != "调整罚款幅度" || mod.ChangeRequest.Reason != "调整罚款幅度的理由" {
			t.Errorf("change request %+v", mod.ChangeRequest)
		}
		var opinions []string
		for _, o := range mod.Opinions {
			opinions = append(opinions, o.Actor.DisplayName+"（"+o.Actor.Role+"）："+o.Comment)
		}
		wantOpinions := []string{"李审查（legal_reviewer）：" + historytest.ReviewOpinion, "赵审定（approver）：" + historytest.ApprovalOpinion}
		if fmt.Sprint(opinions) != fmt.Sprint(wantOpinions) {
			t.Errorf("opinions %v, want %v", opinions, wantOpinions)
		}
		var people []string
		for _, p := range mod.People {
			people = append(people, p.DisplayName+"/"+p.Role+"/"+strings.Join(p.Acts, "+"))
		}
		wantPeople := []string{"王填报/submitter/create+submit", "李审查/legal_reviewer/pass", "赵审定/approver/approve+publish"}
		if fmt.Sprint(people) != fmt.Sprint(wantPeople) {
			t.Errorf("people %v, want %v", people, wantPeople)
		}
		if strings.Contains(string(res.Body), "password") {
			t.Error("history exposes password data")
		}
		for _, c := range []struct {
			path   string
			status int
		}{{"/api/v1/items/999999/history", 404}, {"/api/v1/items/x/history", 400}} {
			if got := call(t, h, "GET", c.path, nil, "").Status; got != c.status {
				t.Errorf("GET %s: %d, want %d", c.path, got, c.status)
			}
		}
	})
}

func TestExportAPIWritesEachFormatOfAnyVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newRouter(db)
		r := reviseHongsibu(t, db)
		base := "/api/v1/lists/" + itoa(r.listID) + "/export"

		x := call(t, h, "GET", base+"?format=xlsx&version=1", nil, "")
		if x.Status != 200 || x.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("xlsx: %d %s", x.Status, x.Header.Get("Content-Type"))
		}
		wantName := "filename*=UTF-8''" + url.PathEscape("红寺堡区医疗保障局权力清单-第1版.xlsx")
		if cd := x.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; ") || !strings.Contains(cd, wantName) ||
			!strings.Contains(cd, `filename="qingdan-list-`+itoa(r.listID)+`-v1.xlsx"`) {
			t.Errorf("Content-Disposition %q, want an attachment with %s", cd, wantName)
		}
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if rows[0][0] != "红寺堡区医疗保障局权力清单" || rows[2][1] != "职权名称" || rows[4][1] != r.nameA {
			t.Errorf("xlsx: title %q, header %q, first item %q", rows[0][0], rows[2][1], rows[4][1])
		}

		c := call(t, h, "GET", base+"?format=csv", nil, "")
		if c.Status != 200 || c.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !bytes.HasPrefix(c.Body, []byte("\xEF\xBB\xBF")) {
			t.Fatalf("csv: %d %s % x", c.Status, c.Header.Get("Content-Type"), c.Body[:3])
		}
		records, err := csv.NewReader(bytes.NewReader(c.Body[3:])).ReadAll()
		if err != nil || len(records) != 3+23 { // title, version, header, items
			t.Fatalf("csv of the current version: %d rows, %v", len(records), err)
		}
		if records[0][0] != "红寺堡区医疗保障局权力清单" || !strings.Contains(records[1][0], "第 4 版　公布于 2024年7月1日") || records[2][2] != "职权名称" {
			t.Errorf("csv: title %q, version %q, header %q", records[0][0], records[1][0], records[2][2])
		}
		for _, rec := range records {
			if rec[2] == r.nameA {
				t.Error("the current version still lists the removed item")
			}
		}

		// The version in force at the end of 2024-05-01 Beijing time is 2
		// (published 2024-04-30 18:00 UTC = 2024-05-01 02:00 CST).
		tv := call(t, h, "GET", base+"?format=tsv&at=2024-05-01", nil, "")
		if tv.Status != 200 || tv.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Fatalf("tsv: %d %s %s", tv.Status, tv.Header.Get("Content-Type"), tv.Body)
		}
		parsed, err := importer.Parse(bytes.NewReader(tv.Body), importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(parsed.Items) != 23 || parsed.Items[0].Content != r.contentV2 {
			t.Errorf("tsv at 2024-05-01: %d items, first content %q; want version 2", len(parsed.Items), parsed.Items[0].Content)
		}
		if !strings.Contains(tv.Header.Get("Content-Disposition"), url.PathEscape("-第2版.tsv")) {
			t.Errorf("tsv file name %q does not name version 2", tv.Header.Get("Content-Disposition"))
		}

		for _, c := range []struct {
			query  string
			status int
			msg    string
		}{
			{"?format=pdf", 400, "format"},
			{"", 400, "format"},
			{"?format=xlsx&version=9", 404, "没有第 9 版"},
			{"?format=xlsx&version=x", 400, "version"},
			{"?format=xlsx&at=2020-01-01", 404, "尚未公布"},
			{"?format=xlsx&at=yesterday", 400, "at"},
		} {
			res := call(t, h, "GET", base+c.query, nil, "")
			if res.Status != c.status || !strings.Contains(res.ErrorMessage(t), c.msg) {
				t.Errorf("export%s: %d %s, want %d with %q", c.query, res.Status, res.Body, c.status, c.msg)
			}
		}
		if got := call(t, h, "GET", "/api/v1/lists/9999/export?format=csv", nil, "").Status; got != 404 {
			t.Errorf("unknown list: %d, want 404", got)
		}
	})
}

func TestListComparisonAPIPrintsAndDownloadsTheTable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newRouter(db)
		r := reviseHongsibu(t, db)
		base := "/api/v1/lists/" + itoa(r.listID) + "/comparison"

		page := call(t, h, "GET", base+"?from=1&to=4&format=html", nil, "")
		if page.Status != 200 || page.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("html: %d %s %s", page.Status, page.Header.Get("Content-Type"), page.Body)
		}
		if !strings.HasPrefix(page.Header.Get("Content-Disposition"), "inline; ") || !strings.Contains(page.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("html headers: %v", page.Header)
		}
		html := string(page.Body)
		if strings.Contains(html, "<img") || !strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;对定点医药机构的处罚") {
			t.Error("the page does not escape the item name")
		}
		for _, want := range []string{"红寺堡区医疗保障局权力清单修订对照表", "第 1 版 → 第 4 版", "上位法废止", "新增职权", "取消（第 4 版）", "增加（第 3 版）"} {
			if !strings.Contains(html, want) {
				t.Errorf("page lacks %q", want)
			}
		}

		x := call(t, h, "GET", base+"?from=1&to=2&format=xlsx", nil, "")
		if x.Status != 200 {
			t.Fatalf("xlsx: %d %s", x.Status, x.Body)
		}
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) != 4 || strings.Join(rows[2], ",") != "序号,事项名称,修改前,修改后,修改理由,备注" || rows[3][1] != r.nameA ||
			rows[3][3] != "【行使内容】"+r.contentV2+"\n【备注】调整" || rows[3][4] != "依据条例第三十七条补充" {
			t.Errorf("comparison rows %q", rows)
		}

		for _, c := range []struct {
			query  string
			status int
		}{{"?from=1&to=9&format=html", 400}, {"?from=1&to=2&format=csv", 400}, {"?from=1&format=html", 400}} {
			if got := call(t, h, "GET", base+c.query, nil, "").Status; got != c.status {
				t.Errorf("comparison%s: %d, want %d", c.query, got, c.status)
			}
		}
		if got := call(t, h, "GET", "/api/v1/lists/9999/comparison?from=1&to=1&format=html", nil, "").Status; got != 404 {
			t.Errorf("unknown list: %d, want 404", got)
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func TestChangeRequestComparisonFollowsTheRequestAndItsVisibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		suspect := `<img src=x onerror=alert(1)>对定点医药机构违反服务协议行为的处理`
		id := e.create(t, "hsb-ybj", e.hsb)
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": e.itemID(t, e.hsb, "社会保险稽核"),
			"item": map[string]any{"content": "负责本区域医疗保险、生育保险稽核"}})
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "remove", "item_id": e.itemID(t, e.hsb, "社保关系转移接续"), "reason": "职责划转"})
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "add", "item": map[string]any{"name": suspect, "category": "行政处罚",
			"code": "0247011000", "department": "医疗保障行政部门", "level": "县级", "basis": crBasis}})
		path := fmt.Sprintf("/api/v1/change-requests/%d/comparison", id)

		page := e.must(t, http.StatusOK, "hsb-ybj", "GET", path+"?format=html", nil)
		html := string(page.Body)
		if strings.Contains(html, "<img") || !strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;对定点医药机构") {
			t.Error("the page does not escape the item name")
		}
		for _, want := range []string{"尚未公布", "调整（待公布）", "取消（待公布）", "增加（待公布）", "职责划转", "【行使内容】负责本<ins>区域</ins>医疗保险", "稽核<del>检查工作。</del>"} {
			if !strings.Contains(html, want) {
				t.Errorf("pending request's page lacks %q", want)
			}
		}
		// Who may not see the request does not learn it exists.
		e.must(t, http.StatusNotFound, "yt-ybj", "GET", path+"?format=html", nil)
		e.must(t, http.StatusNotFound, "hsb-sfj", "GET", path+"?format=html", nil) // not submitted yet
		e.must(t, http.StatusUnauthorized, "anonymous", "GET", path+"?format=html", nil)
		e.must(t, http.StatusBadRequest, "hsb-ybj", "GET", path+"?format=csv", nil)
		e.must(t, http.StatusNotFound, "hsb-ybj", "GET", "/api/v1/change-requests/99999/comparison?format=html", nil)

		e.fire(t, "hsb-ybj", id, "submit", "", "legal_review")
		e.fire(t, "hsb-sfj", id, "pass", "合法性审查通过", "approval")
		e.fire(t, "hsb-gov", id, "approve", "同意", "approved")
		done := e.fire(t, "hsb-gov", id, "publish", "", "published")
		// Another request published afterwards is not part of this one's table.
		e.toState(t, e.hsb, "published", map[string]any{"op": "modify", "item_id": e.itemID(t, e.hsb, "社会保险稽核"),
			"item": map[string]any{"content": "再次调整"}})

		x := e.must(t, http.StatusOK, "hsb-sfj", "GET", path+"?format=xlsx", nil)
		if cd := x.Header.Get("Content-Disposition"); !strings.Contains(cd, url.PathEscape("修订对照表-修订申请"+itoa(id)+".xlsx")) {
			t.Errorf("Content-Disposition %q", cd)
		}
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		v := *done.PublishedVersion
		wantSub := fmt.Sprintf("已公布为第 %d 版（与第 %d 版对照）", v, v-1)
		if len(rows) != 3+3 || !strings.Contains(rows[1][0], wantSub) {
			t.Fatalf("published request's table: %q", rows)
		}
		var notes []string
		for _, r := range rows[3:] {
			notes = append(notes, r[5])
		}
		// In the list's order: 行政处罚, 行政检查, then 其他类.
		if strings.Join(notes, ",") != fmt.Sprintf("增加（第 %[1]d 版）,调整（第 %[1]d 版）,取消（第 %[1]d 版）", v) {
			t.Errorf("notes %v", notes)
		}
	})
}
