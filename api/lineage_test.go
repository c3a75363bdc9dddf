package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
)

type changeOut struct {
	ItemID     int64      `json:"item_id"`
	Kind       string     `json:"kind"`
	KindName   string     `json:"kind_name"`
	Before     *listItem  `json:"before"`
	After      *listItem  `json:"after"`
	MergedFrom []listItem `json:"merged_from"`
	SplitInto  []listItem `json:"split_into"`
	Fields     []struct {
		Field string `json:"field"`
	} `json:"fields"`
}

// TestDelegateMergeSplitThroughPublication: on both databases, a request
// that merges two items, splits one and delegates one is refused at
// submission while the 下放 lacks its 事中事后监管措施 (naming the
// operation and the material), then goes through review, approval and
// publication; the new version carries the notes real lists write and the
// counts; the comparison shows each as one change, exactly as the request's
// preview did; the timeline of a merged item ends in the merge; the
// 修订对照表 shows the merge as one row and the supervision text.
func TestDelegateMergeSplitThroughPublication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		_, items := e.items(t, e.hsb, "")
		a, b, c, d := items[0], items[1], items[2], items[3]
		id := e.create(t, "hsb-ybj", e.hsb)
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "merge", "sources": []int64{a.ID, b.ID},
			"item": map[string]any{"name": "以欺诈、伪造证明材料等手段骗取医疗保障基金的处罚"}})
		e.addOp(t, "hsb-ybj", id, map[string]any{"op": "split", "item_id": c.ID, "parts": []map[string]any{
			{"subitem": "伪造、变造社会保险登记"}, {"subitem": "其他情形", "code": "0247012000"}}})
		// Posted without the materials addOp would give it.
		r := e.must(t, http.StatusCreated, "hsb-ybj", "POST", fmt.Sprintf("/api/v1/change-requests/%d/operations", id),
			map[string]any{"op": "delegate", "item_id": d.ID, "delegate_to": "乡镇人民政府", "item": map[string]any{"level": "乡镇"},
				"reason": "按照放管服改革要求下放", "basis": crBasis})
		var delegated struct {
			ID int64 `json:"id"`
		}
		r.JSON(t, &delegated)

		var detail struct {
			Operations []struct {
				Op      string    `json:"op"`
				Preview changeOut `json:"preview"`
			} `json:"operations"`
			Missing []struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"missing_materials"`
		}
		e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", id), nil).JSON(t, &detail)
		if len(detail.Missing) != 1 || detail.Missing[0].Field != "supervision" || !strings.Contains(detail.Missing[0].Message, "操作3（下放") {
			t.Errorf("missing materials = %+v", detail.Missing)
		}
		previewed := map[string]changeOut{}
		for _, op := range detail.Operations {
			previewed[op.Preview.Kind] = op.Preview
		}
		if p := previewed["merged"]; len(p.MergedFrom) != 2 || p.After == nil || p.Before != nil || p.KindName != "合并" {
			t.Errorf("merge preview = %+v", p)
		}
		if p := previewed["split"]; len(p.SplitInto) != 2 || p.Before == nil || p.After != nil || p.KindName != "分设" {
			t.Errorf("split preview = %+v", p)
		}

		res := e.as(t, "hsb-ybj", "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", id), map[string]string{"event": "submit"})
		if res.Status != http.StatusBadRequest || !strings.Contains(res.ErrorMessage(t), "缺少事中事后监管措施") || !strings.Contains(res.ErrorMessage(t), "操作3") {
			t.Fatalf("submission without the supervision: %d %s", res.Status, res.Body)
		}
		e.must(t, http.StatusOK, "hsb-ybj", "PATCH", fmt.Sprintf("/api/v1/change-requests/%d/operations/%d", id, delegated.ID),
			map[string]any{"supervision": "乡镇人民政府承接后，由区医疗保障局每半年开展一次业务指导和抽查"})
		e.fire(t, "hsb-ybj", id, "submit", "", "legal_review")
		e.fire(t, "hsb-sfj", id, "pass", "合法", "approval")
		e.fire(t, "hsb-gov", id, "approve", "同意", "approved")
		e.fire(t, "hsb-gov", id, "publish", "", "published")

		_, v2 := e.items(t, e.hsb, "2")
		notes := map[string]string{}
		for _, it := range v2 {
			notes[it.Name] = it.Note
		}
		want := map[string]string{
			"以欺诈、伪造证明材料等手段骗取医疗保障基金的处罚": "由“" + a.Name + "”、“" + b.Name + "”合并而来",
			c.Name: "由“" + c.Name + "”分设而来",
			d.Name: "下放至乡镇人民政府",
		}
		for name, note := range want {
			if notes[name] != note {
				t.Errorf("%s: note %q, want %q", name, notes[name], note)
			}
		}
		if len(v2) != len(items) { // a merge of two (−1), a split into two (+1)
			t.Errorf("version 2 has %d items, version 1 %d", len(v2), len(items))
		}

		var diffBody struct {
			Changes []changeOut `json:"changes"`
		}
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/diff?from=1&to=2", e.hsb), nil).JSON(t, &diffBody)
		var kinds []string
		for _, ch := range diffBody.Changes {
			kinds = append(kinds, ch.Kind)
			p := previewed[ch.Kind]
			if p.KindName != ch.KindName || len(p.MergedFrom) != len(ch.MergedFrom) || len(p.SplitInto) != len(ch.SplitInto) || len(p.Fields) != len(ch.Fields) {
				t.Errorf("%s: the preview said %+v, the comparison %+v", ch.Kind, p, ch)
			}
		}
		slices.Sort(kinds)
		if !slices.Equal(kinds, []string{"delegated", "merged", "split"}) {
			t.Errorf("comparison kinds %v, want one change per operation", kinds)
		}

		var versions struct {
			Versions []struct {
				Counts map[string]int `json:"counts"`
			} `json:"versions"`
		}
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/versions", e.hsb), nil).JSON(t, &versions)
		if c := versions.Versions[0].Counts; c["merged"] != 1 || c["split"] != 1 || c["delegated"] != 1 || c["removed"] != 0 || c["added"] != 0 {
			t.Errorf("version 2 counts = %v", c)
		}

		type lineage struct {
			Op        string `json:"op"`
			Direction string `json:"direction"`
			ItemID    int64  `json:"item_id"`
			Name      string `json:"name"`
		}
		type history struct {
			RemovedIn *int `json:"removed_in"`
			Revisions []struct {
				Op   string `json:"op"`
				Item *struct {
					Name string `json:"name"`
				} `json:"item"`
				Lineage []lineage `json:"lineage"`
			} `json:"revisions"`
		}
		var hist history
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d/history", b.ID), nil).JSON(t, &hist)
		last := hist.Revisions[len(hist.Revisions)-1]
		if last.Op != "merge" || last.Item != nil || hist.RemovedIn == nil || *hist.RemovedIn != 2 {
			t.Errorf("the merged item's timeline ends with %+v (removed in %v)", last, hist.RemovedIn)
		}
		// Both ways: the source leads to the merged item, the merged item back to both sources.
		if len(last.Lineage) != 1 || last.Lineage[0].Direction != "to" || last.Lineage[0].Name != "以欺诈、伪造证明材料等手段骗取医疗保障基金的处罚" {
			t.Fatalf("the merged source's lineage = %+v", last.Lineage)
		}
		var back history
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d/history", last.Lineage[0].ItemID), nil).JSON(t, &back)
		if l := back.Revisions[0].Lineage; len(l) != 2 || l[0].Direction != "from" || l[0].ItemID != a.ID || l[1].ItemID != b.ID || back.Revisions[0].Op != "merge" {
			t.Errorf("the merged item's first step = %+v", back.Revisions[0])
		}
		var part history
		for _, it := range v2 {
			if it.Name == c.Name && it.ID != c.ID {
				e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d/history", it.ID), nil).JSON(t, &part)
				break
			}
		}
		if len(part.Revisions) == 0 || len(part.Revisions[0].Lineage) != 1 || part.Revisions[0].Lineage[0].ItemID != c.ID || part.Revisions[0].Lineage[0].Op != "split" {
			t.Errorf("a part's first step = %+v", part.Revisions)
		}

		page := e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d/comparison?format=html", id), nil)
		html := string(page.Body)
		for _, s := range []string{"合并（第 2 版）", "分设（第 2 版）", "下放（第 2 版）", "【事中事后监管措施】乡镇人民政府承接后"} {
			if !strings.Contains(html, s) {
				t.Errorf("the 修订对照表 lacks %q", s)
			}
		}
		if n := strings.Count(html, "（第 2 版）"); n != 3 {
			t.Errorf("the 修订对照表 has %d rows, want 3 (one per operation)", n)
		}
	})
}
