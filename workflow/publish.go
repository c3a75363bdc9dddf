package workflow

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"qingdan/apperr"
	"qingdan/calendar"
	"qingdan/metrics"
	"qingdan/models"
)

// MaxBatch bounds the requests of one 集中调整.
const MaxBatch = 50

// MaxBatchNameRunes bounds a batch's name (2026年第二批).
const MaxBatchNameRunes = 100

// Publication is what publishing writes: one approved request, or several of
// one list together as one version (集中调整), with the document that
// decided it.
type Publication struct {
	ListID    int64 // the list they must all be of; 0: the first one's
	Requests  []int64
	Batch     bool   // a 集中调整: named, with its 文号, of one or more requests
	Name      string // the batch's name
	DocNumber string // 文号 (审定文号), optional for one request
	Date      string // 公布日期 YYYY-MM-DD; "" is today in Beijing
	Comment   string
}

// Publish writes approved requests as the list's next version in one
// transaction: every request is locked and must be one the user may publish,
// all of one list, none touching what another of them or a version since its
// base touched; then their operations become one version, each request goes
// to published with its event, hooks and audit. Anything wrong leaves
// everything as it was.
func (s *Service) Publish(ctx context.Context, u *models.User, p Publication) (models.ListVersion, error) {
	if err := s.checkPublication(&p); err != nil {
		return models.ListVersion{}, err
	}
	start := time.Now()
	var v models.ListVersion
	err := s.store.Transaction(ctx, func(tx *models.Store) error {
		batch, err := s.lockBatch(ctx, tx, u, p)
		if err != nil {
			return err
		}
		if v, err = s.writeVersion(ctx, tx, batch, p); err != nil {
			return err
		}
		ids := make([]int64, 0, len(batch))
		for _, m := range batch {
			ids = append(ids, m.cr.ID)
			next := m.cr
			next.State, next.PublishedVersion = models.StatePublished, &v.Number
			stored, err := tx.SwapChangeRequest(ctx, m.cr, next)
			if err != nil {
				return err
			}
			if err := tx.CreateEvent(ctx, &models.Event{ChangeRequestID: m.cr.ID, Version: stored.Version, Event: EventPublish,
				FromState: m.cr.State, ToState: next.State, ActorID: u.ID, Comment: p.Comment, CreatedAt: s.Now()}); err != nil {
				return err
			}
			if err := s.runHooks(ctx, tx, Transition{Request: stored, Region: m.f.region, Event: EventPublish, From: m.cr.State,
				To: next.State, Actor: u, Comment: p.Comment}); err != nil {
				return err
			}
			if err := audit(ctx, tx, u, m.cr.ID, m.f.region, "transition",
				map[string]any{"state": m.cr.State, "version": m.cr.Version},
				map[string]any{"event": EventPublish, "state": next.State, "version": stored.Version, "comment": p.Comment}); err != nil {
				return err
			}
		}
		after := map[string]any{"version": v.Number, "items": v.ItemCount, "added": v.Added, "included": v.Included,
			"modified": v.Modified, "recategorized": v.Recategorized, "removed": v.Removed,
			"delegated": v.Delegated, "merged": v.Merged, "split": v.Split,
			"doc_number": v.DocNumber, "publish_date": v.PublishDate}
		if p.Batch {
			after["change_request_ids"], after["batch_name"] = ids, v.BatchName
		} else {
			after["change_request_id"] = ids[0]
		}
		if err := tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "publish",
			TargetType: "list", TargetID: strconv.FormatInt(v.ListID, 10), RegionCode: batch[0].f.region,
			Before: map[string]any{"version": v.Number - 1}, After: after}); err != nil {
			return err
		}
		if crashBeforeCommit != nil {
			crashBeforeCommit()
		}
		return nil
	})
	if err != nil {
		if len(p.Requests) == 1 {
			return models.ListVersion{}, fmt.Errorf("publish change request %d: %w", p.Requests[0], err)
		}
		return models.ListVersion{}, fmt.Errorf("publish batch %q: %w", p.Name, err)
	}
	metrics.Transitions.WithLabelValues(EventPublish).Add(float64(len(p.Requests))) // committed
	metrics.PublishDuration.Observe(time.Since(start).Seconds())
	return v, nil
}

// checkPublication bounds and normalises what the publisher typed.
func (s *Service) checkPublication(p *Publication) error {
	p.Name, p.DocNumber = strings.TrimSpace(p.Name), strings.TrimSpace(p.DocNumber)
	p.Date, p.Comment = strings.TrimSpace(p.Date), strings.TrimSpace(p.Comment)
	switch {
	case len(p.Requests) == 0:
		return fieldError("change_request_ids", "请选择要公布的修订申请")
	case len(p.Requests) > MaxBatch:
		return fieldError("change_request_ids", "一批最多公布 %d 件申请，本批 %d 件", MaxBatch, len(p.Requests))
	}
	seen := map[int64]bool{}
	for _, id := range p.Requests {
		if id <= 0 || seen[id] {
			return fieldError("change_request_ids", "申请编号 %d 无效或重复", id)
		}
		seen[id] = true
	}
	if len(p.Requests) > 1 && !p.Batch {
		return fieldError("change_request_ids", "一次公布多件申请须作为集中调整")
	}
	if p.Batch {
		if p.Name == "" {
			return fieldError("name", "集中调整须有批次名称，如“2026年第二批”")
		}
		if p.DocNumber == "" {
			return fieldError("doc_number", "集中调整须填写审定文号")
		}
	}
	if pr := models.TextProblem(p.Name, MaxBatchNameRunes); pr != "" {
		return fieldError("name", "批次名称%s", pr)
	}
	if pr := models.TextProblem(p.DocNumber, models.MaxDocNumberRunes); pr != "" {
		return fieldError("doc_number", "文号%s", pr)
	}
	if pr := models.TextProblem(p.Comment, models.MaxOpinionRunes); pr != "" {
		return fieldError("comment", "意见%s", pr)
	}
	if p.Date == "" {
		p.Date = calendar.Format(calendar.On(s.Now()))
		return nil
	}
	if _, err := calendar.ParsePastDate(p.Date, s.Now()); err != nil {
		return fieldError("date", "公布日期：%s", err.Error())
	}
	return nil
}

// member is a request of a publication, locked, with its operations.
type member struct {
	cr  models.ChangeRequest
	f   facts
	ops []models.Operation
}

// name is how messages name a request.
func (m member) name() string { return fmt.Sprintf("申请 #%d“%s”", m.cr.ID, m.cr.Title) }

// lockBatch locks the requests in id order (as every publication does, so
// two cannot wait on each other) and checks that the user may publish each
// of them now and that they are all of one list.
func (s *Service) lockBatch(ctx context.Context, tx *models.Store, u *models.User, p Publication) ([]member, error) {
	ids := slices.Clone(p.Requests)
	slices.Sort(ids)
	out := make([]member, 0, len(ids))
	for _, id := range ids {
		cr, f, err := lockFacts(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if !canSee(u, f) {
			return nil, notVisible(id)
		}
		m := member{cr: cr, f: f}
		if m.ops, err = tx.Operations(ctx, id); err != nil {
			return nil, err
		}
		if _, err := fire(ctx, cr.State, EventPublish, attempt{actor: u, facts: f, comment: p.Comment, ops: len(m.ops)}, defaultRoute); err != nil {
			if !p.Batch {
				return nil, err
			}
			return nil, fmt.Errorf("%s：%w", m.name(), err)
		}
		if p.ListID == 0 {
			p.ListID = cr.ListID
		}
		if cr.ListID != p.ListID {
			return nil, apperr.New(apperr.Invalid, "change_request_ids：%s不是本清单的申请，集中调整只能公布同一清单的申请", m.name()).
				WithDetails(map[string]any{"field": "change_request_ids"})
		}
		out = append(out, m)
	}
	return out, nil
}

// writeVersion writes the batch's operations as the list's next version. It
// locks the list first, so publications of one list queue up; a request
// drafted against an older version still publishes when nothing it touches
// changed since, its operations checked again against the current version.
// Requests of one batch may not touch the same item.
func (s *Service) writeVersion(ctx context.Context, tx *models.Store, batch []member, p Publication) (models.ListVersion, error) {
	listID := batch[0].cr.ListID
	list, err := tx.LockList(ctx, listID)
	if err != nil {
		return models.ListVersion{}, err
	}
	// Versions follow one another in their 公布日期 too: the date is typed by
	// the approver, and one before the current version's would misdate the
	// list's history.
	prev, err := tx.Version(ctx, listID, list.CurrentVersion)
	if err != nil {
		return models.ListVersion{}, err
	}
	if p.Date < prev.PublishDate {
		return models.ListVersion{}, fieldError("date", "公布日期 %s 早于清单现行第 %d 版的公布日期 %s，请填写 %s 或之后的日期",
			p.Date, prev.Number, prev.PublishDate, prev.PublishDate).
			WithDetails(map[string]any{"field": "date", "date": p.Date, "current_version": prev.Number, "current_publish_date": prev.PublishDate})
	}
	for _, m := range batch {
		changed, err := tx.ChangedSince(ctx, listID, m.cr.BaseVersion, touchedItems(m.ops))
		if err != nil {
			return models.ListVersion{}, err
		}
		if len(changed) > 0 {
			return models.ListVersion{}, apperr.New(apperr.Conflict,
				"%s：清单在第 %d 版之后已更新到第 %d 版，本申请涉及的事项已被修改或取消：%s。请退回申请，由填报人员更新基准版本后重新提交",
				m.name(), m.cr.BaseVersion, list.CurrentVersion, itemNames(changed)).
				WithDetails(map[string]any{"change_request_id": m.cr.ID, "base_version": m.cr.BaseVersion,
					"current_version": list.CurrentVersion, "items": itemRefs(changed)})
		}
	}
	cur, err := s.loadListState(ctx, tx, listID, list.CurrentVersion)
	if err != nil {
		return models.ListVersion{}, err
	}
	if err := batchConflicts(batch, cur); err != nil {
		return models.ListVersion{}, err
	}
	var all []models.Operation
	from := map[int64]int64{} // operation → its request
	for _, m := range batch {
		if problems := validateAll(m.ops, cur); len(problems) > 0 {
			return models.ListVersion{}, apperr.New(apperr.Conflict,
				"%s与清单第 %d 版不再相容：%s。请退回申请，由填报人员更新基准版本后重新提交", m.name(), list.CurrentVersion, problems[0].Message).
				WithDetails(map[string]any{"change_request_id": m.cr.ID, "base_version": m.cr.BaseVersion,
					"current_version": list.CurrentVersion, "operations": problems})
		}
		for _, op := range m.ops {
			from[op.ID] = m.cr.ID
		}
		all = append(all, m.ops...)
	}
	if len(batch) > 1 {
		// What each request may do alone, together they may not: two new
		// items with one code, say.
		if problems := validateAll(all, cur); len(problems) > 0 {
			return models.ListVersion{}, apperr.New(apperr.Conflict, "本批申请之间相互冲突（申请 #%d）：%s。请将其中一件移出本批",
				from[problems[0].OperationID], problems[0].Message).
				WithDetails(map[string]any{"change_request_id": from[problems[0].OperationID], "operations": problems})
		}
	}
	changes, owner, err := revisionChanges(all, cur)
	if err != nil {
		return models.ListVersion{}, err
	}
	nv := models.NewVersion{ListID: listID, BaseVersion: list.CurrentVersion, Changes: changes,
		DocNumber: p.DocNumber, PublishDate: p.Date, At: s.Now()}
	if p.Batch {
		nv.BatchName = p.Name
	}
	if len(batch) == 1 {
		nv.ChangeRequestID = &batch[0].cr.ID
	} else {
		for i := range changes { // a merge's or split's extra changes belong to its operation
			id := from[all[owner[i]].ID]
			changes[i].ChangeRequestID = &id
		}
	}
	return tx.PublishVersion(ctx, nv)
}

// batchConflicts refuses a batch two of whose requests touch the same item,
// naming both and the item: one version cannot apply both changes.
func batchConflicts(batch []member, cur *listState) error {
	owner := map[int64]member{}
	for _, m := range batch {
		for _, id := range touchedItems(m.ops) {
			o, ok := owner[id]
			if !ok {
				owner[id] = m
				continue
			}
			if o.cr.ID == m.cr.ID {
				continue
			}
			name := strconv.FormatInt(id, 10)
			if r, ok := cur.byID[id]; ok {
				name = r.Name
			}
			return apperr.New(apperr.Conflict, "%s与%s都涉及事项“%s”，不能在同一批公布。请将其中一件移出本批", o.name(), m.name(), name).
				WithDetails(map[string]any{"change_request_ids": []int64{o.cr.ID, m.cr.ID}, "item_id": id})
		}
	}
	return nil
}

// Publishable lists the approved requests of a list that the user may
// publish now, oldest first: what a 集中调整 can be made of.
func (s *Service) Publishable(ctx context.Context, u *models.User, listID int64) ([]models.ChangeRequestRow, error) {
	rows, _, err := s.List(ctx, u, Filter{ListID: listID, State: models.StateApproved, Limit: MaxBatch})
	if err != nil {
		return nil, err
	}
	out := []models.ChangeRequestRow{}
	for _, r := range rows {
		events, err := s.store.Events(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		f, err := loadFacts(ctx, s.store, r.ChangeRequest, events)
		if err != nil {
			return nil, err
		}
		if slices.Contains(allowedEvents(u, f), EventPublish) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b models.ChangeRequestRow) int { return int(a.ID - b.ID) })
	return out, nil
}
