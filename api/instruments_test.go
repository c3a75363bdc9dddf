package api_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
	"qingdan/workflow"
)

// newBasisEnv is the change-request environment with the registry seeded.
func newBasisEnv(t *testing.T, db *gorm.DB) *crEnv {
	t.Helper()
	env := newCREnv(t, db)
	if n, err := workflow.New(env.store).SeedRegistry(context.Background()); err != nil || n != 34 {
		t.Fatalf("seed registry: %d, %v", n, err)
	}
	return env
}

type instrumentOut struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	Aliases     []string `json:"aliases"`
	Level       string   `json:"level"`
	Status      string   `json:"status"`
	CitingItems *int     `json:"citing_items"`
	Editions    []struct {
		Date, Kind string
	} `json:"editions"`
	Texts []struct {
		Date, Kind string
	} `json:"texts"`
}

// instrumentID finds an instrument by its exact title through the API.
func (e *crEnv) instrumentID(t *testing.T, title string) int64 {
	t.Helper()
	var b struct {
		Instruments []instrumentOut `json:"instruments"`
	}
	e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/instruments?limit=500&q="+title, nil).JSON(t, &b)
	for _, in := range b.Instruments {
		if in.Title == title {
			return in.ID
		}
	}
	t.Fatalf("no instrument 《%s》", title)
	return 0
}

func (e *crEnv) instrument(t *testing.T, id int64) instrumentOut {
	t.Helper()
	var b struct {
		Instrument instrumentOut `json:"instrument"`
	}
	e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/instruments/%d", id), nil).JSON(t, &b)
	return b.Instrument
}

func TestInstrumentRegistry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newBasisEnv(t, db)
		var page struct {
			Instruments []instrumentOut `json:"instruments"`
			Total       int             `json:"total"`
		}
		e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/instruments", nil).JSON(t, &page)
		if page.Total != 34 || len(page.Instruments) != 34 || page.Instruments[0].Level != "法律" {
			t.Fatalf("registry: total %d, %d rows, first %+v", page.Total, len(page.Instruments), page.Instruments[0])
		}
		e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/instruments?level=法律&limit=2&offset=2", nil).JSON(t, &page)
		if page.Total != 10 || len(page.Instruments) != 2 {
			t.Errorf("法律 page 2: total %d, %d rows", page.Total, len(page.Instruments))
		}
		// An alias finds its instrument.
		e.must(t, http.StatusOK, "anonymous", "GET", "/api/v1/instruments?q=中华人民共和国医疗保障基金", nil).JSON(t, &page)
		if page.Total != 1 || page.Instruments[0].Title != "医疗保障基金使用监督管理条例" {
			t.Errorf("search by alias: %+v", page.Instruments)
		}
		for _, q := range []string{"level=法令", "status=有效", "limit=0", "offset=-1"} {
			if r := e.as(t, "anonymous", "GET", "/api/v1/instruments?"+q, nil); r.Status != http.StatusBadRequest {
				t.Errorf("?%s: %d %s", q, r.Status, r.Body)
			}
		}

		si := e.instrumentID(t, "中华人民共和国社会保险法")
		in := e.instrument(t, si)
		if len(in.Editions) != 4 || len(in.Texts) != 2 || in.Texts[1].Date != "2018-12-29" {
			t.Errorf("editions %+v, texts %+v", in.Editions, in.Texts)
		}
		// Both seed lists cite it.
		if in.CitingItems == nil || *in.CitingItems < 10 {
			t.Errorf("citing items = %v", in.CitingItems)
		}
		e.must(t, http.StatusNotFound, "anonymous", "GET", "/api/v1/instruments/99999", nil)

		// Maintained by admins and legal reviewers only, audited.
		edit := map[string]any{"title": "中华人民共和国社会保险法", "level": "法律", "status": "现行有效", "aliases": []string{"社会保险法"},
			"editions": []map[string]string{{"date": "2010-10-28", "kind": "通过"}, {"date": "2018-12-29", "kind": "修正"}}}
		path := fmt.Sprintf("/api/v1/instruments/%d", si)
		e.must(t, http.StatusUnauthorized, "anonymous", "PUT", path, edit)
		e.must(t, http.StatusForbidden, "hsb-ybj", "PUT", path, edit)
		e.must(t, http.StatusBadRequest, "hsb-sfj", "PUT", path, map[string]any{"title": "x", "level": "法令"})
		e.must(t, http.StatusOK, "hsb-sfj", "PUT", path, edit)
		if got := e.instrument(t, si); len(got.Aliases) != 1 || len(got.Editions) != 2 {
			t.Errorf("after edit: %+v", got)
		}
		e.must(t, http.StatusCreated, "admin", "POST", path+"/editions", map[string]string{"date": "2011-07-01", "kind": "施行"})
		e.must(t, http.StatusConflict, "admin", "POST", path+"/editions", map[string]string{"date": "2011-07-01", "kind": "施行"})
		e.must(t, http.StatusCreated, "admin", "POST", "/api/v1/instruments", map[string]any{"title": "某某新办法", "level": "部门规章"})
		e.must(t, http.StatusConflict, "admin", "POST", "/api/v1/instruments", map[string]any{"title": "某某新办法", "level": "部门规章"})
		var audit struct {
			Events []struct{ Action string } `json:"events"`
		}
		e.must(t, http.StatusOK, "admin", "GET", "/api/v1/audit", nil).JSON(t, &audit)
		actions := map[string]int{}
		for _, a := range audit.Events {
			actions[a.Action]++
		}
		if actions["instrument_edit"] != 2 || actions["instrument_add"] != 1 {
			t.Errorf("audit: %v", actions)
		}

		// Import: TSV rows add and update; a bad file names its line.
		tsv := "title\tlevel\tstatus\teditions\n某某新办法\t部门规章\t现行有效\t2024-01-01 公布\n另一部办法\t地方政府规章\t\t\n"
		r := e.upload(t, "hsb-sfj", "registry.tsv", tsv)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"created":["另一部办法"]`) || !strings.Contains(string(r.Body), `"updated":["某某新办法"]`) {
			t.Errorf("import: %d %s", r.Status, r.Body)
		}
		if r := e.upload(t, "hsb-sfj", "bad.tsv", "title\tlevel\n某法\t法令\n"); r.Status != http.StatusBadRequest || !strings.Contains(r.ErrorMessage(t), "第 2 行") {
			t.Errorf("bad import: %d %s", r.Status, r.Body)
		}
		if r := e.upload(t, "hsb-ybj", "registry.tsv", tsv); r.Status != http.StatusForbidden {
			t.Errorf("import by a submitter: %d", r.Status)
		}
	})
}

// upload posts a registry file as multipart form field "file".
func (e *crEnv) upload(t *testing.T, who, name, content string) response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write([]byte(content))
	w.Close()
	req := httptest.NewRequest("POST", "/api/v1/instruments/import", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.token[who])
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

type checkOut struct {
	ListID   int64 `json:"list_id"`
	Version  int   `json:"version"`
	Findings []struct {
		ItemID     int64  `json:"item_id"`
		Kind       string `json:"kind"`
		Message    string `json:"message"`
		Instrument *struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"instrument"`
	} `json:"findings"`
	Summary map[string]int `json:"summary"`
}

func TestBasisCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newBasisEnv(t, db)
		var chk checkOut
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/basis-check", e.hsb), nil).JSON(t, &chk)
		want := map[string]int{"outdated_edition": 2, "level_mismatch": 3, "level_conflict": 1}
		if fmt.Sprint(chk.Summary) != fmt.Sprint(want) || chk.Version != 1 || len(chk.Findings) != 6 {
			t.Errorf("Hongsibu check: %+v", chk)
		}
		chk = checkOut{}
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/basis-check?version=1", e.yt), nil).JSON(t, &chk)
		want = map[string]int{"wrong_title": 1, "level_mismatch": 4, "superseded": 3, "amending_act": 2}
		if fmt.Sprint(chk.Summary) != fmt.Sprint(want) {
			t.Errorf("Yutian check: %v", chk.Summary)
		}
		e.must(t, http.StatusNotFound, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/basis-check?version=7", e.yt), nil)
		e.must(t, http.StatusBadRequest, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/basis-check?version=x", e.yt), nil)

		// The region report: a legal reviewer sees their region, an admin any.
		var rep struct {
			Lists []struct {
				List    struct{ ID int64 } `json:"list"`
				Summary map[string]int     `json:"summary"`
			} `json:"lists"`
		}
		e.must(t, http.StatusOK, "yt-sfj", "GET", "/api/v1/basis-report", nil).JSON(t, &rep)
		if len(rep.Lists) != 1 || rep.Lists[0].List.ID != e.yt {
			t.Errorf("Yutian report: %+v", rep)
		}
		e.must(t, http.StatusForbidden, "yt-sfj", "GET", "/api/v1/basis-report?region=640303", nil)
		e.must(t, http.StatusForbidden, "hsb-ybj", "GET", "/api/v1/basis-report", nil)
		e.must(t, http.StatusOK, "admin", "GET", "/api/v1/basis-report", nil).JSON(t, &rep)
		if len(rep.Lists) != 2 {
			t.Errorf("admin report: %d lists", len(rep.Lists))
		}
		x := e.must(t, http.StatusOK, "hsb-sfj", "GET", "/api/v1/basis-report?format=xlsx", nil)
		if !bytes.HasPrefix(x.Body, []byte("PK")) || !strings.Contains(x.Header.Get("Content-Disposition"), "qingdan-basis-report.xlsx") {
			t.Errorf("xlsx report: %q", x.Header)
		}

		// A request's operations are checked on the server; an instrument
		// added to the registry resolves what was unknown.
		id := e.create(t, "hsb-ybj", e.hsb)
		itemID := e.itemID(t, e.hsb, "")
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": itemID,
			"item": map[string]any{"basis": "【法律】《某某新法》第三条\n【规章】《社会保险费征缴暂行条例》（2019年修订）第八条"}})
		findings := func() map[string]int {
			var d struct {
				Findings []struct {
					Kind        string `json:"kind"`
					OperationID int64  `json:"operation_id"`
				} `json:"findings"`
			}
			e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil).JSON(t, &d)
			out := map[string]int{}
			for _, f := range d.Findings {
				if f.OperationID == 0 {
					t.Errorf("a request finding without its operation: %+v", f)
				}
				out[f.Kind]++
			}
			return out
		}
		// 【规章】 for the regulation the list cites as 【行政法规】: a mismatch and a conflict with the list.
		if got := findings(); got["unknown_instrument"] != 1 || got["level_mismatch"] != 1 || got["level_conflict"] != 1 {
			t.Errorf("request findings: %v", got)
		}
		e.must(t, http.StatusCreated, "admin", "POST", "/api/v1/instruments", map[string]any{"title": "某某新法", "level": "法律", "status": "现行有效"})
		if got := findings(); got["unknown_instrument"] != 0 {
			t.Errorf("after adding the instrument: %v", got)
		}
	})
}

func TestLawChangeImpactAndDrafts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newBasisEnv(t, db)
		si := e.instrumentID(t, "中华人民共和国社会保险法")
		path := fmt.Sprintf("/api/v1/instruments/%d/changes", si)
		for who, status := range map[string]int{"anonymous": 401, "hsb-ybj": 403, "hsb-gov": 403} {
			e.must(t, status, who, "POST", path, map[string]string{"kind": "amended", "date": "2026-05-01"})
		}
		for _, bad := range []map[string]any{
			{"kind": "changed", "date": "2026-05-01"}, {"kind": "amended", "date": "2026-5-1"},
			{"kind": "replaced", "date": "2026-05-01"}, {"kind": "amended", "date": "2026-05-01", "replaced_by": 1},
			{"kind": "amended", "date": "2026-05-01", "edition_kind": "修改"},
		} {
			if r := e.as(t, "hsb-sfj", "POST", path, bad); r.Status != http.StatusBadRequest {
				t.Errorf("%v: %d %s", bad, r.Status, r.Body)
			}
		}
		var ch struct {
			ID int64 `json:"id"`
		}
		e.must(t, http.StatusCreated, "hsb-sfj", "POST", path, map[string]string{"kind": "amended", "date": "2026-05-01", "note": "第五次修正"}).JSON(t, &ch)
		if in := e.instrument(t, si); in.Texts[len(in.Texts)-1].Date != "2026-05-01" {
			t.Errorf("the amendment is the current text: %+v", in.Texts)
		}

		type impactOut struct {
			Lists []struct {
				ListID int64 `json:"list_id"`
				Agency struct {
					Name string `json:"name"`
				} `json:"agency"`
				DraftID   *int64 `json:"draft_id"`
				ItemCount int    `json:"item_count"`
				Items     []struct {
					ItemID    int64 `json:"item_id"`
					Citations []struct {
						Edition string `json:"edition"`
					} `json:"citations"`
				} `json:"items"`
			} `json:"lists"`
			ItemCount    int `json:"item_count"`
			ListCount    int `json:"list_count"`
			PendingLists int `json:"pending_lists"`
		}
		// The reviewer's change reaches their region's list only.
		var imp impactOut
		e.must(t, http.StatusOK, "hsb-sfj", "GET", fmt.Sprintf("/api/v1/instrument-changes/%d/impact", ch.ID), nil).JSON(t, &imp)
		if len(imp.Lists) != 1 || imp.Lists[0].ListID != e.hsb || imp.ItemCount == 0 || imp.ItemCount != len(imp.Lists[0].Items) {
			t.Fatalf("Hongsibu impact: %+v", imp)
		}
		e.must(t, http.StatusNotFound, "yt-sfj", "GET", fmt.Sprintf("/api/v1/instrument-changes/%d/impact", ch.ID), nil)
		e.must(t, http.StatusNotFound, "yt-sfj", "POST", fmt.Sprintf("/api/v1/instrument-changes/%d/drafts", ch.ID), nil)

		// An administrator's change covers every region: both seed lists.
		var all struct {
			ID int64 `json:"id"`
		}
		e.must(t, http.StatusCreated, "admin", "POST", path, map[string]string{"kind": "amended", "date": "2026-05-01"}).JSON(t, &all)
		e.must(t, http.StatusOK, "admin", "GET", fmt.Sprintf("/api/v1/instrument-changes/%d/impact", all.ID), nil).JSON(t, &imp)
		if len(imp.Lists) != 2 || imp.ListCount != 2 || imp.PendingLists != 2 {
			t.Fatalf("province impact: %d of %d lists, %d pending", len(imp.Lists), imp.ListCount, imp.PendingLists)
		}
		byList := map[int64]int{}
		for _, l := range imp.Lists {
			byList[l.ListID] = len(l.Items)
			if l.ItemCount != len(l.Items) {
				t.Errorf("list %d: item_count %d, %d items", l.ListID, l.ItemCount, len(l.Items))
			}
		}
		// Paged by list: the counts stay those of every list.
		var second impactOut
		e.must(t, http.StatusOK, "admin", "GET", fmt.Sprintf("/api/v1/instrument-changes/%d/impact?limit=1&offset=1", all.ID), nil).JSON(t, &second)
		if len(second.Lists) != 1 || second.Lists[0].ListID != imp.Lists[1].ListID || second.ListCount != 2 || second.ItemCount != imp.ItemCount {
			t.Errorf("second page: %+v", second)
		}
		e.must(t, http.StatusBadRequest, "admin", "GET", fmt.Sprintf("/api/v1/instrument-changes/%d/impact?limit=0", all.ID), nil)

		type draftsOut struct {
			Drafts []struct {
				ChangeRequestID int64  `json:"change_request_id"`
				ListID          int64  `json:"list_id"`
				Agency          string `json:"agency"`
				Operations      int    `json:"operations"`
				Created         bool   `json:"created"`
			} `json:"drafts"`
			Created int `json:"created"`
		}
		var d draftsOut
		dpath := fmt.Sprintf("/api/v1/instrument-changes/%d/drafts", all.ID)
		e.must(t, http.StatusCreated, "admin", "POST", dpath, nil).JSON(t, &d)
		if d.Created != 2 {
			t.Fatalf("drafts: %+v", d)
		}
		drafts := map[int64]int64{}
		for _, dr := range d.Drafts {
			drafts[dr.ListID] = dr.ChangeRequestID
			if dr.Operations != byList[dr.ListID] {
				t.Errorf("list %d: %d operations for %d affected items", dr.ListID, dr.Operations, byList[dr.ListID])
			}
		}
		// Twice creates nothing new.
		var again draftsOut
		e.must(t, http.StatusOK, "admin", "POST", dpath, nil).JSON(t, &again)
		if again.Created != 0 || len(again.Drafts) != 2 || again.Drafts[0].ChangeRequestID != d.Drafts[0].ChangeRequestID {
			t.Errorf("second drafts call: %+v", again)
		}
		var after impactOut
		e.must(t, http.StatusOK, "admin", "GET", fmt.Sprintf("/api/v1/instrument-changes/%d/impact", all.ID), nil).JSON(t, &after)
		if after.PendingLists != 0 || after.Lists[0].DraftID == nil {
			t.Errorf("after the drafts: %d lists pending", after.PendingLists)
		}

		// Each agency finds its own draft, rewritten for the amendment.
		var mine struct {
			ChangeRequests []struct {
				ID    int64  `json:"id"`
				State string `json:"state"`
			} `json:"change_requests"`
		}
		e.must(t, http.StatusOK, "yt-ybj", "GET", "/api/v1/change-requests?state=draft", nil).JSON(t, &mine)
		if len(mine.ChangeRequests) != 1 || mine.ChangeRequests[0].ID != drafts[e.yt] {
			t.Errorf("Yutian drafts: %+v", mine)
		}
		var detail struct {
			Agency  struct{ Name string } `json:"agency"`
			Trigger *struct {
				ChangeID        int64  `json:"change_id"`
				InstrumentTitle string `json:"instrument_title"`
				KindName        string `json:"kind_name"`
			} `json:"trigger"`
			Operations []struct {
				Op     string             `json:"op"`
				Item   *models.ItemFields `json:"item"`
				Reason string             `json:"reason"`
			} `json:"operations"`
		}
		e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", drafts[e.hsb]), nil).JSON(t, &detail)
		if detail.Trigger == nil || detail.Trigger.ChangeID != all.ID || detail.Trigger.InstrumentTitle != "中华人民共和国社会保险法" {
			t.Errorf("trigger: %+v", detail.Trigger)
		}
		op := detail.Operations[0]
		if op.Op != "modify" || !strings.Contains(op.Item.Basis, "《中华人民共和国社会保险法》（2026年修正）") ||
			strings.Contains(op.Item.Basis, "2018年修正") || !strings.Contains(op.Reason, "原引用：【法律】《中华人民共和国社会保险法》（2018") {
			t.Errorf("rewritten operation: %+v", op)
		}
		e.must(t, http.StatusNotFound, "yt-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", drafts[e.hsb]), nil)

		// The agency submits it; the region's reviewer may review it though an
		// administrator drafted it; once published, the item's timeline and
		// the versions name the law change.
		cr := drafts[e.hsb]
		e.fire(t, "hsb-ybj", cr, "submit", "", "legal_review")
		e.fire(t, "hsb-sfj", cr, "pass", "", "approval")
		e.fire(t, "hsb-gov", cr, "approve", "", "approved")
		e.fire(t, "hsb-gov", cr, "publish", "", "published")
		var hist struct {
			Revisions []struct {
				ChangeRequest *struct {
					Trigger *struct {
						InstrumentTitle string `json:"instrument_title"`
						Date            string `json:"date"`
					} `json:"trigger"`
				} `json:"change_request"`
			} `json:"revisions"`
		}
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d/history", imp.Lists[0].Items[0].ItemID), nil).JSON(t, &hist)
		last := hist.Revisions[len(hist.Revisions)-1]
		if imp.Lists[0].ListID == e.hsb && (last.ChangeRequest == nil || last.ChangeRequest.Trigger == nil || last.ChangeRequest.Trigger.Date != "2026-05-01") {
			t.Errorf("timeline: %s", e.as(t, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d/history", imp.Lists[0].Items[0].ItemID), nil).Body)
		}
		var vs struct {
			Versions []struct {
				ChangeRequest *struct {
					Trigger *struct {
						ChangeID int64 `json:"change_id"`
					} `json:"trigger"`
				} `json:"change_request"`
			} `json:"versions"`
		}
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/versions", e.hsb), nil).JSON(t, &vs)
		if vs.Versions[0].ChangeRequest == nil || vs.Versions[0].ChangeRequest.Trigger == nil || vs.Versions[0].ChangeRequest.Trigger.ChangeID != all.ID {
			t.Errorf("versions: %s", e.as(t, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/versions", e.hsb), nil).Body)
		}
		// The published items no longer cite the old text: the reviewer's own
		// change now finds them at the amended edition.
		e.must(t, http.StatusOK, "hsb-sfj", "GET", fmt.Sprintf("/api/v1/instrument-changes/%d/impact", ch.ID), nil).JSON(t, &imp)
		for _, it := range imp.Lists[0].Items {
			for _, c := range it.Citations {
				if strings.Contains(c.Edition, "2018") {
					t.Errorf("item %d still cites %q after publication", it.ItemID, c.Edition)
				}
			}
		}
	})
}
