package workflow

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"qingdan/apperr"
	"qingdan/models"
)

// TestTrackByOperationType: a request goes to 审定 when any of its
// operations is of a type the process names; otherwise from its last
// review straight to 待公布.
func TestTrackByOperationType(t *testing.T) {
	county := Process{Reviews: []string{ReviewStaffing, ReviewLegal}, ApprovalOps: []string{models.OpAdd, models.OpRemove}}
	for _, tc := range []struct {
		name string
		p    Process
		ops  []string
		want string
	}{
		{"调整 alone is light", county, []string{models.OpModify}, TrackLight},
		{"改为 and 调整 are light", county, []string{models.OpRecategorize, models.OpModify}, TrackLight},
		{"列入 is light unless named", county, []string{models.OpInclude}, TrackLight},
		{"增加 is heavy", county, []string{models.OpAdd}, TrackHeavy},
		{"取消 is heavy", county, []string{models.OpRemove}, TrackHeavy},
		{"one heavy operation among light ones", county, []string{models.OpModify, models.OpRemove, models.OpModify}, TrackHeavy},
		{"nothing needs 审定", Process{Reviews: []string{ReviewLegal}, ApprovalOps: []string{}}, []string{models.OpAdd}, TrackLight},
		{"today's path: every request", DefaultProcess(), []string{models.OpModify}, TrackHeavy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ops := make([]models.Operation, len(tc.ops))
			for i, op := range tc.ops {
				ops[i].Op = op
			}
			if got := Track(tc.p, ops); got != tc.want {
				t.Errorf("track %s, want %s", got, tc.want)
			}
			after := tc.p.passTo(tc.p.firstReview(), tc.p.Reviews[len(tc.p.Reviews)-1], tc.want == TrackHeavy, map[string]bool{ReviewStaffing: true, ReviewLegal: true})
			if len(tc.p.Reviews) == 1 && after != map[string]string{TrackHeavy: models.StateApproval, TrackLight: models.StateApproved}[tc.want] {
				t.Errorf("after the review: %s", after)
			}
		})
	}
}

// TestRoutes: where each event sends a request under each configuration.
func TestRoutes(t *testing.T) {
	seq := Process{Reviews: []string{ReviewStaffing, ReviewLegal}}
	rev := Process{Reviews: []string{ReviewLegal, ReviewStaffing}}
	par := Process{Reviews: []string{ReviewStaffing, ReviewLegal}, Parallel: true}
	for _, tc := range []struct {
		name         string
		p            Process
		heavy, cs    bool
		pending      int
		review       string
		signed       map[string]bool
		state, event string
		want         string
	}{
		{"default: submit to legal review", DefaultProcess(), true, false, 0, "", nil, models.StateDraft, EventSubmit, models.StateLegalReview},
		{"default: pass to 审定", DefaultProcess(), true, false, 0, ReviewLegal, nil, models.StateLegalReview, EventPass, models.StateApproval},
		{"sequential: submit to the 编办 first", seq, true, false, 0, "", nil, models.StateReturned, EventSubmit, models.StateStaffingReview},
		{"sequential: 编办 passes to legal review", seq, true, false, 0, ReviewStaffing, nil, models.StateStaffingReview, EventPass, models.StateLegalReview},
		{"sequential: legal review passes to 审定", seq, true, false, 0, ReviewLegal, nil, models.StateLegalReview, EventPass, models.StateApproval},
		{"sequential light: legal review passes to 待公布", seq, false, false, 0, ReviewLegal, nil, models.StateLegalReview, EventPass, models.StateApproved},
		{"the other order: legal review first", rev, true, false, 0, ReviewLegal, nil, models.StateLegalReview, EventPass, models.StateStaffingReview},
		{"the other order: the 编办 last", rev, false, false, 0, ReviewStaffing, nil, models.StateStaffingReview, EventPass, models.StateApproved},
		{"parallel: submit to joint review", par, true, false, 0, "", nil, models.StateDraft, EventSubmit, models.StateJointReview},
		{"parallel: the first sign-off stays", par, true, false, 0, ReviewLegal, map[string]bool{}, models.StateJointReview, EventPass, models.StateJointReview},
		{"parallel: the second goes on", par, true, false, 0, ReviewLegal, map[string]bool{ReviewStaffing: true}, models.StateJointReview, EventPass, models.StateApproval},
		{"parallel light: the second goes to 待公布", par, false, false, 0, ReviewStaffing, map[string]bool{ReviewLegal: true}, models.StateJointReview, EventPass, models.StateApproved},
		{"会签 first", seq, true, true, 0, "", nil, models.StateDraft, EventSubmit, models.StateCountersign},
		{"会签: others still to answer", seq, true, false, 1, "", nil, models.StateCountersign, EventAgree, models.StateCountersign},
		{"会签: the last answer starts review", seq, true, false, 0, "", nil, models.StateCountersign, EventAgree, models.StateStaffingReview},
		{"会签 不同意 returns", par, true, false, 1, "", nil, models.StateCountersign, EventDisagree, models.StateReturned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMachine(tc.state, routeOf(tc.p, tc.heavy, tc.cs, tc.pending, tc.review, tc.signed))
			var dst string
			for _, e := range eventsOf(routeOf(tc.p, tc.heavy, tc.cs, tc.pending, tc.review, tc.signed)) {
				if e.Name == tc.event && slices.Contains(e.Src, tc.state) {
					dst = e.Dst
				}
			}
			if !m.Can(tc.event) || dst != tc.want {
				t.Errorf("%s in %s: %q (can %v), want %s", tc.event, tc.state, dst, m.Can(tc.event), tc.want)
			}
		})
	}
}

// TestCountersignDetection: which other agencies must give their 会签.
func TestCountersignDetection(t *testing.T) {
	own := models.Agency{ID: 1, Name: "红寺堡区医疗保障局", Kind: models.AgencyDepartment, Active: true}
	health := models.Agency{ID: 2, Name: "红寺堡区卫生健康局", Kind: models.AgencyDepartment, Active: true}
	market := models.Agency{ID: 3, Name: "红寺堡区市场监督管理局", Kind: models.AgencyDepartment, Active: true}
	justice := models.Agency{ID: 4, Name: "红寺堡区司法局", Kind: models.AgencyJustice, Active: true}
	closed := models.Agency{ID: 5, Name: "红寺堡区粮食局", Kind: models.AgencyDepartment, Active: false}
	agencies := []models.Agency{own, health, market, justice, closed}
	item := func(id int64, name, dept string) models.ItemRevision {
		return models.ItemRevision{ItemID: id, Name: name, Department: dept}
	}
	base := &listState{byID: map[int64]*models.ItemRevision{}}
	for _, r := range []models.ItemRevision{
		item(10, "医疗机构检查", "医疗保障局、卫生健康局"),
		item(11, "医保基金稽核", "医疗保障行政部门"),
		item(12, "药品价格检查", "红寺堡区市场监督管理局"),
	} {
		base.byID[r.ItemID] = &r
	}
	id := func(v int64) *int64 { return &v }
	for _, tc := range []struct {
		name string
		ops  []models.Operation
		want []int64
	}{
		{"own power only", []models.Operation{{Number: 1, Op: models.OpModify, ItemID: id(11), Item: models.ItemFields{Name: "医保基金稽核", Department: "医疗保障行政部门"}}}, nil},
		{"an item shared with another agency, by its short name", []models.Operation{{Number: 1, Op: models.OpRemove, ItemID: id(10)}}, []int64{2}},
		{"a 调整 giving an item to another agency", []models.Operation{{Number: 2, Op: models.OpModify, ItemID: id(11), Item: models.ItemFields{Name: "医保基金稽核", Department: "红寺堡区市场监督管理局"}}}, []int64{3}},
		{"a new item with another agency named", []models.Operation{{Number: 1, Op: models.OpAdd, Item: models.ItemFields{Name: "联合检查", Department: "卫生健康局、市场监督管理局"}}}, []int64{2, 3}},
		{"列入 from another agency's list", []models.Operation{{Number: 1, Op: models.OpInclude, Source: "红寺堡区卫生健康局权力清单", Item: models.ItemFields{Name: "某检查", Department: "医疗保障局"}}}, []int64{2}},
		{"one agency once for several operations", []models.Operation{{Number: 1, Op: models.OpRemove, ItemID: id(10)}, {Number: 2, Op: models.OpAdd, Item: models.ItemFields{Name: "新", Department: "卫生健康局"}}}, []int64{2}},
		{"neither the 司法局 nor an inactive agency", []models.Operation{{Number: 1, Op: models.OpAdd, Item: models.ItemFields{Name: "新", Department: "司法局、粮食局"}}}, nil},
		{"the own agency named in full", []models.Operation{{Number: 1, Op: models.OpAdd, Item: models.ItemFields{Name: "新", Department: "红寺堡区医疗保障局"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []int64
			needs := countersignNeeds(tc.ops, base, own.ID, "红寺堡区", agencies)
			for _, n := range needs {
				got = append(got, n.Agency.ID)
				if len(n.Reasons) == 0 || !strings.Contains(n.Reasons[0], n.Agency.Name) {
					t.Errorf("reasons %v", n.Reasons)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("agencies %v, want %v", got, tc.want)
			}
		})
	}
}

// TestProcessInput: a setting as sent, each error naming its key.
func TestProcessInput(t *testing.T) {
	for _, tc := range []struct {
		body, field string
	}{
		{`{"reviews":["staffing","legal"],"parallel":true,"approval_ops":["add","remove"],"limits":{"apply":20,"review":10,"publish":3}}`, ""},
		{`{"reviews":["legal"]}`, ""},
		{`{}`, "reviews"},
		{`{"reviews":["mayor"]}`, "reviews"},
		{`{"reviews":["legal","legal"]}`, "reviews"},
		{`{"reviews":["legal"],"parallel":true}`, "parallel"},
		{`{"reviews":["legal"],"approval_ops":["abolish"]}`, "approval_ops"},
		{`{"reviews":["legal"],"limits":{"apply":0,"review":15,"publish":3}}`, "limits.apply"},
		{`{"reviews":["legal"],"limits":{"apply":20,"review":999,"publish":3}}`, "limits.review"},
	} {
		var in ProcessInput
		if err := json.Unmarshal([]byte(tc.body), &in); err != nil {
			t.Fatal(err)
		}
		p, err := in.Process(DefaultLimits)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.body, err)
			}
			if in.ApprovalOps == nil && (!slices.Contains(p.ApprovalOps, models.OpAdd) || !slices.Contains(p.ApprovalOps, models.OpRemove) || slices.Contains(p.ApprovalOps, models.OpModify)) {
				t.Errorf("%s: default approval ops %v", tc.body, p.ApprovalOps)
			}
			continue
		}
		ae, ok := apperr.As(err)
		if !ok || ae.Code != apperr.Invalid || ae.Details.(map[string]any)["field"] != tc.field || !strings.HasPrefix(ae.Message, tc.field+"：") {
			t.Errorf("%s: %v, want a 400 naming %s", tc.body, err, tc.field)
		}
	}
}
