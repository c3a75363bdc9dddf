package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"qingdan/api"
	"qingdan/dbtest"
	"qingdan/gen"
	"qingdan/importer"
	"qingdan/models"
	"qingdan/throttle"
	"qingdan/vcache"
)

// TestBareHandlerWritesTheProductsJSON keeps the reference honest: for the
// seed lists and generated ones, the bare handler answers byte for byte what
// GET /api/v1/lists/:id/items answers, and an unknown list is a 404 in both.
func TestBareHandlerWritesTheProductsJSON(t *testing.T) {
	ctx := context.Background()
	url := dbtest.URL(t, "postgres")
	store, err := models.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	db := store.DB(ctx)
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}

	if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
		t.Fatal(err)
	}
	seeds, _ := filepath.Glob("../seeds/*.txt")
	if len(seeds) != 2 {
		t.Fatalf("seeds: %v", seeds)
	}
	for _, p := range seeds {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = importer.Import(ctx, store, f, importer.Options{}, "")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := gen.Write(ctx, db, gen.Config{Seed: 2, Counties: 1, Departments: 4, MinVersions: 3, MaxVersions: 3}, nil); err != nil {
		t.Fatal(err)
	}
	pool, err := openPool(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	product, bare := api.NewRouter(api.Options{Store: store}), bareHandler(pool)
	var lists []models.List
	if err := db.Order("id").Find(&lists).Error; err != nil || len(lists) != 6 {
		t.Fatalf("%d lists, %v", len(lists), err)
	}
	get := func(h http.Handler, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	for _, l := range lists {
		path := fmt.Sprintf("/api/v1/lists/%d/items", l.ID)
		p, b := get(product, path), get(bare, path)
		if p.Code != 200 || b.Code != 200 || !bytes.Equal(p.Body.Bytes(), b.Body.Bytes()) {
			t.Errorf("%s (%s): product %d, %d bytes; bare %d, %d bytes", path, l.Title, p.Code, p.Body.Len(), b.Code, b.Body.Len())
		}
		if p.Header().Get("Content-Type") != b.Header().Get("Content-Type") {
			t.Errorf("content types %q and %q", p.Header().Get("Content-Type"), b.Header().Get("Content-Type"))
		}
	}
	if p, b := get(product, "/api/v1/lists/999999/items"), get(bare, "/api/v1/lists/999999/items"); p.Code != 404 || b.Code != 404 {
		t.Errorf("unknown list: product %d, bare %d", p.Code, b.Code)
	}
}

// BenchmarkItemsHandlers serves a 300-item list in process, without HTTP or
// wrk in the way: the bare handler, a miss of the product's version cache (a
// cache too small to keep anything: every request reads, encodes and
// gzips), and
// the product's cached paths — the current version, gzipped, revalidated
// with If-None-Match (304), a version named by number, an XLSX export; each
// looking the current version up and, *-listening, kept from NOTIFY — all
// interleaved, so that the machine's load weighs on each alike:
//
//	go test ./bench -run '^$' -bench ItemsHandlers -benchtime 300x -count 3
//
// Each *-ns/op is one request's time; bare/* is how many of those requests
// cost what one request of the bare handler costs.
func BenchmarkItemsHandlers(b *testing.B) {
	ctx := context.Background()
	url := dbtest.URL(b, "postgres")
	store, err := models.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	db := store.DB(ctx)
	if err := store.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := gen.Write(ctx, db, gen.Config{Seed: 1, Counties: 1, Departments: 1}, nil); err != nil {
		b.Fatal(err)
	}
	pool, err := openPool(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()

	// One client asks everything here: no rate limit for it on the export.
	product := api.NewRouter(api.Options{Store: store, Costly: throttle.New(time.Nanosecond, 1<<30, nil)})
	miss := api.NewRouter(api.Options{Store: store, VersionCache: vcache.New(1)})
	// As qingdan serve runs on PostgreSQL: the current version kept in
	// memory while LISTEN/NOTIFY tells of publications (models/heads.go).
	listening, err := models.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer listening.Close()
	listening.Listen(url)
	for !listening.HeadsListening() {
		time.Sleep(10 * time.Millisecond)
	}
	notified := api.NewRouter(api.Options{Store: listening, Costly: throttle.New(time.Nanosecond, 1<<30, nil)})
	const items = "/api/v1/lists/1/items"
	first := httptest.NewRecorder()
	product.ServeHTTP(first, httptest.NewRequest("GET", items, nil))
	etag := first.Header().Get("ETag")
	head, err := store.ListHead(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	named := fmt.Sprintf("?version=%d", head.Version) // the same answer, named by number
	probes := []struct {
		name    string
		h       http.Handler
		path    string
		headers []string
		status  int
	}{
		{"bare", bareHandler(pool), items, nil, 200},
		{"miss", miss, items, nil, 200},
		{"cached", product, items, nil, 200},
		{"gzip", product, items, []string{"Accept-Encoding", "gzip"}, 200},
		{"304", product, items, []string{"If-None-Match", etag}, 304},
		{"version", product, items + named, nil, 200},
		{"xlsx", product, "/api/v1/lists/1/export?format=xlsx&" + named[1:], nil, 200},
		{"listening", notified, items, nil, 200},
		{"304-listening", notified, items, []string{"If-None-Match", etag}, 304},
		{"version-listening", notified, items + named, nil, 200},
		{"xlsx-listening", notified, "/api/v1/lists/1/export?format=xlsx&" + named[1:], nil, 200},
	}
	spent, size := make([]time.Duration, len(probes)), make([]int, len(probes))
	b.ResetTimer()
	// A new order every round: a rotation would keep each probe behind the
	// same neighbour, and the one behind the cache miss would always pay for
	// collecting its garbage.
	order := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		for _, j := range order.Perm(len(probes)) {
			p := probes[j]
			req := httptest.NewRequest("GET", p.path, nil)
			for h := 0; h < len(p.headers); h += 2 {
				req.Header.Set(p.headers[h], p.headers[h+1])
			}
			t0 := time.Now()
			w := &sink{header: http.Header{}}
			p.h.ServeHTTP(w, req)
			spent[j] += time.Since(t0)
			size[j] = w.n
			if w.code != p.status || w.code == 200 && w.n == 0 {
				b.Fatalf("%s: %d, %d bytes", p.name, w.code, w.n)
			}
		}
	}
	for j, p := range probes {
		b.ReportMetric(float64(spent[j].Nanoseconds())/float64(b.N), p.name+"-ns/op")
		b.ReportMetric(float64(size[j]), p.name+"-bytes")
		if j > 0 {
			b.ReportMetric(spent[0].Seconds()/spent[j].Seconds(), "bare/"+p.name)
		}
	}
}

// sink is a ResponseWriter that counts the body and keeps nothing, as a
// network connection would; httptest.ResponseRecorder's growing buffer would
// charge each request for copying its body into memory.
type sink struct {
	header  http.Header
	code, n int
}

func (s *sink) Header() http.Header { return s.header }

func (s *sink) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
}

func (s *sink) Write(b []byte) (int, error) {
	s.WriteHeader(http.StatusOK)
	s.n += len(b)
	return len(b), nil
}
