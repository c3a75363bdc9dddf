package workflow

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/models"
)

// TestPublishEveryOperation: one request with each kind of operation becomes
// version 2 with the seed lists' notes, the code lineage and the counts;
// version 1 stays as it was.
func TestPublishEveryOperation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		id := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpAdd, Item: itemJSON(t, map[string]any{
			"name": "戊处罚", "category": "行政处罚", "code": "0247006000", "basis": basisFund, "level": "县级"})})
		f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpInclude, Source: "自治区医疗保障权力事项目录", Item: itemJSON(t, map[string]any{
			"name": "丁检查", "category": "行政检查", "code": "0647002000", "basis": basisFund})})
		f.addOp(t, "hsb-ybj", id, f.modifyContent(t, "甲处罚", "负责甲（新）"))
		f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpRecategorize, ItemID: ptr(f.item["医疗保险违法行为的处理"]),
			Item: itemJSON(t, map[string]any{"category": "行政处罚", "code": "0247009000", "name": "对骗取医保基金行为的处罚"})})
		f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpRemove, ItemID: ptr(f.item["乙处罚"])})
		f.approve(t, id)
		cr := f.fire(t, "hsb-gov", id, EventPublish, "")
		if cr.State != models.StatePublished || cr.PublishedVersion == nil || *cr.PublishedVersion != 2 {
			t.Fatalf("published request: %+v", cr)
		}
		if v := f.listVersion(t, f.hsb); v != 2 {
			t.Fatalf("list version %d", v)
		}
		v2 := f.itemsByName(t, f.hsb, 2)
		want := map[string]struct {
			note, code, prev string
			seq              int
		}{
			"甲处罚":          {"调整", "0247001000", "", 1},
			"丙检查":          {"", "0647001000", "", 1},
			"戊处罚":          {"增加", "0247006000", "", 2}, // 乙处罚 (2) is gone: 1…n again
			"丁检查":          {"列入", "0647002000", "", 2},
			"对骗取医保基金行为的处罚": {"由其他类别“医疗保险违法行为的处理”（1047014000）改为行政处罚", "0247009000", "1047014000", 3},
		}
		if len(v2) != len(want) {
			t.Errorf("version 2 has %d items, want %d: %v", len(v2), len(want), v2)
		}
		for name, w := range want {
			r, ok := v2[name]
			if !ok {
				t.Errorf("version 2 lacks %s", name)
				continue
			}
			if r.Note != w.note || r.Code != w.code || r.PrevCode != w.prev || r.Seq != w.seq {
				t.Errorf("%s: note %q code %s prev %q seq %d, want %+v", name, r.Note, r.Code, r.PrevCode, r.Seq, w)
			}
		}
		if v2["甲处罚"].Content != "负责甲（新）" || v2["甲处罚"].Basis != basisSIL {
			t.Errorf("a modify changes only what it names: %+v", v2["甲处罚"])
		}
		if v2["对骗取医保基金行为的处罚"].ItemID != f.item["医疗保险违法行为的处理"] {
			t.Errorf("a recategorised item keeps its identity")
		}
		if r := v2["甲处罚"]; r.ChangeRequestID == nil || *r.ChangeRequestID != id || r.OperationID == nil {
			t.Errorf("revision does not point at its request and operation: %+v", r)
		}
		v1 := f.itemsByName(t, f.hsb, 1)
		if len(v1) != 4 || v1["甲处罚"].Content != "负责甲" || v1["乙处罚"].Name == "" {
			t.Errorf("version 1 changed: %v", v1)
		}
		version, err := f.store.Version(f.ctx, f.hsb, 2)
		if err != nil {
			t.Fatal(err)
		}
		if version.ChangeRequestID == nil || *version.ChangeRequestID != id || version.ItemCount != 5 ||
			version.Added != 1 || version.Included != 1 || version.Modified != 1 || version.Recategorized != 1 || version.Removed != 1 {
			t.Errorf("version 2 = %+v", version)
		}
		var audit []models.AuditEvent
		f.store.DB(f.ctx).Where("action = ?", "publish").Find(&audit)
		if len(audit) != 1 || audit[0].TargetID != strconv.FormatInt(f.hsb, 10) || !strings.Contains(audit[0].After, `"version":2`) {
			t.Errorf("publish audit = %+v", audit)
		}
	})
}

// TestPublishConflictAndRebase: a request whose item another publication
// changed is refused with the item named and nothing written; the approver
// returns it, the submitter rebases it (its edit carried onto the new state),
// and it publishes with both changes.
func TestPublishConflictAndRebase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", a, f.modifyContent(t, "甲处罚", "A 的内容"))
		b := f.draft(t, "hsb-ybj2", f.hsb)
		f.addOp(t, "hsb-ybj2", b, OperationInput{Op: models.OpModify, ItemID: ptr(f.item["甲处罚"]),
			Item: itemJSON(t, map[string]any{"name": "甲处罚（B 改名）"})})
		f.approve(t, a)
		f.approve(t, b)
		f.fire(t, "hsb-gov", a, EventPublish, "")

		err := f.act("hsb-gov", b, EventPublish, "")
		e := wantCode(t, err, apperr.Conflict)
		items := e.Details.(map[string]any)["items"].([]ItemRef)
		if len(items) != 1 || items[0].Name != "甲处罚" || !strings.Contains(e.Message, "甲处罚") {
			t.Errorf("conflict should name 甲处罚: %s %+v", e.Message, items)
		}
		if cr := f.request(t, b); cr.State != models.StateApproved || f.listVersion(t, f.hsb) != 2 {
			t.Fatalf("a refused publication changed something: %+v, list v%d", cr, f.listVersion(t, f.hsb))
		}
		d, _ := f.svc.Get(f.ctx, f.users["hsb-gov"], b)
		if len(d.Conflicts) != 1 || d.ListVersion != 2 {
			t.Errorf("detail shows conflicts %v, list version %d", d.Conflicts, d.ListVersion)
		}

		_, err = f.svc.Rebase(f.ctx, f.users["hsb-ybj2"], b)
		wantCode(t, err, apperr.Conflict) // approved: not editable
		f.fire(t, "hsb-gov", b, EventReturn, "清单已更新，请更新基准版本后重新提交")
		cr, err := f.svc.Rebase(f.ctx, f.users["hsb-ybj2"], b)
		if err != nil || cr.BaseVersion != 2 {
			t.Fatalf("rebase: %+v %v", cr, err)
		}
		f.fire(t, "hsb-ybj2", b, EventSubmit, "已更新基准版本")
		f.fire(t, "hsb-sfj", b, EventPass, "")
		f.fire(t, "hsb-gov", b, EventApprove, "")
		f.fire(t, "hsb-gov", b, EventPublish, "")
		got := f.itemsByName(t, f.hsb, 3)["甲处罚（B 改名）"]
		if got.Content != "A 的内容" || got.Note != "调整" {
			t.Errorf("version 3 lost A's change: %+v", got)
		}
	})
}

// TestPublishAfterTheListMovedOn: a request drafted against version 1 whose
// items nobody touched publishes on top of version 2, keeping both changes;
// one whose new code another publication took meanwhile is refused, and its
// rebase names the operation.
func TestPublishAfterTheListMovedOn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		addCode := func(who string, id int64, name string) {
			f.addOp(t, who, id, OperationInput{Op: models.OpAdd, Item: itemJSON(t, map[string]any{"name": name, "category": "行政处罚", "code": "0247006000", "basis": basisFund})})
		}
		a := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", a, f.modifyContent(t, "甲处罚", "A 的内容"))
		addCode("hsb-ybj", a, "A 新增")
		b := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", b, f.modifyContent(t, "丙检查", "B 的内容"))
		c := f.draft(t, "hsb-ybj", f.hsb)
		addCode("hsb-ybj", c, "C 新增")
		d := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", d, f.modifyContent(t, "乙处罚", "D 的内容"))
		f.approve(t, a)
		f.approve(t, b)
		f.approve(t, c)
		f.fire(t, "hsb-gov", a, EventPublish, "")

		cr := f.fire(t, "hsb-gov", b, EventPublish, "")
		if *cr.PublishedVersion != 3 || cr.BaseVersion != 1 {
			t.Errorf("b published as %d on base %d", *cr.PublishedVersion, cr.BaseVersion)
		}
		v3 := f.itemsByName(t, f.hsb, 3)
		if v3["甲处罚"].Content != "A 的内容" || v3["丙检查"].Content != "B 的内容" || v3["A 新增"].Code != "0247006000" {
			t.Errorf("version 3 lost a change: %+v", v3)
		}

		err := f.act("hsb-gov", c, EventPublish, "")
		e := wantCode(t, err, apperr.Conflict)
		if ops := e.Details.(map[string]any)["operations"].([]Problem); len(ops) != 1 || ops[0].Field != "item.code" {
			t.Errorf("problems = %+v", ops)
		}
		if f.listVersion(t, f.hsb) != 3 {
			t.Fatal("refused publication moved the list")
		}
		f.fire(t, "hsb-gov", c, EventReturn, "编码冲突")
		_, err = f.svc.Rebase(f.ctx, f.users["hsb-ybj"], c)
		e = wantCode(t, err, apperr.Invalid)
		if ops := e.Details.(map[string]any)["operations"].([]Problem); len(ops) != 1 || !strings.Contains(ops[0].Message, "A 新增") {
			t.Errorf("rebase problems = %+v", ops)
		}
		if f.request(t, c).BaseVersion != 1 {
			t.Error("a refused rebase moved the base")
		}

		// d was never submitted: a rebase without conflicts just moves its base.
		if cr, err := f.svc.Rebase(f.ctx, f.users["hsb-ybj"], d); err != nil || cr.BaseVersion != 3 {
			t.Errorf("rebase d: %+v %v", cr, err)
		}
	})
}

// TestRebaseOntoARemovedItem: an operation on an item a later version removed
// cannot be carried over.
func TestRebaseOntoARemovedItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", a, OperationInput{Op: models.OpRemove, ItemID: ptr(f.item["乙处罚"])})
		b := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", b, f.modifyContent(t, "乙处罚", "B 的内容"))
		f.approve(t, a)
		f.fire(t, "hsb-gov", a, EventPublish, "")
		_, err := f.svc.Rebase(f.ctx, f.users["hsb-ybj"], b)
		e := wantCode(t, err, apperr.Invalid)
		if ops := e.Details.(map[string]any)["operations"].([]Problem); len(ops) != 1 || ops[0].Field != "item_id" {
			t.Errorf("problems = %+v", ops)
		}
	})
}

// TestFireDoesNotPublish: the generic transition refuses publish, which only
// Publish writes; nothing moves.
func TestFireDoesNotPublish(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		id := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", id, f.modifyContent(t, "甲处罚", "负责甲（新）"))
		f.approve(t, id)
		_, err := f.svc.Fire(f.ctx, f.users["hsb-gov"], id, EventPublish, "")
		wantCode(t, err, apperr.Invalid)
		cr, err := f.store.ChangeRequestRow(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if cr.State != models.StateApproved || f.listVersion(t, f.hsb) != 1 {
			t.Errorf("after a refused Fire(publish): %s, list at version %d", cr.State, f.listVersion(t, f.hsb))
		}
		// Several requests go only as a named batch.
		_, err = f.svc.Publish(f.ctx, f.users["hsb-gov"], Publication{Requests: []int64{id, id + 1}})
		wantCode(t, err, apperr.Invalid)
	})
}

// TestPublishDateFollowsTheCurrentVersion: the 公布日期 the approver types
// may be the current version's or later, never earlier, alone or in a batch;
// the refusal names both dates and writes nothing.
func TestPublishDateFollowsTheCurrentVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db) // version 1 imported on 2024-03-01 (Beijing)
		for i, c := range []struct {
			date    string
			batch   bool
			current string // the current version's date a refusal names; "" published
			version int    // the list's version after
		}{
			{"2024-02-29", false, "2024-03-01", 1},
			{"2024-03-01", false, "", 2}, // the same day as the version before
			{"2024-06-01", true, "", 3},
			{"2024-05-31", false, "2024-06-01", 3},
			{"2024-05-31", true, "2024-06-01", 3},
			{"2025-01-02", false, "", 4},
		} {
			id := f.draft(t, "hsb-ybj", f.hsb)
			f.addOp(t, "hsb-ybj", id, f.modifyContent(t, "甲处罚", "负责甲（第"+strconv.Itoa(i)+"次）"))
			f.approve(t, id)
			p := Publication{Requests: []int64{id}, Date: c.date}
			if c.batch {
				p.Batch, p.Name, p.DocNumber = true, "第"+strconv.Itoa(i)+"批", "红政函〔2024〕"+strconv.Itoa(i)+"号"
			}
			_, err := f.svc.Publish(f.ctx, f.users["hsb-gov"], p)
			var ae *apperr.Error
			switch {
			case c.current == "" && err != nil:
				t.Errorf("%s (batch %v): %v", c.date, c.batch, err)
			case c.current != "" && (!errors.As(err, &ae) || ae.Code != apperr.Invalid ||
				!strings.Contains(ae.Message, c.date) || !strings.Contains(ae.Message, c.current)):
				t.Errorf("%s (batch %v) after %s: %v, want a refusal naming both dates", c.date, c.batch, c.current, err)
			}
			if v := f.listVersion(t, f.hsb); v != c.version {
				t.Errorf("%s: list at version %d, want %d", c.date, v, c.version)
			}
			if c.current != "" {
				if s := f.request(t, id).State; s != models.StateApproved {
					t.Errorf("%s: a refused request went to %s", c.date, s)
				}
			}
		}
		v, err := f.store.Version(f.ctx, f.hsb, 4)
		if err != nil || v.PublishDate != "2025-01-02" {
			t.Errorf("version 4: %+v %v", v, err)
		}
	})
}
