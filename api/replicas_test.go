package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
)

// Which database answers, with DATABASE_READ_URL naming a stand-in for a
// replica that holds nothing (faults/replica_test.go runs a real streaming
// replica): anonymous reads and a user's who wrote nothing lately read it;
// writes, sign-ins and the reads of a user who just wrote read the primary.
func TestReadsRouteToReplicas(t *testing.T) {
	primary, standIn := dbtest.URL(t, "postgres"), dbtest.URL(t, "postgres")
	dbtest.OpenURL(t, standIn) // migrated, empty
	store := dbtest.OpenURL(t, primary, standIn)
	listID := importSeeds(t, store)[0]
	a := auth.New(store, auth.Config{HashCost: bcrypt.MinCost})
	seedCRUsers(t, a, store, listID)
	h := api.NewRouter(api.Options{Store: store, Auth: a})
	list := fmt.Sprintf("/api/v1/lists/%d", listID)

	if r := call(t, h, "GET", list, nil, ""); r.Status != http.StatusNotFound {
		t.Fatalf("anonymous: %d, want the replica's 404", r.Status)
	}
	_, reviewer := loginAs(t, h, "hsb-sfj")
	if r := call(t, h, "GET", list, nil, reviewer); r.Status != http.StatusNotFound {
		t.Fatalf("a user who wrote nothing: %d %s, want the replica's 404", r.Status, r.Body)
	}
	_, submitter := loginAs(t, h, "hsb-ybj")
	cr := call(t, h, "POST", "/api/v1/change-requests", map[string]any{"list_id": listID, "title": "调整罚款幅度", "reason": "上位法修正"}, submitter)
	if cr.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", cr.Status, cr.Body)
	}
	var created struct{ ID int64 }
	cr.JSON(t, &created)
	for _, p := range []string{list, fmt.Sprintf("/api/v1/change-requests/%d", created.ID)} {
		if r := call(t, h, "GET", p, nil, submitter); r.Status != http.StatusOK {
			t.Fatalf("%s by the user who just wrote: %d %s, want the primary's 200", p, r.Status, r.Body)
		}
	}
	if r := call(t, h, "GET", list, nil, reviewer); r.Status != http.StatusNotFound {
		t.Fatalf("another user after someone else's write: %d, want the replica's 404", r.Status)
	}
	if up, all := store.ReplicasUp(); up != 1 || all != 1 {
		t.Errorf("replicas up: %d of %d", up, all)
	}
}
