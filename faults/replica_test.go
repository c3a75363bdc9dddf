package faults

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"qingdan/gen"
	"qingdan/models"
)

// TestReadReplica runs qingdan serve with DATABASE_READ_URL naming a real
// streaming replica of its PostgreSQL (pg_basebackup, hot standby). The
// replica applies what it receives an hour late (recovery_min_apply_delay),
// so a list written after its copy tells who answered: the replica does not
// know it, the primary does.
//   - Anonymous reads, and a logged-in user's who wrote nothing lately, are
//     the replica's.
//   - A user who just wrote reads the primary: their own change request and
//     everything else.
//   - A stopped replica is skipped: reads come from the primary, without
//     errors once it is found down; started again, it answers again.
func TestReadReplica(t *testing.T) {
	ctx := context.Background()
	primary := startPrivatePostgres(t)
	admin := openDB(t, primary.url("postgres"))
	if err := admin.Exec("CREATE DATABASE qingdan").Error; err != nil {
		t.Fatal(err)
	}
	url := primary.url("qingdan")
	db := openDB(t, url)
	if _, err := gen.Write(ctx, db, gen.Config{Seed: 5, Counties: 1, Departments: 2, MinItems: 10, MaxItems: 10, MeanItems: 10,
		MinVersions: 1, MaxVersions: 1}, nil); err != nil {
		t.Fatal(err)
	}
	var list models.List
	if err := db.Preload("Agency").Order("id").Take(&list).Error; err != nil {
		t.Fatal(err)
	}
	p := addPeople(t, db, list)

	replica := newPrivatePostgres(t)
	replica.run("pg_basebackup", "-D", replica.data, "-R", "-X", "stream", "-c", "fast", "-d", primary.url("postgres"))
	replica.start("-c recovery_min_apply_delay=1h")
	t.Cleanup(func() { replica.ctl("stop", "-m", "immediate") })

	late := importLateList(t, models.NewStore(db), list.Agency)
	srv := startServer(t, url, "DATABASE_READ_URL="+replica.url("qingdan"))
	latePath := fmt.Sprintf("/api/v1/lists/%d", late)
	status := func(token string) int {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		code, body, err := srv.call(c, "GET", latePath, token, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if code != http.StatusOK && code != http.StatusNotFound {
			t.Logf("GET %s: %d %s", latePath, code, body)
		}
		return code
	}

	if code := status(""); code != http.StatusNotFound {
		t.Fatalf("anonymous read of a list the replica has not replayed: %d; want the replica's 404", code)
	}
	reviewer := srv.login(t, p.reviewer.Username)
	if code := status(reviewer); code != http.StatusNotFound {
		t.Fatalf("a user who wrote nothing: %d; want the replica's 404", code)
	}
	submitter := srv.login(t, p.submitter.Username)
	var cr struct{ ID int64 }
	srv.must(t, http.StatusCreated, "POST", "/api/v1/change-requests", submitter,
		map[string]any{"list_id": list.ID, "title": "调整罚款幅度", "reason": "上位法修正"}, &cr)
	srv.must(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/change-requests/%d", cr.ID), submitter, nil, nil)
	if code := status(submitter); code != http.StatusOK {
		t.Fatalf("the user who just wrote: %d; want the primary's 200", code)
	}
	if code := status(reviewer); code != http.StatusNotFound {
		t.Fatalf("another user after someone else's write: %d; want the replica's 404", code)
	}

	replica.ctl("stop", "-m", "fast")
	waitStatus(t, "the stopped replica to be skipped", func() int { return status("") }, http.StatusOK)
	for range 20 {
		if code := status(""); code != http.StatusOK {
			t.Fatalf("with the replica down: %d; want the primary's 200 every time", code)
		}
	}

	replica.start("-c recovery_min_apply_delay=1h")
	waitStatus(t, "the replica to answer again", func() int { return status("") }, http.StatusNotFound)
}

// waitStatus waits (bounded) until get answers want.
func waitStatus(t *testing.T, what string, get func() int, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for got := get(); got != want; got = get() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %d, want %d", what, got, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// importLateList writes a list on the primary after the replica's copy.
func importLateList(t *testing.T, store *models.Store, ag models.Agency) int64 {
	t.Helper()
	res, err := store.ImportList(context.Background(), models.ImportInput{
		Title: ag.Name + "权责清单", Kind: models.KindDuty, AgencyName: ag.Name, RegionCode: ag.RegionCode,
		SHA256: "late", At: time.Now().UTC(),
		Items: []models.ItemFields{{Seq: 1, Code: "0247001000", Name: "复制之后的事项", Category: "行政处罚"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.ListID
}
