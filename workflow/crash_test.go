package workflow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/dbtest"
	"qingdan/models"
)

// The crash test re-runs this test binary as a helper process that publishes
// a request and kills itself before the commit.
const (
	crashEnvDB      = "QINGDAN_CRASH_HELPER_DB"
	crashEnvRequest = "QINGDAN_CRASH_HELPER_REQUEST"
	crashEnvUser    = "QINGDAN_CRASH_HELPER_USER"
	crashMarker     = "crash point reached"
)

func TestMain(m *testing.M) {
	if url := os.Getenv(crashEnvDB); url != "" {
		os.Exit(crashHelper(url))
	}
	os.Exit(m.Run())
}

// crashHelper publishes the request and dies by SIGKILL with the
// publication written but not committed. Returning at all is a failure.
func crashHelper(url string) int {
	ctx := context.Background()
	store, err := models.Open(ctx, url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	id, _ := strconv.ParseInt(os.Getenv(crashEnvRequest), 10, 64)
	userID, _ := strconv.ParseInt(os.Getenv(crashEnvUser), 10, 64)
	var u models.User
	if err := store.DB(ctx).Where("id = ?", userID).Take(&u).Error; err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	crashBeforeCommit = func() {
		fmt.Println(crashMarker)
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
	_, err = New(store).Publish(ctx, &u, Publication{Requests: []int64{id}})
	fmt.Fprintln(os.Stderr, "publication returned instead of crashing:", err)
	return 3
}

func openMigrated(t *testing.T, url string) *gorm.DB {
	t.Helper()
	store, err := models.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	db := store.DB(context.Background())
	t.Cleanup(func() { closeDB(db) })
	if err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

func count(t *testing.T, db *gorm.DB, model any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCrashDuringPublication: a process killed in the middle of a
// publication, after writing the new revisions and version but before the
// commit, leaves the list at version 1 with its items and the request
// approved; after a restart the publication succeeds.
func TestCrashDuringPublication(t *testing.T) {
	for _, engine := range dbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			url := dbtest.URL(t, engine)
			db := openMigrated(t, url)
			f := newFixture(t, db)
			id := f.draft(t, "hsb-ybj", f.hsb)
			f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpAdd, Item: itemJSON(t, map[string]any{"name": "戊处罚", "category": "行政处罚", "code": "0247006000", "basis": basisFund})})
			f.addOp(t, "hsb-ybj", id, f.modifyContent(t, "甲处罚", "新内容"))
			f.addOp(t, "hsb-ybj", id, OperationInput{Op: models.OpRemove, ItemID: ptr(f.item["乙处罚"])})
			f.approve(t, id)
			before := f.request(t, id)
			items, revisions, events, audits := count(t, db, &models.Item{}), count(t, db, &models.ItemRevision{}),
				count(t, db, &models.Event{}), count(t, db, &models.AuditEvent{})
			closeDB(db) // the server is down while the helper runs

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), crashEnvDB+"="+url, crashEnvRequest+"="+strconv.FormatInt(id, 10),
				crashEnvUser+"="+strconv.FormatInt(f.users["hsb-gov"].ID, 10))
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("helper should die by SIGKILL, got %v:\n%s", err, out)
			}
			if !bytes.Contains(out, []byte(crashMarker)) {
				t.Fatalf("helper died before the crash point:\n%s", out)
			}

			db = openMigrated(t, url) // the restart
			f.store, f.svc = models.NewStore(db), New(models.NewStore(db))
			if v := f.listVersion(t, f.hsb); v != 1 {
				t.Errorf("list at version %d after the crash", v)
			}
			if _, err := f.store.Version(f.ctx, f.hsb, 2); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("version 2 exists after the crash: %v", err)
			}
			v1 := f.itemsByName(t, f.hsb, 1)
			if len(v1) != 4 || v1["甲处罚"].Content != "负责甲" || v1["乙处罚"].Name == "" {
				t.Errorf("version 1 changed: %v", v1)
			}
			if c := count(t, db, &models.ItemRevision{}); c != revisions {
				t.Errorf("revisions %d → %d", revisions, c)
			}
			if c := count(t, db, &models.Item{}); c != items {
				t.Errorf("items %d → %d", items, c)
			}
			if c := count(t, db, &models.Event{}); c != events {
				t.Errorf("events %d → %d", events, c)
			}
			if c := count(t, db, &models.AuditEvent{}); c != audits {
				t.Errorf("audit entries %d → %d", audits, c)
			}
			if after := f.request(t, id); after.State != models.StateApproved || after.Version != before.Version || after.PublishedVersion != nil {
				t.Errorf("request after the crash: %+v", after)
			}

			cr := f.fire(t, "hsb-gov", id, EventPublish, "")
			if *cr.PublishedVersion != 2 || len(f.itemsByName(t, f.hsb, 2)) != 4 {
				t.Errorf("publication after the restart: %+v", cr)
			}
		})
	}
}
