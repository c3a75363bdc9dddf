package faults

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // the probe's own connection, without busy timeout
	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/gen"
	"qingdan/models"
	"qingdan/workflow"
)

// A large request: 200 items modified, 20 removed, 30 added, on a list of
// about 400 items with 30 published versions.
const (
	listItems = 400
	modifyN   = 200
	removeN   = 20
	addN      = 30
)

// largeRequest is an approved request and what its publication must produce.
type largeRequest struct {
	listID, id int64
	version    int              // the list's version before publication
	items      int              // in that version
	before     map[int64]string // item → 行使层级 in that version (a column of both layouts)
	content    map[int64]string // modified item → new 行使层级
	removed    map[int64]bool
	added      []string // names
}

func approveLargeRequest(t *testing.T, db *gorm.DB) (largeRequest, people) {
	t.Helper()
	ctx := context.Background()
	_, err := gen.Write(ctx, db, gen.Config{Seed: 13, Counties: 1, Departments: 1,
		MinItems: listItems, MaxItems: listItems, MeanItems: listItems, MinVersions: 30, MaxVersions: 30}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var list models.List
	if err := db.Take(&list).Error; err != nil {
		t.Fatal(err)
	}
	p := addPeople(t, db, list)
	store := models.NewStore(db)
	flow := workflow.New(store)
	items, err := store.ItemsAt(ctx, list.ID, list.CurrentVersion, models.ItemFilter{})
	if err != nil || len(items) < modifyN+removeN {
		t.Fatalf("%d items, %v", len(items), err)
	}
	cr, err := flow.Create(ctx, p.submitter, workflow.NewRequest{ListID: list.ID, Title: "依据新修订法律全面调整", Reason: "法律修订"})
	if err != nil {
		t.Fatal(err)
	}
	lr := largeRequest{listID: list.ID, id: cr.ID, version: list.CurrentVersion, items: len(items),
		before: map[int64]string{}, content: map[int64]string{}, removed: map[int64]bool{}}
	// The operations are written directly, as AddOperation would store them
	// (it validates each against the whole list: seconds for 250); the
	// publication validates them all again.
	var ops []models.Operation
	op := func(kind string, item *int64, f models.ItemFields) {
		ops = append(ops, models.Operation{ChangeRequestID: cr.ID, Number: len(ops) + 1, Op: kind, ItemID: item, Item: f,
			Reason: "依据新法调整", Basis: "【法律】《中华人民共和国行政处罚法》（2021年修订）第七十六条", CreatedAt: time.Now()})
	}
	for i, r := range items {
		lr.before[r.ItemID] = r.Level
		id := r.ItemID
		switch {
		case i < modifyN:
			lr.content[id] = fmt.Sprintf("调整后的行使层级 %d", i)
			f := r.Fields()
			f.Level = lr.content[id]
			op(models.OpModify, &id, f)
		case i < modifyN+removeN:
			lr.removed[id] = true
			op(models.OpRemove, &id, models.ItemFields{})
			ops[len(ops)-1].Supervision = "纳入“双随机、一公开”监管" // a 取消 is submitted with its 监管措施
		}
	}
	for i := range addN {
		name := fmt.Sprintf("新增的监督检查事项 %d", i)
		lr.added = append(lr.added, name)
		op(models.OpAdd, nil, models.ItemFields{Name: name, Category: "行政检查", Level: "县级",
			Basis: "【法律】《中华人民共和国行政处罚法》（2021年修订）第五十四条"})
	}
	if err := db.CreateInBatches(&ops, 100).Error; err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		u     *models.User
		event string
	}{{p.submitter, workflow.EventSubmit}, {p.reviewer, workflow.EventPass}, {p.approver, workflow.EventApprove}} {
		if _, err := flow.Fire(ctx, s.u, cr.ID, s.event, ""); err != nil {
			t.Fatal(err)
		}
	}
	return lr, p
}

// txProbe tells whether a write transaction is open on the database: on
// PostgreSQL a backend holding a transaction id, on SQLite the write lock.
type txProbe func() bool

func newTxProbe(t *testing.T, engine, url string, db *gorm.DB) txProbe {
	t.Helper()
	if engine == "postgres" {
		return func() bool {
			var n int64
			// Not the stamp of the session's last write, which every write
			// request makes before its own transaction (auth.StickyPrimary).
			db.Raw(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
				AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query NOT LIKE 'UPDATE "sessions"%'`).Scan(&n)
			return n > 0
		}
	}
	probe, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(url, "sqlite://")+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	probe.SetMaxOpenConns(1)
	t.Cleanup(func() { probe.Close() })
	return func() bool {
		if _, err := probe.Exec("BEGIN IMMEDIATE"); err != nil {
			return true // SQLITE_BUSY: someone holds the write lock
		}
		probe.Exec("ROLLBACK")
		return false
	}
}

// TestKill9DuringLargePublication kills a real `qingdan serve` with SIGKILL
// while it publishes a 250-operation request, at increasing delays after its
// transaction opened. After every restart the list is at the old version or
// the new one — never between — and the request's state agrees; the
// publication then completes, and the audit chain is whole.
func TestKill9DuringLargePublication(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			url := dbtest.URL(t, engine)
			db := openDB(t, url)
			lr, p := approveLargeRequest(t, db)
			probe := newTxProbe(t, engine, url, db)
			publish := fmt.Sprintf("/api/v1/change-requests/%d/transitions", lr.id)
			interrupted, published := 0, false
			for round, delay := range []time.Duration{0, 5 * time.Millisecond, 25 * time.Millisecond} {
				srv := startServer(t, url)
				token := srv.login(t, p.approver.Username)
				status := make(chan int, 1)
				go func() {
					ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
					defer cancel()
					code, _, _ := srv.call(ctx, "POST", publish, token, map[string]string{"event": "publish"}, nil)
					status <- code
				}()
				open := false
				for deadline := time.Now().Add(30 * time.Second); !open && time.Now().Before(deadline) && len(status) == 0; {
					open = probe()
				}
				time.Sleep(delay)
				srv.kill(t)
				code := <-status
				if !open && code != http.StatusOK {
					t.Fatalf("round %d: no transaction seen and the publication answered %d", round, code)
				}
				srv = startServer(t, url)
				published = checkPublication(t, srv, srv.login(t, p.approver.Username), lr, db)
				srv.kill(t)
				t.Logf("round %d: killed %s after the transaction opened; published: %v", round, delay, published)
				if published {
					break
				}
				interrupted++
				if code == http.StatusOK {
					t.Fatalf("round %d: publication acknowledged, but lost after the restart", round)
				}
			}
			if interrupted == 0 {
				t.Fatalf("no kill landed inside the publication: the request is too small for this machine")
			}
			if !published { // the interrupted publication goes through after all
				srv := startServer(t, url)
				token := srv.login(t, p.approver.Username)
				srv.must(t, http.StatusOK, "POST", publish, token, map[string]string{"event": "publish"}, nil)
				if !checkPublication(t, srv, token, lr, db) {
					t.Fatalf("publication answered 200 but the list did not move")
				}
			}
			check, err := models.NewStore(db).VerifyAudit(context.Background())
			if err != nil || check.Broken != nil {
				t.Fatalf("audit chain after the crashes: %+v, %v", check.Broken, err)
			}
		})
	}
}

// checkPublication reads the list and the request through the restarted
// server and the rows underneath, and fails unless they show either the old
// version with the request approved or the new version with it published.
func checkPublication(t *testing.T, srv *server, token string, lr largeRequest, db *gorm.DB) bool {
	t.Helper()
	var list struct {
		Version   int
		ItemCount int `json:"item_count"`
	}
	srv.must(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/lists/%d", lr.listID), "", nil, &list)
	var cr struct {
		State            string
		PublishedVersion *int `json:"published_version"`
	}
	srv.must(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/change-requests/%d", lr.id), token, nil, &cr)
	var items struct {
		Version int
		Items   []struct {
			ID    int64
			Name  string
			Level string
		}
	}
	srv.must(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/lists/%d/items", lr.listID), "", nil, &items)
	next := lr.version + 1
	var newRevs, closedRevs, versionRows int64
	db.Model(&models.ItemRevision{}).Where("list_id = ? AND valid_from = ?", lr.listID, next).Count(&newRevs)
	db.Model(&models.ItemRevision{}).Where("list_id = ? AND valid_to = ?", lr.listID, next).Count(&closedRevs)
	db.Model(&models.ListVersion{}).Where("list_id = ? AND number = ?", lr.listID, next).Count(&versionRows)

	switch list.Version {
	case lr.version:
		if cr.State != models.StateApproved || cr.PublishedVersion != nil {
			t.Fatalf("list at version %d but the request is %s (published %v)", list.Version, cr.State, cr.PublishedVersion)
		}
		if newRevs+closedRevs+versionRows != 0 || len(items.Items) != lr.items {
			t.Fatalf("list at version %d but %d new revisions, %d closed, %d version rows, %d items: a half publication",
				list.Version, newRevs, closedRevs, versionRows, len(items.Items))
		}
		for _, it := range items.Items {
			if it.Level != lr.before[it.ID] {
				t.Fatalf("item %d changed without a publication: %q", it.ID, it.Level)
			}
		}
		return false
	case next:
		if cr.State != models.StatePublished || cr.PublishedVersion == nil || *cr.PublishedVersion != next {
			t.Fatalf("list at version %d but the request is %s (published %v)", list.Version, cr.State, cr.PublishedVersion)
		}
		want := lr.items - removeN + addN
		if newRevs != modifyN+addN || closedRevs != modifyN+removeN || versionRows != 1 || len(items.Items) != want || list.ItemCount != want {
			t.Fatalf("version %d: %d new revisions, %d closed, %d version rows, %d items (summary %d), want %d, %d, 1, %d",
				next, newRevs, closedRevs, versionRows, len(items.Items), list.ItemCount, modifyN+addN, modifyN+removeN, want)
		}
		names := map[string]bool{}
		for _, it := range items.Items {
			names[it.Name] = true
			if lr.removed[it.ID] {
				t.Fatalf("removed item %d still listed", it.ID)
			}
			if c, ok := lr.content[it.ID]; ok && it.Level != c {
				t.Fatalf("item %d: content %q, want %q", it.ID, it.Level, c)
			}
		}
		for _, n := range lr.added {
			if !names[n] {
				t.Fatalf("added item %s missing", n)
			}
		}
		return true
	}
	t.Fatalf("list at version %d, want %d or %d", list.Version, lr.version, next)
	return false
}
