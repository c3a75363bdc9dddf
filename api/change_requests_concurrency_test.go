package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"qingdan/api"
	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// instances are two server instances, each with its own connection pool, on
// one database — as behind a load balancer.
type instances struct {
	*crEnv // drives the setup through the first instance's router
	urls   [2]string
	db     *models.Store
}

func newInstances(t *testing.T, engine string) *instances {
	t.Helper()
	url := dbtest.URL(t, engine)
	var routers [2]http.Handler
	var stores [2]*models.Store
	var services [2]*auth.Service
	for i := range 2 {
		stores[i] = dbtest.OpenURL(t, url)
		services[i] = auth.New(stores[i], auth.Config{HashCost: bcrypt.MinCost})
		routers[i] = api.NewRouter(api.Options{Store: stores[i], Auth: services[i]})
	}
	lists := importSeeds(t, stores[0])
	seedCRUsers(t, services[0], stores[0], lists[0])
	env := &crEnv{h: routers[0], store: stores[0], hsb: lists[0], yt: lists[1], token: map[string]string{"anonymous": ""}}
	for _, u := range crUsers {
		_, env.token[u] = loginAs(t, env.h, u)
	}
	in := &instances{crEnv: env, db: stores[0]}
	for i, r := range routers {
		srv := httptest.NewServer(r)
		t.Cleanup(srv.Close)
		in.urls[i] = srv.URL
	}
	return in
}

// shot is one HTTP request to fire at the same moment as others.
type shot struct {
	instance   int
	who, event string
	id         int64
}

// fireTogether sends the transitions at once, each over real HTTP to its
// instance, and returns their statuses in order.
func (in *instances) fireTogether(t *testing.T, shots ...shot) []int {
	t.Helper()
	statuses := make([]int, len(shots))
	errs := make([]error, len(shots))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, s := range shots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]string{"event": s.event})
			req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/change-requests/%d/transitions", in.urls[s.instance], s.id), bytes.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+in.token[s.who])
			<-start
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			msg, _ := io.ReadAll(resp.Body)
			statuses[i] = resp.StatusCode
			if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusConflict {
				errs[i] = fmt.Errorf("%s %s on %d: %d %s", s.who, s.event, s.id, resp.StatusCode, msg)
			}
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return statuses
}

func (in *instances) checkAuditChain(t *testing.T) {
	t.Helper()
	check, err := in.db.VerifyAudit(context.Background())
	if err != nil || check.Broken != nil {
		t.Errorf("audit chain after concurrent transitions: %+v %v", check.Broken, err)
	}
}

// TestChangeRequestConcurrentReviews: two legal reviewers press pass on the
// same request at once through two server instances: one transition, one 409.
func TestChangeRequestConcurrentReviews(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			in := newInstances(t, engine)
			for round := range 8 {
				id := in.toState(t, in.hsb, "legal_review", map[string]any{"op": "add", "item": map[string]any{"name": fmt.Sprintf("事项%d", round), "category": "行政检查", "basis": crBasis}})
				got := in.fireTogether(t, shot{0, "hsb-sfj", "pass", id}, shot{1, "hsb-sfj2", "pass", id})
				slices.Sort(got)
				if !slices.Equal(got, []int{http.StatusOK, http.StatusConflict}) {
					t.Errorf("round %d: statuses %v, want one 200 and one 409", round, got)
				}
				var events []models.Event
				in.db.DB(context.Background()).Where("change_request_id = ?", id).Order("version").Find(&events)
				if len(events) != 2 || events[1].Event != "pass" || events[1].ToState != models.StateApproval {
					t.Errorf("round %d: events %+v", round, events)
				}
			}
			in.checkAuditChain(t)
		})
	}
}

// TestChangeRequestConcurrentPublications: approved requests on one list
// published at once through two instances become versions N+1, N+2, … with
// every change kept; two that touch the same item give one version and one 409.
func TestChangeRequestConcurrentPublications(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			in := newInstances(t, engine)
			ctx := context.Background()
			modify := func(name, content string) map[string]any {
				return map[string]any{"op": "modify", "item_id": in.itemID(t, in.hsb, name), "item": map[string]any{"content": content}}
			}
			// Four requests on four different items, two through each instance.
			targets := []string{"社会保险稽核", "社会保险基金监督检查", "社会保险待遇支付", "对定点医疗机构的检查"}
			for round := range 4 {
				n, _ := in.items(t, in.hsb, "")
				var ids []int64
				var shots []shot
				for i, name := range targets {
					id := in.toState(t, in.hsb, "approved", modify(name, fmt.Sprintf("第%d轮 %d", round, i)))
					ids = append(ids, id)
					shots = append(shots, shot{i % 2, "hsb-gov", "publish", id})
				}
				got := in.fireTogether(t, shots...)
				if slices.ContainsFunc(got, func(s int) bool { return s != http.StatusOK }) {
					t.Fatalf("round %d: statuses %v", round, got)
				}
				var published []int
				for _, id := range ids {
					row, err := in.db.ChangeRequestRow(ctx, id)
					if err != nil || row.PublishedVersion == nil {
						t.Fatalf("round %d: request %d: %+v %v", round, id, row, err)
					}
					published = append(published, *row.PublishedVersion)
				}
				slices.Sort(published)
				if !slices.Equal(published, []int{n + 1, n + 2, n + 3, n + 4}) {
					t.Errorf("round %d: published as %v on version %d", round, published, n)
				}
				v, items := in.items(t, in.hsb, "")
				if v != n+4 {
					t.Errorf("round %d: list at version %d, want %d", round, v, n+4)
				}
				for i, name := range targets {
					if it, _ := findItem(items, name); it.Content != fmt.Sprintf("第%d轮 %d", round, i) {
						t.Errorf("round %d: %s has %q: an update was lost", round, name, it.Content)
					}
				}
			}

			n, _ := in.items(t, in.hsb, "")
			a := in.toState(t, in.hsb, "approved", modify("社会保险稽核", "同一事项 A"))
			b := in.toState(t, in.hsb, "approved", modify("社会保险稽核", "同一事项 B"))
			got := in.fireTogether(t, shot{0, "hsb-gov", "publish", a}, shot{1, "hsb-gov", "publish", b})
			slices.Sort(got)
			if !slices.Equal(got, []int{http.StatusOK, http.StatusConflict}) {
				t.Errorf("same item: statuses %v, want one 200 and one 409", got)
			}
			if v, _ := in.items(t, in.hsb, ""); v != n+1 {
				t.Errorf("same item: list at version %d, want %d", v, n+1)
			}
			states := []string{}
			for _, id := range []int64{a, b} {
				row, _ := in.db.ChangeRequestRow(ctx, id)
				states = append(states, row.State)
			}
			slices.Sort(states)
			if !slices.Equal(states, []string{models.StateApproved, models.StatePublished}) {
				t.Errorf("same item: states %v", states)
			}
			in.checkAuditChain(t)
		})
	}
}
