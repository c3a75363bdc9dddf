package workflow

import (
	"context"
	lru "github.com/hashicorp/golang-lru/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/models"
)

// Service runs change requests against a store. Every method takes the
// acting user and checks what they may see and do.
type Service struct {
	store    *models.Store
	versions *lru.Cache[versionKey, []models.ItemRevision] // see loadListState
	registry registryCache                                 // see Registry
}

// New returns the workflow service of a store.
func New(store *models.Store) *Service {
	versions, err := lru.New[versionKey, []models.ItemRevision](versionCacheSize)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &Service{store: store, versions: versions}
}

// NewRequest is what a submitter gives to start a change request.
type NewRequest struct {
	ListID int64
	Title  string
	Reason string
}

// RequestPatch changes a draft's title or reason; nil leaves a field as it is.
type RequestPatch struct {
	Title  *string
	Reason *string
}

const maxTitleRunes = 200

func checkTitle(title string) error {
	if title == "" {
		return fieldError("title", "标题不能为空")
	}
	if utf8.RuneCountInString(title) > maxTitleRunes {
		return fieldError("title", "标题不能超过 %d 字", maxTitleRunes)
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
	l, err := s.store.List(ctx, in.ListID)
	if err != nil {
		return models.ChangeRequestRow{}, err
	}
	if !isSubmitterOf(u, l.AgencyID) {
		return models.ChangeRequestRow{}, apperr.New(apperr.Forbidden, "只有%s的填报人员可以起草本清单的修订申请", l.Agency.Name)
	}
	cr := models.ChangeRequest{ListID: l.ID, AgencyID: l.AgencyID, BaseVersion: l.CurrentVersion, Title: title,
		Reason: strings.TrimSpace(in.Reason), State: models.StateDraft, Version: 1, SubmitterID: u.ID}
	if err := s.store.CreateChangeRequest(ctx, &cr); err != nil {
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
	d := Detail{Request: row, ListVersion: list.CurrentVersion, Operations: previews(ops, base), AllowedEvents: allowedEvents(u, f)}
	reg, err := s.Registry(ctx)
	if err != nil {
		return Detail{}, err
	}
	d.Findings = requestFindings(reg, d.Operations, base, time.Now().In(models.China).Format(time.DateOnly))
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
		if e.Event.Event != EventPublish && actingRole(e.Event.Event, e.FromState) != models.RoleSubmitter {
			d.Opinions = append(d.Opinions, e)
		}
	}
	return d, nil
}

// previews applies the operations to the state they were drafted against.
func previews(ops []models.Operation, st *listState) []OperationView {
	changes := revisionChanges(ops, st)
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
	return out
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
	err := s.edit(ctx, u, id, func(_ *models.Store, f facts) (models.ChangeRequest, error) {
		next := f.cr
		if p.Title != nil {
			next.Title = strings.TrimSpace(*p.Title)
			if err := checkTitle(next.Title); err != nil {
				return next, err
			}
		}
		if p.Reason != nil {
			next.Reason = strings.TrimSpace(*p.Reason)
		}
		return next, nil
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
		view = previews([]models.Operation{op}, base)[0]
		return f.cr, nil
	})
	return view, err
}

// DeleteOperation removes an operation from a draft or returned request.
func (s *Service) DeleteOperation(ctx context.Context, u *models.User, id, opID int64) error {
	return s.edit(ctx, u, id, func(tx *models.Store, f facts) (models.ChangeRequest, error) {
		return f.cr, tx.DeleteOperation(ctx, id, opID)
	})
}
