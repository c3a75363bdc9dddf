package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"golang.org/x/crypto/bcrypt"

	"qingdan/auth"
	"qingdan/gen"
	"qingdan/models"
	"qingdan/workflow"
)

// runPublish measures the publication of an --ops-operation request on a
// list with a long history (--versions published versions of --items items):
// workflow.Service.Publish against barePublish of the same rows on a
// twin list. Drafting, review and approval are not timed.
func runPublish(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	versions := fs.Int("versions", 500, "published versions of the list before the benchmark")
	items := fs.Int("items", 300, "items of the list")
	nops := fs.Int("ops", 50, "operations per request")
	rounds := fs.Int("rounds", 10, "publications measured")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openEmpty(ctx)
	if err != nil {
		return err
	}
	defer truncate(ctx, db)
	pool, err := connectPool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()

	start := time.Now()
	c := gen.Config{Seed: 5, Counties: 1, Departments: 2, MinItems: *items, MaxItems: *items, MeanItems: *items,
		MinVersions: *versions, MaxVersions: *versions, HistoryYears: 10}
	if _, err := gen.Write(ctx, db, c, nil); err != nil {
		return err
	}
	store := models.NewStore(db)
	var lists []models.List
	if err := db.WithContext(ctx).Order("id").Find(&lists).Error; err != nil {
		return err
	}
	var revisions int64
	db.WithContext(ctx).Model(&models.ItemRevision{}).Where("list_id = ?", lists[0].ID).Count(&revisions)
	fmt.Printf("setup: 2 lists of %d items with %d versions (%d revisions each) in %s\n",
		*items, *versions, revisions, time.Since(start).Round(time.Millisecond))

	people, err := newPeople(ctx, store, lists)
	if err != nil {
		return err
	}
	flow := workflow.New(store)
	r := rand.New(rand.NewPCG(5, 5))
	var product, bare []time.Duration
	for round := range *rounds {
		// The product on list 0.
		l := lists[0]
		cur, err := store.List(ctx, l.ID)
		if err != nil {
			return err
		}
		revs, err := store.ItemsAt(ctx, l.ID, cur.CurrentVersion, models.ItemFilter{})
		if err != nil {
			return err
		}
		cr, err := flow.Create(ctx, people.submitters[0], workflow.NewRequest{ListID: l.ID, Title: "基准修订", Reason: "法律修订"})
		if err != nil {
			return err
		}
		for _, i := range r.Perm(len(revs))[:*nops] {
			item, _ := json.Marshal(map[string]string{"content": fmt.Sprintf("第 %d 轮调整：%s", round, revs[i].Content)})
			id := revs[i].ItemID
			if _, err := flow.AddOperation(ctx, people.submitters[0], cr.ID, workflow.OperationInput{
				Op: models.OpModify, ItemID: &id, Item: item, Reason: "依据新法调整", Basis: benchBasis}); err != nil {
				return err
			}
		}
		for _, step := range []struct {
			who   *models.User
			event string
		}{{people.submitters[0], workflow.EventSubmit}, {people.reviewer, workflow.EventPass}, {people.approver, workflow.EventApprove}} {
			if _, err := flow.Fire(ctx, step.who, cr.ID, step.event, ""); err != nil {
				return err
			}
		}
		t0 := time.Now()
		if _, err := flow.Publish(ctx, people.approver, workflow.Publication{Requests: []int64{cr.ID}}); err != nil {
			return err
		}
		product = append(product, time.Since(t0))

		// The bare reference on list 1, the same number of items changed.
		l = lists[1]
		crID, err := bareCreate(ctx, pool, l.ID, people.submitters[1].ID)
		if err != nil {
			return err
		}
		cur, err = store.List(ctx, l.ID)
		if err != nil {
			return err
		}
		revs, err = store.ItemsAt(ctx, l.ID, cur.CurrentVersion, models.ItemFilter{})
		if err != nil {
			return err
		}
		for _, i := range r.Perm(len(revs))[:*nops] {
			if err := bareModify(ctx, pool, crID, revs[i].ItemID, fmt.Sprintf("第 %d 轮调整：%s", round, revs[i].Content)); err != nil {
				return err
			}
		}
		for _, s := range [][3]string{{"submit", "draft", "legal_review"}, {"pass", "legal_review", "approval"}, {"approve", "approval", "approved"}} {
			if err := bareFire(ctx, pool, crID, people.approver.ID, s[0], s[1], s[2]); err != nil {
				return err
			}
		}
		t0 = time.Now()
		if err := bareFire(ctx, pool, crID, people.approver.ID, "publish", "approved", "published"); err != nil {
			return err
		}
		bare = append(bare, time.Since(t0))
	}
	p, b := median(product), median(bare)
	fmt.Printf("| publish %d operations, list of %d items with %d versions (%d rounds) | Fire(publish) median %s, max %s | raw SQL median %s, max %s | %.1f× |\n",
		*nops, *items, *versions, *rounds, p.Round(time.Millisecond), slices.Max(product).Round(time.Millisecond),
		b.Round(time.Millisecond), slices.Max(bare).Round(time.Millisecond), p.Seconds()/b.Seconds())
	return nil
}

// people are the accounts the benchmarks act as: a submitter per list, and
// the reviewer and approver of the first list's county.
type people struct {
	submitters []*models.User
	reviewer   *models.User
	approver   *models.User
}

// benchPassword is the password of every benchmark account.
const benchPassword = "bench-password-1"

func newPeople(ctx context.Context, store *models.Store, lists []models.List) (people, error) {
	a := auth.New(store, auth.Config{HashCost: bcrypt.MinCost})
	add := func(in auth.NewUser) (*models.User, error) {
		in.Password, in.DisplayName = benchPassword, in.Username
		u, err := a.AddUser(ctx, auth.Actor{Name: "bench"}, in)
		return &u, err
	}
	var p people
	for i, l := range lists {
		u, err := add(auth.NewUser{Username: fmt.Sprintf("sub-%d", i), Role: models.RoleSubmitter, AgencyID: &l.AgencyID})
		if err != nil {
			return p, err
		}
		p.submitters = append(p.submitters, u)
	}
	ag, err := store.Agency(ctx, lists[0].AgencyID)
	if err != nil {
		return p, err
	}
	if p.reviewer, err = add(auth.NewUser{Username: "reviewer", Role: models.RoleLegalReviewer, RegionCode: ag.RegionCode}); err != nil {
		return p, err
	}
	p.approver, err = add(auth.NewUser{Username: "approver", Role: models.RoleApprover, RegionCode: ag.RegionCode})
	return p, err
}
