package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"qingdan/testkit"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/models"
)

// binDir holds the qingdan binary the tests build (once, on first use).
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// qingdanBinary builds cmd/qingdan for the tests that run it as a process.
func qingdanBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binError = os.MkdirTemp("", "qingdan-faults-")
		if binError != nil {
			return
		}
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		binPath = filepath.Join(binDir, "qingdan")
		out, err := exec.Command(goTool, "build", "-o", binPath, "qingdan/cmd/qingdan").CombinedOutput()
		if err != nil {
			binError = fmt.Errorf("build qingdan: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// server is a `qingdan serve` child process on a loopback port.
type server struct {
	cmd    *exec.Cmd
	base   string
	output *testkit.Buffer
	exited chan struct{}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startServer runs qingdan serve on the database, with further environment
// variables (NAME=value), and waits (bounded) until it answers.
func startServer(t *testing.T, dbURL string, env ...string) *server {
	t.Helper()
	port := freePort(t)
	s := &server{base: fmt.Sprintf("http://127.0.0.1:%d", port), output: &testkit.Buffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(qingdanBinary(t), "serve", "--addr", "127.0.0.1:"+strconv.Itoa(port), "--seeds", t.TempDir())
	s.cmd.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL, "QINGDAN_AUDIT_KEY="+dbtest.TestAuditKey), env...)
	s.cmd.Stdout, s.cmd.Stderr = s.output, s.output
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() { s.kill(t) })
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-s.exited:
			t.Fatalf("qingdan serve exited at start:\n%s", s.output)
		default:
		}
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("qingdan serve did not answer within 30s:\n%s", s.output)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits (bounded) for the process to be gone.
func (s *server) kill(t *testing.T) {
	t.Helper()
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("qingdan serve survived SIGKILL for 10s")
	}
}

var client = &http.Client{Timeout: 30 * time.Second}

// call sends a JSON request and decodes a 2xx answer into out; it returns the status.
func (s *server) call(ctx context.Context, method, path, token string, body, out any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, data, fmt.Errorf("decode %s: %w", data, err)
		}
	}
	return resp.StatusCode, data, nil
}

// must is call that fails the test unless the answer has the status.
func (s *server) must(t *testing.T, status int, method, path, token string, body, out any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, data, err := s.call(ctx, method, path, token, body, out)
	if err != nil || got != status {
		t.Fatalf("%s %s: %d %s (%v), want %d\nserver output:\n%s", method, path, got, data, err, status, s.output)
	}
}

func (s *server) login(t *testing.T, username string) string {
	t.Helper()
	var out struct{ Token string }
	s.must(t, http.StatusOK, "POST", "/api/v1/auth/login", "", map[string]string{"username": username, "password": password}, &out)
	return out.Token
}

// password is every test account's.
const password = "fault-test-1"

// people are a submitter of the list's agency and its county's reviewer and approver.
type people struct{ submitter, reviewer, approver *models.User }

func addPeople(t *testing.T, db *gorm.DB, list models.List) people {
	t.Helper()
	ctx := context.Background()
	store := models.NewStore(db)
	a := auth.New(store, auth.Config{HashCost: bcrypt.MinCost})
	ag, err := store.Agency(ctx, list.AgencyID)
	if err != nil {
		t.Fatal(err)
	}
	add := func(name, role string, agency *int64, region string) *models.User {
		u, err := a.AddUser(ctx, auth.Actor{Name: "test"}, auth.NewUser{Username: name, DisplayName: name, Role: role,
			AgencyID: agency, RegionCode: region, Password: password})
		if err != nil {
			t.Fatal(err)
		}
		return &u
	}
	return people{
		submitter: add(fmt.Sprintf("sub-%d", list.ID), models.RoleSubmitter, &list.AgencyID, ""),
		reviewer:  add(fmt.Sprintf("rev-%d", list.ID), models.RoleLegalReviewer, nil, ag.RegionCode),
		approver:  add(fmt.Sprintf("gov-%d", list.ID), models.RoleApprover, nil, ag.RegionCode),
	}
}

// openDB opens and migrates a database URL in the test process.
func openDB(t *testing.T, url string) *gorm.DB {
	t.Helper()
	store, err := models.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return store.DB(context.Background())
}
