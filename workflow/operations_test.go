package workflow

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/models"
)

// TestOperationValidation: every rule an operation is checked against, each
// refusal naming its field in the message and in the details.
func TestOperationValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		item := func(v map[string]any) json.RawMessage { return itemJSON(t, v) }
		newItem := func(name, category, code string) json.RawMessage {
			return item(map[string]any{"name": name, "category": category, "code": code, "basis": basisFund})
		}
		cases := []struct {
			name      string
			in        OperationInput
			wantField string // "" = accepted
			wantMsg   string // part of the message
		}{
			{"unknown op", OperationInput{Op: "swap"}, "op", "不支持的操作“swap”"},
			{"add", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "行政处罚", "0247006000")}, "", ""},
			{"add without code (codes are optional)", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "行政处罚", "")}, "", ""},
			{"add without reason", OperationInput{Op: models.OpAdd, Reason: " ", Item: newItem("戊处罚", "行政处罚", "")}, "reason", "理由"},
			{"add whose basis cites nothing", OperationInput{Op: models.OpAdd, Basis: "依照有关规定", Item: newItem("戊处罚", "行政处罚", "")}, "basis", "《名称》"},
			{"add with item_id", OperationInput{Op: models.OpAdd, ItemID: ptr(f.item["甲处罚"]), Item: newItem("戊处罚", "行政处罚", "")}, "item_id", "不应指定"},
			{"add without name", OperationInput{Op: models.OpAdd, Item: newItem("", "行政处罚", "")}, "item.name", "事项名称不能为空"},
			{"add without category", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "", "")}, "item.category", "权力类型不能为空"},
			{"add with unknown category", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "行政许可证", "")}, "item.category", "未知的权力类型“行政许可证”"},
			{"add with alias category", OperationInput{Op: models.OpAdd, Item: newItem("戊", "其他类", "1047015000")}, "", ""},
			{"add with malformed code", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "行政处罚", "02470")}, "item.code", "格式不正确"},
			{"add with code of another type", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "行政处罚", "0647009000")}, "item.code",
				"item.code：基本编码“0647009000”的类型位“06”表示“行政检查”，与权力类型“行政处罚”（应为“02”）不一致"},
			{"add with a code in the list", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "行政处罚", "0247001000")}, "item.code", "已被事项“甲处罚”使用"},
			{"add with a code another operation adds", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "行政处罚", "0247005000")}, "item.code", "本申请的另一项操作"},
			{"add with the code of an item the request removes", OperationInput{Op: models.OpAdd, Item: newItem("新检查", "行政检查", "0647001000")}, "", ""},
			{"add whose item basis cites nothing", OperationInput{Op: models.OpAdd, Item: item(map[string]any{"name": "戊", "category": "行政处罚", "basis": "见有关文件"})}, "item.basis", "《名称》"},
			{"add with a misspelt field", OperationInput{Op: models.OpAdd, Item: item(map[string]any{"nmae": "戊", "category": "行政处罚"})}, "item", "nmae"},
			{"add with a field of the wrong type", OperationInput{Op: models.OpAdd, Item: item(map[string]any{"name": "戊", "category": "行政处罚", "level": 1})}, "item.level", "类型不正确"},
			{"add with a 序号", OperationInput{Op: models.OpAdd, Item: item(map[string]any{"name": "戊", "category": "行政处罚", "seq": 3})}, "item.seq", "after_item_id"},
			{"add after an item of its category", OperationInput{Op: models.OpAdd, AfterItemID: ptr(f.item["甲处罚"]), Item: newItem("戊处罚", "行政处罚", "")}, "", ""},
			{"add first in its category", OperationInput{Op: models.OpAdd, AfterItemID: ptr(int64(0)), Item: newItem("戊处罚", "行政处罚", "")}, "", ""},
			{"add after an item of another category", OperationInput{Op: models.OpAdd, AfterItemID: ptr(f.item["甲处罚"]), Item: newItem("戊检查", "行政检查", "")}, "after_item_id", "“甲处罚”属于行政处罚"},
			{"add after an item not in the list", OperationInput{Op: models.OpAdd, AfterItemID: ptr(int64(999999)), Item: newItem("戊处罚", "行政处罚", "")}, "after_item_id", "不在本清单第 1 版中"},
			{"add after an item the request removes", OperationInput{Op: models.OpAdd, AfterItemID: ptr(f.item["丙检查"]), Item: newItem("戊检查", "行政检查", "")}, "after_item_id", "已由本申请取消"},
			{"modify with a place", OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]), AfterItemID: ptr(f.item["乙处罚"]), Item: item(map[string]any{"content": "x"})}, "after_item_id", "调整不改变事项的位置"},
			{"recategorize after an item of the new category", OperationInput{Op: models.OpRecategorize, ItemID: ptr(f.item["医疗保险违法行为的处理"]), AfterItemID: ptr(f.item["乙处罚"]),
				Item: item(map[string]any{"category": "行政处罚", "code": "0247009000"})}, "", ""},
			{"add without a legal basis of the item", OperationInput{Op: models.OpAdd, Item: item(map[string]any{"name": "戊", "category": "行政处罚"})}, "item.basis", "须填写职权依据"},
			{"include without a legal basis of the item", OperationInput{Op: models.OpInclude, Source: "目录", Item: item(map[string]any{"name": "戊", "category": "行政处罚"})}, "item.basis", "须填写职权依据"},
			{"add with a full-width code", OperationInput{Op: models.OpAdd, Item: newItem("戊处罚", "行政处罚", "０２４７００６０００")}, "", ""},
			{"include", OperationInput{Op: models.OpInclude, Source: "自治区医疗保障权力事项目录", Item: newItem("丁检查", "行政检查", "0647002000")}, "", ""},
			{"include without source", OperationInput{Op: models.OpInclude, Item: newItem("丁检查", "行政检查", "0647002000")}, "source", "来源"},
			{"modify", f.modifyContent(t, "甲处罚", "负责甲（新）"), "", ""},
			{"modify without item", OperationInput{Op: models.OpModify, Item: item(map[string]any{"content": "x"})}, "item_id", "请指定要调整的事项"},
			{"modify an item not in the list", OperationInput{Op: models.OpModify, ItemID: ptr(int64(999999)), Item: item(map[string]any{"content": "x"})}, "item_id", "不在本清单第 1 版中"},
			{"modify an item another operation targets", f.modifyContent(t, "丙检查", "x"), "item_id", "已有本申请的另一项操作"},
			{"modify nothing", OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]), Item: item(map[string]any{"name": "甲处罚"})}, "item", "没有改变任何字段"},
			{"modify the category", OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]), Item: item(map[string]any{"category": "行政检查", "code": "0647009000"})}, "item.category", "recategorize"},
			{"modify the code to another type", OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]), Item: item(map[string]any{"code": "0647009000"})}, "item.code", "类型位“06”"},
			{"modify the code to one in use", OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]), Item: item(map[string]any{"code": "0247002000"})}, "item.code", "乙处罚"},
			{"recategorize", OperationInput{Op: models.OpRecategorize, ItemID: ptr(f.item["医疗保险违法行为的处理"]), Item: item(map[string]any{"category": "行政处罚", "code": "0247009000"})}, "", ""},
			{"recategorize into the same category", OperationInput{Op: models.OpRecategorize, ItemID: ptr(f.item["医疗保险违法行为的处理"]), Item: item(map[string]any{"category": "其他", "code": "1047099000"})}, "item.category", "须与原类型“其他类”不同"},
			{"recategorize keeping the code", OperationInput{Op: models.OpRecategorize, ItemID: ptr(f.item["医疗保险违法行为的处理"]), Item: item(map[string]any{"category": "行政处罚"})}, "item.code", "新的基本编码（原编码 1047014000）"},
			{"recategorize with a code of another type", OperationInput{Op: models.OpRecategorize, ItemID: ptr(f.item["医疗保险违法行为的处理"]), Item: item(map[string]any{"category": "行政处罚", "code": "1047099000"})}, "item.code", "类型位“10”"},
			{"add with a field the list has no column for", OperationInput{Op: models.OpAdd, Item: item(map[string]any{"name": "戊", "category": "行政处罚", "duty": "负责"})}, "item.duty", "本清单没有“部门职责”一列"},
			{"modify with an extra column the list lacks", OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]), Item: item(map[string]any{"extra": map[string]string{"承接单位": "乡镇"}})}, "item.extra", "本清单没有“承接单位”一列"},
			{"remove", OperationInput{Op: models.OpRemove, ItemID: ptr(f.item["甲处罚"])}, "", ""},
			{"remove without item", OperationInput{Op: models.OpRemove}, "item_id", "请指定要取消的事项"},
			{"remove with item fields", OperationInput{Op: models.OpRemove, ItemID: ptr(f.item["甲处罚"]), Item: item(map[string]any{"name": "甲"})}, "item", "不需要填写事项内容"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				// Every case starts from a request that already adds 0247005000 and removes 丙检查.
				id := f.draft(t, "hsb-ybj", f.hsb)
				f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpAdd, Item: newItem("丁处罚", "行政处罚", "0247005000")})
				f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpRemove, ItemID: ptr(f.item["丙检查"])})
				in := tc.in
				if in.Reason == "" {
					in.Reason = "依据新法调整"
				}
				if in.Basis == "" {
					in.Basis = basisFund
				}
				_, err := f.svc.AddOperation(f.ctx, f.users["hsb-ybj"], id, in)
				if tc.wantField == "" {
					wantCode(t, err, "")
					return
				}
				e := wantCode(t, err, apperr.Invalid)
				if got := e.Details.(map[string]any)["field"]; got != tc.wantField {
					t.Errorf("field = %v, want %s (%s)", got, tc.wantField, e.Message)
				}
				if !strings.HasPrefix(e.Message, tc.wantField+"：") || !strings.Contains(e.Message, tc.wantMsg) {
					t.Errorf("message %q should start with %q and contain %q", e.Message, tc.wantField+"：", tc.wantMsg)
				}
				ops, _ := f.store.Operations(f.ctx, id)
				if len(ops) != 2 {
					t.Errorf("a refused operation must not be stored: %d operations", len(ops))
				}
			})
		}
	})
}

// TestOperationPreview: a modify stores the whole new state but shows only
// what it changes; citations follow the basis, whatever the client sends.
func TestOperationPreview(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		id := f.draft(t, "hsb-ybj", f.hsb)
		v := f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]), Item: itemJSON(t, map[string]any{
			"content": "负责甲（新）", "basis": basisFund, "citations": []map[string]string{{"title": "伪造"}},
		})})
		if !slices.Equal(v.Changed, []string{"basis", "content"}) {
			t.Errorf("changed = %v", v.Changed)
		}
		if v.Before == nil || v.Before.Content != "负责甲" || v.After.Content != "负责甲（新）" || v.After.Name != "甲处罚" {
			t.Errorf("before/after = %+v / %+v", v.Before, v.After)
		}
		if len(v.After.Citations) != 1 || v.After.Citations[0].Title != "医疗保障基金使用监督管理条例" {
			t.Errorf("citations must come from the basis: %+v", v.After.Citations)
		}
		if v.After.Note != "调整" {
			t.Errorf("note = %q", v.After.Note)
		}
		rec := f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpRecategorize, ItemID: ptr(f.item["医疗保险违法行为的处理"]),
			Item: itemJSON(t, map[string]any{"category": "行政处罚", "code": "0247009000", "name": "对骗取医保基金行为的处罚"})})
		if want := "由其他类别“医疗保险违法行为的处理”（1047014000）改为行政处罚"; rec.After.Note != want {
			t.Errorf("note = %q, want %q", rec.After.Note, want)
		}
		if rec.After.Seq != 3 {
			t.Errorf("a recategorised item is numbered after the last of its new category: seq %d", rec.After.Seq)
		}
		d, err := f.svc.Get(f.ctx, f.users["hsb-ybj"], id)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Operations) != 2 || d.Operations[1].After.Code != "0247009000" || len(d.Operations[0].BasisCitations) != 1 {
			t.Errorf("detail operations = %+v", d.Operations)
		}
	})
}

// TestTypedLineBreaksBecomeParagraphs: text typed with line breaks is stored
// as <p> paragraphs like imported cells, so a version with it still exports
// one TSV cell per field; fields not sent keep their stored text.
func TestTypedLineBreaksBecomeParagraphs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		id := f.draft(t, "hsb-ybj", f.hsb)
		v := f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]), Item: itemJSON(t, map[string]any{
			"content": "负责甲\r\n\t依法追回<损失>",
		})})
		if want := "<p>负责甲</p> <p>依法追回&lt;损失&gt;</p>"; v.After.Content != want {
			t.Errorf("content = %q, want %q", v.After.Content, want)
		}
		if v.After.Name != v.Before.Name || v.After.Basis != v.Before.Basis {
			t.Errorf("fields not sent must keep their stored text: %+v", v.After)
		}
	})
}

// TestDutyListWithoutCodes: the Yutian list has no codes; its items are
// added, modified and recategorised without any.
func TestDutyListWithoutCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		items := f.itemsByName(t, f.yt, 1)
		id := f.draft(t, "yt-ybj", f.yt)
		f.addOp(t, "yt-ybj", id, OperationInput{Op: models.OpAdd, Item: itemJSON(t, map[string]any{
			"name": "医疗保障基金使用监督检查", "category": "行政检查", "duty": "负责监督检查", "basis": basisFund})})
		v := f.addOp(t, "yt-ybj", id, OperationInput{Op: models.OpRecategorize, ItemID: ptr(items["医疗救助对象确认"].ItemID),
			Item: itemJSON(t, map[string]any{"category": "行政给付"})})
		if v.After.Note != "由其他类别“医疗救助对象确认”改为行政给付" {
			t.Errorf("note without a code = %q", v.After.Note)
		}
		// The drift this once allowed: a 基本编码 on a 权责清单 published, then
		// its TSV export refused and CSV/XLSX dropped the code.
		_, err := f.svc.AddOperation(f.ctx, f.users["yt-ybj"], id, OperationInput{Op: models.OpModify, Reason: "补编码", Basis: basisFund,
			ItemID: ptr(items["医疗救助待遇给付"].ItemID), Item: itemJSON(t, map[string]any{"code": "0547001000"})})
		if e := wantCode(t, err, apperr.Invalid); !strings.Contains(e.Message, "本清单没有“基本编码”一列") {
			t.Errorf("code on a duty list: %s", e.Message)
		}
	})
}
