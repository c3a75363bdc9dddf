package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/gen"
	"qingdan/models"
)

// privatePostgres is a PostgreSQL cluster of the test's own, on a free
// loopback port, so it can be restarted without disturbing anyone else.
type privatePostgres struct {
	t    *testing.T
	bin  string // directory of initdb and pg_ctl
	data string
	log  string
	port int
	sudo bool // run the server as the postgres OS user: PostgreSQL refuses root
}

// postgresBin finds initdb, pg_ctl and pg_basebackup: QINGDAN_PG_BIN, PATH, or Debian's
// /usr/lib/postgresql/<version>/bin.
func postgresBin(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("QINGDAN_PG_BIN"); d != "" {
		return d
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real // a link in PATH: the other tools (pg_basebackup) are beside its target
		}
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return versionOf(b) - versionOf(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d
		}
	}
	t.Fatal("PostgreSQL server binaries (initdb, pg_ctl) are required: install postgresql or set QINGDAN_PG_BIN")
	return ""
}

func versionOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	pg := newPrivatePostgres(t)
	pg.run("initdb", "-D", pg.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale", "C", "--no-sync")
	pg.start()
	t.Cleanup(func() { pg.ctl("stop", "-m", "immediate") })
	return pg
}

// newPrivatePostgres lays out a cluster's directory and port, nothing in it yet.
func newPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	dir, err := os.MkdirTemp("", "qingdan-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	pg := &privatePostgres{t: t, bin: postgresBin(t), data: filepath.Join(dir, "data"), log: filepath.Join(dir, "log"), port: freePort(t)}
	if os.Geteuid() == 0 {
		pg.sudo = true
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, PostgreSQL needs the postgres OS user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	return pg
}

func (pg *privatePostgres) run(tool string, args ...string) {
	pg.t.Helper()
	name := filepath.Join(pg.bin, tool)
	if pg.sudo {
		args = append([]string{"-u", "postgres", "--", name}, args...)
		name = "runuser"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, name, args...).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(pg.log)
		pg.t.Fatalf("%s %v: %v\n%s\n%s", tool, args, err, out, log)
	}
}

func (pg *privatePostgres) ctl(args ...string) {
	pg.t.Helper()
	pg.run("pg_ctl", append([]string{"-D", pg.data, "-l", pg.log, "-w", "-t", "30"}, args...)...)
}

// start starts the server, with further server options (-c name=value …).
func (pg *privatePostgres) start(options ...string) {
	pg.t.Helper()
	pg.ctl("start", "-o", fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s %s", pg.port, filepath.Dir(pg.data), strings.Join(options, " ")))
}

func (pg *privatePostgres) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", pg.port, db)
}

// ack is a transition the server acknowledged with 2xx: after any fault it
// must still be in the database.
type ack struct {
	cr      int64
	event   string
	version int // the request's version after it, as the event row records
}

// loadClient takes requests on its own list from draft to published, as
// fast as the server lets it, and records what was acknowledged and refused.
type loadClient struct {
	srv                           *server
	list                          int64
	items                         []int64
	submitter, reviewer, approver string
	mu                            sync.Mutex
	acks                          []ack
	failures                      map[int]int // status → count (0: no answer)
	done                          int         // publications acknowledged
}

func (c *loadClient) step(ctx context.Context, method, path, token string, body any, cr int64, event string) (int64, bool) {
	var out struct {
		ID      int64
		Version int
	}
	code, _, err := c.srv.call(ctx, method, path, token, body, &out)
	if ctx.Err() != nil { // the test is stopping the load, not the server failing
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || code >= 300 {
		if err != nil {
			code = 0
		}
		c.failures[code]++
		return 0, false
	}
	if event != "" {
		c.acks = append(c.acks, ack{cr: cr, event: event, version: out.Version})
		if event == "publish" {
			c.done++
		}
	}
	return out.ID, true
}

// cycle is one request from draft to published; it gives up at the first
// refusal (false) and starts a new request next time.
func (c *loadClient) cycle(ctx context.Context, r *rand.Rand) bool {
	id, ok := c.step(ctx, "POST", "/api/v1/change-requests", c.submitter,
		map[string]any{"list_id": c.list, "title": "调整事项", "reason": "法律修订"}, 0, "")
	if !ok {
		return false
	}
	base := fmt.Sprintf("/api/v1/change-requests/%d", id)
	op := map[string]any{"op": "modify", "item_id": c.items[r.IntN(len(c.items))], "reason": "依据新法调整",
		"basis": "【法律】《中华人民共和国行政处罚法》（2021年修订）第七十六条", "item": map[string]string{"level": fmt.Sprint("调整 ", r.Uint64())}}
	if _, ok := c.step(ctx, "POST", base+"/operations", c.submitter, op, 0, ""); !ok {
		return false
	}
	for _, s := range []struct{ token, event string }{{c.submitter, "submit"}, {c.reviewer, "pass"}, {c.approver, "approve"}, {c.approver, "publish"}} {
		if _, ok := c.step(ctx, "POST", base+"/transitions", s.token, map[string]string{"event": s.event}, id, s.event); !ok {
			return false
		}
	}
	return true
}

func (c *loadClient) published() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}

// TestPostgresRestartUnderLoad crashes the server's PostgreSQL (immediate
// stop) while clients run requests through the workflow, and starts it
// again. The same server process recovers on its own; while the database is
// gone it answers 503 with a message, never a 500; and every transition it
// acknowledged is in the database afterwards.
func TestPostgresRestartUnderLoad(t *testing.T) {
	pg := startPrivatePostgres(t)
	admin := openDB(t, pg.url("postgres"))
	if err := admin.Exec("CREATE DATABASE qingdan").Error; err != nil {
		t.Fatal(err)
	}
	url := pg.url("qingdan")
	db := openDB(t, url)
	ctx := context.Background()
	if _, err := gen.Write(ctx, db, gen.Config{Seed: 17, Counties: 1, Departments: 4, MinItems: 50, MaxItems: 50, MeanItems: 50,
		MinVersions: 2, MaxVersions: 2}, nil); err != nil {
		t.Fatal(err)
	}
	var lists []models.List
	if err := db.Order("id").Find(&lists).Error; err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, url)
	var clients []*loadClient
	for _, l := range lists {
		p := addPeople(t, db, l)
		revs, err := models.NewStore(db).ItemsAt(ctx, l.ID, l.CurrentVersion, models.ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		c := &loadClient{srv: srv, list: l.ID, failures: map[int]int{},
			submitter: srv.login(t, p.submitter.Username), reviewer: srv.login(t, p.reviewer.Username), approver: srv.login(t, p.approver.Username)}
		for _, r := range revs {
			c.items = append(c.items, r.ItemID)
		}
		clients = append(clients, c)
	}
	// Close the test's own connections: they would only see the crash too.
	closeDB(db)
	closeDB(admin)

	loadCtx, stopLoad := context.WithTimeout(ctx, 90*time.Second)
	defer stopLoad()
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 17))
			for loadCtx.Err() == nil {
				if !c.cycle(loadCtx, r) {
					time.Sleep(10 * time.Millisecond) // as a client would, before trying again
				}
			}
		})
	}
	total := func() int {
		n := 0
		for _, c := range clients {
			n += c.published()
		}
		return n
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				stopLoad()
				wg.Wait()
				t.Fatalf("%s: not within 30s (published %d)\nserver output:\n%s", what, total(), srv.output)
			}
		}
	}
	waitFor("publications before the restart", func() bool { return total() >= 4 })
	pg.ctl("stop", "-m", "immediate") // a crash: recovery from the WAL on start
	before := total()
	time.Sleep(500 * time.Millisecond)
	pg.start()
	waitFor("publications after the restart", func() bool { return total() >= before+8 })
	stopLoad()
	wg.Wait()

	select {
	case <-srv.exited:
		t.Fatalf("the server exited:\n%s", srv.output)
	default:
	}
	failures := map[int]int{}
	var acks []ack
	for _, c := range clients {
		for code, n := range c.failures {
			failures[code] += n
		}
		acks = append(acks, c.acks...)
	}
	t.Logf("%d transitions acknowledged, %d publications; refusals by status: %v", len(acks), total(), failures)
	if failures[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no request was answered 503 while the database was down")
	}
	for code := range failures {
		if code != http.StatusServiceUnavailable { // 0: no answer at all
			t.Errorf("%d requests answered %d during the outage, want 503", failures[code], code)
		}
	}

	db = openDB(t, url)
	for _, a := range acks {
		var n int64
		db.Model(&models.Event{}).Where("change_request_id = ? AND version = ? AND event = ?", a.cr, a.version, a.event).Count(&n)
		if n != 1 {
			t.Errorf("acknowledged %s of request %d (version %d) is not in the database", a.event, a.cr, a.version)
		}
		if a.event == "publish" {
			var v int64
			db.Model(&models.ListVersion{}).Where("change_request_id = ?", a.cr).Count(&v)
			if v != 1 {
				t.Errorf("acknowledged publication of request %d wrote %d versions", a.cr, v)
			}
		}
	}
	check, err := models.NewStore(db).VerifyAudit(ctx)
	if err != nil || check.Broken != nil {
		t.Fatalf("audit chain: %+v, %v", check.Broken, err)
	}
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}
