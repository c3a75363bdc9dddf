package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	lru "github.com/hashicorp/golang-lru/v2"
	"maps"
	"qingdan/diff"
	"slices"
	"strconv"
	"strings"
	"time"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/models"
)

// Service runs change requests against a store. Every method takes the
// acting user and checks what they may see and do.
type Service struct {
	store    *models.Store
	versions *lru.Cache[versionKey, []models.ItemRevision] // see loadListState
	now      func() time.Time                              // the clock of events and deadlines
	hooks    []Hook                                        // run inside every transition (hooks.go)
	registry registryCache                                 // see Registry
	// findingCounts: see FindingCounts; itemCounts and versionChanges: see kept.go.
	findingCounts  *lru.Cache[versionKey, checkCounts]
	findingsKick   chan struct{} // see RunFindingsWarmer
	itemCounts     *lru.Cache[versionKey, []models.SearchCount]
	versionChanges *lru.Cache[versionKey, []models.ListVersion]
}

// Option configures a Service.
type Option func(*Service)

// WithClock makes the service read time from now (tests set a clock).
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = now
		}
	}
}

// New returns the workflow service of a store.
func New(store *models.Store, opts ...Option) *Service {
	versions, err := lru.New[versionKey, []models.ItemRevision](versionCacheSize)
	if err != nil {
		panic(err) // only for a size below 1
	}
	counts, err := lru.New[versionKey, checkCounts](findingCountsSize)
	if err != nil {
		panic(err)
	}
	items, err := lru.New[versionKey, []models.SearchCount](keptListsSize)
	if err != nil {
		panic(err)
	}
	changes, err := lru.New[versionKey, []models.ListVersion](keptListsSize)
	if err != nil {
		panic(err)
	}
	s := &Service{store: store, versions: versions, now: time.Now, findingCounts: counts, itemCounts: items, versionChanges: changes,
		findingsKick: make(chan struct{}, 1)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Now is the service's clock, in UTC at the database's precision.
func (s *Service) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// NewRequest is what a submitter gives to start a change request.
type NewRequest struct {
	ListID      int64
	Title       string
	Reason      string
	TriggerDate string // YYYY-MM-DD the reason arose; "" when not given
}

// RequestPatch changes a draft's title, reason or trigger date; nil leaves a
// field as it is ("" clears the trigger date).
type RequestPatch struct {
	Title       *string
	Reason      *string
	TriggerDate *string
}

func checkTitle(title string) error {
	if title == "" {
		return fieldError("title", "标题不能为空")
	}
	if p := models.TextProblem(title, models.MaxTitleRunes); p != "" {
		return fieldError("title", "标题%s", p)
	}
	return nil
}

func checkReason(reason string) error {
	if p := models.TextProblem(reason, models.MaxReasonRunes); p != "" {
		return fieldError("reason", "理由%s", p)
	}
	return nil
}

// Create starts a draft against the list's current version. Only a submitter
// of the list's agency may.
func (s *Service) Create(ctx context.Context, u *models.User, in NewRequest) (models.ChangeRequestRow, error) {
	if in.ListID <= 0 {
		return models.ChangeRequestRow{}, fieldError("list_id", "请指定要修订的清单")
	}
	title := strings.TrimSpace(in.Title)
	if err := checkTitle(title); err != nil {
		return models.ChangeRequestRow{}, err
	}
	if err := checkReason(in.Reason); err != nil {
		return models.ChangeRequestRow{}, err
	}
	l, err := s.store.List(ctx, in.ListID)
	if err != nil {
		return models.ChangeRequestRow{}, err
	}
	if !isSubmitterOf(u, l.AgencyID) {
		return models.ChangeRequestRow{}, apperr.New(apperr.Forbidden, "只有%s的填报人员可以起草本清单的修订申请", l.Agency.Name)
	}
	trigger, err := s.triggerDate(in.TriggerDate)
	if err != nil {
		return models.ChangeRequestRow{}, err
	}
	cr := models.ChangeRequest{ListID: l.ID, AgencyID: l.AgencyID, BaseVersion: l.CurrentVersion, Title: title,
		Reason: strings.TrimSpace(in.Reason), State: models.StateDraft, Version: 1, SubmitterID: u.ID, TriggerDate: trigger,
		CreatedAt: s.Now(), UpdatedAt: s.Now()}
	err = s.store.Transaction(ctx, func(tx *models.Store) error {
		if err := tx.CreateChangeRequest(ctx, &cr); err != nil {
			return err
		}
		return audit(ctx, tx, u, cr.ID, l.Agency.RegionCode, "change_request_create", nil,
			map[string]any{"list_id": cr.ListID, "base_version": cr.BaseVersion, "title": cr.Title, "reason": cr.Reason})
	})
	if err != nil {
		return models.ChangeRequestRow{}, err
	}
	return s.store.ChangeRequestRow(ctx, cr.ID)
}

// Queues of a person's workbench (工作台).
const (
	QueueTodo   = "todo"   // 待办: waiting for this person's action
	QueueDone   = "done"   // 已办: those this person acted on, most recent first
	QueueDrafts = "drafts" // this person's drafts
)

// Queues lists the queue names a request listing accepts.
var Queues = []string{QueueTodo, QueueDone, QueueDrafts}

// Filter narrows the requests a user lists.
type Filter struct {
	State    string
	ListID   int64
	AgencyID int64
	Q        string // words in the title, the list's title or the agency's name, or the number
	Queue    string // one of Queues, or "" for every request the user may see
	Limit    int    // 0: all
	Offset   int
}

// List returns a page of the requests the user may see and how many there are.
func (s *Service) List(ctx context.Context, u *models.User, f Filter) ([]models.ChangeRequestRow, int64, error) {
	if f.State != "" && !slices.Contains(States, f.State) {
		return nil, 0, fieldError("state", "没有“%s”这个状态，可选：%s", f.State, strings.Join(States, "、"))
	}
	if f.Queue != "" && !slices.Contains(Queues, f.Queue) {
		return nil, 0, fieldError("queue", "没有“%s”这个队列，可选：%s", f.Queue, strings.Join(Queues, "、"))
	}
	scope, ok := visibleScope(u)
	if !ok {
		return []models.ChangeRequestRow{}, 0, nil
	}
	switch f.Queue {
	case QueueTodo:
		if scope, ok = waitingScope(u, scope); !ok {
			return []models.ChangeRequestRow{}, 0, nil
		}
	case QueueDone:
		scope.ActedBy = u.ID
	case QueueDrafts:
		scope.State, scope.SubmitterID = models.StateDraft, u.ID
	}
	if f.State != "" {
		if scope.State != "" && scope.State != f.State {
			return []models.ChangeRequestRow{}, 0, nil
		}
		scope.State = f.State
	}
	scope.ListID, scope.Q, scope.Limit, scope.Offset = f.ListID, f.Q, f.Limit, f.Offset
	if f.AgencyID != 0 {
		if scope.AgencyID != 0 && scope.AgencyID != f.AgencyID {
			return []models.ChangeRequestRow{}, 0, nil
		}
		scope.AgencyID = f.AgencyID
	}
	return s.store.ChangeRequests(ctx, scope)
}

// waitingScope narrows what a user sees to what waits for their action: a
// submitter's returned requests and the 会签 their agency owes; a reviewer's
// or approver's requests in the states they act in (a joint review until
// their review signed off), but not those they drafted or submitted themselves.
func waitingScope(u *models.User, scope models.ChangeRequestFilter) (models.ChangeRequestFilter, bool) {
	switch u.Role {
	case models.RoleSubmitter:
		scope.TodoOfAgency = scope.AgencyID
	case models.RoleLegalReviewer, models.RoleStaffingReviewer:
		review := actorReview(u)
		scope.States = []string{reviewState[review], models.StateJointReview}
		scope.PendingReview = review
		scope.NotSubmittedBy = u.ID
	case models.RoleApprover:
		scope.States = []string{models.StateApproval, models.StateApproved}
		scope.NotSubmittedBy = u.ID
	default:
		return scope, false
	}
	return scope, true
}

// Counts are the numbers behind a person's menu: the requests they may see
// per state, and how many of them wait for their action.
type Counts struct {
	ByState map[string]int64
	Waiting int64
	Drafts  int64
}

// Count counts what the user may see per state and what waits for them.
func (s *Service) Count(ctx context.Context, u *models.User) (Counts, error) {
	out := Counts{ByState: map[string]int64{}}
	scope, ok := visibleScope(u)
	if !ok {
		return out, nil
	}
	var err error
	if out.ByState, err = s.store.CountChangeRequests(ctx, scope); err != nil {
		return out, err
	}
	if waiting, ok := waitingScope(u, scope); ok {
		byState, err := s.store.CountChangeRequests(ctx, waiting)
		if err != nil {
			return out, err
		}
		for _, n := range byState {
			out.Waiting += n
		}
	}
	if u.Role == models.RoleSubmitter {
		scope.State, scope.SubmitterID = models.StateDraft, u.ID
		byState, err := s.store.CountChangeRequests(ctx, scope)
		if err != nil {
			return out, err
		}
		out.Drafts = byState[models.StateDraft]
	}
	return out, nil
}

// Detail is a request with everything its page shows.
type Detail struct {
	Request     models.ChangeRequestRow
	ListVersion int // the list's current version; newer than the base means the list moved on
	Operations  []OperationView
	// Conflicts are the items the request touches that a version after its
	// base changed or removed: it must be rebased before it can be published.
	Conflicts     []ItemRef
	Opinions      []models.EventRow // the reviewers' and approvers' decisions (pass, approve, return, reject)
	Timeline      []models.EventRow // creation, then every transition
	AllowedEvents []string          // what this user may fire now
	Clock         *Clock            // the limit of the step it is in; nil when finished
	MayUrge       bool              // the user may 督办 it
	// Findings are the basis check of the operations (依据体检), against the
	// registry, on the day the request is read.
	Findings []basis.Finding
	// Blocked are allowed events that cannot succeed now, with the reason
	// (publish while the request conflicts with the current version).
	Blocked map[string]string
	// SinceReturn: what changed since the last return; nil if never returned.
	SinceReturn *SinceReturn
	// Deletable: a draft never submitted, which its agency may delete.
	Deletable bool
	// Editable: this user may change its title, reason, operations and base now (mayEdit).
	Editable bool
	// Process is the process the request runs under: the one it was
	// submitted under, or while editable the one it would be submitted under.
	Process Process
	Track   string // TrackHeavy (审定) or TrackLight
	// Countersigns are the 会签 its latest submission asked for.
	Countersigns []models.CountersignRow
	// Signed are the reviews that signed off the joint review it is in.
	Signed []string
	// Missing are the materials the operations still lack: it cannot be
	// submitted while any is missing.
	Missing []Problem
}

// OperationView is an operation with the preview of its effect on the base version.
type OperationView struct {
	models.Operation
	BasisCitations []models.Citation
	Before         *models.ItemFields // nil for add, include and merge
	After          *models.ItemFields // nil for remove and split; with the note publication writes
	Changed        []string           // names of the fields that change
	// Change is what the list comparison will show once it is published:
	// computed by diff.Between, the one definition of what changed.
	Change diff.Change
}

// TouchedDepartments are the 实施部门 named by the items an operation
// touches, before and after it (a merge's sources, a split's parts): whose
// 会签 it may need.
func (v OperationView) TouchedDepartments() []string {
	var out []string
	add := func(f models.ItemFields) {
		for _, d := range strings.FieldsFunc(basis.Text(f.Department), func(r rune) bool { return strings.ContainsRune("、，,；;\n", r) }) {
			if d = strings.TrimSpace(d); d != "" && !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	for _, r := range append(append([]*models.ItemRevision{v.Change.Before, v.Change.After}, v.Change.From...), v.Change.Into...) {
		if r != nil {
			add(r.Fields())
		}
	}
	return out
}

// TimelineCreate is the timeline's first entry, the creation of the request.
const TimelineCreate = "create"

// Get returns a request the user may see (others are not found).
func (s *Service) Get(ctx context.Context, u *models.User, id int64) (Detail, error) {
	row, err := s.store.ChangeRequestRow(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	events, err := s.store.Events(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	f, err := loadFacts(ctx, s.store, row.ChangeRequest, events)
	if err != nil {
		return Detail{}, err
	}
	if !canSee(u, f) {
		return Detail{}, notVisible(id)
	}
	ops, err := s.store.Operations(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	base, err := s.loadListState(ctx, s.store, row.ListID, row.BaseVersion)
	if err != nil {
		return Detail{}, err
	}
	list, err := s.store.List(ctx, row.ListID)
	if err != nil {
		return Detail{}, err
	}
	views, err := previews(ops, base)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Request: row, ListVersion: list.CurrentVersion, Operations: views, AllowedEvents: allowedEvents(u, f),
		MayUrge: supervises(u, f.region) && len(OwnerRoles(row.State)) > 0, Blocked: map[string]string{}, Deletable: mayDelete(u, f) == nil,
		Editable: mayEdit(u, f) == nil}
	clocks, err := s.Clocks(ctx, []models.ChangeRequestRow{row})
	if err != nil {
		return Detail{}, err
	}
	d.Clock = clocks[id]
	d.Process = f.process
	if row.State == models.StateDraft || row.State == models.StateReturned {
		eff, err := effectiveProcess(ctx, s.store, f.region)
		if err != nil {
			return Detail{}, err
		}
		d.Process = eff.Process
	}
	d.Track = Track(d.Process, ops)
	d.Countersigns = append([]models.CountersignRow{}, f.countersigns...)
	d.Signed = slices.Sorted(maps.Keys(f.signed))
	reg, err := s.Registry(ctx)
	if err != nil {
		return Detail{}, err
	}
	d.Missing = missingMaterials(ops, base)
	d.Findings = requestFindings(reg, d.Operations, base, s.Now().In(models.China).Format(time.DateOnly))
	if row.State != models.StatePublished {
		changed, err := s.store.ChangedSince(ctx, row.ListID, row.BaseVersion, touchedItems(ops))
		if err != nil {
			return Detail{}, err
		}
		d.Conflicts = itemRefs(changed)
		if len(changed) > 0 && slices.Contains(d.AllowedEvents, EventPublish) {
			d.Blocked[EventPublish] = fmt.Sprintf("清单在第 %d 版之后已更新到第 %d 版，本申请涉及的事项已被修改或取消：%s。请退回申请，由填报人员更新基准版本后重新提交",
				row.BaseVersion, list.CurrentVersion, itemNames(changed))
		}
	}
	if d.SinceReturn, err = sinceReturn(events, ops); err != nil {
		return Detail{}, err
	}
	if d.SinceReturn != nil {
		for i, op := range d.SinceReturn.Deleted {
			if op.Item.Name == "" && op.ItemID != nil { // a removal names its target
				if r, ok := base.byID[*op.ItemID]; ok {
					d.SinceReturn.Deleted[i].Item.Name = r.Name
				}
			}
		}
	}
	created := models.EventRow{ActorName: row.SubmitterName, Event: models.Event{ChangeRequestID: id, Version: 1,
		Event: TimelineCreate, ToState: models.StateDraft, ActorID: row.SubmitterID, CreatedAt: row.CreatedAt}}
	d.Timeline = append([]models.EventRow{created}, events...)
	d.Opinions = []models.EventRow{}
	for _, e := range events {
		if e.Event.Event != EventPublish && e.Event.Event != EventUrge && !submitterEvent(e.Event.Event) {
			d.Opinions = append(d.Opinions, e)
		}
	}
	return d, nil
}

// previews applies the operations to the state they were drafted against
// and compares the result with it as a list comparison does.
func previews(ops []models.Operation, st *listState) ([]OperationView, error) {
	changes, owner, err := revisionChanges(ops, st)
	if err != nil {
		return nil, err
	}
	var atFrom, atTo []models.ItemRevision
	var links []models.Link
	opOf := map[int64]int{} // item id (a new item's: negative) → operation index
	for k, ch := range changes {
		id := ch.ItemID
		if id == 0 {
			id = -int64(k + 1)
		} else if r, ok := st.byID[id]; ok {
			atFrom = append(atFrom, *r)
		}
		opOf[id] = owner[k]
		if ch.Fields != nil {
			r := models.ItemRevision{ItemID: id, Op: ch.Op}
			r.SetFields(*ch.Fields)
			atTo = append(atTo, r)
		}
		for _, from := range ch.Origins {
			links = append(links, models.Link{Op: ch.Op, FromItemID: from, ToItemID: id})
		}
		if ch.Op == models.OpDelegate {
			links = append(links, models.Link{Op: ch.Op, FromItemID: id, ToItemID: id})
		}
	}
	byOp := make([]*diff.Change, len(ops))
	compared := diff.Between(st.arr, st.version, st.version+1, atFrom, atTo, links)
	for i := range compared {
		if k, ok := opOf[compared[i].ItemID]; ok {
			byOp[k] = &compared[i]
		}
	}
	out := make([]OperationView, 0, len(ops))
	for i, op := range ops {
		v := OperationView{Operation: op, BasisCitations: parseBasis(op.Basis), Changed: []string{}}
		if c := byOp[i]; c != nil {
			v.Change = *c
		} else { // nothing a reader would see changes (the note the operation writes is all)
			v.Change = diff.Change{Kind: models.KindOf(op.Op), Fields: []diff.Field{}}
		}
		if op.ItemID != nil {
			if r, ok := st.byID[*op.ItemID]; ok {
				before := r.Fields()
				v.Before = &before
			}
		}
		if a := v.Change.After; a != nil && op.Op != models.OpSplit {
			after := a.Fields()
			v.After = &after
			v.Changed = changedFields(v.Before, after)
		}
		out = append(out, v)
	}
	return out, nil
}

func touchedItems(ops []models.Operation) []int64 {
	var ids []int64
	for _, op := range ops {
		ids = append(ids, touches(op)...)
	}
	return ids
}

// audit records a change of request id by u inside its transaction, for the
// region's legal reviewers and the admins to read.
func audit(ctx context.Context, tx *models.Store, u *models.User, id int64, region, action string, before, after any) error {
	return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: action,
		TargetType: "change_request", TargetID: strconv.FormatInt(id, 10), RegionCode: region, Before: before, After: after})
}

// edit runs fn in one transaction on a request the user may edit, then
// stores the request fn returns with its version bumped (compare-and-swap).
func (s *Service) edit(ctx context.Context, u *models.User, id int64,
	fn func(tx *models.Store, f facts) (models.ChangeRequest, error)) error {
	return s.store.Transaction(ctx, func(tx *models.Store) error {
		cr, f, err := lockFacts(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayEdit(u, f); err != nil {
			return err
		}
		next, err := fn(tx, f)
		if err != nil {
			return err
		}
		_, err = tx.SwapChangeRequest(ctx, cr, next)
		return err
	})
}

// Update changes the title or reason of a draft or returned request.
func (s *Service) Update(ctx context.Context, u *models.User, id int64, p RequestPatch) (models.ChangeRequestRow, error) {
	err := s.edit(ctx, u, id, func(tx *models.Store, f facts) (models.ChangeRequest, error) {
		next := f.cr
		if p.Title != nil {
			next.Title = strings.TrimSpace(*p.Title)
			if err := checkTitle(next.Title); err != nil {
				return next, err
			}
		}
		if p.Reason != nil {
			next.Reason = strings.TrimSpace(*p.Reason)
			if err := checkReason(next.Reason); err != nil {
				return next, err
			}
		}
		if p.TriggerDate != nil {
			d, err := s.triggerDate(*p.TriggerDate)
			if err != nil {
				return next, err
			}
			next.TriggerDate = d
		}
		return next, audit(ctx, tx, u, id, f.region, "change_request_update",
			map[string]any{"title": f.cr.Title, "reason": f.cr.Reason}, map[string]any{"title": next.Title, "reason": next.Reason})
	})
	if err != nil {
		return models.ChangeRequestRow{}, err
	}
	return s.store.ChangeRequestRow(ctx, id)
}

// AddOperation validates an operation against the request's base version and
// its other operations, and adds it.
func (s *Service) AddOperation(ctx context.Context, u *models.User, id int64, in OperationInput) (OperationView, error) {
	var view OperationView
	err := s.edit(ctx, u, id, func(tx *models.Store, f facts) (models.ChangeRequest, error) {
		base, err := s.loadListState(ctx, tx, f.cr.ListID, f.cr.BaseVersion)
		if err != nil {
			return f.cr, err
		}
		ops, err := tx.Operations(ctx, id)
		if err != nil {
			return f.cr, err
		}
		if len(ops) >= models.MaxOperations {
			return f.cr, fieldError("op", "一份修订申请最多 %d 项操作，请另起一份申请", models.MaxOperations)
		}
		op, err := buildOperation(in, base, nil)
		if err != nil {
			return f.cr, err
		}
		if err := validate(op, ops, base); err != nil {
			return f.cr, err
		}
		next := f.cr
		// Never a number given before; operations written outside the
		// workflow (numbered by the store) count too.
		for _, o := range ops {
			next.OpSeq = max(next.OpSeq, o.Number)
		}
		next.OpSeq++
		op.ChangeRequestID, op.Number = id, next.OpSeq
		if err := tx.CreateOperation(ctx, &op); err != nil {
			return f.cr, err
		}
		views, err := previews(append(ops, op), base)
		if err != nil {
			return f.cr, err
		}
		view = views[len(views)-1]
		return next, audit(ctx, tx, u, id, f.region, "operation_add", nil, auditedOperation(op))
	})
	return view, err
}

// OperationPatch edits an operation: the item fields given change, nil
// leaves the reason, basis or source as they are. The operation's type and
// target stay: another type or item is another operation.
type OperationPatch struct {
	Op     string
	ItemID *int64
	Item   json.RawMessage
	Reason *string
	Basis  *string
	Source *string
	// Parts replace a split's parts when given (each read over the part it
	// replaces); the other texts as Reason.
	Parts        []json.RawMessage
	DelegateTo   *string
	Supervision  *string
	TakeoverPlan *string
}

// EditOperation changes an operation of a draft or returned request, keeping
// its number, and validates it again like a new one.
func (s *Service) EditOperation(ctx context.Context, u *models.User, id, opID int64, p OperationPatch) (OperationView, error) {
	var view OperationView
	err := s.edit(ctx, u, id, func(tx *models.Store, f facts) (models.ChangeRequest, error) {
		ops, err := tx.Operations(ctx, id)
		if err != nil {
			return f.cr, err
		}
		i := slices.IndexFunc(ops, func(o models.Operation) bool { return o.ID == opID })
		if i < 0 {
			return f.cr, apperr.New(apperr.NotFound, "修订申请 %d 没有这项操作", id)
		}
		cur := ops[i]
		if p.Op != "" && p.Op != cur.Op {
			return f.cr, fieldError("op", "操作类型不能修改：请删除操作%d后添加一项%s操作", cur.Number, OpLabel(p.Op))
		}
		if p.ItemID != nil && (cur.ItemID == nil || *p.ItemID != *cur.ItemID) {
			return f.cr, fieldError("item_id", "操作的事项不能修改：请删除操作%d后重新添加", cur.Number)
		}
		in := OperationInput{Op: cur.Op, ItemID: cur.ItemID, Item: p.Item, AfterItemID: cur.AfterItemID,
			Reason: valueOr(p.Reason, cur.Reason), Basis: valueOr(p.Basis, cur.Basis), Source: valueOr(p.Source, cur.Source),
			Sources: cur.Sources, Parts: p.Parts, DelegateTo: valueOr(p.DelegateTo, cur.DelegateTo),
			Supervision: valueOr(p.Supervision, cur.Supervision), TakeoverPlan: valueOr(p.TakeoverPlan, cur.TakeoverPlan)}
		base, err := s.loadListState(ctx, tx, f.cr.ListID, f.cr.BaseVersion)
		if err != nil {
			return f.cr, err
		}
		op, err := buildOperation(in, base, &cur)
		if err != nil {
			return f.cr, err
		}
		op.ID, op.ChangeRequestID, op.Number, op.CreatedAt = cur.ID, id, cur.Number, cur.CreatedAt
		if err := validate(op, ops, base); err != nil {
			return f.cr, err
		}
		if err := tx.UpdateOperation(ctx, op); err != nil {
			return f.cr, err
		}
		edited := slices.Clone(ops)
		edited[i] = op
		views, err := previews(edited, base)
		if err != nil {
			return f.cr, err
		}
		view = views[i]
		return f.cr, audit(ctx, tx, u, id, f.region, "operation_edit", auditedOperation(cur), auditedOperation(op))
	})
	return view, err
}

// auditedOperation is what the audit log keeps of an operation.
func auditedOperation(op models.Operation) map[string]any {
	return map[string]any{"operation_id": op.ID, "number": op.Number, "op": op.Op, "item_id": op.ItemID, "item": op.Item,
		"reason": op.Reason, "basis": op.Basis, "source": op.Source, "sources": op.Sources, "parts": op.Parts,
		"delegate_to": op.DelegateTo, "supervision": op.Supervision, "takeover_plan": op.TakeoverPlan}
}

func valueOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// Delete removes a draft that was never submitted: nobody but its agency
// ever saw it. A request that went to review stays in the record (作废).
func (s *Service) Delete(ctx context.Context, u *models.User, id int64) error {
	return s.store.Transaction(ctx, func(tx *models.Store) error {
		cr, f, err := lockFacts(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayDelete(u, f); err != nil {
			return err
		}
		if err := tx.DeleteChangeRequest(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "delete",
			TargetType: "change_request", TargetID: strconv.FormatInt(id, 10), RegionCode: f.region,
			Before: map[string]any{"state": cr.State, "title": cr.Title, "list_id": cr.ListID, "version": cr.Version}})
	})
}

// DeleteOperation removes an operation from a draft or returned request.
func (s *Service) DeleteOperation(ctx context.Context, u *models.User, id, opID int64) error {
	return s.edit(ctx, u, id, func(tx *models.Store, f facts) (models.ChangeRequest, error) {
		if err := tx.DeleteOperation(ctx, id, opID); err != nil {
			return f.cr, err
		}
		return f.cr, audit(ctx, tx, u, id, f.region, "operation_delete", map[string]any{"operation_id": opID}, nil)
	})
}

// Candidate is an item of another list's current version that a 列入 may
// take over, with the list it comes from.
type Candidate struct {
	Item models.ItemRevision
	List models.ListSummary
}

// maxCandidates bounds a picker's answer: a few screens to choose from.
const maxCandidates = 50

// IncludeCandidates finds, for a request the user may edit, items of other
// lists' current versions whose name, sub-item or code hold every word of q.
func (s *Service) IncludeCandidates(ctx context.Context, u *models.User, id int64, q string) ([]Candidate, error) {
	row, err := s.store.ChangeRequestRow(ctx, id)
	if err != nil {
		return nil, err
	}
	events, err := s.store.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	f, err := loadFacts(ctx, s.store, row.ChangeRequest, events)
	if err != nil {
		return nil, err
	}
	if err := mayEdit(u, f); err != nil {
		return nil, err
	}
	revs, err := s.store.CurrentItemsMatching(ctx, q, row.ListID, maxCandidates)
	if err != nil {
		return nil, err
	}
	lists := map[int64]models.ListSummary{}
	out := make([]Candidate, 0, len(revs))
	for _, r := range revs {
		l, ok := lists[r.ListID]
		if !ok {
			if l, err = s.store.ListSummary(ctx, r.ListID); err != nil {
				return nil, err
			}
			lists[r.ListID] = l
		}
		out = append(out, Candidate{Item: r, List: l})
	}
	return out, nil
}
