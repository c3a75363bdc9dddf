package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/diff"
	"qingdan/models"
	"qingdan/vcache"
	"qingdan/workflow"
)

// History: published versions, their differences and each item's timeline.
// Everything here is published, so anonymous readers may read it; what is
// internal to the review — opinions, returned rounds, the names of staff —
// only logged-in staff see (审查意见 are 过程性信息, not published).

type versionCRJSON struct {
	ID      int64           `json:"id"`
	Title   string          `json:"title"`
	Agency  string          `json:"agency"`
	Trigger *models.Trigger `json:"trigger"` // the law change it came from, if any
}

type countsJSON struct {
	Added         int `json:"added"`
	Included      int `json:"included"`
	Modified      int `json:"modified"`
	Recategorized int `json:"recategorized"`
	Removed       int `json:"removed"`
	Delegated     int `json:"delegated"`
	Merged        int `json:"merged"`
	Split         int `json:"split"`
}

type versionJSON struct {
	Number        int            `json:"number"`
	PublishedAt   time.Time      `json:"published_at"`
	ItemCount     int            `json:"item_count"`
	ChangeRequest *versionCRJSON `json:"change_request"` // null for version 1, the import, and for a batch
	// ChangeRequests are every request published in it: one, or several for
	// a 集中调整 (batch_name); none for the import.
	ChangeRequests []versionCRJSON `json:"change_requests"`
	BatchName      string          `json:"batch_name"`
	DocNumber      string          `json:"doc_number"`   // 文号
	PublishDate    string          `json:"publish_date"` // 公布日期 YYYY-MM-DD
	Counts         countsJSON      `json:"counts"`
}

func toVersionJSON(v models.ListVersion, crs []models.VersionRequest) versionJSON {
	j := versionJSON{Number: v.Number, PublishedAt: v.PublishedAt, ItemCount: v.ItemCount, ChangeRequests: []versionCRJSON{},
		BatchName: v.BatchName, DocNumber: v.DocNumber, PublishDate: v.PublishDate,
		Counts: countsJSON{Added: v.Added, Included: v.Included, Modified: v.Modified, Recategorized: v.Recategorized, Removed: v.Removed,
			Delegated: v.Delegated, Merged: v.Merged, Split: v.Split}}
	for _, cr := range crs {
		j.ChangeRequests = append(j.ChangeRequests, versionCRJSON{ID: cr.ID, Title: cr.Title, Agency: cr.Agency})
	}
	return j
}

func (s *Server) listVersions(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	vs, err := s.store.Versions(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	published, err := s.store.VersionRequests(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	var crIDs []int64
	for _, crs := range published {
		for _, cr := range crs {
			crIDs = append(crIDs, cr.ID)
		}
	}
	triggers, err := s.store.Triggers(c.Request.Context(), crIDs)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]versionJSON, 0, len(vs))
	for _, v := range vs {
		j := toVersionJSON(v.ListVersion, published[v.Number])
		for i := range j.ChangeRequests {
			if t, ok := triggers[j.ChangeRequests[i].ID]; ok {
				j.ChangeRequests[i].Trigger = &t
			}
		}
		if v.ChangeRequestID != nil && len(j.ChangeRequests) == 1 {
			j.ChangeRequest = &j.ChangeRequests[0]
		}
		out = append(out, j)
	}
	c.JSON(http.StatusOK, versionsJSON{ListID: id, Versions: out})
}

type versionsJSON struct {
	ListID   int64         `json:"list_id"`
	Versions []versionJSON `json:"versions"`
}

// diffJSON is the comparison of two versions of a list.
type diffJSON struct {
	ListID  int64        `json:"list_id"`
	From    int          `json:"from"`
	To      int          `json:"to"`
	Changes []changeJSON `json:"changes"`
}

// changeJSON is one change of the list comparison, and of an operation's
// preview: the same computation (diff.Between) answers both. A 合并 is one
// change whose merged_from are the items merged; a 分设 one whose
// split_into are the new items.
type changeJSON struct {
	ItemID     int64        `json:"item_id"` // 0 for an item a pending operation would create
	Kind       diff.Kind    `json:"kind" ts:"ChangeKind"`
	KindName   string       `json:"kind_name"`
	Before     *itemJSON    `json:"before"`
	After      *itemJSON    `json:"after"`
	Fields     []diff.Field `json:"fields"`
	MergedFrom []itemJSON   `json:"merged_from"`
	SplitInto  []itemJSON   `json:"split_into"`
}

func toChangeJSON(ch diff.Change) changeJSON {
	out := changeJSON{ItemID: max(ch.ItemID, 0), Kind: ch.Kind, KindName: models.ItemChangeLabels[ch.Kind],
		Before: toItemPtr(ch.Before), After: toItemPtr(ch.After), Fields: ch.Fields,
		MergedFrom: make([]itemJSON, 0, len(ch.From)), SplitInto: make([]itemJSON, 0, len(ch.Into))}
	if out.Fields == nil {
		out.Fields = []diff.Field{}
	}
	for _, r := range ch.From {
		out.MergedFrom = append(out.MergedFrom, toItemJSON(*r))
	}
	for _, r := range ch.Into {
		out.SplitInto = append(out.SplitInto, toItemJSON(*r))
	}
	return out
}

func toItemPtr(r *models.ItemRevision) *itemJSON {
	if r == nil {
		return nil
	}
	j := toItemJSON(*r)
	j.ID = max(j.ID, 0) // a pending item has none yet
	return &j
}

// versionPair reads the required ?from= and ?to= version numbers.
func versionPair(c *gin.Context) (from, to int, err error) {
	for _, p := range []struct {
		name string
		dst  *int
	}{{"from", &from}, {"to", &to}} {
		if _, ok := c.GetQuery(p.name); !ok {
			return 0, 0, apperr.New(apperr.Invalid, "缺少参数 %s（版本号）", p.name)
		}
		n, err := optionalInt(c, p.name)
		if err != nil {
			return 0, 0, err
		}
		*p.dst = *n
	}
	return from, to, nil
}

func (s *Server) listDiff(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	from, to, err := versionPair(c)
	if err != nil {
		fail(c, err)
		return
	}
	s.serveVersioned(c, fmt.Sprintf("diff %d %d %d", id, from, to), true, func(ctx context.Context) (vcache.Answer, error) {
		res, err := diff.Versions(ctx, s.store, id, from, to)
		if err != nil {
			return vcache.Answer{}, err
		}
		changes := make([]changeJSON, 0, len(res.Changes))
		for _, ch := range res.Changes {
			changes = append(changes, toChangeJSON(ch))
		}
		return jsonAnswer(diffJSON{ListID: id, From: from, To: to, Changes: changes})
	})
}

type historyCRJSON struct {
	ID              int64           `json:"id"` // the request's number
	Title           string          `json:"title"`
	Reason          string          `json:"reason"`
	Agency          string          `json:"agency"`
	OperationReason string          `json:"operation_reason"` // why this item changed
	OperationBasis  string          `json:"operation_basis"`
	SubmittedAt     *time.Time      `json:"submitted_at"` // the submission that was approved
	ApprovedAt      *time.Time      `json:"approved_at"`
	Trigger         *models.Trigger `json:"trigger"` // the law change the request was drafted for, if any
}

type actorJSON struct {
	ID          int64  `json:"id"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role" ts:"Role"`
	RoleName    string `json:"role_name"`
}

type opinionJSON struct {
	Event     string    `json:"event"`
	FromState string    `json:"from_state"`
	ToState   string    `json:"to_state"`
	Comment   string    `json:"comment"`
	At        time.Time `json:"at"`
	Actor     actorJSON `json:"actor"`
}

// personActsJSON is someone who acted on a change request and what they did.
type personActsJSON struct {
	actorJSON
	Acts []string `json:"acts"` // "create" (起草) for the submitter, then the events they fired
}

type historyEntryJSON struct {
	Version       int              `json:"version"`  // published in
	ValidTo       *int             `json:"valid_to"` // replaced in; null while in force
	PublishedAt   time.Time        `json:"published_at"`
	Op            string           `json:"op"`
	Note          string           `json:"note"`
	PrevCode      string           `json:"prev_code"`
	Item          *itemJSON        `json:"item"` // null for the removal
	ChangeRequest *historyCRJSON   `json:"change_request"`
	Opinions      []opinionJSON    `json:"opinions"` // empty for anonymous readers
	People        []personActsJSON `json:"people"`   // empty for anonymous readers
	// Lineage: in this step the item came from (合并, 分设) or went into
	// other items, each leading to that item's own timeline.
	Lineage []lineageJSON `json:"lineage"`
}

type lineageJSON struct {
	Op        string `json:"op"`
	OpName    string `json:"op_name"`
	Direction string `json:"direction"` // "from": this item came from it; "to": this item went into it
	ItemID    int64  `json:"item_id"`
	Name      string `json:"name"`
}

func toActorJSON(u models.User) actorJSON {
	return actorJSON{ID: u.ID, DisplayName: u.DisplayName, Role: u.Role, RoleName: models.RoleLabels[u.Role]}
}

// toHistoryEntryJSON is an entry as a reader sees it; staff also see who
// acted and the opinions they gave.
func toHistoryEntryJSON(e models.HistoryEntry, staff bool) historyEntryJSON {
	j := historyEntryJSON{Version: e.Version, PublishedAt: e.PublishedAt, Op: e.Op,
		Item: toItemPtr(e.Revision), Opinions: []opinionJSON{}, People: []personActsJSON{}, Lineage: []lineageJSON{}}
	if e.Revision != nil {
		j.Note, j.PrevCode = e.Revision.Note, e.Revision.PrevCode
		if e.Until != models.OpenEnd {
			until := e.Until
			j.ValidTo = &until
		}
	}
	if t := e.Trail; t != nil {
		j.ChangeRequest = &historyCRJSON{ID: t.ID, Title: t.Title, Reason: t.Reason, Agency: t.AgencyName}
		if e.Operation != nil {
			j.ChangeRequest.OperationReason, j.ChangeRequest.OperationBasis = e.Operation.Reason, e.Operation.Basis
		}
		for _, ev := range t.Events {
			at := ev.CreatedAt
			switch ev.Event.Event {
			case workflow.EventSubmit:
				j.ChangeRequest.SubmittedAt = &at
			case workflow.EventApprove:
				j.ChangeRequest.ApprovedAt = &at
			}
		}
		if !staff {
			return j
		}
		people := map[int64]int{} // user id → index in j.People
		act := func(u models.User, what string) {
			i, ok := people[u.ID]
			if !ok {
				i = len(j.People)
				people[u.ID] = i
				j.People = append(j.People, personActsJSON{actorJSON: toActorJSON(u)})
			}
			j.People[i].Acts = append(j.People[i].Acts, what)
		}
		act(t.Submitter, workflow.TimelineCreate)
		for _, ev := range t.Events {
			act(ev.Actor, ev.Event.Event)
			if ev.Comment != "" {
				j.Opinions = append(j.Opinions, opinionJSON{Event: ev.Event.Event, FromState: ev.FromState, ToState: ev.ToState,
					Comment: ev.Comment, At: ev.CreatedAt, Actor: toActorJSON(ev.Actor)})
			}
		}
	}
	return j
}

func (s *Server) itemHistory(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	entries, err := s.store.ItemHistory(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	var crIDs []int64
	for _, e := range entries {
		if e.Trail != nil {
			crIDs = append(crIDs, e.Trail.ID)
		}
	}
	triggers, err := s.store.Triggers(c.Request.Context(), crIDs)
	if err != nil {
		fail(c, err)
		return
	}
	lineage, err := s.lineage(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]historyEntryJSON, 0, len(entries))
	var removedIn *int
	for _, e := range entries {
		j := toHistoryEntryJSON(e, currentUser(c) != nil)
		// A lineage step belongs to the entry of its version: the item's first
		// revision (came from) or its removal (went into).
		for _, l := range lineage[e.Version] {
			if (l.Direction == "from") == (e.Revision != nil) {
				j.Lineage = append(j.Lineage, l)
			}
		}
		if t, ok := triggers[crIDOf(e)]; ok && j.ChangeRequest != nil {
			j.ChangeRequest.Trigger = &t
		}
		out = append(out, j)
		if e.Revision == nil {
			v := e.Version
			removedIn = &v
		}
	}
	c.JSON(http.StatusOK, itemHistoryJSON{ItemID: id, ListID: listOf(entries), RemovedIn: removedIn, Revisions: out})
}

// itemHistoryJSON is an item's timeline, oldest first.
type itemHistoryJSON struct {
	ItemID    int64              `json:"item_id"`
	ListID    int64              `json:"list_id"`
	RemovedIn *int               `json:"removed_in"` // the version that removed it; null while listed
	Revisions []historyEntryJSON `json:"revisions"`
}

// lineage is what an item came from and went into, by version: the 合并
// and 分设 it took part in (a 下放 keeps the item and needs no link).
func (s *Server) lineage(ctx context.Context, itemID int64) (map[int][]lineageJSON, error) {
	links, err := s.store.ItemLinks(ctx, itemID)
	if err != nil {
		return nil, err
	}
	var others []int64
	for _, l := range links {
		if l.FromItemID != l.ToItemID {
			others = append(others, l.FromItemID, l.ToItemID)
		}
	}
	names, err := s.store.ItemNames(ctx, others)
	if err != nil {
		return nil, err
	}
	out := map[int][]lineageJSON{}
	for _, l := range links {
		j := lineageJSON{Op: l.Op, OpName: workflow.OpLabel(l.Op), Direction: "from", ItemID: l.FromItemID}
		if l.FromItemID == itemID {
			if l.ToItemID == itemID {
				continue
			}
			j.Direction, j.ItemID = "to", l.ToItemID
		}
		j.Name = names[j.ItemID]
		out[l.Version] = append(out[l.Version], j)
	}
	return out, nil
}

func listOf(entries []models.HistoryEntry) int64 {
	if len(entries) > 0 && entries[0].Revision != nil {
		return entries[0].Revision.ListID
	}
	return 0
}

func crIDOf(e models.HistoryEntry) int64 {
	if e.Trail != nil {
		return e.Trail.ID
	}
	return 0
}
