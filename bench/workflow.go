package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	qapi "qingdan/api"
	"qingdan/gen"
	"qingdan/models"
)

// runWorkflow measures whole-workflow throughput: concurrent clients, each
// on its own list, take change requests from draft to published (create,
// --ops modify operations, submit, pass, approve, publish) through the HTTP
// API, every step on the next of the --servers instances; then the same
// steps as raw SQL (baresql.go) by as many clients for as long.
//
// --setup fills an empty DATABASE_URL first (one county of 40 lists and
// their accounts) and exits, so the servers can start on it.
func runWorkflow(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("workflow", flag.ContinueOnError)
	setup := fs.Bool("setup", false, "fill the empty database and exit")
	servers := fs.String("servers", "http://127.0.0.1:8081,http://127.0.0.1:8082",
		`comma-separated base URLs of the instances, or "inprocess" for two in this process (to profile them with BENCH_CPUPROFILE)`)
	clients := fs.Int("clients", 8, "concurrent clients, one list each (at most 40)")
	duration := fs.Duration("duration", 20*time.Second, "length of each run")
	nops := fs.Int("ops", 3, "operations per request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *setup {
		db, err := openEmpty(ctx)
		if err != nil {
			return err
		}
		if _, err := gen.Write(ctx, db, gen.Config{Seed: 9, Counties: 1}, nil); err != nil {
			return err
		}
		var lists []models.List
		if err := db.WithContext(ctx).Order("id").Find(&lists).Error; err != nil {
			return err
		}
		_, err = newPeople(ctx, models.NewStore(db), lists)
		return err
	}
	url, err := databaseURL()
	if err != nil {
		return err
	}
	pool, err := openPool(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	lists, err := benchLists(ctx)
	if err != nil {
		return err
	}
	if *clients > len(lists) {
		return fmt.Errorf("%d clients but %d lists: run --setup on an empty database first", *clients, len(lists))
	}
	bases := strings.Split(*servers, ",")
	if *servers == "inprocess" {
		if bases, err = inProcessServers(ctx, url, 2); err != nil {
			return err
		}
	}

	api := &apiClient{http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}}
	tokens := map[string]string{}
	for _, u := range append([]string{"reviewer", "approver"}, usernames(*clients)...) {
		var out struct{ Token string }
		if err := api.do(ctx, bases[0], "POST", "/api/v1/auth/login", "", map[string]string{"username": u, "password": benchPassword}, &out); err != nil {
			return fmt.Errorf("login %s: %w", u, err)
		}
		tokens[u] = out.Token
	}

	product := load(ctx, *clients, *duration, func(ctx context.Context, c int, r *rand.Rand) error {
		l := lists[c]
		sub := tokens[fmt.Sprintf("sub-%d", c)]
		step := c
		next := func() string { step++; return bases[step%len(bases)] }
		var cr struct{ ID int64 }
		if err := api.do(ctx, next(), "POST", "/api/v1/change-requests", sub,
			map[string]any{"list_id": l.id, "title": "基准修订", "reason": "法律修订"}, &cr); err != nil {
			return err
		}
		for _, i := range r.Perm(len(l.items))[:*nops] {
			op := map[string]any{"op": "modify", "item_id": l.items[i], "reason": "依据新法调整", "basis": benchBasis,
				"item": map[string]string{"content": fmt.Sprintf("调整 %d", r.Uint32())}}
			if err := api.do(ctx, next(), "POST", fmt.Sprintf("/api/v1/change-requests/%d/operations", cr.ID), sub, op, nil); err != nil {
				return err
			}
		}
		for _, s := range []struct{ token, event string }{{sub, "submit"}, {tokens["reviewer"], "pass"}, {tokens["approver"], "approve"}, {tokens["approver"], "publish"}} {
			if err := api.do(ctx, next(), "POST", fmt.Sprintf("/api/v1/change-requests/%d/transitions", cr.ID), s.token,
				map[string]string{"event": s.event}, nil); err != nil {
				return err
			}
		}
		return nil
	})

	ids, err := userIDs(ctx, pool, *clients)
	if err != nil {
		return err
	}
	bare := load(ctx, *clients, *duration, func(ctx context.Context, c int, r *rand.Rand) error {
		l := lists[c]
		crID, err := bareCreate(ctx, pool, l.id, ids[fmt.Sprintf("sub-%d", c)])
		if err != nil {
			return err
		}
		for _, i := range r.Perm(len(l.items))[:*nops] {
			if err := bareModify(ctx, pool, crID, l.items[i], fmt.Sprintf("调整 %d", r.Uint32())); err != nil {
				return err
			}
		}
		for _, s := range []struct{ who, event, from, to string }{{fmt.Sprintf("sub-%d", c), "submit", "draft", "legal_review"},
			{"reviewer", "pass", "legal_review", "approval"}, {"approver", "approve", "approval", "approved"}, {"approver", "publish", "approved", "published"}} {
			if err := bareFire(ctx, pool, crID, ids[s.who], s.event, s.from, s.to); err != nil {
				return err
			}
		}
		return nil
	})
	fmt.Printf("| workflow: %d clients, %d operations per request, %s, %d instances | API %s | raw SQL %s | %.1f× |\n",
		*clients, *nops, *duration, len(bases), product, bare, bare.perSecond()/product.perSecond())
	return nil
}

// inProcessServers starts n instances of the API, each with its own
// connection pool, on loopback ports; they stop with ctx.
func inProcessServers(ctx context.Context, url string, n int) ([]string, error) {
	var bases []string
	for range n {
		store, err := models.Open(ctx, url)
		if err != nil {
			return nil, err
		}
		context.AfterFunc(ctx, func() { store.Close() })
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		srv := &http.Server{Handler: qapi.NewRouter(qapi.Options{Store: store}), ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		context.AfterFunc(ctx, func() { srv.Close() })
		bases = append(bases, "http://"+ln.Addr().String())
	}
	return bases, nil
}

// benchList is a list a client works on and its items' ids.
type benchList struct {
	id    int64
	items []int64
}

// benchLists are the lists of the setup's accounts sub-0, sub-1, … in order.
func benchLists(ctx context.Context) ([]benchList, error) {
	url, err := databaseURL()
	if err != nil {
		return nil, err
	}
	store, err := models.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	db := store.DB(ctx)
	var lists []models.List
	if err := db.WithContext(ctx).Order("id").Find(&lists).Error; err != nil {
		return nil, err
	}
	out := make([]benchList, 0, len(lists))
	for _, l := range lists {
		revs, err := store.ItemsAt(ctx, l.ID, l.CurrentVersion, models.ItemFilter{})
		if err != nil {
			return nil, err
		}
		bl := benchList{id: l.ID}
		for _, r := range revs {
			bl.items = append(bl.items, r.ItemID)
		}
		out = append(out, bl)
	}
	return out, nil
}

func usernames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("sub-%d", i)
	}
	return out
}

func userIDs(ctx context.Context, pool *pgxpool.Pool, clients int) (map[string]int64, error) {
	out := map[string]int64{}
	for _, u := range append([]string{"reviewer", "approver"}, usernames(clients)...) {
		var id int64
		if err := pool.QueryRow(ctx, "SELECT id FROM users WHERE username = $1", u).Scan(&id); err != nil {
			return nil, fmt.Errorf("user %s: %w", u, err)
		}
		out[u] = id
	}
	return out, nil
}

// loadResult is what a load run did.
type loadResult struct {
	done, failed int
	elapsed      time.Duration
	latencies    []time.Duration
	firstErr     error
}

func (r loadResult) perSecond() float64 { return float64(r.done) / r.elapsed.Seconds() }

func (r loadResult) String() string {
	if r.done == 0 {
		return fmt.Sprintf("nothing published (%d failed: %v)", r.failed, r.firstErr)
	}
	slices.Sort(r.latencies)
	p := func(q float64) time.Duration {
		return r.latencies[int(q*float64(len(r.latencies)-1))].Round(time.Millisecond)
	}
	s := fmt.Sprintf("%.1f published/s (p50 %s, p99 %s per request)", r.perSecond(), p(0.5), p(0.99))
	if r.failed > 0 {
		s += fmt.Sprintf(", %d failed (%v)", r.failed, r.firstErr)
	}
	return s
}

// load runs cycle on clients goroutines until duration is over.
func load(ctx context.Context, clients int, duration time.Duration, cycle func(ctx context.Context, client int, r *rand.Rand) error) loadResult {
	var mu sync.Mutex
	var res loadResult
	start := time.Now()
	deadline := start.Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), uint64(time.Now().UnixNano()))) // new contents every run: a modify must change something
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				err := cycle(ctx, c, r)
				mu.Lock()
				if err != nil {
					res.failed++
					if res.firstErr == nil {
						res.firstErr = err
					}
				} else {
					res.done++
					res.latencies = append(res.latencies, time.Since(t0))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// apiClient speaks JSON to the instances.
type apiClient struct{ http *http.Client }

func (a *apiClient) do(ctx context.Context, base, method, path, token string, body, out any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return errors.Join(fmt.Errorf("%s %s: decode", method, path), err)
	}
	return nil
}
