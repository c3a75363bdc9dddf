package workflow

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/models"
)

// fixture is a database with two small lists (a Hongsibu power list with
// codes, a Yutian duty list without) and the people who work on them.
type fixture struct {
	ctx   context.Context
	store *models.Store
	svc   *Service
	hsb   int64 // list ids
	yt    int64
	users map[string]*models.User
	item  map[string]int64 // item ids of the Hongsibu list by name
}

const (
	basisSIL   = "【法律】《中华人民共和国社会保险法》（2018年修正）\n第八十七条 社会保险经办机构以及医疗机构……"
	basisFund  = "【行政法规】《医疗保障基金使用监督管理条例》（2021年国务院令第735号）\n第四十一条 ……"
	basisSAssi = "【法规】《社会救助暂行办法》\n第二十七条 国家建立健全医疗救助制度……"
)

var hsbItems = []models.ItemFields{
	{Seq: 1, Code: "0247001000", Name: "甲处罚", Category: "行政处罚", Basis: basisSIL, Content: "负责甲", Note: "增加"},
	{Seq: 2, Code: "0247002000", Name: "乙处罚", Category: "行政处罚", Basis: basisFund, Content: "负责乙"},
	{Seq: 1, Code: "0647001000", Name: "丙检查", Category: "行政检查", Basis: basisSIL, Content: "负责丙"},
	{Seq: 1, Code: "1047014000", Name: "医疗保险违法行为的处理", Category: "其他类", Basis: basisSIL, Content: "负责处理"},
}

var ytItems = []models.ItemFields{
	{Seq: 17, Name: "医疗救助对象确认", Category: "行政确认", Basis: basisSAssi, Department: "于田县医疗保障局"},
	{Seq: 18, Name: "医疗救助待遇给付", Category: "行政给付", Basis: basisSAssi, Department: "于田县医疗保障局"},
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	store := models.NewStore(db)
	f := &fixture{ctx: ctx, store: store, svc: New(store), users: map[string]*models.User{}, item: map[string]int64{}}
	if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	for _, l := range []struct {
		id                 *int64
		title, agency, sha string
		kind, region       string
		items              []models.ItemFields
	}{
		{&f.hsb, "红寺堡区医疗保障局权力清单", "红寺堡区医疗保障局", "hsb", models.KindPower, "640303", hsbItems},
		{&f.yt, "于田县医疗保障局权责清单目录", "于田县医疗保障局", "yt", models.KindDuty, "653226", ytItems},
	} {
		res, err := store.ImportList(ctx, models.ImportInput{Title: l.title, Kind: l.kind, AgencyName: l.agency,
			RegionCode: l.region, SHA256: l.sha, Items: l.items, At: at})
		if err != nil {
			t.Fatal(err)
		}
		*l.id = res.ListID
	}
	hsbList, _ := store.List(ctx, f.hsb)
	ytList, _ := store.List(ctx, f.yt)
	for _, u := range []struct {
		name, role string
		agency     int64
		region     string
	}{
		{"hsb-ybj", models.RoleSubmitter, hsbList.AgencyID, ""},
		{"hsb-ybj2", models.RoleSubmitter, hsbList.AgencyID, ""},
		{"hsb-sfj", models.RoleLegalReviewer, 0, "640303"},
		{"hsb-sfj2", models.RoleLegalReviewer, 0, "640303"},
		{"hsb-gov", models.RoleApprover, 0, "640303"},
		{"yt-ybj", models.RoleSubmitter, ytList.AgencyID, ""},
		{"yt-sfj", models.RoleLegalReviewer, 0, "653226"},
		{"yt-gov", models.RoleApprover, 0, "653226"},
		{"admin", models.RoleAdmin, 0, ""},
	} {
		user := &models.User{Username: u.name, DisplayName: u.name + " 姓名", PasswordHash: "-", Role: u.role}
		if u.agency != 0 {
			user.AgencyID = &u.agency
		}
		if u.region != "" {
			user.RegionCode = &u.region
		}
		if err := store.CreateUser(ctx, user); err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = user
	}
	items, err := store.ItemsAt(ctx, f.hsb, 1, models.ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range items {
		f.item[r.Name] = r.ItemID
	}
	return f
}

func ptr[T any](v T) *T { return &v }

func itemJSON(t *testing.T, v map[string]any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// draft creates a request on a list by a user.
func (f *fixture) draft(t *testing.T, who string, listID int64) int64 {
	t.Helper()
	cr, err := f.svc.Create(f.ctx, f.users[who], NewRequest{ListID: listID, Title: "调整医疗保障权力事项", Reason: "法律法规修订"})
	if err != nil {
		t.Fatalf("create by %s: %v", who, err)
	}
	return cr.ID
}

// addOp adds an operation and fails the test when it is refused.
func (f *fixture) addOp(t *testing.T, who string, id int64, in OperationInput) OperationView {
	t.Helper()
	if in.Reason == "" {
		in.Reason = "依据新法调整"
	}
	if in.Basis == "" {
		in.Basis = basisFund
	}
	withMaterials(&in)
	v, err := f.svc.AddOperation(f.ctx, f.users[who], id, in)
	if err != nil {
		t.Fatalf("add %s by %s: %v", in.Op, who, err)
	}
	return v
}

// modifyContent is an operation changing an item's content.
func (f *fixture) modifyContent(t *testing.T, name, content string) OperationInput {
	return OperationInput{Op: models.OpModify, ItemID: ptr(f.item[name]), Item: itemJSON(t, map[string]any{"content": content})}
}

// fire runs an event and fails the test when it is refused.
func (f *fixture) fire(t *testing.T, who string, id int64, event, comment string) models.ChangeRequestRow {
	t.Helper()
	if err := f.act(who, id, event, comment); err != nil {
		t.Fatalf("%s by %s: %v", event, who, err)
	}
	cr, err := f.store.ChangeRequestRow(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return cr
}

// act fires an event as who; publication goes through Publish, as the API sends it.
func (f *fixture) act(who string, id int64, event, comment string) error {
	if event == EventPublish {
		_, err := f.svc.Publish(f.ctx, f.users[who], Publication{Requests: []int64{id}, Comment: comment})
		return err
	}
	_, err := f.svc.Fire(f.ctx, f.users[who], id, event, comment)
	return err
}

// approve takes a Hongsibu draft through review and approval.
func (f *fixture) approve(t *testing.T, id int64) {
	t.Helper()
	f.fire(t, "hsb-ybj", id, EventSubmit, "")
	f.fire(t, "hsb-sfj", id, EventPass, "合法")
	f.fire(t, "hsb-gov", id, EventApprove, "同意")
}

func (f *fixture) request(t *testing.T, id int64) models.ChangeRequest {
	t.Helper()
	row, err := f.store.ChangeRequestRow(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return row.ChangeRequest
}

func (f *fixture) listVersion(t *testing.T, listID int64) int {
	t.Helper()
	l, err := f.store.List(f.ctx, listID)
	if err != nil {
		t.Fatal(err)
	}
	return l.CurrentVersion
}

// itemsByName is a version of a list by item name.
func (f *fixture) itemsByName(t *testing.T, listID int64, version int) map[string]models.ItemRevision {
	t.Helper()
	revs, err := f.store.ItemsAt(f.ctx, listID, version, models.ItemFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]models.ItemRevision{}
	for _, r := range revs {
		out[r.Name] = r
	}
	return out
}

// wantCode fails unless err is a domain error of the code ("" = no error).
func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("want success, got %v", err)
		}
		return nil
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("want %s error, got %v", code, err)
	}
	return e
}

// withMaterials gives an operation the materials its type needs to be
// submitted, when the test gave none: tests of other rules draft complete
// requests; the tests of materials call AddOperation directly.
func withMaterials(in *OperationInput) {
	for _, m := range materialsOf(in.Op) {
		switch {
		case m.Field == "supervision" && in.Supervision == "":
			in.Supervision = "纳入“双随机、一公开”监管，发现问题依法处理"
		case m.Field == "takeover_plan" && in.TakeoverPlan == "":
			in.TakeoverPlan = "由本部门承接，明确承接科室和人员，一个月内完成"
		}
	}
}
