package api_test

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/diff"
	"qingdan/models"
	"qingdan/testkit"
)

// hsbFirst is the first item of the 红寺堡区 seed list, whose 职权依据 is
// stored as <p> paragraphs: a citation, then the article.
const hsbFirst = "以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出行为的处罚"

// An imported cell of paragraphs reaches every reader of the API as text
// with "\n" between its paragraphs, entities read and no markup: the import
// preview, the published items, an item, its history.
func TestItemParagraphsAsText(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		const content = "检查5<6 & 7>3的情形\n第二段"
		file := testkit.MustXLSX(testkit.Sheet{Name: "权力清单", Rows: [][]string{
			{"红寺堡区测试局权力清单"},
			{"序号", "权力类型", "事项名称", "设定依据", "行使内容"},
			{"1", "行政检查", "养老机构监督检查", "【部门规章】《养老机构管理办法》第三十八条", content},
		}})
		r := upload(t, e.h, e.token["admin"], "测试局.xlsx", file, map[string]string{"agency": "红寺堡区测试局", "region_code": "640303"})
		if r.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		var p previewJSON
		r.JSON(t, &p)
		if len(p.Items) != 1 || p.Items[0].Content != content {
			t.Fatalf("preview items %+v, want the content %q", p.Items, content)
		}
		var done struct {
			ListID int64 `json:"list_id"`
		}
		e.must(t, http.StatusCreated, "admin", "POST", fmt.Sprintf("/api/v1/imports/%d/confirm", p.ID), nil).JSON(t, &done)
		_, items := e.items(t, done.ListID, "")
		if len(items) != 1 || items[0].Content != content {
			t.Fatalf("published items %+v, want the content %q", items, content)
		}

		id := e.itemID(t, e.hsb, hsbFirst)
		var it models.ItemFields
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d", id), nil).JSON(t, &it)
		const first = "【法律】《中华人民共和国社会保险法》（2018年修正）\n第八十七条 社会保险经办机构"
		if !strings.HasPrefix(it.Basis, first) || strings.ContainsAny(it.Basis, "<>&") {
			t.Errorf("item basis %q, want paragraphs as lines starting %q", it.Basis, first)
		}
		var h struct {
			Entries []struct {
				Item *models.ItemFields `json:"item"`
			} `json:"revisions"`
		}
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d/history", id), nil).JSON(t, &h)
		if len(h.Entries) == 0 || h.Entries[0].Item == nil || h.Entries[0].Item.Basis != it.Basis {
			t.Errorf("history %+v, want the basis as the item shows it", h.Entries)
		}
	})
}

// A change of a field of paragraphs is compared and sent as the text the
// reader sees: its segments are display-ready in the operation's preview and
// in the version diff once published. The field sent back as it was shown is
// no change, and keeps its stored markup.
func TestParagraphDiffAsText(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		id := e.itemID(t, e.hsb, hsbFirst)
		var it models.ItemFields
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d", id), nil).JSON(t, &it)
		shown := it.Basis
		added := "\n第八十八条 以欺诈手段骗取医疗保障基金的，依法处理。"
		wantSegs := []diff.Segment{{Op: diff.Equal, Text: shown}, {Op: diff.Insert, Text: added}}

		// Sent back as shown, a cell is no change, whatever its markup: the
		// 于田县 list has its numbered 责任事项 under an unclosed <ol>.
		olID := e.itemID(t, e.yt, "医疗救助对象确认")
		var ol models.ItemFields
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/items/%d", olID), nil).JSON(t, &ol)
		if !strings.HasPrefix(ol.Responsibility, "直接实施责任：\n1. 主动公示") {
			t.Fatalf("责任事项 %q, want its paragraphs as lines", ol.Responsibility)
		}
		cr := e.create(t, "yt-ybj", e.yt)
		r := e.as(t, "yt-ybj", "POST", fmt.Sprintf("/api/v1/change-requests/%d/operations", cr), withMaterials(map[string]any{"reason": "依据调整", "basis": crBasis},
			map[string]any{"op": "modify", "item_id": olID, "item": map[string]any{"responsibility": ol.Responsibility}}))
		if r.Status != http.StatusBadRequest || !strings.Contains(r.ErrorMessage(t), "没有改变任何字段") {
			t.Errorf("a 责任事项 sent back as shown: %d %s, want it refused as no change", r.Status, r.Body)
		}
		e.addOp(t, "yt-ybj", cr, map[string]any{"op": "modify", "item_id": olID,
			"item": map[string]any{"responsibility": ol.Responsibility, "duty": ol.Duty + "\n负责医疗保障基金监督"}})
		d := decodeCR(t, e.must(t, http.StatusOK, "yt-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", cr), nil))
		if got := d.Operations[0].Preview.Changed; !slices.Equal(got, []string{"duty"}) {
			t.Errorf("changed %v, want [duty]: the 责任事项 sent as shown is no change", got)
		}

		// A paragraph added: the preview's segments are the shown text and the new line.
		cr2 := e.toState(t, e.hsb, "draft", map[string]any{"op": "modify", "item_id": id, "item": map[string]any{"basis": shown + added}})
		var pv struct {
			Operations []struct {
				Item    models.ItemFields `json:"item"`
				Preview struct {
					Fields []diff.Field `json:"fields"`
				} `json:"preview"`
			} `json:"operations"`
		}
		e.must(t, http.StatusOK, "hsb-ybj", "GET", fmt.Sprintf("/api/v1/change-requests/%d", cr2), nil).JSON(t, &pv)
		if len(pv.Operations) != 1 {
			t.Fatalf("%d operations", len(pv.Operations))
		}
		op := pv.Operations[0]
		if op.Item.Basis != shown+added {
			t.Errorf("operation item basis %q, want %q", op.Item.Basis, shown+added)
		}
		want := diff.Field{Field: "basis", Before: shown, After: shown + added, Segments: wantSegs}
		if got := fieldNamed(op.Preview.Fields, "basis"); !reflect.DeepEqual(got, want) {
			t.Errorf("preview of the basis %q\nwant %q", got, want)
		}

		// Published, the version diff shows the same.
		for _, s := range []struct{ who, event, state string }{
			{"hsb-ybj", "submit", "legal_review"}, {"hsb-sfj", "pass", "approval"}, {"hsb-gov", "approve", "approved"}, {"hsb-gov", "publish", "published"},
		} {
			e.fire(t, s.who, cr2, s.event, "", s.state)
		}
		var vd struct {
			Changes []struct {
				Fields []diff.Field `json:"fields"`
			} `json:"changes"`
		}
		e.must(t, http.StatusOK, "anonymous", "GET", fmt.Sprintf("/api/v1/lists/%d/diff?from=1&to=2", e.hsb), nil).JSON(t, &vd)
		if len(vd.Changes) != 1 {
			t.Fatalf("%d changes, want 1", len(vd.Changes))
		}
		if got := fieldNamed(vd.Changes[0].Fields, "basis"); !reflect.DeepEqual(got, want) {
			t.Errorf("version diff of the basis %q\nwant %q", got, want)
		}
	})
}

func fieldNamed(fields []diff.Field, name string) diff.Field {
	if i := slices.IndexFunc(fields, func(f diff.Field) bool { return f.Field == name }); i >= 0 {
		return fields[i]
	}
	return diff.Field{}
}
