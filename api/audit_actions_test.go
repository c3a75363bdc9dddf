package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

// Every change of state, and every refusal of a logged-in user, leaves an
// audit entry naming who did it.
func TestEveryActionIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		id := e.create(t, "hsb-ybj", e.hsb)
		cr := fmt.Sprintf("/api/v1/change-requests/%d", id)
		e.must(t, http.StatusOK, "hsb-ybj", "PATCH", cr, map[string]any{"title": "新标题"})
		op := e.addOp(t, "hsb-ybj", id, map[string]any{"op": "add", "item": map[string]any{"name": "新事项", "category": "行政检查", "basis": crBasis}})
		e.must(t, http.StatusNoContent, "hsb-ybj", "DELETE", fmt.Sprintf("%s/operations/%d", cr, op), nil)
		e.toState(t, e.hsb, "published", map[string]any{"op": "add", "item": map[string]any{"name": "另一事项", "category": "行政检查", "basis": crBasis}})
		e.must(t, http.StatusOK, "hsb-ybj", "POST", cr+"/rebase", nil)
		e.must(t, http.StatusForbidden, "hsb-ybj", "GET", "/api/v1/audit", nil)
		e.must(t, http.StatusNotFound, "yt-ybj", "GET", cr, nil)

		events, err := e.store.AuditEvents(context.Background(), models.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		by := map[string][]string{}
		for _, ev := range events {
			by[ev.Action] = append(by[ev.Action], ev.Actor)
		}
		for action, actor := range map[string]string{
			"import": "system", "change_request_create": "hsb-ybj", "change_request_update": "hsb-ybj",
			"operation_add": "hsb-ybj", "operation_delete": "hsb-ybj", "transition": "hsb-gov", "publish": "hsb-gov",
			"rebase": "hsb-ybj", "access_denied": "yt-ybj",
		} {
			if !slices.Contains(by[action], actor) {
				t.Errorf("no %s by %s in the audit log (%v)", action, actor, by[action])
			}
		}
		if !slices.Contains(by["access_denied"], "hsb-ybj") {
			t.Errorf("the 403 of hsb-ybj is not audited: %v", by["access_denied"])
		}
	})
}
