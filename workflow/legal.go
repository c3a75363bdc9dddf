package workflow

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/models"
)

// The basis check (依据体检) and law changes: what the registry proves wrong
// in a list's citations, and the items a law change touches and their drafts.

// BasisCheck is the check of one version of a list.
type BasisCheck struct {
	ListID   int64
	Version  int
	Findings []basis.Finding
}

// CheckList checks the citations of a version of a list against the registry,
// on the day the version was published.
func (s *Service) CheckList(ctx context.Context, listID int64, version int) (BasisCheck, error) {
	reg, err := s.Registry(ctx)
	if err != nil {
		return BasisCheck{}, err
	}
	return s.checkList(ctx, reg, listID, version)
}

func (s *Service) checkList(ctx context.Context, reg *basis.Registry, listID int64, version int) (BasisCheck, error) {
	v, err := s.store.Version(ctx, listID, version)
	if err != nil {
		return BasisCheck{}, err
	}
	// The items alone: the check needs neither the list's layout nor its arrangement.
	items, err := s.versionItems(ctx, s.store, listID, version)
	if err != nil {
		return BasisCheck{}, err
	}
	var cs []basis.Cited
	for _, r := range items {
		cs = append(cs, basis.CitationsOf(r.Fields(), r.ItemID)...)
	}
	fs := reg.Check(cs, v.PublishedAt.In(models.China).Format(time.DateOnly))
	if fs == nil {
		fs = []basis.Finding{}
	}
	return BasisCheck{ListID: listID, Version: version, Findings: fs}, nil
}

// FindingCounts counts, for each list at its current version, the findings
// of the basis check by kind — what 统计分析 sums per department. A
// published version never changes, so each list's counts are kept until the
// registry changes (a new *basis.Registry).
func (s *Service) FindingCounts(ctx context.Context, lists []models.ListPlace) ([]map[string]int, error) {
	reg, err := s.Registry(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]int, len(lists))
	for i, l := range lists {
		if l.Version == 0 {
			out[i] = map[string]int{}
			continue
		}
		key := versionKey{l.ListID, l.Version}
		if c, ok := s.findingCounts.Get(key); ok && c.reg == reg {
			out[i] = c.counts
			continue
		}
		chk, err := s.checkList(ctx, reg, l.ListID, l.Version)
		if err != nil {
			return nil, err
		}
		out[i] = basis.Summary(chk.Findings)
		s.findingCounts.Add(key, checkCounts{reg: reg, counts: out[i]})
	}
	return out, nil
}

// RunFindingsWarmer keeps the findings counts of every list's current
// version ready until ctx ends: the first 统计分析 of a province's findings
// otherwise checks all its lists while the 司法局 waits (24 s for the
// generated province on an idle machine). It counts at once, then whenever
// the registry changes here (relink kicks it) and every interval, which
// also finds a registry changed through another instance (its stamp) and
// the lists published since; each pass checks only what is not kept.
func (s *Service) RunFindingsWarmer(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		start := time.Now()
		if n, err := s.warmFindingCounts(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			slog.Warn("counting the findings of every list failed", "err", err)
		} else if n > 0 {
			slog.Info("findings of every list counted", "checked", n, "took", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-s.findingsKick:
		case <-tick.C:
		}
	}
}

// kickFindings asks the warmer for a pass (the registry changed).
func (s *Service) kickFindings() {
	select {
	case s.findingsKick <- struct{}{}:
	default: // one is pending already
	}
}

// warmFindingCounts counts the findings of every list's current version
// that are not kept yet, and returns how many lists it checked.
func (s *Service) warmFindingCounts(ctx context.Context) (int, error) {
	places, err := s.store.ListPlaces(ctx)
	if err != nil {
		return 0, err
	}
	reg, err := s.Registry(ctx)
	if err != nil {
		return 0, err
	}
	var missing []models.ListPlace
	for _, l := range places {
		if c, ok := s.findingCounts.Peek(versionKey{l.ListID, l.Version}); l.Version > 0 && (!ok || c.reg != reg) {
			missing = append(missing, l)
		}
	}
	// In slices, so that a pass gives way to requests between them.
	for part := range slices.Chunk(missing, 100) {
		if _, err := s.FindingCounts(ctx, part); err != nil {
			return 0, err
		}
	}
	return len(missing), nil
}

// checkCounts are the findings of a version by kind, under a registry.
type checkCounts struct {
	reg    *basis.Registry
	counts map[string]int
}

// findingCountsSize bounds the kept counts: every list of a province.
const findingCountsSize = 16384

// requestFindings checks a request's operations: each operation's new item
// and its 调整依据, and level conflicts with the items of the base version
// the request does not touch. Findings about the base items alone are not
// the request's and are left out.
func requestFindings(reg *basis.Registry, views []OperationView, base *listState, date string) []basis.Finding {
	var cs []basis.Cited
	touched := map[int64]bool{}
	for _, v := range views {
		if v.ItemID != nil {
			touched[*v.ItemID] = true
		}
		if v.After != nil {
			for _, c := range basis.CitationsOf(*v.After, 0) {
				c.OperationID, c.ItemName = v.ID, v.After.Name
				cs = append(cs, c)
			}
		}
		for _, c := range v.BasisCitations {
			cs = append(cs, basis.Cited{Citation: c, OperationID: v.ID, Field: models.LinkFieldOperationBasis})
		}
	}
	for _, r := range base.items {
		if !touched[r.ItemID] {
			cs = append(cs, basis.CitationsOf(r.Fields(), r.ItemID)...)
		}
	}
	out := []basis.Finding{}
	for _, f := range reg.Check(cs, date) {
		if f.OperationID != 0 {
			out = append(out, f)
		}
	}
	return out
}

// RegionReport is every list of a region with the findings of its current version.
type RegionReport struct {
	RegionCode string
	Lists      []ListFindings
}

// ListFindings is one list of a report.
type ListFindings struct {
	List     models.ListSummary
	Findings []basis.Finding
}

// ReportRegion checks every list of a region: a legal reviewer their own, an
// administrator any ("" for every region).
func (s *Service) ReportRegion(ctx context.Context, u *models.User, region string) (RegionReport, error) {
	switch {
	case u.Role == models.RoleAdmin:
	case u.Role == models.RoleLegalReviewer && u.RegionCode != nil:
		if region == "" {
			region = *u.RegionCode
		}
		if region != *u.RegionCode {
			return RegionReport{}, apperr.New(apperr.Forbidden, "只能查看本区的依据体检报告")
		}
	default:
		return RegionReport{}, apperr.New(apperr.Forbidden, "只有司法局合法性审查人员和管理员可以查看依据体检报告")
	}
	lists, err := s.store.ListSummaries(ctx)
	if err != nil {
		return RegionReport{}, err
	}
	reg, err := s.Registry(ctx)
	if err != nil {
		return RegionReport{}, err
	}
	out := RegionReport{RegionCode: region, Lists: []ListFindings{}}
	for _, l := range lists {
		if (region != "" && l.RegionCode != region) || l.Version == 0 {
			continue
		}
		chk, err := s.checkList(ctx, reg, l.ID, l.Version)
		if err != nil {
			return out, err
		}
		out.Lists = append(out.Lists, ListFindings{List: l, Findings: chk.Findings})
	}
	return out, nil
}

// ChangeInput is a law change as recorded.
type ChangeInput struct {
	Kind        string `json:"kind"`
	Date        string `json:"date"`
	ReplacedBy  *int64 `json:"replaced_by"`
	Note        string `json:"note"`
	EditionKind string `json:"edition_kind"` // 修正 (default) or 修订, for an amendment
}

// changeScope is the region a user records and acts on law changes for: a
// legal reviewer's own, every region ("") for an administrator.
func changeScope(u *models.User) (string, error) {
	switch {
	case u.Role == models.RoleAdmin:
		return "", nil
	case u.Role == models.RoleLegalReviewer && u.RegionCode != nil:
		return *u.RegionCode, nil
	}
	return "", apperr.New(apperr.Forbidden, "只有司法局合法性审查人员（本区）和管理员可以登记法规变更")
}

// RecordChange records a change of an instrument and brings the registry up
// to date: an amendment adds its edition, a repeal or replacement sets the status.
func (s *Service) RecordChange(ctx context.Context, u *models.User, instrumentID int64, in ChangeInput) (models.InstrumentChange, error) {
	region, err := changeScope(u)
	if err != nil {
		return models.InstrumentChange{}, err
	}
	if _, ok := models.ChangeKindLabels[in.Kind]; !ok {
		return models.InstrumentChange{}, fieldError("kind", "变更类型应为 amended（修改）、repealed（废止）、replaced（被替代）或 renumbered（条文序号调整）")
	}
	if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
		return models.InstrumentChange{}, fieldError("date", "日期应为 YYYY-MM-DD")
	}
	if in.EditionKind == "" {
		in.EditionKind = basis.KindAmended
	}
	if in.EditionKind != basis.KindAmended && in.EditionKind != basis.KindRevised {
		return models.InstrumentChange{}, fieldError("edition_kind", "修改方式应为“修正”或“修订”")
	}
	if in.Kind == models.ChangeReplaced && in.ReplacedBy == nil {
		return models.InstrumentChange{}, fieldError("replaced_by", "被替代须指明替代它的法规（法规库中的 id）")
	}
	if in.Kind != models.ChangeReplaced && in.ReplacedBy != nil {
		return models.InstrumentChange{}, fieldError("replaced_by", "只有“被替代”需要指明替代它的法规")
	}
	in.Note = strings.TrimSpace(in.Note)
	if len([]rune(in.Note)) > 1000 {
		return models.InstrumentChange{}, fieldError("note", "说明不能超过 1000 字")
	}
	ch := models.InstrumentChange{InstrumentID: instrumentID, Kind: in.Kind, Date: in.Date, ReplacedByID: in.ReplacedBy,
		Note: in.Note, RegionCode: region, RecorderID: u.ID}
	err = s.store.Transaction(ctx, func(tx *models.Store) error {
		inst, err := tx.LockInstrument(ctx, instrumentID)
		if err != nil {
			return err
		}
		before := inst
		if in.ReplacedBy != nil {
			if *in.ReplacedBy == instrumentID {
				return fieldError("replaced_by", "法规不能被自己替代")
			}
			rep, err := tx.Instrument(ctx, *in.ReplacedBy)
			if err != nil {
				return fieldError("replaced_by", "法规 %d 不存在", *in.ReplacedBy)
			}
			inst.ReplacedByID, inst.ReplacedBy = &rep.ID, rep.Title
		}
		switch in.Kind {
		case models.ChangeAmended:
			ed := models.InstrumentEdition{Date: in.Date, Kind: in.EditionKind}
			if !slices.ContainsFunc(inst.Editions, func(e models.InstrumentEdition) bool { return e.Date == ed.Date && e.Kind == ed.Kind }) {
				inst.Editions = append(inst.Editions, ed)
			}
			inst.Status = models.StatusInForce
		case models.ChangeRepealed:
			inst.Status = models.StatusRepealed
		case models.ChangeReplaced:
			inst.Status = models.StatusSuperseded
		}
		if err := tx.SaveInstrument(ctx, &inst); err != nil {
			return err
		}
		if err := tx.CreateInstrumentChange(ctx, &ch); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "instrument_change",
			TargetType: "instrument", TargetID: strconv.FormatInt(instrumentID, 10), RegionCode: region,
			Before: map[string]any{"status": before.Status, "editions": before.Editions},
			After: map[string]any{"change_id": ch.ID, "kind": ch.Kind, "date": ch.Date, "replaced_by": ch.ReplacedByID,
				"note": ch.Note, "status": inst.Status, "editions": inst.Editions}})
	})
	if err != nil {
		return ch, err
	}
	return ch, s.relink(ctx)
}

// mayActOnChange: the change's region is the user's scope (an administrator's
// changes cover every region; only administrators act on them).
func mayActOnChange(u *models.User, ch models.InstrumentChange) error {
	region, err := changeScope(u)
	if err != nil {
		return err
	}
	if region != "" && region != ch.RegionCode {
		return apperr.New(apperr.NotFound, "法规变更 %d 不存在", ch.ID)
	}
	return nil
}

// ChangeView is a recorded change with its instrument.
type ChangeView struct {
	models.InstrumentChange
	Instrument models.Instrument
}

// Change returns a recorded change the user may act on.
func (s *Service) Change(ctx context.Context, u *models.User, id int64) (ChangeView, error) {
	ch, err := s.store.InstrumentChange(ctx, id)
	if err != nil {
		return ChangeView{}, err
	}
	if err := mayActOnChange(u, ch); err != nil {
		return ChangeView{}, err
	}
	inst, err := s.store.Instrument(ctx, ch.InstrumentID)
	return ChangeView{InstrumentChange: ch, Instrument: inst}, err
}

// Impact is every current item in the change's region that cites the
// instrument: how many, in how many lists, and a page of those lists with
// their items (a province-wide instrument is cited by thousands of lists).
type Impact struct {
	Change  ChangeView
	Lists   []ImpactList // the page
	Items   int          // affected items of every list
	Total   int          // affected lists
	Pending int          // affected lists without the change's draft
}

// ImpactList is one affected list and its items.
type ImpactList struct {
	ListID     int64
	ListTitle  string
	AgencyID   int64
	AgencyName string
	RegionCode string
	ItemCount  int
	Items      []ImpactItem
	DraftID    *int64 // the draft created for the change, once there is one
}

// ImpactItem is one affected item with its citations of the instrument.
type ImpactItem struct {
	ItemID    int64
	Code      string
	Name      string
	Citations []models.CitingItem
}

// Impact finds the items a change touches: the counts of every affected
// list, the items of the page's lists.
func (s *Service) Impact(ctx context.Context, u *models.User, changeID int64, page models.Page) (Impact, error) {
	ch, err := s.Change(ctx, u, changeID)
	if err != nil {
		return Impact{}, err
	}
	lists, drafts, err := s.citingLists(ctx, ch)
	if err != nil {
		return Impact{}, err
	}
	out := Impact{Change: ch, Total: len(lists)}
	for _, l := range lists {
		out.Items += l.Items
		if _, ok := drafts[l.ListID]; !ok {
			out.Pending++
		}
	}
	lo, hi := min(page.Offset, len(lists)), len(lists)
	if page.Limit >= 0 {
		hi = min(lo+page.Limit, hi)
	}
	shown := slices.Clone(lists[lo:hi])
	if err := s.store.NameCitingLists(ctx, shown); err != nil {
		return out, err
	}
	out.Lists, err = s.impactLists(ctx, ch, shown, drafts)
	return out, err
}

// citingLists links what is pending and returns the lists the change
// touches, with the drafts already made for it by list.
func (s *Service) citingLists(ctx context.Context, ch ChangeView) ([]models.CitingList, map[int64]models.ChangeRequest, error) {
	if err := s.LinkPending(ctx); err != nil {
		return nil, nil, err
	}
	lists, err := s.store.CitingLists(ctx, ch.InstrumentID, ch.RegionCode)
	if err != nil {
		return nil, nil, err
	}
	drafts, err := s.store.DraftsOfChange(ctx, ch.ID)
	return lists, drafts, err
}

// impactLists reads the affected items of the lists (named).
func (s *Service) impactLists(ctx context.Context, ch ChangeView, lists []models.CitingList, drafts map[int64]models.ChangeRequest) ([]ImpactList, error) {
	out := make([]ImpactList, 0, len(lists))
	if len(lists) == 0 {
		return out, nil
	}
	ids := make([]int64, len(lists))
	index := make(map[int64]int, len(lists))
	for i, l := range lists {
		ids[i], index[l.ListID] = l.ListID, i
		il := ImpactList{ListID: l.ListID, ListTitle: l.Title, AgencyID: l.AgencyID, AgencyName: l.AgencyName,
			RegionCode: l.RegionCode, ItemCount: l.Items, Items: []ImpactItem{}}
		if d, ok := drafts[l.ListID]; ok {
			il.DraftID = &d.ID
		}
		out = append(out, il)
	}
	rows, err := s.store.CurrentCiters(ctx, ch.InstrumentID, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		l := &out[index[r.ListID]]
		if n := len(l.Items); n == 0 || l.Items[n-1].ItemID != r.ItemID {
			l.Items = append(l.Items, ImpactItem{ItemID: r.ItemID, Code: r.Code, Name: r.Name})
		}
		it := &l.Items[len(l.Items)-1]
		it.Citations = append(it.Citations, r)
	}
	return out, nil
}

// DraftResult is one draft of a change: created now, or found from before.
type DraftResult struct {
	ChangeRequestID int64
	ListID          int64
	AgencyName      string
	Operations      int
	Created         bool
}

// CreateDrafts creates, for every list the change touches, one draft change
// request owned by the list's agency with a modify operation per affected
// item whose basis is rewritten for the change. Lists that already have the
// change's draft get nothing new.
func (s *Service) CreateDrafts(ctx context.Context, u *models.User, changeID int64) ([]DraftResult, error) {
	ch, err := s.Change(ctx, u, changeID)
	if err != nil {
		return nil, err
	}
	lists, drafts, err := s.citingLists(ctx, ch)
	if err != nil {
		return nil, err
	}
	reg, err := s.Registry(ctx)
	if err != nil {
		return nil, err
	}
	rw, err := s.rewriteFor(ctx, reg, ch)
	if err != nil {
		return nil, err
	}
	out := []DraftResult{}
	for len(lists) > 0 {
		batch := lists[:min(len(lists), 200)]
		lists = lists[len(batch):]
		if err := s.store.NameCitingLists(ctx, batch); err != nil {
			return out, err
		}
		var todo []models.CitingList
		for _, l := range batch {
			if d, ok := drafts[l.ListID]; ok {
				out = append(out, DraftResult{ListID: l.ListID, AgencyName: l.AgencyName, ChangeRequestID: d.ID})
			} else {
				todo = append(todo, l)
			}
		}
		affected, err := s.impactLists(ctx, ch, todo, drafts)
		if err != nil {
			return out, err
		}
		for _, l := range affected {
			res := DraftResult{ListID: l.ListID, AgencyName: l.AgencyName}
			err := s.store.Transaction(ctx, func(tx *models.Store) error {
				existing, err := tx.DraftsOfChange(ctx, changeID)
				if err != nil {
					return err
				}
				if d, ok := existing[l.ListID]; ok {
					res.ChangeRequestID = d.ID
					return nil
				}
				cr, n, err := s.draftFor(ctx, tx, u, ch, l, rw)
				if err != nil {
					return err
				}
				res.ChangeRequestID, res.Operations, res.Created = cr.ID, n, true
				return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "draft_for_change",
					TargetType: "change_request", TargetID: strconv.FormatInt(cr.ID, 10), RegionCode: l.RegionCode,
					After: map[string]any{"instrument_change_id": changeID, "list_id": l.ListID, "operations": n}})
			})
			if err != nil {
				return out, fmt.Errorf("draft for list %d: %w", l.ListID, err)
			}
			out = append(out, res)
		}
	}
	slices.SortFunc(out, func(a, b DraftResult) int { return cmp.Compare(a.ListID, b.ListID) })
	return out, s.LinkPending(ctx)
}

// rewriteFor is how the change rewrites citations: a new edition for an
// amendment, the replacing instrument (at its current edition) for a
// replacement; nothing for a repeal or renumbering, which need a person.
func (s *Service) rewriteFor(ctx context.Context, reg *basis.Registry, ch ChangeView) (*basis.Rewrite, error) {
	matches := func(title string) bool {
		res := reg.Resolve(models.Citation{Title: title})
		return res.Instrument != nil && res.Instrument.ID == ch.InstrumentID
	}
	switch ch.Kind {
	case models.ChangeAmended:
		kind := basis.KindAmended
		for _, e := range ch.Instrument.Editions {
			if e.Date == ch.Date && (e.Kind == basis.KindAmended || e.Kind == basis.KindRevised) {
				kind = e.Kind
			}
		}
		return &basis.Rewrite{Matches: matches, NewTitle: ch.Instrument.Title, EditionDate: ch.Date, EditionKind: kind}, nil
	case models.ChangeReplaced:
		if ch.ReplacedByID == nil {
			return nil, nil
		}
		rep, err := s.store.Instrument(ctx, *ch.ReplacedByID)
		if err != nil {
			return nil, err
		}
		rw := &basis.Rewrite{Matches: matches, NewTitle: rep.Title}
		if cur, ok := reg.Current(rep.ID); ok {
			rw.EditionDate, rw.EditionKind = cur.Date, cur.Kind
			if cur.Kind == basis.KindPassed {
				rw.EditionKind = basis.KindPublished
			}
		}
		return rw, nil
	}
	return nil, nil
}

// describe says what happened to the instrument, in a title or reason.
func describe(ch ChangeView) string {
	return fmt.Sprintf("《%s》%s（%s）", ch.Instrument.Title, models.ChangeKindLabels[ch.Kind], ch.Date)
}

// draftFor creates the draft of one list and its operations.
func (s *Service) draftFor(ctx context.Context, tx *models.Store, u *models.User, ch ChangeView, l ImpactList, rw *basis.Rewrite) (models.ChangeRequest, int, error) {
	list, err := tx.List(ctx, l.ListID)
	if err != nil {
		return models.ChangeRequest{}, 0, err
	}
	reason := fmt.Sprintf("%s，本清单 %d 个事项引用了该法规。", describe(ch), len(l.Items))
	if rw == nil {
		// Nothing to rewrite: the agency needs the items by name.
		names := make([]string, 0, len(l.Items))
		for _, it := range l.Items {
			names = append(names, "“"+it.Name+"”")
		}
		reason += "请逐项核对其依据，修改或取消相关事项：" + strings.Join(names, "、") + "。"
	} else {
		reason += "已逐项改写其依据（见各项操作），请核对后提交。"
	}
	if ch.Note != "" {
		reason += "说明：" + ch.Note
	}
	title := clip("因"+describe(ch)+"调整依据", models.MaxTitleRunes)
	reason = clip(reason, models.MaxReasonRunes)
	id := ch.ID
	cr := models.ChangeRequest{ListID: list.ID, AgencyID: list.AgencyID, BaseVersion: list.CurrentVersion, Title: title,
		Reason: reason, State: models.StateDraft, Version: 1, SubmitterID: u.ID, InstrumentChangeID: &id}
	if err := tx.CreateChangeRequest(ctx, &cr); err != nil {
		return cr, 0, err
	}
	if rw == nil {
		return cr, 0, nil
	}
	base, err := s.loadListState(ctx, tx, list.ID, list.CurrentVersion)
	if err != nil {
		return cr, 0, err
	}
	n := 0
	for _, it := range l.Items {
		cur, ok := base.byID[it.ItemID]
		if !ok {
			continue
		}
		patch := map[string]string{}
		var was []string
		for _, f := range []models.Field{models.FieldBasis, models.FieldResponsibilityBasis} {
			text := cur.Fields().Get(f)
			if next, changed := rw.Apply(text); changed {
				patch[string(f)] = next
				for _, c := range basis.Parse(text) {
					if rw.Matches(c.Title) {
						was = append(was, citationHead(c))
					}
				}
			}
		}
		if len(patch) == 0 {
			continue
		}
		raw, _ := json.Marshal(patch)
		newHead := "【" + ch.Instrument.Level + "】《" + rw.NewTitle + "》"
		if ed := rw.Label(""); ed != "" {
			newHead += "（" + ed + "）"
		}
		in := OperationInput{Op: models.OpModify, ItemID: &it.ItemID, Item: raw, Basis: newHead,
			Reason: fmt.Sprintf("%s，依据随之更新。原引用：%s", describe(ch), strings.Join(slices.Compact(was), "；"))}
		op, err := buildOperation(in, base, nil)
		if err != nil {
			return cr, n, err
		}
		ops, err := tx.Operations(ctx, cr.ID)
		if err != nil {
			return cr, n, err
		}
		if err := validate(op, ops, base); err != nil {
			continue // e.g. the rewrite changed nothing the item would show; left to the agency
		}
		op.ChangeRequestID = cr.ID
		if err := tx.CreateOperation(ctx, &op); err != nil {
			return cr, n, err
		}
		n++
	}
	return cr, n, nil
}

// citationHead is 【level】《title》（edition） as written.
func citationHead(c models.Citation) string {
	s := "【" + c.Level + "】《" + c.Title + "》"
	if c.Edition != "" {
		s += "（" + c.Edition + "）"
	}
	return s
}

// clip keeps a drafted text within the limit a person's own text has, so
// the submitter can edit and submit the draft as it is.
func clip(s string, limit int) string {
	if r := []rune(s); len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return s
}
