package main

import (
	"bytes"
	"context"
	"fmt"
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
)

// TestBareHandlerWritesTheProductsJSON keeps the reference honest: for the
// seed lists and generated ones, the bare handler answers byte for byte what
// GET /api/v1/lists/:id/items answers, and an unknown list is a 404 in both.
func TestBareHandlerWritesTheProductsJSON(t *testing.T) {
	ctx := context.Background()
	url := dbtest.URL(t, "postgres")
	db, err := models.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	store := models.NewStore(db)
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

// BenchmarkItemsHandlers serves a 300-item list in process, the product's
// handler and the bare one interleaved, without HTTP or wrk in the way:
//
//	go test ./bench -run '^$' -bench ItemsHandlers -benchtime 300x -count 3
func BenchmarkItemsHandlers(b *testing.B) {
	ctx := context.Background()
	url := dbtest.URL(b, "postgres")
	db, err := models.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	}()
	if err := models.Migrate(ctx, db); err != nil {
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
	handlers := []http.Handler{api.NewRouter(api.Options{Store: models.NewStore(db)}), bareHandler(pool)}
	var spent [2]time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		for k := range handlers {
			h := handlers[(i+k)%2] // alternate which goes first
			t0 := time.Now()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/lists/1/items", nil))
			if rec.Code != 200 {
				b.Fatal(rec.Code)
			}
			spent[(i+k)%2] += time.Since(t0)
		}
	}
	b.ReportMetric(float64(spent[0].Nanoseconds())/float64(b.N), "qingdan-ns/op")
	b.ReportMetric(float64(spent[1].Nanoseconds())/float64(b.N), "bare-ns/op")
	b.ReportMetric(spent[0].Seconds()/spent[1].Seconds(), "qingdan/bare")
}
