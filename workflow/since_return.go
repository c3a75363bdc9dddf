package workflow

import (
	"encoding/json"
	"fmt"
	"reflect"

	"qingdan/models"
)

// Marks of an operation since the request was last returned.
const (
	MarkNew       = "new"
	MarkEdited    = "edited"
	MarkUnchanged = "unchanged"
)

var markLabels = map[string]string{MarkNew: "新增", MarkEdited: "已修改", MarkUnchanged: "未修改"}

// SinceReturn is what the submitter changed after the last return: each
// current operation marked, and the operations deleted since. Operations are
// matched by their stable number.
type SinceReturn struct {
	Return  models.EventRow
	Marks   map[int64]OperationMark // by operation id
	Deleted []models.Operation      // as they were at the return
}

// OperationMark is one operation's mark; Before is its state at the return
// for an edited one.
type OperationMark struct {
	Mark   string
	Before *models.Operation
}

// snapshot records the operations as a return leaves them.
func snapshot(ops []models.Operation) (string, error) {
	b, err := json.Marshal(ops)
	if err != nil {
		return "", fmt.Errorf("snapshot operations: %w", err)
	}
	return string(b), nil
}

// sinceReturn compares the operations with those recorded by the last return
// among the events; nil when the request was never returned.
func sinceReturn(events []models.EventRow, ops []models.Operation) (*SinceReturn, error) {
	var last *models.EventRow
	for i := range events {
		if events[i].Event.Event == EventReturn && events[i].Operations != "" {
			last = &events[i]
		}
	}
	if last == nil {
		return nil, nil
	}
	var then []models.Operation
	if err := json.Unmarshal([]byte(last.Operations), &then); err != nil {
		return nil, fmt.Errorf("operations recorded by the return of change request %d: %w", last.ChangeRequestID, err)
	}
	byNumber := make(map[int]*models.Operation, len(then))
	for i := range then {
		byNumber[then[i].Number] = &then[i]
	}
	out := &SinceReturn{Return: *last, Marks: make(map[int64]OperationMark, len(ops)), Deleted: []models.Operation{}}
	seen := map[int]bool{}
	for _, op := range ops {
		seen[op.Number] = true
		was, ok := byNumber[op.Number]
		switch {
		case !ok:
			out.Marks[op.ID] = OperationMark{Mark: MarkNew}
		case sameOperation(*was, op):
			out.Marks[op.ID] = OperationMark{Mark: MarkUnchanged}
		default:
			out.Marks[op.ID] = OperationMark{Mark: MarkEdited, Before: was}
		}
	}
	for _, was := range then {
		if !seen[was.Number] {
			out.Deleted = append(out.Deleted, was)
		}
	}
	return out, nil
}

// sameOperation: what the submitter can change is the same. A rebase that
// carried an edit onto a newer item counts as a change: the reviewer should
// look at it again.
func sameOperation(a, b models.Operation) bool {
	if a.Reason != b.Reason || a.Basis != b.Basis || a.Source != b.Source || a.DelegateTo != b.DelegateTo ||
		a.Supervision != b.Supervision || a.TakeoverPlan != b.TakeoverPlan || len(a.Parts) != len(b.Parts) ||
		!reflect.DeepEqual(withoutCitations(a.Item), withoutCitations(b.Item)) {
		return false
	}
	for i := range a.Parts {
		if !reflect.DeepEqual(withoutCitations(a.Parts[i]), withoutCitations(b.Parts[i])) {
			return false
		}
	}
	return true
}

// withoutCitations: citations are parsed from the basis, which is compared;
// an empty and a missing list are the same.
func withoutCitations(f models.ItemFields) models.ItemFields {
	f.Citations = nil
	return f
}
