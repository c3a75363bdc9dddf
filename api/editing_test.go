package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/diff"
)

// The editing of a request: operations edited in place with stable numbers,
// what changed since a return, 备注, 撤回 and 作废, deleting drafts, the
// workbench's queues and counts, paging, and the 列入 picker.

type opView struct {
	ID     int64  `json:"id"`
	Number int    `json:"number"`
	Op     string `json:"op"`
	Reason string `json:"reason"`
	Item   *struct {
		Name    string `json:"name"`
		Content string `json:"content"`
		Code    string `json:"code"`
		Note    string `json:"note"`
	} `json:"item"`
	Preview struct {
		After *struct {
			Note    string `json:"note"`
			Content string `json:"content"`
		} `json:"after"`
	} `json:"preview"`
	SinceReturn *struct {
		Mark    string       `json:"mark"`
		Changes []diff.Field `json:"changes"`
	} `json:"since_return"`
}

type editDetail struct {
	State         string            `json:"state"`
	Operations    []opView          `json:"operations"`
	AllowedEvents []string          `json:"allowed_events"`
	BlockedEvents map[string]string `json:"blocked_events"`
	Deletable     bool              `json:"deletable"`
	Editable      bool              `json:"editable"`
	SinceReturn   *struct {
		Return struct {
			Event   string `json:"event"`
			Comment string `json:"comment"`
		} `json:"return"`
		Deleted []struct {
			Number int    `json:"number"`
			Op     string `json:"op"`
			Name   string `json:"name"`
		} `json:"deleted"`
	} `json:"since_return"`
}

func (e *crEnv) detail(t *testing.T, who string, id int64) editDetail {
	t.Helper()
	var d editDetail
	e.must(t, http.StatusOK, who, "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil).JSON(t, &d)
	return d
}

func numbers(ops []opView) []int {
	out := []int{}
	for _, o := range ops {
		out = append(out, o.Number)
	}
	return out
}

func opPath(id, op int64) string {
	return fmt.Sprintf("/api/v1/change-requests/%d/operations/%d", id, op)
}

// TestOperationEditKeepsNumbers: an operation is edited in place while the
// request is editable, keeps its number, is validated again; deleting one
// renumbers nothing and a deleted number is never given again.
func TestOperationEditKeepsNumbers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		id := e.create(t, "hsb-ybj", e.hsb)
		audit := e.itemID(t, e.hsb, "社会保险稽核")
		first := e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": audit, "item": map[string]any{"content": "甲"}})
		second := e.addOp(t, "hsb-ybj", id, map[string]any{"op": "add", "item": map[string]any{"name": "新检查", "category": "行政检查", "basis": crBasis}})
		third := e.addOp(t, "hsb-ybj", id, map[string]any{"op": "remove", "item_id": e.itemID(t, e.hsb, "社保关系转移接续")})
		if got := numbers(e.detail(t, "hsb-ybj", id).Operations); !slices.Equal(got, []int{1, 2, 3}) {
			t.Fatalf("numbers = %v", got)
		}
		e.must(t, http.StatusNoContent, "hsb-ybj", "DELETE", opPath(id, third), nil)
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "remove", "item_id": e.itemID(t, e.hsb, "社保关系转移接续")})
		e.must(t, http.StatusNoContent, "hsb-ybj", "DELETE", opPath(id, second), nil)
		if got := numbers(e.detail(t, "hsb-ybj", id).Operations); !slices.Equal(got, []int{1, 4}) {
			t.Fatalf("numbers after deleting 3 and 2 and adding one = %v, want [1 4]", got)
		}

		var edited opView
		e.must(t, http.StatusOK, "hsb-ybj2", "PATCH", opPath(id, first),
			map[string]any{"item": map[string]any{"content": "负责本区域医疗保险稽核"}, "reason": "表述更准确"}).JSON(t, &edited)
		if edited.Number != 1 || edited.ID != first || edited.Reason != "表述更准确" || edited.Item.Content != "负责本区域医疗保险稽核" ||
			edited.Preview.After == nil || edited.Preview.After.Content != "负责本区域医疗保险稽核" {
			t.Errorf("edited operation = %+v", edited)
		}
		d := e.detail(t, "hsb-ybj", id)
		if d.Operations[0].Reason != "表述更准确" || !slices.Equal(numbers(d.Operations), []int{1, 4}) {
			t.Errorf("after the edit: %+v", d.Operations)
		}

		for _, tc := range []struct {
			name, field string
			body        map[string]any
			status      int
		}{
			{"another type", "op", map[string]any{"op": "remove"}, http.StatusBadRequest},
			{"another item", "item_id", map[string]any{"item_id": audit + 1}, http.StatusBadRequest},
			{"a basis citing nothing", "basis", map[string]any{"basis": "依照有关规定"}, http.StatusBadRequest},
			{"an unknown item field", "item", map[string]any{"item": map[string]any{"contnet": "x"}}, http.StatusBadRequest},
		} {
			r := e.as(t, "hsb-ybj", "PATCH", opPath(id, first), tc.body)
			if r.Status != tc.status || !strings.Contains(string(r.Body), `"field":"`+tc.field+`"`) {
				t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
			}
		}
		if r := e.as(t, "hsb-ybj", "PATCH", opPath(id, 999999), map[string]any{"reason": "x"}); r.Status != http.StatusNotFound {
			t.Errorf("unknown operation: %d %s", r.Status, r.Body)
		}
		if r := e.as(t, "hsb-ybj", "PATCH", opPath(id, first), map[string]any{"item": map[string]any{"content": e.detailContent(t, audit)}}); r.Status != http.StatusBadRequest {
			t.Errorf("an edit that leaves the modify changing nothing: %d %s", r.Status, r.Body)
		}

		e.fire(t, "hsb-ybj", id, "submit", "", "legal_review")
		if r := e.as(t, "hsb-ybj", "PATCH", opPath(id, first), map[string]any{"reason": "再改"}); r.Status != http.StatusConflict {
			t.Errorf("edit under review: %d %s", r.Status, r.Body)
		}
	})
}

// detailContent is an item's current 行使内容.
func (e *crEnv) detailContent(t *testing.T, itemID int64) string {
	t.Helper()
	var it listItem
	e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d", itemID), nil).JSON(t, &it)
	return it.Content
}

// TestSinceReturnComparison: after a return, the reviewer sees each
// operation marked new, edited (with the redline) or unchanged, and the
// deleted ones — matched by their numbers.
func TestSinceReturnComparison(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		id := e.create(t, "hsb-ybj", e.hsb)
		audit := e.itemID(t, e.hsb, "社会保险稽核")
		first := e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": audit, "item": map[string]any{"content": "负责医疗保险稽核"}})
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "add", "item": map[string]any{"name": "新检查", "category": "行政检查", "basis": crBasis}})
		third := e.addOp(t, "hsb-ybj", id, map[string]any{"op": "remove", "item_id": e.itemID(t, e.hsb, "社保关系转移接续")})
		e.fire(t, "hsb-ybj", id, "submit", "", "legal_review")
		if d := e.detail(t, "hsb-sfj", id); d.SinceReturn != nil || d.Operations[0].SinceReturn != nil {
			t.Errorf("never returned, yet: %+v", d.SinceReturn)
		}
		e.fire(t, "hsb-sfj", id, "return", "操作1的表述不准确；操作3不应取消", "returned")

		e.must(t, http.StatusOK, "hsb-ybj", "PATCH", opPath(id, first), map[string]any{"item": map[string]any{"content": "负责本区域医疗保险、生育保险稽核"},
			"basis": "【行政法规】《医疗保障基金使用监督管理条例》第二十二条"})
		e.must(t, http.StatusNoContent, "hsb-ybj", "DELETE", opPath(id, third), nil)
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": e.itemID(t, e.hsb, "社会保险登记"), "item": map[string]any{"content": "负责登记"}})
		e.fire(t, "hsb-ybj", id, "submit", "已按意见修改", "legal_review")

		d := e.detail(t, "hsb-sfj", id)
		if d.SinceReturn == nil || d.SinceReturn.Return.Comment != "操作1的表述不准确；操作3不应取消" {
			t.Fatalf("since return = %+v", d.SinceReturn)
		}
		marks := map[int]string{}
		for _, op := range d.Operations {
			marks[op.Number] = op.SinceReturn.Mark
		}
		if want := map[int]string{1: "edited", 2: "unchanged", 4: "new"}; fmt.Sprint(marks) != fmt.Sprint(want) {
			t.Errorf("marks = %v, want %v", marks, want)
		}
		changes := d.Operations[0].SinceReturn.Changes
		// The operation's 调整依据 is named apart from the item's 职权依据 (basis).
		if len(changes) != 2 || changes[1].Field != "op_basis" || changes[1].Before != crBasis {
			t.Errorf("the edit of the operation's basis = %+v", changes)
		}
		if len(changes) == 0 || changes[0].Field != "content" || changes[0].Before != "负责医疗保险稽核" ||
			diff.After(changes[0].Segments) != "负责本区域医疗保险、生育保险稽核" ||
			!slices.ContainsFunc(changes[0].Segments, func(s diff.Segment) bool { return s.Op == diff.Insert && strings.Contains(s.Text, "本区域") }) {
			t.Errorf("redline of the edit = %+v", changes)
		}
		if len(d.SinceReturn.Deleted) != 1 || d.SinceReturn.Deleted[0].Number != 3 || d.SinceReturn.Deleted[0].Op != "remove" ||
			!strings.HasPrefix(d.SinceReturn.Deleted[0].Name, "社保关系转移接续") {
			t.Errorf("deleted = %+v", d.SinceReturn.Deleted)
		}
		// The submitter sees the same while editing; a second return compares with itself.
		e.fire(t, "hsb-sfj", id, "return", "再改", "returned")
		d = e.detail(t, "hsb-ybj", id)
		for _, op := range d.Operations {
			if op.SinceReturn.Mark != "unchanged" {
				t.Errorf("right after the second return, operation %d is %s", op.Number, op.SinceReturn.Mark)
			}
		}
		if len(d.SinceReturn.Deleted) != 0 || d.SinceReturn.Return.Comment != "再改" {
			t.Errorf("second return: %+v", d.SinceReturn)
		}
	})
}

// TestNoteProvenance: the 备注 an operation writes shows in its preview and
// can be set by the submitter; a 调整 of an item whose 备注 records that it
// came from another category keeps that record unless the submitter changes it.
func TestNoteProvenance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		const moved = "对医保经办机构以及医疗机构、药品经营单位骗取医保基金行为的处罚"
		const provenance = "由其他类别“医疗保险违法行为的处理”（1011014000）改为行政处罚"
		movedID, auditID := e.itemID(t, e.hsb, moved), e.itemID(t, e.hsb, "社会保险稽核")
		id := e.create(t, "hsb-ybj", e.hsb)
		keep := e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": movedID, "item": map[string]any{"level": "区级"}})
		own := e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": auditID,
			"item": map[string]any{"content": "负责稽核", "note": "调整（职责表述）"}})
		d := e.detail(t, "hsb-ybj", id)
		notes := map[int64]string{}
		for _, op := range d.Operations {
			notes[op.ID] = op.Preview.After.Note
			if op.ID == keep && op.Item.Note != "" {
				t.Errorf("the submitter wrote no 备注, yet the operation carries %q", op.Item.Note)
			}
		}
		if notes[keep] != provenance || notes[own] != "调整（职责表述）" {
			t.Errorf("previewed notes = %v", notes)
		}
		e.fire(t, "hsb-ybj", id, "submit", "", "legal_review")
		e.fire(t, "hsb-sfj", id, "pass", "", "approval")
		e.fire(t, "hsb-gov", id, "approve", "", "approved")
		e.fire(t, "hsb-gov", id, "publish", "", "published")
		_, items := e.items(t, e.hsb, "")
		if it, _ := findItem(items, moved); it.Note != provenance {
			t.Errorf("published note of the moved item = %q", it.Note)
		}
		if it, _ := findItem(items, "社会保险稽核"); it.Note != "调整（职责表述）" {
			t.Errorf("published note the submitter wrote = %q", it.Note)
		}
		// A later 调整 that sets its own 备注 replaces the provenance.
		id = e.create(t, "hsb-ybj", e.hsb)
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "modify", "item_id": movedID, "item": map[string]any{"note": "调整"}})
		if got := e.detail(t, "hsb-ybj", id).Operations[0].Preview.After.Note; got != "调整" {
			t.Errorf("a note the submitter set = %q", got)
		}
	})
}

// TestWithdrawCancelDelete: 撤回 brings a submitted request back as a draft to
// edit and submit again; 作废 ends it and keeps it; only a draft never
// submitted can be deleted.
func TestWithdrawCancelDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		op := map[string]any{"op": "add", "item": map[string]any{"name": "新检查", "category": "行政检查", "basis": crBasis}}
		id := e.toState(t, e.hsb, "approval", op)
		back := e.fire(t, "hsb-ybj", id, "withdraw", "发现笔误", "draft")
		if !slices.Equal(back.AllowedEvents, []string{"cancel", "submit"}) {
			t.Errorf("after 撤回 the submitter may %v", back.AllowedEvents)
		}
		d := e.detail(t, "hsb-ybj", id)
		// Who may edit in which state is the server's answer, not the UI's.
		if !d.Editable || e.detail(t, "hsb-sfj", id).Editable || e.detail(t, "admin", id).Editable {
			t.Errorf("a withdrawn draft is editable by its agency's submitters only")
		}
		e.must(t, http.StatusOK, "hsb-ybj", "PATCH", opPath(id, d.Operations[0].ID), map[string]any{"item": map[string]any{"name": "新检查（更正）"}})
		if d.Deletable {
			t.Errorf("a withdrawn request that went to review is offered for deletion")
		}
		if r := e.as(t, "hsb-ybj", "DELETE", fmt.Sprintf("/api/v1/change-requests/%d", id), nil); r.Status != http.StatusConflict {
			t.Errorf("delete a withdrawn request: %d %s", r.Status, r.Body)
		}
		// The reviewer still sees it, as a draft.
		if got := e.detail(t, "hsb-sfj", id).State; got != "draft" {
			t.Errorf("reviewer sees %s", got)
		}
		e.fire(t, "hsb-ybj", id, "submit", "已更正", "legal_review")
		if e.detail(t, "hsb-ybj", id).Editable {
			t.Errorf("a request in legal review is editable")
		}
		e.fire(t, "hsb-sfj", id, "return", "不必调整", "returned")
		if !e.detail(t, "hsb-ybj", id).Editable {
			t.Errorf("a returned request is not editable by its submitter")
		}
		done := e.fire(t, "hsb-ybj", id, "cancel", "不再调整", "cancelled")
		if len(done.AllowedEvents) != 0 {
			t.Errorf("a cancelled request offers %v", done.AllowedEvents)
		}
		if got := e.detail(t, "hsb-sfj", id).State; got != "cancelled" {
			t.Errorf("cancelled request reads as %s", got)
		}

		fresh := e.toState(t, e.hsb, "draft", op)
		if !e.detail(t, "hsb-ybj", fresh).Deletable || e.detail(t, "admin", fresh).Deletable {
			t.Errorf("deletable is for the agency's submitters")
		}
		e.must(t, http.StatusNoContent, "hsb-ybj2", "DELETE", fmt.Sprintf("/api/v1/change-requests/%d", fresh), nil)
		e.must(t, http.StatusNotFound, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", fresh), nil)
		var audits int64
		if err := db.Table("audit_events").Where("action = ? AND target_id = ?", "delete", fmt.Sprint(fresh)).Count(&audits).Error; err != nil || audits != 1 {
			t.Errorf("deletion audited %d times (%v)", audits, err)
		}
	})
}

type pageBody struct {
	Total    int64 `json:"total"`
	Limit    int   `json:"limit"`
	Offset   int   `json:"offset"`
	Requests []struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
		Title string `json:"title"`
	} `json:"change_requests"`
}

// TestQueuesCountsAndPaging: each person's 待办, 已办 and drafts, the badge
// count of what waits for them, and the paging and search of the listing.
func TestQueuesCountsAndPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		op := func(n int) map[string]any {
			return map[string]any{"op": "add", "item": map[string]any{"name": fmt.Sprintf("新检查%d", n), "category": "行政检查", "basis": crBasis}}
		}
		review := e.toState(t, e.hsb, "legal_review", op(1))
		returned := e.toState(t, e.hsb, "returned", op(2))
		approval := e.toState(t, e.hsb, "approval", op(3))
		draft := e.toState(t, e.hsb, "draft", op(4))
		e.toState(t, e.yt, "legal_review", op(5))
		// A request hsb-sfj2 submitted while a submitter cannot be theirs to review; here: drafted by hsb-ybj2.
		other := e.create(t, "hsb-ybj2", e.hsb)
		e.addOp(t, "hsb-ybj2", other, op(6))

		list := func(who, query string) pageBody {
			t.Helper()
			var b pageBody
			e.must(t, http.StatusOK, who, "GET", "/api/v1/change-requests"+query, nil).JSON(t, &b)
			return b
		}
		ids := func(b pageBody) []int64 {
			out := []int64{}
			for _, r := range b.Requests {
				out = append(out, r.ID)
			}
			slices.Sort(out)
			return out
		}
		for _, tc := range []struct {
			who, queue string
			want       []int64
		}{
			{"hsb-ybj", "todo", []int64{returned}},
			{"hsb-ybj", "drafts", []int64{draft}},
			{"hsb-ybj2", "drafts", []int64{other}},
			{"hsb-sfj", "todo", []int64{review}},
			{"hsb-sfj", "done", []int64{returned, approval}},
			{"hsb-gov", "todo", []int64{approval}},
			{"hsb-gov", "done", []int64{}},
			{"hsb-ybj", "done", []int64{review, returned, approval}},
			{"admin", "todo", []int64{}},
		} {
			if got := ids(list(tc.who, "?queue="+tc.queue)); !slices.Equal(got, tc.want) {
				t.Errorf("%s %s = %v, want %v", tc.who, tc.queue, got, tc.want)
			}
		}
		counts := func(who string) (map[string]int64, int64, int64) {
			var b struct {
				Counts  map[string]int64 `json:"counts"`
				Waiting int64            `json:"waiting"`
				Drafts  int64            `json:"drafts"`
			}
			e.must(t, http.StatusOK, who, "GET", "/api/v1/change-requests/counts", nil).JSON(t, &b)
			return b.Counts, b.Waiting, b.Drafts
		}
		if c, w, d := counts("hsb-ybj"); c["draft"] != 2 || c["returned"] != 1 || c["legal_review"] != 1 || w != 1 || d != 1 {
			t.Errorf("hsb-ybj counts %v waiting %d drafts %d", c, w, d)
		}
		if c, w, _ := counts("hsb-sfj"); c["draft"] != 0 || c["legal_review"] != 1 || w != 1 {
			t.Errorf("hsb-sfj counts %v waiting %d", c, w)
		}
		if _, w, _ := counts("hsb-gov"); w != 1 {
			t.Errorf("hsb-gov waiting %d", w)
		}
		if c, w, _ := counts("admin"); c["legal_review"] != 2 || w != 0 {
			t.Errorf("admin counts %v waiting %d", c, w)
		}

		// Paging: a total with every page, newest first.
		all := list("admin", "")
		if all.Total != 6 || len(all.Requests) != 6 || all.Limit != 50 {
			t.Fatalf("all: %+v", all)
		}
		p1, p2 := list("admin", "?limit=4"), list("admin", "?limit=4&offset=4")
		if p1.Total != 6 || p2.Total != 6 || len(p1.Requests) != 4 || len(p2.Requests) != 2 || p1.Requests[0].ID != all.Requests[0].ID || p2.Requests[0].ID != all.Requests[4].ID {
			t.Errorf("pages: %+v / %+v", p1, p2)
		}
		if b := list("admin", "?q=于田县+医疗保障局"); b.Total != 1 {
			t.Errorf("two words: %+v", b)
		}
		if b := list("admin", fmt.Sprintf("?q=%d", returned)); b.Total != 1 || b.Requests[0].ID != returned {
			t.Errorf("by number: %+v", b)
		}
		if b := list("admin", "?state=draft&list_id="+fmt.Sprint(e.hsb)); b.Total != 2 {
			t.Errorf("state and list: %+v", b)
		}
		for _, bad := range []string{"?limit=0", "?limit=501", "?offset=-1", "?queue=mine", "?agency_id=x", "?q=" + strings.Repeat("字", 201)} {
			if r := e.as(t, "admin", "GET", "/api/v1/change-requests"+bad, nil); r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", bad, r.Status, r.Body)
			}
		}
	})
}

// TestIncludeCandidates: the 列入 picker finds items of other lists' current
// versions by name or code, never of the request's own list.
func TestIncludeCandidates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		id := e.create(t, "yt-ybj", e.yt)
		var b struct {
			Items []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
				Code string `json:"code"`
				List struct {
					ID    int64  `json:"id"`
					Title string `json:"title"`
				} `json:"list"`
			} `json:"items"`
		}
		e.must(t, http.StatusOK, "yt-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d/include-candidates?q=稽核", id), nil).JSON(t, &b)
		if len(b.Items) == 0 {
			t.Fatal("no candidate for 稽核")
		}
		for _, it := range b.Items {
			if it.List.ID != e.hsb || !strings.Contains(it.Name, "稽核") || it.List.Title == "" {
				t.Errorf("candidate %+v", it)
			}
		}
		e.must(t, http.StatusOK, "yt-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d/include-candidates?q=0647", id), nil).JSON(t, &b)
		if len(b.Items) == 0 || !strings.HasPrefix(b.Items[0].Code, "0647") {
			t.Errorf("by code: %+v", b.Items)
		}
		e.must(t, http.StatusOK, "yt-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d/include-candidates?q=", id), nil).JSON(t, &b)
		if len(b.Items) != 0 {
			t.Errorf("an empty search finds %d", len(b.Items))
		}
	})
}

// TestItemSearchWordsAndBasis: a list's items are found by several words,
// each in the name, sub-item, code or legal basis.
func TestItemSearchWordsAndBasis(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		search := func(q string) []listItem {
			var b struct {
				Items []listItem `json:"items"`
			}
			e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/items?q=%s", e.hsb, q), nil).JSON(t, &b)
			return b.Items
		}
		_, all := e.items(t, e.hsb, "")
		basis := search("社会保险稽核办法")
		if len(basis) == 0 || len(basis) == len(all) {
			t.Fatalf("by a title in the legal basis: %d of %d", len(basis), len(all))
		}
		both := search("社会保险稽核办法+稽核")
		if len(both) == 0 || len(both) > len(basis) {
			t.Errorf("two words narrow: %d, one word %d", len(both), len(basis))
		}
		for _, it := range both {
			if !strings.Contains(it.Name, "稽核") {
				t.Errorf("%s matches both words only through its basis", it.Name)
			}
		}
		if got := search("稽核+不存在的词"); len(got) != 0 {
			t.Errorf("every word must match: %d", len(got))
		}
	})
}
