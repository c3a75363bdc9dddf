package workflow

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/diff"
	"qingdan/models"
)

// TestDelegateMergeSplitValidation: the rules of 下放, 合并 and 分设 and of
// what each operation type takes, each refusal naming its field.
func TestDelegateMergeSplitValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		item := func(v map[string]any) json.RawMessage { return itemJSON(t, v) }
		parts := func(vs ...map[string]any) []json.RawMessage {
			out := make([]json.RawMessage, len(vs))
			for i, v := range vs {
				out[i] = item(v)
			}
			return out
		}
		甲, 乙, 丙, 其他 := f.item["甲处罚"], f.item["乙处罚"], f.item["丙检查"], f.item["医疗保险违法行为的处理"]
		cases := []struct {
			name      string
			in        OperationInput
			wantField string // "" = accepted
			wantMsg   string
		}{
			{"delegate", OperationInput{Op: models.OpDelegate, ItemID: &甲, DelegateTo: "乡镇人民政府", Item: item(map[string]any{"level": "乡镇"})}, "", ""},
			{"delegate nowhere", OperationInput{Op: models.OpDelegate, ItemID: &甲, Item: item(map[string]any{"level": "乡镇"})}, "delegate_to", "下放至何处"},
			{"delegate keeping the level", OperationInput{Op: models.OpDelegate, ItemID: &甲, DelegateTo: "乡镇人民政府"}, "item.level", "下放须改变"},
			{"delegate into another category", OperationInput{Op: models.OpDelegate, ItemID: &甲, DelegateTo: "乡镇人民政府",
				Item: item(map[string]any{"level": "乡镇", "category": "行政检查", "code": "0647009000"})}, "item.category", "改为"},
			{"delegate without an item", OperationInput{Op: models.OpDelegate, DelegateTo: "乡镇人民政府"}, "item_id", "请指定要下放的事项"},
			{"merge", OperationInput{Op: models.OpMerge, Sources: []int64{甲, 乙}, Item: item(map[string]any{"name": "甲乙处罚", "code": "0247007000"})}, "", ""},
			{"merge keeping the first source's code", OperationInput{Op: models.OpMerge, Sources: []int64{甲, 乙}, Item: item(map[string]any{"name": "甲乙处罚"})}, "", ""},
			{"merge of one item", OperationInput{Op: models.OpMerge, Sources: []int64{甲}, Item: item(map[string]any{"name": "甲"})}, "sources", "至少两个"},
			{"merge of an item twice", OperationInput{Op: models.OpMerge, Sources: []int64{甲, 甲}, Item: item(map[string]any{"name": "甲"})}, "sources", "重复"},
			{"merge of an item not in the list", OperationInput{Op: models.OpMerge, Sources: []int64{甲, 999999}, Item: item(map[string]any{"name": "甲"})}, "sources", "不在本清单第 1 版中"},
			{"merge of an item the request removes", OperationInput{Op: models.OpMerge, Sources: []int64{甲, 丙}, Item: item(map[string]any{"name": "甲丙"})}, "item_id", "已有本申请的另一项操作"},
			{"merge with item_id", OperationInput{Op: models.OpMerge, ItemID: &甲, Sources: []int64{甲, 乙}}, "item_id", "不应指定"},
			{"merge with the code of an item kept", OperationInput{Op: models.OpMerge, Sources: []int64{甲, 其他}, Item: item(map[string]any{"name": "甲", "code": "0247002000"})}, "item.code", "乙处罚"},
			{"split", OperationInput{Op: models.OpSplit, ItemID: &甲, Parts: parts(map[string]any{"subitem": "一般情形"}, map[string]any{"subitem": "情节严重", "code": "0247008000"})}, "", ""},
			{"split into one", OperationInput{Op: models.OpSplit, ItemID: &甲, Parts: parts(map[string]any{"subitem": "一般情形"})}, "parts", "至少两个"},
			{"split into two alike", OperationInput{Op: models.OpSplit, ItemID: &甲, Parts: parts(map[string]any{"subitem": "甲"}, map[string]any{"subitem": "甲", "code": "0247008000"})}, "parts.1.name", "同名"},
			{"split sharing a code", OperationInput{Op: models.OpSplit, ItemID: &甲, Parts: parts(map[string]any{"subitem": "一"}, map[string]any{"subitem": "二"})}, "parts.1.code", "基本编码相同"},
			{"split with a part's name empty", OperationInput{Op: models.OpSplit, ItemID: &甲, Parts: parts(map[string]any{"name": ""}, map[string]any{"subitem": "二", "code": "0247008000"})}, "parts.0.name", "事项名称不能为空"},
			{"split with an item", OperationInput{Op: models.OpSplit, ItemID: &甲, Item: item(map[string]any{"name": "甲"})}, "item", "parts"},
			{"split with a place", OperationInput{Op: models.OpSplit, ItemID: &甲, AfterItemID: &乙, Parts: parts(map[string]any{"subitem": "一"}, map[string]any{"subitem": "二", "code": "0247008000"})}, "after_item_id", "原事项的位置"},
			{"sources on an add", OperationInput{Op: models.OpAdd, Sources: []int64{甲, 乙}, Item: item(map[string]any{"name": "戊", "category": "行政处罚", "basis": basisFund})}, "sources", "只有合并"},
			{"parts on a modify", OperationInput{Op: models.OpModify, ItemID: &甲, Parts: parts(map[string]any{"name": "x"})}, "parts", "只有分设"},
			{"delegate_to on a remove", OperationInput{Op: models.OpRemove, ItemID: &甲, DelegateTo: "乡镇"}, "delegate_to", "只有下放"},
			{"supervision on an add", OperationInput{Op: models.OpAdd, Supervision: "监管", Item: item(map[string]any{"name": "戊", "category": "行政处罚", "basis": basisFund})}, "supervision", "只用于取消和下放"},
			{"takeover plan on a remove", OperationInput{Op: models.OpRemove, ItemID: &甲, TakeoverPlan: "承接"}, "takeover_plan", "只用于列入"},
			{"a supervision text with a control character", OperationInput{Op: models.OpRemove, ItemID: &甲, Supervision: "监管\x00"}, "supervision", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				id := f.draft(t, "hsb-ybj", f.hsb)
				f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpRemove, ItemID: &丙})
				in := tc.in
				in.Reason, in.Basis = "依据新法调整", basisFund
				_, err := f.svc.AddOperation(f.ctx, f.users["hsb-ybj"], id, in)
				if tc.wantField == "" {
					wantCode(t, err, "")
					return
				}
				e := wantCode(t, err, apperr.Invalid)
				if got := e.Details.(map[string]any)["field"]; got != tc.wantField {
					t.Errorf("field = %v, want %s (%s)", got, tc.wantField, e.Message)
				}
				if !strings.Contains(e.Message, tc.wantMsg) {
					t.Errorf("message %q should contain %q", e.Message, tc.wantMsg)
				}
			})
		}
	})
}

// TestSubmitNeedsMaterials: a request whose 取消 lacks its 事中事后监管措施
// or whose 列入 lacks its 承接方案 is not submitted, the refusal naming each
// operation and what it lacks; once given, it is.
func TestSubmitNeedsMaterials(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		id := f.draft(t, "hsb-ybj", f.hsb)
		add := func(in OperationInput) OperationView {
			in.Reason, in.Basis = "依据新法调整", basisFund
			v, err := f.svc.AddOperation(f.ctx, f.users["hsb-ybj"], id, in)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		remove := add(OperationInput{Op: models.OpRemove, ItemID: ptr(f.item["乙处罚"])})
		add(OperationInput{Op: models.OpInclude, Source: "自治区目录", Item: itemJSON(t, map[string]any{"name": "丁检查", "category": "行政检查", "basis": basisFund})})
		add(f.modifyContent(t, "甲处罚", "负责甲（新）")) // needs nothing

		d, err := f.svc.Get(f.ctx, f.users["hsb-ybj"], id)
		if err != nil {
			t.Fatal(err)
		}
		var fields []string
		for _, p := range d.Missing {
			fields = append(fields, p.Field)
		}
		if !slices.Equal(fields, []string{"supervision", "takeover_plan"}) {
			t.Errorf("missing = %+v", d.Missing)
		}
		_, err = f.svc.Fire(f.ctx, f.users["hsb-ybj"], id, EventSubmit, "")
		e := wantCode(t, err, apperr.Invalid)
		for _, want := range []string{"操作1（取消“乙处罚”）缺少事中事后监管措施", "操作2（列入“丁检查”）缺少承接方案"} {
			if !strings.Contains(e.Message, want) {
				t.Errorf("refusal %q should say %q", e.Message, want)
			}
		}
		if cr := f.request(t, id); cr.State != models.StateDraft {
			t.Fatalf("refused submission moved the request to %s", cr.State)
		}

		supervision := "纳入日常监管，发现问题依法处理"
		if _, err := f.svc.EditOperation(f.ctx, f.users["hsb-ybj"], id, remove.ID, OperationPatch{Supervision: &supervision}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Fire(f.ctx, f.users["hsb-ybj"], id, EventSubmit, "")
		e = wantCode(t, err, apperr.Invalid)
		if strings.Contains(e.Message, "监管措施") || !strings.Contains(e.Message, "承接方案") {
			t.Errorf("only the 承接方案 is missing now: %s", e.Message)
		}
		ops, _ := f.store.Operations(f.ctx, id)
		plan := "由本局承接"
		if _, err := f.svc.EditOperation(f.ctx, f.users["hsb-ybj"], id, ops[1].ID, OperationPatch{TakeoverPlan: &plan}); err != nil {
			t.Fatal(err)
		}
		f.fire(t, "hsb-ybj", id, EventSubmit, "")
	})
}

// TestPublishDelegateMergeSplit: one request that delegates, merges and
// splits becomes version 2 with the notes real lists write, the counts and
// the lineage; the comparison of versions 1 and 2 shows each as one change,
// the same as the request's preview did, both ways; the timelines follow
// the items through the merge and the split.
func TestPublishDelegateMergeSplit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		甲, 乙, 丙, 其他 := f.item["甲处罚"], f.item["乙处罚"], f.item["丙检查"], f.item["医疗保险违法行为的处理"]
		id := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpMerge, Sources: []int64{甲, 乙},
			Item: itemJSON(t, map[string]any{"name": "甲乙处罚", "department": "红寺堡区医疗保障局、红寺堡区卫生健康局"})})
		f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpSplit, ItemID: &丙, Parts: []json.RawMessage{
			itemJSON(t, map[string]any{"subitem": "定点医疗机构"}), itemJSON(t, map[string]any{"subitem": "定点零售药店", "code": "0647002000"})}})
		f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpDelegate, ItemID: &其他, DelegateTo: "乡镇人民政府",
			Item: itemJSON(t, map[string]any{"level": "乡镇"})})
		d, err := f.svc.Get(f.ctx, f.users["hsb-ybj"], id)
		if err != nil {
			t.Fatal(err)
		}
		previewed := map[string]diff.Change{}
		for _, v := range d.Operations {
			previewed[v.Op] = v.Change
		}
		if got := d.Operations[0].TouchedDepartments(); !slices.Equal(got, []string{"红寺堡区医疗保障局", "红寺堡区卫生健康局"}) {
			t.Errorf("departments a merge touches = %v", got)
		}

		f.approve(t, id)
		f.fire(t, "hsb-gov", id, EventPublish, "")
		v2 := f.itemsByName(t, f.hsb, 2)
		notes := map[string]string{"甲乙处罚": "由“甲处罚”、“乙处罚”合并而来", "丙检查": "由“丙检查”分设而来", "医疗保险违法行为的处理": "下放至乡镇人民政府"}
		for name, note := range notes {
			if v2[name].Note != note {
				t.Errorf("%s: note %q, want %q", name, v2[name].Note, note)
			}
		}
		if _, ok := v2["乙处罚"]; ok || len(v2) != 3 { // 甲乙处罚, the two 丙检查 (one name), 医疗保险…
			t.Errorf("version 2: %v", v2)
		}
		if v2["甲乙处罚"].Code != "0247001000" || v2["甲乙处罚"].Basis != basisSIL || v2["甲乙处罚"].Seq != 1 {
			t.Errorf("the merged item starts as its first source, in its place: %+v", v2["甲乙处罚"])
		}
		if v2["医疗保险违法行为的处理"].Level != "乡镇" || v2["医疗保险违法行为的处理"].ItemID != 其他 {
			t.Errorf("a delegated item keeps its identity, with its new level: %+v", v2["医疗保险违法行为的处理"])
		}
		version, err := f.store.Version(f.ctx, f.hsb, 2)
		if err != nil {
			t.Fatal(err)
		}
		if version.Merged != 1 || version.Split != 1 || version.Delegated != 1 || version.Removed != 0 || version.Added != 0 || version.ItemCount != 4 {
			t.Errorf("version 2 counts = %+v", version)
		}

		forward, err := diff.Versions(f.ctx, f.store, f.hsb, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, c := range forward.Changes {
			kinds[c.Kind]++
			p := previewed[map[string]string{diff.Merged: models.OpMerge, diff.Split: models.OpSplit, diff.Delegated: models.OpDelegate}[c.Kind]]
			if p.Kind != c.Kind || len(p.From) != len(c.From) || len(p.Into) != len(c.Into) || len(p.Fields) != len(c.Fields) {
				t.Errorf("the preview showed %s (%d from, %d into, %d fields), the comparison %s (%d, %d, %d)",
					p.Kind, len(p.From), len(p.Into), len(p.Fields), c.Kind, len(c.From), len(c.Into), len(c.Fields))
			}
		}
		if want := map[string]int{diff.Merged: version.Merged, diff.Split: version.Split, diff.Delegated: version.Delegated}; !mapsEqual(kinds, want) {
			t.Errorf("comparison kinds %v, version counts %v", kinds, want)
		}
		for _, c := range forward.Changes {
			switch c.Kind {
			case diff.Merged:
				if len(c.From) != 2 || c.From[0].Name != "甲处罚" || c.From[1].Name != "乙处罚" || c.After.Name != "甲乙处罚" {
					t.Errorf("merge: %+v", c)
				}
			case diff.Split:
				if len(c.Into) != 2 || c.Before.ItemID != 丙 || c.Into[0].Subitem != "定点医疗机构" {
					t.Errorf("split: %+v", c)
				}
			}
		}
		backward, err := diff.Versions(f.ctx, f.store, f.hsb, 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		back := map[string]int{}
		for _, c := range backward.Changes {
			back[c.Kind]++
		}
		if !mapsEqual(back, map[string]int{diff.Split: 1, diff.Merged: 1, diff.Delegated: 1}) {
			t.Errorf("2 → 1 should split the merged item and merge the split one: %v", back)
		}

		// The timelines: 乙处罚 ends in the merge; the merged item starts there.
		hist, err := f.store.ItemHistory(f.ctx, 乙)
		if err != nil {
			t.Fatal(err)
		}
		if last := hist[len(hist)-1]; last.Revision != nil || last.Op != models.OpMerge || last.Operation == nil || last.Operation.Op != models.OpMerge {
			t.Errorf("乙处罚's last step: %+v", last)
		}
		links, err := f.store.ItemLinks(f.ctx, v2["甲乙处罚"].ItemID)
		if err != nil {
			t.Fatal(err)
		}
		var from []int64
		for _, l := range links {
			from = append(from, l.FromItemID)
		}
		if !slices.Equal(from, []int64{甲, 乙}) {
			t.Errorf("the merged item comes from %v", from)
		}
	})
}

// TestOneDefinitionOfWhatChanged: renaming 其他类 to 其他 is a 调整 — the
// same power type — in the preview, the version counts and the comparison
// alike (the comparison used to call it 改为 while the count said 调整).
func TestOneDefinitionOfWhatChanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		id := f.draft(t, "hsb-ybj", f.hsb)
		v := f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpModify, ItemID: ptr(f.item["医疗保险违法行为的处理"]),
			Item: itemJSON(t, map[string]any{"category": "其他"})})
		if v.Change.Kind != diff.Modified {
			t.Errorf("preview kind %s", v.Change.Kind)
		}
		f.approve(t, id)
		f.fire(t, "hsb-gov", id, EventPublish, "")
		version, err := f.store.Version(f.ctx, f.hsb, 2)
		if err != nil {
			t.Fatal(err)
		}
		res, err := diff.Versions(f.ctx, f.store, f.hsb, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changes) != 1 || res.Changes[0].Kind != diff.Modified || version.Modified != 1 || version.Recategorized != 0 {
			t.Errorf("comparison %v, counts %+v", res.Changes, version)
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRebaseSplit: a split drafted on an older version is moved onto the
// newer state of its item, each part keeping what the submitter changed.
func TestRebaseSplit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", a, f.modifyContent(t, "丙检查", "负责丙（新）"))
		b := f.draft(t, "hsb-ybj2", f.hsb)
		f.addOp(t, "hsb-ybj2", b, OperationInput{Op: models.OpSplit, ItemID: ptr(f.item["丙检查"]), Parts: []json.RawMessage{
			itemJSON(t, map[string]any{"subitem": "甲"}), itemJSON(t, map[string]any{"subitem": "乙", "code": "0647002000"})}})
		f.approve(t, a)
		f.fire(t, "hsb-gov", a, EventPublish, "")
		if _, err := f.svc.Rebase(f.ctx, f.users["hsb-ybj2"], b); err != nil {
			t.Fatal(err)
		}
		ops, err := f.store.Operations(f.ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if p := ops[0].Parts; len(p) != 2 || p[0].Content != "负责丙（新）" || p[0].Subitem != "甲" || p[1].Subitem != "乙" || p[1].Code != "0647002000" {
			t.Errorf("rebased parts = %+v", p)
		}
		f.approve(t, b)
		f.fire(t, "hsb-gov", b, EventPublish, "")
	})
}
