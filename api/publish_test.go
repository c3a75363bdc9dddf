package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/importer"
	"qingdan/models"
)

type versionsBody struct {
	Versions []struct {
		Number         int                 `json:"number"`
		ItemCount      int                 `json:"item_count"`
		BatchName      string              `json:"batch_name"`
		DocNumber      string              `json:"doc_number"`
		PublishDate    string              `json:"publish_date"`
		ChangeRequest  *struct{ ID int64 } `json:"change_request"`
		ChangeRequests []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"change_requests"`
		Counts struct {
			Added    int `json:"added"`
			Modified int `json:"modified"`
		} `json:"counts"`
	} `json:"versions"`
}

func (e *crEnv) versions(t *testing.T, listID int64) versionsBody {
	t.Helper()
	var b versionsBody
	e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/versions", listID), nil).JSON(t, &b)
	return b
}

// TestBatchPublication: two approved requests of one list published as one
// 集中调整 make one version that records its name, 文号 and 公布日期, lists
// both requests, carries both changes, and cites its 文号 in the exports.
func TestBatchPublication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		target := e.itemID(t, e.hsb, "社会保险稽核")
		a := e.toState(t, e.hsb, "approved", map[string]any{"op": "modify", "item_id": target, "item": map[string]any{"content": "批次调整的内容"}})
		b := e.toState(t, e.hsb, "approved", map[string]any{"op": "add",
			"item": map[string]any{"name": "医疗保障基金使用情况检查（批次）", "category": "行政检查", "basis": crBasis}})
		path := fmt.Sprintf("/api/v1/lists/%d/batches", e.hsb)
		body := map[string]any{"name": "2026年第二批", "doc_number": "红政函〔2026〕12号", "date": "2026-03-02", "change_request_ids": []int64{a, b}}

		// The 集中公布 form offers the approver both requests, and nobody else any.
		for who, want := range map[string]int{"hsb-gov": 2, "hsb-ybj": 0, "yt-gov": 0, "hsb-sfj": 0} {
			var offered struct {
				ChangeRequests []struct {
					ID int64 `json:"id"`
				} `json:"change_requests"`
			}
			e.must(t, http.StatusOK, who, "GET", fmt.Sprintf("/api/v1/lists/%d/publishable", e.hsb), nil).JSON(t, &offered)
			if len(offered.ChangeRequests) != want || want == 2 && (offered.ChangeRequests[0].ID != a || offered.ChangeRequests[1].ID != b) {
				t.Errorf("%s is offered %+v", who, offered)
			}
		}
		// Publishing is the approver's: the submitter and another region's approver may not.
		e.must(t, http.StatusForbidden, "hsb-ybj", "POST", path, body)
		e.must(t, http.StatusNotFound, "yt-gov", "POST", path, body)
		e.must(t, http.StatusUnauthorized, "anonymous", "POST", path, body)
		// A batch needs its name and 文号, and ids of this list.
		for field, bad := range map[string]map[string]any{
			"name":               {"doc_number": "红政函〔2026〕12号", "change_request_ids": []int64{a, b}},
			"doc_number":         {"name": "2026年第二批", "change_request_ids": []int64{a, b}},
			"date":               {"name": "2026年第二批", "doc_number": "红政函〔2026〕12号", "date": "2026-02-30", "change_request_ids": []int64{a, b}},
			"change_request_ids": {"name": "2026年第二批", "doc_number": "红政函〔2026〕12号", "change_request_ids": []int64{a, a}},
		} {
			r := e.must(t, http.StatusBadRequest, "hsb-gov", "POST", path, bad)
			if !strings.Contains(string(r.Body), `"field":"`+field+`"`) {
				t.Errorf("%s: %s", field, r.Body)
			}
		}
		e.must(t, http.StatusBadRequest, "hsb-gov", "POST", fmt.Sprintf("/api/v1/lists/%d/batches", e.yt), body)
		// Nor may it be dated before the version it follows (version 1, imported on testkit.Imported).
		early := map[string]any{"name": "2026年第二批", "doc_number": "红政函〔2026〕12号", "date": "2024-01-01", "change_request_ids": []int64{a, b}}
		if r := e.must(t, http.StatusBadRequest, "hsb-gov", "POST", path, early); !strings.Contains(r.ErrorMessage(t), "2024-01-01 早于清单现行第 1 版的公布日期 2024-01-02") ||
			!strings.Contains(string(r.Body), `"field":"date"`) {
			t.Errorf("a batch dated before version 1: %s", r.Body)
		}

		var created struct {
			Version struct {
				Number         int    `json:"number"`
				DocNumber      string `json:"doc_number"`
				ChangeRequests []struct {
					ID int64 `json:"id"`
				} `json:"change_requests"`
			} `json:"version"`
		}
		e.must(t, http.StatusCreated, "hsb-gov", "POST", path, body).JSON(t, &created)
		if created.Version.Number != 2 || created.Version.DocNumber != "红政函〔2026〕12号" || len(created.Version.ChangeRequests) != 2 {
			t.Fatalf("created %+v", created)
		}
		vs := e.versions(t, e.hsb)
		v := vs.Versions[0]
		if len(vs.Versions) != 2 || v.Number != 2 || v.BatchName != "2026年第二批" || v.DocNumber != "红政函〔2026〕12号" ||
			v.PublishDate != "2026-03-02" || v.ChangeRequest != nil || len(v.ChangeRequests) != 2 ||
			v.ChangeRequests[0].ID != a || v.ChangeRequests[1].ID != b || v.Counts.Added != 1 || v.Counts.Modified != 1 {
			t.Errorf("versions %+v", vs)
		}
		if first := vs.Versions[1]; first.Number != 1 || first.PublishDate == "" || len(first.ChangeRequests) != 0 {
			t.Errorf("version 1 %+v", first)
		}
		for _, id := range []int64{a, b} {
			d := decodeCR(t, e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil))
			if d.State != "published" || d.PublishedVersion == nil || *d.PublishedVersion != 2 {
				t.Errorf("request %d after the batch: %s %v", id, d.State, d.PublishedVersion)
			}
		}
		_, items := e.items(t, e.hsb, "2")
		if it, _ := findItem(items, "社会保险稽核"); it.Content != "批次调整的内容" {
			t.Errorf("the modification is missing: %+v", it)
		}
		if _, ok := findItem(items, "医疗保障基金使用情况检查（批次）"); !ok {
			t.Error("the addition is missing")
		}
		// Each item's timeline names the request that changed it, not the other one.
		var hist struct {
			Entries []struct {
				Version       int `json:"version"`
				ChangeRequest *struct {
					ID int64 `json:"id"`
				} `json:"change_request"`
			} `json:"revisions"`
		}
		e.must(t, http.StatusOK, "hsb-gov", "GET", fmt.Sprintf("/api/v1/items/%d/history", target), nil).JSON(t, &hist)
		if n := len(hist.Entries); n != 2 || hist.Entries[1].ChangeRequest == nil || hist.Entries[1].ChangeRequest.ID != a {
			t.Errorf("timeline of the modified item: %+v", hist)
		}

		xlsx := e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/export?format=xlsx&version=2", e.hsb), nil)
		f, err := excelize.OpenReader(bytes.NewReader(xlsx.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if sub := strings.Join(rows[1], ""); !strings.Contains(sub, "红政函〔2026〕12号") || !strings.Contains(sub, "2026年第二批") ||
			!strings.Contains(sub, "公布于 2026年3月2日") {
			t.Errorf("xlsx subtitle %q", sub)
		}
		// The CSV is titled as the XLSX: the version with its batch, 文号 and 公布日期.
		csvFile := e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/export?format=csv&version=2", e.hsb), nil)
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvFile.Body, []byte("\uFEFF")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if records[1][0] != "红寺堡区医疗保障局　第 2 版　2026年第二批　红政函〔2026〕12号　公布于 2026年3月2日" {
			t.Errorf("csv version row %q", records[1])
		}
		back, err := importer.Read("清单.csv", csvFile.Body, importer.Options{})
		if err != nil || back.Title != "红寺堡区医疗保障局权力清单" || len(back.Items) != len(items) {
			t.Errorf("the csv does not import back: %v (%d items of %d)", err, len(back.Items), len(items))
		}
		// The TSV, the data format, is the seed layout exactly: no record in it.
		tsv := e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/export?format=tsv&version=2", e.hsb), nil)
		if strings.Contains(string(tsv.Body), "红政函") {
			t.Error("the tsv carries the publication record")
		}
		// The 修订对照表 cites the later version's record, printed and as XLSX.
		html := e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/comparison?from=1&to=2&format=html", e.hsb), nil)
		if !strings.Contains(string(html.Body), "红政函〔2026〕12号") || !strings.Contains(string(html.Body), "公布于 2026年3月2日") {
			t.Error("the comparison table does not cite the 文号 and 公布日期")
		}
		cmp := e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/comparison?from=1&to=2&format=xlsx", e.hsb), nil)
		cf, err := excelize.OpenReader(bytes.NewReader(cmp.Body))
		if err != nil {
			t.Fatal(err)
		}
		if sub, _ := cf.GetCellValue(cf.GetSheetName(0), "A2"); !strings.Contains(sub, "2026年第二批　红政函〔2026〕12号　公布于 2026年3月2日") {
			t.Errorf("comparison xlsx subtitle %q", sub)
		}
		// Once published, a request cannot be in another batch.
		e.must(t, http.StatusConflict, "hsb-gov", "POST", path, body)
		checkHistory(t, e.store)
	})
}

// TestBatchConflictRefused: two requests of a batch touching one item are
// refused with a message naming both and the item, and nothing is written.
func TestBatchConflictRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		target := e.itemID(t, e.hsb, "社会保险稽核")
		a := e.toState(t, e.hsb, "approved", map[string]any{"op": "modify", "item_id": target, "item": map[string]any{"content": "甲"}})
		b := e.toState(t, e.hsb, "approved", map[string]any{"op": "remove", "item_id": target})
		var audits int64
		countAudits := func() int64 {
			var n int64
			if err := db.Table("audit_events").Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		audits = countAudits()
		r := e.must(t, http.StatusConflict, "hsb-gov", "POST", fmt.Sprintf("/api/v1/lists/%d/batches", e.hsb),
			map[string]any{"name": "2026年第二批", "doc_number": "红政函〔2026〕12号", "change_request_ids": []int64{b, a}})
		msg := r.ErrorMessage(t)
		for _, want := range []string{fmt.Sprintf("#%d", a), fmt.Sprintf("#%d", b), "社会保险稽核"} {
			if !strings.Contains(msg, want) {
				t.Errorf("conflict %q does not name %s", msg, want)
			}
		}
		if vs := e.versions(t, e.hsb); len(vs.Versions) != 1 {
			t.Errorf("a refused batch wrote a version: %+v", vs)
		}
		for _, id := range []int64{a, b} {
			if d := decodeCR(t, e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil)); d.State != "approved" {
				t.Errorf("request %d is %s after a refused batch", id, d.State)
			}
		}
		if n := countAudits(); n != audits {
			t.Errorf("a refused batch wrote %d audit rows", n-audits)
		}
		checkHistory(t, e.store)
	})
}

// TestSinglePublicationRecord: publishing one request may carry its 文号 and
// 公布日期, not before the current version's; without them the version is
// dated the day it was published.
func TestSinglePublicationRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		target := e.itemID(t, e.hsb, "社会保险稽核")
		id := e.toState(t, e.hsb, "approved", map[string]any{"op": "modify", "item_id": target, "item": map[string]any{"content": "甲"}})
		tr := fmt.Sprintf("/api/v1/change-requests/%d/transitions", id)
		e.must(t, http.StatusBadRequest, "hsb-gov", "POST", tr, map[string]string{"event": "publish", "date": "2999-01-01"})
		e.must(t, http.StatusBadRequest, "hsb-gov", "POST", tr, map[string]string{"event": "publish", "doc_number": "红政函\x00"})
		e.must(t, http.StatusBadRequest, "hsb-gov", "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", id),
			map[string]string{"event": "return", "comment": "请修改", "doc_number": "红政函〔2026〕3号"})
		e.must(t, http.StatusOK, "hsb-gov", "POST", tr, map[string]string{"event": "publish", "doc_number": "红政函〔2026〕3号", "date": "2026-01-05"})
		v := e.versions(t, e.hsb).Versions[0]
		if v.Number != 2 || v.DocNumber != "红政函〔2026〕3号" || v.PublishDate != "2026-01-05" || v.BatchName != "" ||
			v.ChangeRequest == nil || v.ChangeRequest.ID != id || len(v.ChangeRequests) != 1 {
			t.Errorf("version %+v", v)
		}
		// The next version may share its predecessor's 公布日期, never precede it.
		next := e.toState(t, e.hsb, "approved", map[string]any{"op": "modify", "item_id": target, "item": map[string]any{"content": "乙"}})
		tr = fmt.Sprintf("/api/v1/change-requests/%d/transitions", next)
		r := e.must(t, http.StatusBadRequest, "hsb-gov", "POST", tr, map[string]string{"event": "publish", "date": "2026-01-04"})
		if msg := r.ErrorMessage(t); !strings.Contains(msg, "公布日期 2026-01-04 早于清单现行第 2 版的公布日期 2026-01-05") {
			t.Errorf("a date before version 2's: %s", msg)
		}
		if d := decodeCR(t, e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", next), nil)); d.State != "approved" {
			t.Errorf("a refused publication moved the request to %s", d.State)
		}
		e.must(t, http.StatusOK, "hsb-gov", "POST", tr, map[string]string{"event": "publish", "date": "2026-01-05"})
		if v := e.versions(t, e.hsb).Versions[0]; v.Number != 3 || v.PublishDate != "2026-01-05" {
			t.Errorf("version 3 %+v", v)
		}
		checkHistory(t, e.store)
	})
}

// checkHistory fails the test if the database's history breaks an invariant.
func checkHistory(t *testing.T, s *models.Store) {
	t.Helper()
	vs, err := models.CheckInvariants(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("invariant: %s", v)
	}
}
