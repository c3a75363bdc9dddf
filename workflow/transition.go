package workflow

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/codes"
	"qingdan/metrics"
	"qingdan/models"
)

// crashBeforeCommit is a fault-injection point for the crash-atomicity test
// only: nil in production; the test's helper process sets it to kill itself
// after a publication has written everything and before the commit.
var crashBeforeCommit func()

// Fire runs an event on a request as one transaction: lock the row, run the
// machine, compare-and-swap the state, record the event with its opinion and
// the audit entry. Any error leaves everything as it was. Publication, which
// also writes a version, is Publish's.
func (s *Service) Fire(ctx context.Context, u *models.User, id int64, event, comment string) (models.ChangeRequestRow, error) {
	if event == EventPublish {
		return models.ChangeRequestRow{}, apperr.New(apperr.Invalid, "event：公布由“公布”操作（Publish）完成，不经一般流转").
			WithDetails(map[string]any{"field": "event"})
	}
	comment = strings.TrimSpace(comment)
	if p := models.TextProblem(comment, models.MaxOpinionRunes); p != "" {
		return models.ChangeRequestRow{}, fieldError("comment", "意见%s", p)
	}
	err := s.store.Transaction(ctx, func(tx *models.Store) error {
		cr, f, err := lockFacts(ctx, tx, id)
		if err != nil {
			return err
		}
		if !canSee(u, f) {
			return notVisible(id)
		}
		ops, err := tx.Operations(ctx, id)
		if err != nil {
			return err
		}
		proc, review := f.process, ""
		if !submitterEvent(event) && cr.State != models.StateCountersign {
			review = actorReview(u)
		}
		var needs []CountersignNeed
		if event == EventSubmit { // under the region's process of today, asking for the 会签 it needs
			eff, err := effectiveProcess(ctx, tx, f.region)
			if err != nil {
				return err
			}
			proc = eff.Process
			if needs, err = s.requestCountersignNeeds(ctx, tx, cr, ops); err != nil {
				return err
			}
		}
		r := routeOf(proc, proc.Heavy(opTypes(ops)), len(needs) > 0, f.unanswered()-1, review, f.signed)
		to, err := fire(ctx, cr.State, event, attempt{actor: u, facts: f, comment: comment, ops: len(ops), review: review}, r)
		if err != nil {
			return err
		}
		if event == EventSubmit {
			if err := s.checkMaterials(ctx, tx, cr, ops); err != nil {
				return err
			}
		}
		next := cr
		next.State = to
		if event == EventSubmit {
			if next.Process, err = snapshotProcess(proc); err != nil {
				return err
			}
		}
		stored, err := tx.SwapChangeRequest(ctx, cr, next)
		if err != nil {
			return err
		}
		ev := models.Event{ChangeRequestID: id, Version: stored.Version, Event: event,
			FromState: cr.State, ToState: to, ActorID: u.ID, Comment: comment, Review: review, CreatedAt: s.Now()}
		if event == EventReturn {
			if ev.Operations, err = snapshot(ops); err != nil {
				return err
			}
		}
		if err := tx.CreateEvent(ctx, &ev); err != nil {
			return err
		}
		switch event {
		case EventSubmit:
			cs := make([]models.Countersign, 0, len(needs))
			for _, n := range needs {
				cs = append(cs, models.Countersign{ChangeRequestID: id, Round: stored.Version, AgencyID: n.Agency.ID,
					Reason: strings.Join(n.Reasons, "；"), CreatedAt: ev.CreatedAt})
			}
			if err := tx.CreateCountersigns(ctx, cs); err != nil {
				return err
			}
		case EventAgree, EventDisagree:
			if err := answerCountersign(ctx, tx, u, f, event, comment, ev.CreatedAt); err != nil {
				return err
			}
		}
		if err := s.runHooks(ctx, tx, Transition{Request: stored, Region: f.region, Event: event, From: cr.State, To: to,
			Actor: u, Comment: comment}); err != nil {
			return err
		}
		target := strconv.FormatInt(id, 10)
		if err := tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "transition",
			TargetType: "change_request", TargetID: target, RegionCode: f.region,
			Before: map[string]any{"state": cr.State, "version": cr.Version},
			After:  map[string]any{"event": event, "state": to, "version": stored.Version, "comment": comment},
		}); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return models.ChangeRequestRow{}, fmt.Errorf("%s change request %d: %w", event, id, err)
	}
	metrics.Transitions.WithLabelValues(event).Inc() // committed
	return s.store.ChangeRequestRow(ctx, id)
}

// checkMaterials refuses to submit a request whose operations lack a
// required material, naming each operation and what it lacks.
func (s *Service) checkMaterials(ctx context.Context, tx *models.Store, cr models.ChangeRequest, ops []models.Operation) error {
	base, err := s.loadListState(ctx, tx, cr.ListID, cr.BaseVersion)
	if err != nil {
		return err
	}
	missing := missingMaterials(ops, base)
	if len(missing) == 0 {
		return nil
	}
	msgs := make([]string, len(missing))
	for i, p := range missing {
		msgs[i] = p.Message
	}
	return apperr.New(apperr.Invalid, "申请缺少必需的材料，不能提交：%s", strings.Join(msgs, "；")).
		WithDetails(map[string]any{"missing": missing})
}

// revisionChanges turns operations into the revisions of the next version,
// in the operations' order: one per operation, but a merge also takes out
// each of its sources and a split takes out its item and makes one new item
// per part. It places each item that enters a category where its operation
// puts it, numbers the next version as the list numbers it, writes the
// notes, and keeps the old code of a recoded item. owner[k] is the index of
// the operation behind change k.
func revisionChanges(ops []models.Operation, st *listState) (out []models.RevisionChange, owner []int, err error) {
	places, parts, err := placements(ops, st)
	if err != nil {
		return nil, nil, err
	}
	add := func(i int, ch models.RevisionChange) {
		out, owner = append(out, ch), append(owner, i)
	}
	for i, op := range ops {
		ch := models.RevisionChange{Op: op.Op, OperationID: &op.ID, Position: places[i]}
		var before *models.ItemRevision
		if op.ItemID != nil {
			ch.ItemID = *op.ItemID
			before = st.byID[*op.ItemID]
		}
		switch op.Op {
		case models.OpRemove:
			add(i, ch)
			continue
		case models.OpSplit:
			add(i, ch) // the split item leaves
			for j, part := range op.Parts {
				if part.Note == "" {
					part.Note = note(op, before, st)
				}
				add(i, models.RevisionChange{Op: op.Op, OperationID: &op.ID, Position: parts[i][j], Fields: &part, Origins: []int64{*op.ItemID}})
			}
			continue
		}
		item := op.Item
		if item.Note == "" {
			item.Note = note(op, before, st)
		}
		if before != nil && before.Code != item.Code {
			ch.PrevCode = before.Code
		}
		ch.Fields = &item
		ch.Origins = op.Sources
		add(i, ch)
		for _, src := range op.Sources { // the merged items leave
			add(i, models.RevisionChange{Op: op.Op, OperationID: &op.ID, ItemID: src})
		}
	}
	numberNext(out, st)
	return out, owner, nil
}

// entersCategory: the operation brings an item into a category, where it
// must be placed (an adjustment leaves its item where it is).
func entersCategory(op string) bool {
	return op == models.OpAdd || op == models.OpInclude || op == models.OpRecategorize || op == models.OpMerge
}

// placements gives each item that enters a category its position there: at
// the end of it, first in it, or after the item its operation names (several
// after the same item in the order of their operations), between that item's
// position and the next one's in the category; a merged item without a
// place where its first source was. 0 for the other operations. The parts of
// a split take the split item's place, in their order, and go to the end of
// a category the split item was not in (parts[i][j]: part j of operation i).
func placements(ops []models.Operation, st *listState) (places []int, parts map[int][]int, err error) {
	places = make([]int, len(ops))
	parts = map[int][]int{}
	end := 0
	for _, r := range st.items {
		end = max(end, r.Position)
	}
	type spot struct {
		after    int64 // 0: first in the category
		category string
	}
	var spots []spot
	groups := map[spot][]int{}
	for i, op := range ops {
		if op.Op == models.OpSplit {
			src := st.byID[*op.ItemID]
			lo, hi, _ := gap(st, src.ItemID, src.Category)
			step := (hi - lo) / len(op.Parts)
			for j, part := range op.Parts {
				if models.SameCategory(part.Category, src.Category) && step >= 1 {
					parts[i] = append(parts[i], lo+step*j)
				} else {
					end += models.PositionStep
					parts[i] = append(parts[i], end)
				}
			}
			continue
		}
		if !entersCategory(op.Op) {
			continue
		}
		if op.Op == models.OpMerge && op.AfterItemID == nil {
			if first := st.byID[op.Sources[0]]; models.SameCategory(first.Category, op.Item.Category) {
				places[i] = first.Position
				continue
			}
		}
		if op.AfterItemID == nil {
			end += models.PositionStep
			places[i] = end
			continue
		}
		c, _ := codes.Default.Canonical(op.Item.Category)
		sp := spot{after: *op.AfterItemID, category: c}
		if _, ok := groups[sp]; !ok {
			spots = append(spots, sp)
		}
		groups[sp] = append(groups[sp], i)
	}
	for _, sp := range spots {
		lo, hi, ok := gap(st, sp.after, sp.category)
		idx := groups[sp]
		if !ok { // first in a category the list does not have yet
			for _, i := range idx {
				end += models.PositionStep
				places[i] = end
			}
			continue
		}
		step := (hi - lo) / (len(idx) + 1)
		if step < 1 {
			return nil, nil, apperr.New(apperr.Conflict, "“%s”的这个位置已插入过太多事项，请另选位置", ops[idx[0]].Item.Name).
				WithDetails(map[string]any{"field": "after_item_id"})
		}
		for j, i := range idx {
			places[i] = lo + step*(j+1)
		}
	}
	return places, parts, nil
}

// gap is the open range of positions between an item and the next one of
// its category in the list state (after 0: before the first of the
// category); false when the category has no item to start from.
func gap(st *listState, after int64, category string) (lo, hi int, ok bool) {
	var inCategory []*models.ItemRevision
	for i := range st.items {
		if models.SameCategory(st.items[i].Category, category) {
			inCategory = append(inCategory, &st.items[i])
		}
	}
	if len(inCategory) == 0 {
		return 0, 0, false
	}
	if after == 0 {
		first := inCategory[0].Position
		return first - models.PositionStep, first, true
	}
	for k, r := range inCategory {
		if r.ItemID != after {
			continue
		}
		if k+1 < len(inCategory) {
			return r.Position, inCategory[k+1].Position, true
		}
		return r.Position, r.Position + models.PositionStep, true
	}
	return 0, 0, false
}

// numberNext sets each change's 序号 to the one its item gets in the next
// version: the list state with the changes applied, arranged as the list is.
func numberNext(changes []models.RevisionChange, st *listState) {
	byItem := make(map[int64]int, len(changes))
	for i, ch := range changes {
		if ch.ItemID != 0 {
			byItem[ch.ItemID] = i
		}
	}
	next := make([]models.ItemRevision, 0, len(st.items)+len(changes))
	for _, r := range st.items {
		if i, ok := byItem[r.ItemID]; ok {
			ch := changes[i]
			if ch.Fields == nil {
				continue
			}
			r.Category, r.Name, r.Subitem = ch.Fields.Category, ch.Fields.Name, ch.Fields.Subitem
			if ch.Position != 0 {
				r.Position = ch.Position
			}
		}
		next = append(next, r)
	}
	for i, ch := range changes {
		if ch.ItemID == 0 && ch.Fields != nil {
			next = append(next, models.ItemRevision{ItemID: -int64(i + 1), Category: ch.Fields.Category, Position: ch.Position,
				Name: ch.Fields.Name, Subitem: ch.Fields.Subitem})
		}
	}
	st.arr.Arrange(next)
	for _, r := range next {
		i, ok := byItem[r.ItemID]
		if r.ItemID < 0 {
			i, ok = int(-r.ItemID-1), true
		}
		if ok {
			changes[i].Fields.Seq = r.Seq
		}
	}
}

// provenance marks the note of an item that came into being from others
// (另一类别, a 合并, a 分设): a later 调整 keeps that record.
func provenance(note string) bool {
	return strings.HasPrefix(note, "由") && (strings.HasPrefix(note, "由其他类别") || strings.HasSuffix(note, "而来"))
}

// note is the 备注 publication writes when the submitter gave none, as
// real lists write it: 由其他类别“…”改为…, 由“…”、“…”合并而来, 由“…”分设而来,
// 下放至….
func note(op models.Operation, before *models.ItemRevision, st *listState) string {
	switch {
	case op.Op == models.OpModify && before != nil && provenance(before.Note):
		return before.Note
	case op.Op == models.OpRecategorize && before != nil:
		code := ""
		if before.Code != "" {
			code = "（" + before.Code + "）"
		}
		return fmt.Sprintf("由其他类别“%s”%s改为%s", before.Name, code, op.Item.Category)
	case op.Op == models.OpMerge:
		names := make([]string, 0, len(op.Sources))
		for _, id := range op.Sources {
			if r, ok := st.byID[id]; ok {
				names = append(names, "“"+models.ItemTitle(r.Name, r.Subitem)+"”")
			}
		}
		return "由" + strings.Join(names, "、") + "合并而来"
	case op.Op == models.OpSplit && before != nil:
		return "由“" + models.ItemTitle(before.Name, before.Subitem) + "”分设而来"
	case op.Op == models.OpDelegate:
		return "下放至" + op.DelegateTo
	}
	return OpLabel(op.Op)
}

func parseBasis(text string) []models.Citation {
	if cs := basis.Parse(text); cs != nil {
		return cs
	}
	return []models.Citation{}
}

// ItemRef names an item in an error's details.
type ItemRef struct {
	ItemID int64  `json:"item_id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
}

func itemRefs(revs []models.ItemRevision) []ItemRef {
	out := make([]ItemRef, 0, len(revs))
	for _, r := range revs {
		out = append(out, ItemRef{ItemID: r.ItemID, Code: r.Code, Name: r.Name})
	}
	return out
}

func itemNames(revs []models.ItemRevision) string {
	names := make([]string, 0, len(revs))
	for _, r := range revs {
		names = append(names, "“"+r.Name+"”")
	}
	return strings.Join(names, "、")
}

// Rebase moves a draft or returned request onto the list's current version:
// each edit is carried over onto the item's current state (the request's own
// changes win where both changed a field), and every operation is validated
// again. If any no longer fits, nothing changes and the error lists them.
func (s *Service) Rebase(ctx context.Context, u *models.User, id int64) (models.ChangeRequestRow, error) {
	err := s.edit(ctx, u, id, func(tx *models.Store, f facts) (models.ChangeRequest, error) {
		next := f.cr
		list, err := tx.List(ctx, f.cr.ListID)
		if err != nil || list.CurrentVersion == f.cr.BaseVersion {
			return next, err
		}
		old, err := s.loadListState(ctx, tx, f.cr.ListID, f.cr.BaseVersion)
		if err != nil {
			return next, err
		}
		cur, err := s.loadListState(ctx, tx, f.cr.ListID, list.CurrentVersion)
		if err != nil {
			return next, err
		}
		ops, err := tx.Operations(ctx, id)
		if err != nil {
			return next, err
		}
		var problems []Problem
		for i, op := range ops {
			if op.ItemID == nil || op.Op == models.OpRemove {
				continue
			}
			now, ok := cur.byID[*op.ItemID]
			if !ok {
				problems = append(problems, Problem{OperationID: op.ID, Number: op.Number, Op: op.Op, Field: "item_id",
					Message: fmt.Sprintf("操作%d：item_id：事项“%s”已不在清单第 %d 版中，请删除此操作", op.Number, op.Item.Name, cur.version)})
				continue
			}
			if was, ok := old.byID[*op.ItemID]; ok {
				// The submitter's 备注 is not a field of the item to merge. A
				// split's parts are each the item with the submitter's edits.
				rebased := func(edited models.ItemFields) models.ItemFields {
					f := applyChanges(now.Fields(), was.Fields(), edited)
					f.Note = edited.Note
					return f
				}
				if op.Op == models.OpSplit {
					ops[i].Parts = slices.Clone(op.Parts)
					for j, part := range op.Parts {
						ops[i].Parts[j] = rebased(part)
					}
					continue
				}
				ops[i].Item = rebased(op.Item)
			}
		}
		if len(problems) == 0 {
			problems = validateAll(ops, cur)
		}
		if len(problems) > 0 {
			return next, apperr.New(apperr.Invalid, "有 %d 项操作与清单第 %d 版不相容，未更新基准版本：%s",
				len(problems), cur.version, problems[0].Message).WithDetails(map[string]any{"operations": problems})
		}
		for _, op := range ops {
			if op.ItemID != nil && op.Op != models.OpRemove {
				if err := tx.UpdateOperation(ctx, op); err != nil {
					return next, err
				}
			}
		}
		next.BaseVersion = list.CurrentVersion
		return next, audit(ctx, tx, u, id, f.region, "rebase", map[string]any{"base_version": f.cr.BaseVersion},
			map[string]any{"base_version": next.BaseVersion})
	})
	if err != nil {
		return models.ChangeRequestRow{}, err
	}
	return s.store.ChangeRequestRow(ctx, id)
}
