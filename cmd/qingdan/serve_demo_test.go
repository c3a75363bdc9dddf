package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"qingdan/testkit"
	"strings"
	"syscall"
	"testing"
	"time"

	"qingdan/dbtest"
)

// serveOnce runs `qingdan serve --demo` on the database until it answers,
// calls fn with its base URL, stops it and returns what it printed.
func serveOnce(t *testing.T, bin, dbURL string, fn func(base string)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "serve", "--demo", "--addr", addr, "--seeds", filepath.Join("..", "..", "seeds"))
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "QINGDAN_AUDIT_KEY="+dbtest.TestAuditKey)
	var out, errOut testkit.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := http.Get(base + "/healthz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("serve did not start:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	fn(base)
	cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve exited with %v:\n%s", err, errOut.String())
	}
	return out.String()
}

func getJSON(t *testing.T, req *http.Request, v any) {
	t.Helper()
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("%s %s: %d", req.Method, req.URL, r.StatusCode)
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestServeDemo runs the real binary: the demo submitters belong to the
// agencies the seed import created, and a second start changes nothing.
func TestServeDemo(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "qingdan")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, engine := range dbtest.Engines {
		t.Run(engine, func(t *testing.T) {
			dbURL := dbtest.URL(t, engine)
			first := serveOnce(t, bin, dbURL, func(base string) {
				var login struct {
					Token string
					User  struct{ Agency struct{ ID int64 } }
				}
				req, _ := http.NewRequest("POST", base+"/api/v1/auth/login", strings.NewReader(`{"username":"hsb-ybj","password":"demo12345"}`))
				req.Header.Set("Content-Type", "application/json")
				getJSON(t, req, &login)
				var lists struct {
					Lists []struct {
						Title  string
						Agency struct{ ID int64 }
					}
				}
				req, _ = http.NewRequest("GET", base+"/api/v1/lists", nil)
				getJSON(t, req, &lists)
				found := false
				for _, l := range lists.Lists {
					found = found || l.Title == "红寺堡区医疗保障局权力清单" && l.Agency.ID == login.User.Agency.ID
				}
				if !found {
					t.Errorf("hsb-ybj (agency %d) is not the agency of the Hongsibu list: %+v", login.User.Agency.ID, lists.Lists)
				}
			})
			if strings.Count(first, "  新建\n") != 9 {
				t.Errorf("first start printed:\n%s", first)
			}
			second := serveOnce(t, bin, dbURL, func(string) {})
			if strings.Count(second, "已存在，未改动") != 9 || strings.Contains(second, "  新建\n") {
				t.Errorf("second start printed:\n%s", second)
			}
		})
	}
}
