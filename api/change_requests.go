package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/codes"
	"qingdan/diff"
	"qingdan/models"
	"qingdan/workflow"
)

// Change requests (修订申请). Every route needs a login (routes.go); what a
// user may see and do is the workflow's rule, answered 403, 404 or 409.

type personJSON struct {
	ID          int64  `json:"id"`
	DisplayName string `json:"display_name"`
}

type listRefJSON struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	Kind  string `json:"kind" ts:"ListKind"`
}

type changeRequestJSON struct {
	ID               int64       `json:"id"`
	List             listRefJSON `json:"list"`
	Agency           agencyJSON  `json:"agency"`
	RegionCode       string      `json:"region_code"`
	Title            string      `json:"title"`
	Reason           string      `json:"reason"`
	State            string      `json:"state" ts:"State"`
	StateName        string      `json:"state_name"`
	BaseVersion      int         `json:"base_version"`
	PublishedVersion *int        `json:"published_version"`
	Version          int         `json:"version"` // bumped by every change of the request
	Submitter        personJSON  `json:"submitter"`
	CreatedAt        time.Time   `json:"created_at"`
	UpdatedAt        time.Time   `json:"updated_at"`
	TriggerDate      *string     `json:"trigger_date"` // YYYY-MM-DD the reason for the change arose
	Clock            *clockJSON  `json:"clock"`        // the limit of the step it is in; null when finished
}

func toChangeRequestJSON(r models.ChangeRequestRow) changeRequestJSON {
	return changeRequestJSON{
		ID: r.ID, List: listRefJSON{ID: r.ListID, Title: r.ListTitle, Kind: r.ListKind},
		Agency: agencyJSON{ID: r.AgencyID, Name: r.AgencyName}, RegionCode: r.RegionCode,
		Title: r.Title, Reason: r.Reason, State: r.State, StateName: workflow.StateLabel(r.State),
		BaseVersion: r.BaseVersion, PublishedVersion: r.PublishedVersion, Version: r.Version,
		Submitter: personJSON{ID: r.SubmitterID, DisplayName: r.SubmitterName},
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, TriggerDate: r.TriggerDate,
	}
}

// previewJSON is an operation's effect on its base version: the change the
// list comparison will show once it is published (changeJSON, from the same
// computation). Changed names the fields the operation changes, 序号
// included and the note (written by publication) left out.
type previewJSON struct {
	changeJSON
	Changed []string `json:"changed"`
}

type operationJSON struct {
	ID             int64               `json:"id"`
	Number         int                 `json:"number"` // stable within the request ("操作3")
	Op             string              `json:"op" ts:"OpType"`
	OpName         string              `json:"op_name"`
	ItemID         *int64              `json:"item_id"`
	Item           *models.ItemFields  `json:"item"` // the item after the operation; null for remove
	Reason         string              `json:"reason"`
	Basis          string              `json:"basis"`
	BasisCitations []models.Citation   `json:"basis_citations"`
	Source         string              `json:"source"`
	AfterItemID    *int64              `json:"after_item_id"` // null: end of its category; 0: first
	Sources        []int64             `json:"sources"`       // merge: the items merged
	Parts          []models.ItemFields `json:"parts"`         // split: the new items
	DelegateTo     string              `json:"delegate_to"`   // delegate: where to
	Supervision    string              `json:"supervision"`   // 事中事后监管措施 (remove, delegate)
	TakeoverPlan   string              `json:"takeover_plan"` // 承接方案 (include)
	Preview        previewJSON         `json:"preview"`
	// CodeProblem: the item's 基本编码 disagrees with its 权力类型 (codes.Check),
	// e.g. a code kept from the base version; shown to the legal reviewer.
	CodeProblem string `json:"code_problem,omitempty"`
	// SinceReturn marks the operation against the last return: new, edited
	// (Changes is the redline of the edit) or unchanged; absent if never returned.
	SinceReturn *operationMarkJSON `json:"since_return,omitempty"`
	CreatedAt   time.Time          `json:"created_at"`
}

type operationMarkJSON struct {
	Mark    string       `json:"mark" ts:"Mark"`
	Changes []diff.Field `json:"changes"`
}

// editRedline is what the submitter changed in an operation since the
// return: the item's fields, then its reason, basis and source.
func editRedline(before, after models.Operation) []diff.Field {
	out := diff.Fields(before.Item, after.Item)
	// The operation's own texts are named op_*, apart from the item's fields
	// (the item's basis is 职权依据, the operation's 调整依据).
	for _, f := range [][3]string{{"op_reason", before.Reason, after.Reason}, {"op_basis", before.Basis, after.Basis}, {"op_source", before.Source, after.Source}} {
		if f[1] != f[2] {
			out = append(out, diff.Field{Field: f[0], Before: f[1], After: f[2], Segments: diff.Text(f[1], f[2])})
		}
	}
	if out == nil {
		out = []diff.Field{}
	}
	return out
}

func toOperationJSON(v workflow.OperationView) operationJSON {
	out := operationJSON{
		ID: v.ID, Number: v.Number, Op: v.Op, OpName: workflow.OpLabel(v.Op), ItemID: v.ItemID, Reason: v.Reason, Basis: v.Basis,
		BasisCitations: v.BasisCitations, Source: v.Source, AfterItemID: v.AfterItemID, CreatedAt: v.CreatedAt,
		Sources: v.Sources, Parts: make([]models.ItemFields, 0, len(v.Parts)), DelegateTo: v.DelegateTo, Supervision: v.Supervision, TakeoverPlan: v.TakeoverPlan,
		Preview: previewJSON{changeJSON: toChangeJSON(v.Change), Changed: v.Changed},
	}
	if out.Sources == nil {
		out.Sources = []int64{}
	}
	for _, p := range v.Parts {
		out.Parts = append(out.Parts, readable(p))
	}
	out.Preview.ItemID = 0
	if v.ItemID != nil {
		out.Preview.ItemID = *v.ItemID
	}
	if v.Op != models.OpRemove && v.Op != models.OpSplit {
		item := readable(v.Item)
		out.Item = &item
		if err := codes.Default.Check(v.Item.Code, v.Item.Category); err != nil {
			out.CodeProblem = err.Error()
		}
	}
	return out
}

type eventJSON struct {
	Event     string     `json:"event"`
	EventName string     `json:"event_name"`
	FromState string     `json:"from_state"`
	ToState   string     `json:"to_state"`
	Actor     personJSON `json:"actor"`
	Comment   string     `json:"comment"`
	Version   int        `json:"version"`
	At        time.Time  `json:"at"`
}

func toEventsJSON(events []models.EventRow) []eventJSON {
	out := make([]eventJSON, 0, len(events))
	for _, e := range events {
		out = append(out, eventJSON{Event: e.Event.Event, EventName: workflow.EventLabel(e.Event.Event), FromState: e.FromState, ToState: e.ToState,
			Actor: personJSON{ID: e.ActorID, DisplayName: e.ActorName}, Comment: e.Comment, Version: e.Version, At: e.CreatedAt})
	}
	return out
}

type changeRequestDetailJSON struct {
	changeRequestJSON
	ListVersion   int                `json:"list_version"` // the list's current version
	Operations    []operationJSON    `json:"operations"`
	Conflicts     []workflow.ItemRef `json:"conflicts"` // touched items changed since the base version: rebase
	Opinions      []eventJSON        `json:"opinions"`
	Timeline      []eventJSON        `json:"timeline"`
	AllowedEvents []string           `json:"allowed_events"` // what the current user may fire now
	MayUrge       bool               `json:"may_urge"`       // the current user may 督办 it
	Findings      []basis.Finding    `json:"findings"`       // the basis check of the operations
	FindingKinds  []findingKindJSON  `json:"finding_kinds"`  // the kinds with their labels
	Trigger       *models.Trigger    `json:"trigger"`        // the law change it was drafted for, if any
	// BlockedEvents: allowed events that cannot succeed now, with why (publish during a conflict).
	BlockedEvents map[string]string `json:"blocked_events"`
	SinceReturn   *sinceReturnJSON  `json:"since_return"` // null if never returned
	Deletable     bool              `json:"deletable"`    // a never-submitted draft the user may delete
	Editable      bool              `json:"editable"`     // the user may edit its title, reason, operations and base now
	// Process is the process it runs under (while editable: would be
	// submitted under); Track heavy (审定) or light; Countersigns the 会签
	// its latest submission asked for; Signed the reviews that signed off
	// the joint review it is in.
	Process      workflow.Process  `json:"process"`
	Track        string            `json:"track" ts:"Track"`
	Countersigns []countersignJSON `json:"countersigns"`
	Signed       []string          `json:"signed" ts:"Review"`
	// Missing: the materials operations still lack; it cannot be submitted until none is.
	Missing []workflow.Problem `json:"missing_materials"`
}

// sinceReturnJSON is the last return and the operations deleted since; the
// other operations carry their mark.
type sinceReturnJSON struct {
	Return  eventJSON              `json:"return"`
	Deleted []deletedOperationJSON `json:"deleted"`
}

type deletedOperationJSON struct {
	Number int    `json:"number"`
	Op     string `json:"op" ts:"OpType"`
	OpName string `json:"op_name"`
	ItemID *int64 `json:"item_id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// respondDetail answers with the request as the current user sees it now.
func (s *Server) respondDetail(c *gin.Context, status int, id int64) {
	d, err := s.flow.Get(c.Request.Context(), currentUser(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	out := changeRequestDetailJSON{changeRequestJSON: toChangeRequestJSON(d.Request), ListVersion: d.ListVersion,
		Operations: make([]operationJSON, 0, len(d.Operations)), Conflicts: d.Conflicts,
		Opinions: toEventsJSON(d.Opinions), Timeline: toEventsJSON(d.Timeline), AllowedEvents: d.AllowedEvents, MayUrge: d.MayUrge,
		BlockedEvents: d.Blocked, Deletable: d.Deletable, Editable: d.Editable,
		Process: d.Process, Track: d.Track, Countersigns: toCountersignsJSON(d.Countersigns), Signed: d.Signed, Missing: d.Missing}
	if out.Missing == nil {
		out.Missing = []workflow.Problem{}
	}
	out.Clock = toClockJSON(d.Clock)
	if out.Conflicts == nil {
		out.Conflicts = []workflow.ItemRef{}
	}
	for _, op := range d.Operations {
		j := toOperationJSON(op)
		if sr := d.SinceReturn; sr != nil {
			m := sr.Marks[op.ID]
			j.SinceReturn = &operationMarkJSON{Mark: m.Mark, Changes: []diff.Field{}}
			if m.Before != nil {
				j.SinceReturn.Changes = editRedline(*m.Before, op.Operation)
			}
		}
		out.Operations = append(out.Operations, j)
	}
	if sr := d.SinceReturn; sr != nil {
		out.SinceReturn = &sinceReturnJSON{Return: toEventsJSON([]models.EventRow{sr.Return})[0], Deleted: []deletedOperationJSON{}}
		for _, op := range sr.Deleted {
			out.SinceReturn.Deleted = append(out.SinceReturn.Deleted, deletedOperationJSON{Number: op.Number, Op: op.Op,
				OpName: workflow.OpLabel(op.Op), ItemID: op.ItemID, Name: op.Item.Name, Reason: op.Reason})
		}
	}
	out.Findings, out.FindingKinds = d.Findings, findingKindsJSON()
	if out.Trigger, err = s.trigger(c, d.Request.ID); err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, out)
}

type createChangeRequestBody struct {
	ListID      int64  `json:"list_id"`
	Title       string `json:"title"`
	Reason      string `json:"reason"`
	TriggerDate string `json:"trigger_date"`
}

func (s *Server) createChangeRequest(c *gin.Context) {
	var b createChangeRequestBody
	if !bindBody(c, &b, `{"list_id","title","reason","trigger_date"}`) {
		return
	}
	cr, err := s.flow.Create(c.Request.Context(), currentUser(c), workflow.NewRequest{ListID: b.ListID, Title: b.Title, Reason: b.Reason,
		TriggerDate: b.TriggerDate})
	if err != nil {
		fail(c, err)
		return
	}
	s.respondDetail(c, http.StatusCreated, cr.ID)
}

func (s *Server) listChangeRequests(c *gin.Context) {
	var f workflow.Filter
	var err error
	if f.ListID, err = optionalID(c, "list_id"); err != nil {
		fail(c, err)
		return
	}
	if f.AgencyID, err = optionalID(c, "agency_id"); err != nil {
		fail(c, err)
		return
	}
	page, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	f.Limit, f.Offset = page.Limit, page.Offset
	f.State, f.Queue = c.Query("state"), c.Query("queue")
	if f.Q, err = queryText(c, "q", maxQueryRunes); err != nil {
		fail(c, err)
		return
	}
	rows, total, err := s.flow.List(c.Request.Context(), currentUser(c), f)
	if err != nil {
		fail(c, err)
		return
	}
	out, err := s.withClocks(c, rows)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, changeRequestPageJSON{ChangeRequests: out, Total: total, Limit: f.Limit, Offset: f.Offset})
}

// changeRequestPageJSON is one page of the requests the user may see.
type changeRequestPageJSON struct {
	ChangeRequests []changeRequestJSON `json:"change_requests"`
	Total          int64               `json:"total"`
	Limit          int                 `json:"limit"`
	Offset         int                 `json:"offset"`
}

// requestCountsJSON are the numbers behind the menu.
type requestCountsJSON struct {
	Counts  map[string]int64 `json:"counts" ts:"State"` // per state, the states with none left out
	Waiting int64            `json:"waiting"`           // waiting for this user's action: the menu badge
	Drafts  int64            `json:"drafts"`
}

// changeRequestCounts answers the numbers behind the menu: the requests the
// user may see per state, how many wait for their action, their drafts.
func (s *Server) changeRequestCounts(c *gin.Context) {
	n, err := s.flow.Count(c.Request.Context(), currentUser(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, requestCountsJSON{Counts: n.ByState, Waiting: n.Waiting, Drafts: n.Drafts})
}

func (s *Server) deleteChangeRequest(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.flow.Delete(c.Request.Context(), currentUser(c), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) getChangeRequest(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	s.respondDetail(c, http.StatusOK, id)
}

type updateChangeRequestBody struct {
	Title       *string `json:"title"`
	Reason      *string `json:"reason"`
	TriggerDate *string `json:"trigger_date"`
}

func (s *Server) updateChangeRequest(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b updateChangeRequestBody
	if !bindBody(c, &b, `{"title","reason","trigger_date"}`) {
		return
	}
	if _, err := s.flow.Update(c.Request.Context(), currentUser(c), id, workflow.RequestPatch{Title: b.Title, Reason: b.Reason,
		TriggerDate: b.TriggerDate}); err != nil {
		fail(c, err)
		return
	}
	s.respondDetail(c, http.StatusOK, id)
}

type operationBody struct {
	Op           string            `json:"op"`
	ItemID       *int64            `json:"item_id"`
	Item         json.RawMessage   `json:"item"`
	Reason       string            `json:"reason"`
	Basis        string            `json:"basis"`
	Source       string            `json:"source"`
	Sources      []int64           `json:"sources"`
	Parts        []json.RawMessage `json:"parts"`
	DelegateTo   string            `json:"delegate_to"`
	Supervision  string            `json:"supervision"`
	TakeoverPlan string            `json:"takeover_plan"`
	// AfterItemID places an added, included or recategorised item in its
	// category: absent or null at the end, 0 first, otherwise after that item.
	AfterItemID *int64 `json:"after_item_id"`
}

func (s *Server) addOperation(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b operationBody
	if !bindBody(c, &b, `{"op","item_id","item":{…},"reason","basis","source","after_item_id","sources":[…],"parts":[{…}],"delegate_to","supervision","takeover_plan"}`) {
		return
	}
	v, err := s.flow.AddOperation(c.Request.Context(), currentUser(c), id, workflow.OperationInput{
		Op: b.Op, ItemID: b.ItemID, Item: b.Item, Reason: b.Reason, Basis: b.Basis, Source: b.Source, AfterItemID: b.AfterItemID,
		Sources: b.Sources, Parts: b.Parts, DelegateTo: b.DelegateTo, Supervision: b.Supervision, TakeoverPlan: b.TakeoverPlan,
	})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toOperationJSON(v))
}

type operationPatchBody struct {
	Op           string            `json:"op"`
	ItemID       *int64            `json:"item_id"`
	Item         json.RawMessage   `json:"item"`
	Reason       *string           `json:"reason"`
	Basis        *string           `json:"basis"`
	Source       *string           `json:"source"`
	Parts        []json.RawMessage `json:"parts"`
	DelegateTo   *string           `json:"delegate_to"`
	Supervision  *string           `json:"supervision"`
	TakeoverPlan *string           `json:"takeover_plan"`
}

// operationParams reads a request's id and an operation's id from the path.
func operationParams(c *gin.Context) (id, opID int64, err error) {
	if id, err = idParam(c, "id"); err == nil {
		opID, err = idParam(c, "op_id")
	}
	return id, opID, err
}

func (s *Server) editOperation(c *gin.Context) {
	id, opID, err := operationParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b operationPatchBody
	if !bindBody(c, &b, `{"item":{…},"reason","basis","source","parts":[{…}],"delegate_to","supervision","takeover_plan"}`) {
		return
	}
	v, err := s.flow.EditOperation(c.Request.Context(), currentUser(c), id, opID, workflow.OperationPatch{
		Op: b.Op, ItemID: b.ItemID, Item: b.Item, Reason: b.Reason, Basis: b.Basis, Source: b.Source,
		Parts: b.Parts, DelegateTo: b.DelegateTo, Supervision: b.Supervision, TakeoverPlan: b.TakeoverPlan,
	})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toOperationJSON(v))
}

type candidateJSON struct {
	itemJSON
	List listJSON `json:"list"`
}

type candidatesJSON struct {
	Items []candidateJSON `json:"items"`
}

// includeCandidates answers the 列入 picker: items of other lists' current
// versions matching ?q= (name, sub-item or code).
func (s *Server) includeCandidates(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	q, err := queryText(c, "q", maxQueryRunes)
	if err != nil {
		fail(c, err)
		return
	}
	found, err := s.flow.IncludeCandidates(c.Request.Context(), currentUser(c), id, q)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]candidateJSON, 0, len(found))
	for _, f := range found {
		out = append(out, candidateJSON{itemJSON: toItemJSON(f.Item), List: toListJSON(f.List)})
	}
	c.JSON(http.StatusOK, candidatesJSON{Items: out})
}

func (s *Server) deleteOperation(c *gin.Context) {
	id, opID, err := operationParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.flow.DeleteOperation(c.Request.Context(), currentUser(c), id, opID); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type transitionBody struct {
	Event   string `json:"event"`
	Comment string `json:"comment"`
	// The publication's record, for event publish only (workflow.Publication).
	DocNumber string `json:"doc_number"`
	Date      string `json:"date"`
}

func (s *Server) fireTransition(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b transitionBody
	if !bindBody(c, &b, `{"event","comment","doc_number","date"}`) {
		return
	}
	if b.Event == workflow.EventPublish {
		s.publish(c, workflow.Publication{Requests: []int64{id}, Comment: b.Comment, DocNumber: b.DocNumber, Date: b.Date}, id)
		return
	}
	if b.DocNumber != "" || b.Date != "" {
		fail(c, apperr.New(apperr.Invalid, "doc_number、date 只用于公布（event 为 publish）").WithDetails(map[string]any{"field": "doc_number"}))
		return
	}
	if _, err := s.flow.Fire(c.Request.Context(), currentUser(c), id, b.Event, b.Comment); err != nil {
		fail(c, err)
		return
	}
	s.respondDetail(c, http.StatusOK, id)
}

func (s *Server) rebaseChangeRequest(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	if _, err := s.flow.Rebase(c.Request.Context(), currentUser(c), id); err != nil {
		fail(c, err)
		return
	}
	s.respondDetail(c, http.StatusOK, id)
}
