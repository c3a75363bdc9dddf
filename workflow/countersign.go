package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/models"
)

// CountersignNeed is an agency whose 会签 a request needs, and why.
type CountersignNeed struct {
	Agency  models.Agency
	Reasons []string // 操作2“…”：实施部门为…
}

// minShortName: a name without its region (卫生健康局) must be this long to
// be looked for in a text; shorter ones (局) would match anything.
const minShortName = 3

// NamedAgencies are the agencies, other than own, that a text naming who
// holds a power (an item's 实施部门, where an included power comes from)
// names: by full name (红寺堡区卫生健康局) or without its region's name
// (卫生健康局). Only departments hold powers and have submitters to answer.
// The 合并 of items across agencies calls this with the merged items'
// 实施部门.
func NamedAgencies(text string, own int64, regionName string, agencies []models.Agency) []models.Agency {
	var out []models.Agency
	for _, a := range agencies {
		if a.ID == own || a.Kind != models.AgencyDepartment || !a.Active {
			continue
		}
		short := strings.TrimPrefix(a.Name, regionName)
		if strings.Contains(text, a.Name) || (short != a.Name && utf8.RuneCountInString(short) >= minShortName && strings.Contains(text, short)) {
			out = append(out, a)
		}
	}
	return out
}

// powerTexts are the texts of an operation that name who holds the power it
// touches: the item's 实施部门 before and after, and for a 列入 its source.
func powerTexts(op models.Operation, base *listState) []string {
	out := []string{op.Item.Department}
	if op.ItemID != nil {
		if r, ok := base.byID[*op.ItemID]; ok {
			out = append(out, r.Department)
		}
	}
	if op.Op == models.OpInclude {
		out = append(out, op.Source)
	}
	return out
}

// countersignNeeds finds the other agencies of the region whose power the
// operations touch, in the order of the agencies, each with its reasons.
func countersignNeeds(ops []models.Operation, base *listState, own int64, regionName string, agencies []models.Agency) []CountersignNeed {
	byAgency := map[int64]*CountersignNeed{}
	for _, op := range ops {
		name := op.Item.Name
		if name == "" && op.ItemID != nil {
			if r, ok := base.byID[*op.ItemID]; ok {
				name = r.Name
			}
		}
		for _, text := range powerTexts(op, base) {
			for _, a := range NamedAgencies(text, own, regionName, agencies) {
				n, ok := byAgency[a.ID]
				if !ok {
					n = &CountersignNeed{Agency: a}
					byAgency[a.ID] = n
				}
				reason := fmt.Sprintf("操作%d（%s）“%s”涉及%s的职权", op.Number, OpLabel(op.Op), name, a.Name)
				if !slices.Contains(n.Reasons, reason) {
					n.Reasons = append(n.Reasons, reason)
				}
			}
		}
	}
	var out []CountersignNeed
	for _, a := range agencies {
		if n, ok := byAgency[a.ID]; ok {
			out = append(out, *n)
		}
	}
	return out
}

// requestCountersignNeeds are the 会签 a request needs on submission.
func (s *Service) requestCountersignNeeds(ctx context.Context, tx *models.Store, cr models.ChangeRequest, ops []models.Operation) ([]CountersignNeed, error) {
	own, err := tx.Agency(ctx, cr.AgencyID)
	if err != nil {
		return nil, err
	}
	region, err := tx.Region(ctx, own.RegionCode)
	if err != nil {
		return nil, err
	}
	agencies, err := tx.RegionAgencies(ctx, own.RegionCode)
	if err != nil {
		return nil, err
	}
	base, err := s.loadListState(ctx, tx, cr.ListID, cr.BaseVersion)
	if err != nil {
		return nil, err
	}
	return countersignNeeds(ops, base, own.ID, region.Name, agencies), nil
}

// countersignAnswer is the answer an event gives.
var countersignAnswer = map[string]string{EventAgree: models.CountersignAgree, EventDisagree: models.CountersignDisagree}

// answerCountersign records the answer of the actor's agency.
func answerCountersign(ctx context.Context, tx *models.Store, u *models.User, f facts, event, comment string, at time.Time) error {
	c, ok := f.pendingCountersign(u)
	if !ok {
		return apperr.New(apperr.Forbidden, "本部门没有待答复的会签")
	}
	return tx.AnswerCountersign(ctx, c.ID, countersignAnswer[event], comment, u.ID, at)
}
