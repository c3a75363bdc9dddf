package workflow

import (
	"context"
	lru "github.com/hashicorp/golang-lru/v2"
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
	s := &Service{store: store, versions: versions, now: time.Now}
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
		Reason: strings.TrimSpace(in.Reason), State: models.StateDraft, Version: 1, SubmitterID: u.ID, TriggerDate: trigger}
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

// Filter narrows the requests a user lists.
type Filter struct {
	State  string
	ListID int64
}

// List returns the requests the user may see.
func (s *Service) List(ctx context.Context, u *models.User, f Filter) ([]models.ChangeRequestRow, error) {
	if f.State != "" && !slices.Contains(States, f.State) {
		return nil, fieldError("state", "没有“%s”这个状态，可选：%s", f.State, strings.Join(States, "、"))
	}
	scope, ok := visibleScope(u)
	if !ok {
		return []models.ChangeRequestRow{}, nil
	}
	scope.State, scope.ListID = f.State, f.ListID
	return s.store.ChangeRequests(ctx, scope)
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
}

// OperationView is an operation with the preview of its effect on the base version.
type OperationView struct {
	models.Operation
	BasisCitations []models.Citation
	Before         *models.ItemFields // nil for add and include
	After          *models.ItemFields // nil for remove; with the note publication writes
	Changed        []string           // names of the fields that change
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
		MayUrge: supervises(u, f.region) && OwnerRole(row.State) != ""}
	clocks, err := s.Clocks(ctx, []models.ChangeRequestRow{row})
	if err != nil {
		return Detail{}, err
	}
	d.Clock = clocks[id]
	reg, err := s.Registry(ctx)
	if err != nil {
		return Detail{}, err
	}
	d.Findings = requestFindings(reg, d.Operations, base, s.Now().In(models.China).Format(time.DateOnly))
	if row.State != models.StatePublished {
		changed, err := s.store.ChangedSince(ctx, row.ListID, row.BaseVersion, touchedItems(ops))
		if err != nil {
			return Detail{}, err
		}
		d.Conflicts = itemRefs(changed)
	}
	created := models.EventRow{ActorName: row.SubmitterName, Event: models.Event{ChangeRequestID: id, Version: 1,
		Event: TimelineCreate, ToState: models.StateDraft, ActorID: row.SubmitterID, CreatedAt: row.CreatedAt}}
	d.Timeline = append([]models.EventRow{created}, events...)
	d.Opinions = []models.EventRow{}
	for _, e := range events {
		if e.Event.Event != EventPublish && e.Event.Event != EventUrge && actingRole(e.Event.Event, e.FromState) != models.RoleSubmitter {
			d.Opinions = append(d.Opinions, e)
		}
	}
	return d, nil
}

// previews applies the operations to the state they were drafted against.
func previews(ops []models.Operation, st *listState) ([]OperationView, error) {
	changes, err := revisionChanges(ops, st)
	if err != nil {
		return nil, err
	}
	out := make([]OperationView, 0, len(ops))
	for i, op := range ops {
		v := OperationView{Operation: op, BasisCitations: parseBasis(op.Basis), After: changes[i].Fields}
		if op.ItemID != nil {
			if r, ok := st.byID[*op.ItemID]; ok {
				before := r.Fields()
				v.Before = &before
			}
		}
		v.Changed = []string{}
		if v.After != nil {
			v.Changed = changedFields(v.Before, *v.After)
		}
		out = append(out, v)
	}
	return out, nil
}

func touchedItems(ops []models.Operation) []int64 {
	var ids []int64
	for _, op := range ops {
		if op.ItemID != nil {
			ids = append(ids, *op.ItemID)
		}
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
		op, err := buildOperation(in, base)
		if err != nil {
			return f.cr, err
		}
		if err := validate(op, ops, base); err != nil {
			return f.cr, err
		}
		op.ChangeRequestID = id
		if err := tx.CreateOperation(ctx, &op); err != nil {
			return f.cr, err
		}
		views, err := previews(append(ops, op), base)
		if err != nil {
			return f.cr, err
		}
		view = views[len(views)-1]
		return f.cr, audit(ctx, tx, u, id, f.region, "operation_add", nil,
			map[string]any{"operation_id": op.ID, "op": op.Op, "item_id": op.ItemID, "item": op.Item, "reason": op.Reason, "basis": op.Basis, "source": op.Source})
	})
	return view, err
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
