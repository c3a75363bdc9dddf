package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/dbtest"
	"qingdan/historytest"
	"qingdan/models"
	"qingdan/vcache"
)

// get sends a GET with the given request headers (name, value, …).
func get(h http.Handler, path string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// openTwice opens one new database of the engine through two separate
// stores, as two instances of the server would; listening, each keeps the
// current versions as the database's notifications tell them.
func openTwice(t *testing.T, engine string, listen bool) (a, b *models.Store) {
	t.Helper()
	u := dbtest.URL(t, engine)
	a, b = dbtest.OpenURL(t, u), dbtest.OpenURL(t, u)
	if listen {
		a.Listen(u)
		b.Listen(u)
		waitListening(t, a, b)
	}
	return a, b
}

func waitListening(t *testing.T, stores ...*models.Store) {
	t.Helper()
	for _, s := range stores {
		for deadline := time.Now().Add(10 * time.Second); !s.HeadsListening(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the current-version listener did not start")
			}
		}
	}
}

// cacheSetups are the ways instances learn of a publication: a lookup on
// every request (SQLite, and PostgreSQL without its listener), or
// PostgreSQL's LISTEN/NOTIFY.
var cacheSetups = []struct {
	name, engine string
	listen       bool
}{{"postgres", "postgres", false}, {"postgres-listening", "postgres", true}, {"sqlite", "sqlite", false}}

// Two instances over one database: each keeps its own version cache, yet a
// publication through one is what the other answers on its very next read of
// the current version, while every URL naming a version keeps its bytes.
func TestVersionCacheAcrossInstances(t *testing.T) {
	for _, setup := range cacheSetups {
		t.Run(setup.name, func(t *testing.T) {
			storeA, storeB := openTwice(t, setup.engine, setup.listen)
			listID := importSeeds(t, storeA)[0]
			routerA, routerB := api.NewRouter(api.Options{Store: storeA}), api.NewRouter(api.Options{Store: storeB})
			base := fmt.Sprintf("/api/v1/lists/%d/", listID)
			current := []string{base + "items", base + "items?category=" + url.QueryEscape("行政处罚"), base + "export?format=csv"}

			before := map[string]*httptest.ResponseRecorder{}
			for _, p := range current {
				a, b := get(routerA, p), get(routerB, p)
				if a.Code != 200 || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) || a.Header().Get("ETag") != b.Header().Get("ETag") {
					t.Fatalf("%s: instances answer %d and %d, ETags %q and %q", p, a.Code, b.Code, a.Header().Get("ETag"), b.Header().Get("ETag"))
				}
				if cc := a.Header().Get("Cache-Control"); cc != "no-cache" || a.Header().Get("ETag") == "" {
					t.Errorf("%s: Cache-Control %q, ETag %q; the current version must be revalidated", p, cc, a.Header().Get("ETag"))
				}
				if nm := get(routerA, p, "If-None-Match", a.Header().Get("ETag")); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
					t.Errorf("%s with its ETag: %d, %d bytes; want 304 and nothing", p, nm.Code, nm.Body.Len())
				}
				before[p] = a
			}
			if before[current[0]].Header().Get("ETag") == before[current[1]].Header().Get("ETag") ||
				bytes.Equal(before[current[0]].Body.Bytes(), before[current[1]].Body.Bytes()) {
				t.Error("a category filter answers what the whole list answers")
			}
			named := []string{base + "items?version=1", base + "export?format=xlsx&version=1"}
			fixed := map[string]*httptest.ResponseRecorder{}
			for _, p := range named {
				fixed[p] = get(routerA, p)
				if cc := fixed[p].Header().Get("Cache-Control"); fixed[p].Code != 200 || cc != "public, max-age=31536000, immutable" {
					t.Errorf("%s: %d, Cache-Control %q", p, fixed[p].Code, cc)
				}
			}

			if r := get(routerA, base+"items?version=2"); r.Code != 404 || r.Header().Get("ETag") != "" {
				t.Errorf("version 2 before it exists: %d, ETag %q", r.Code, r.Header().Get("ETag"))
			}

			// Instance B publishes version 2.
			l, err := storeB.List(context.Background(), listID)
			if err != nil {
				t.Fatal(err)
			}
			v1 := historytest.Items(t, storeB, listID, 1)
			f := v1[0].Fields()
			f.Content = "责令退回，处骗取金额二倍以上五倍以下的罚款"
			historytest.Publish(t, storeB, historytest.NewPeople(t, storeB, l.AgencyID, ""), listID, "调整罚款幅度", time.Now(),
				historytest.Change{Op: models.OpModify, ItemID: v1[0].ItemID, Fields: &f, Reason: "上位法修正"})

			for _, p := range current {
				old := before[p].Header().Get("ETag")
				a := get(routerA, p, "If-None-Match", old)
				if a.Code != 200 || a.Header().Get("ETag") == old {
					t.Errorf("%s after publication on the other instance: %d, ETag %q (was %q)", p, a.Code, a.Header().Get("ETag"), old)
				}
				if p == current[0] && !bytes.Contains(a.Body.Bytes(), []byte(`"version":2`)) {
					t.Errorf("%s still answers version 1", p)
				}
				if p != current[1] && !bytes.Contains(a.Body.Bytes(), []byte(f.Content)) {
					t.Errorf("%s lacks the published change", p)
				}
			}
			for _, p := range named {
				for _, h := range []http.Handler{routerA, routerB} {
					if r := get(h, p); !bytes.Equal(r.Body.Bytes(), fixed[p].Body.Bytes()) || r.Header().Get("ETag") != fixed[p].Header().Get("ETag") {
						t.Errorf("%s changed its bytes or ETag after a publication", p)
					}
				}
			}
			// The version not found before is found now (a refusal is not
			// kept), and named by number it is the same answer as the
			// current version, kept under one entry with one ETag.
			if a, b := get(routerA, base+"items"), get(routerA, base+"items?version=2"); !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) || a.Header().Get("ETag") != b.Header().Get("ETag") {
				t.Error("items and items?version=2 differ")
			}
			d := base + "diff?from=1&to=2"
			if a, b := get(routerA, d), get(routerB, d); a.Code != 200 || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) ||
				a.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
				t.Errorf("diff: %d %d, Cache-Control %q", a.Code, b.Code, a.Header().Get("Cache-Control"))
			}

			// Exports print the agency's name: renamed on B, both instances
			// export the new name, of the current and of a past version.
			exports := []string{base + "export?format=xlsx", base + "export?format=xlsx&version=1"}
			for _, p := range exports {
				get(routerA, p) // kept with the old name
			}
			ctx := context.Background()
			if err := storeB.Transaction(ctx, func(tx *models.Store) error {
				ag, err := tx.Agency(ctx, l.AgencyID)
				if err != nil {
					return err
				}
				ag.Name = "更名后的医疗保障局"
				return tx.UpdateAgency(ctx, &ag)
			}); err != nil {
				t.Fatal(err)
			}
			for _, p := range exports {
				for name, h := range map[string]http.Handler{"A": routerA, "B": routerB} {
					if r := get(h, p); r.Code != 200 || !strings.Contains(xlsxSubtitle(t, r.Body.Bytes()), "更名后的医疗保障局") {
						t.Errorf("%s on %s after the agency's renaming: %d, subtitle %q", p, name, r.Code, xlsxSubtitle(t, r.Body.Bytes()))
					}
				}
			}
		})
	}
}

// gzip and brotli are encoded once and sent to clients that accept them,
// brotli first; each representation has its own ETag and any revalidates.
func TestVersionCacheCompression(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		listID := importSeeds(t, store)[0]
		h := newRouter(db)
		decoders := map[string]func(io.Reader) (io.Reader, error){
			"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
			"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		}
		for _, p := range []string{fmt.Sprintf("/api/v1/lists/%d/items?version=1", listID), fmt.Sprintf("/api/v1/lists/%d/export?format=tsv", listID)} {
			plain := get(h, p)
			if plain.Header().Get("Content-Encoding") != "" {
				t.Fatalf("%s: Content-Encoding %q to a client accepting none", p, plain.Header().Get("Content-Encoding"))
			}
			etags := map[string]bool{plain.Header().Get("ETag"): true}
			for _, tc := range []struct{ accept, want string }{
				{"br;q=1, gzip;q=0.8", "br"},
				{"gzip, deflate, br", "br"},
				{"*", "br"},
				{"gzip", "gzip"},
				{"br;q=0, gzip", "gzip"},
				{"gzip;q=0", ""},
				{"br;q=0, *", "gzip"},
			} {
				r := get(h, p, "Accept-Encoding", tc.accept)
				if got := r.Header().Get("Content-Encoding"); got != tc.want {
					t.Fatalf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", p, tc.accept, got, tc.want)
				}
				if r.Header().Get("Vary") != "Accept-Encoding" {
					t.Errorf("%s: Vary %q", p, r.Header().Get("Vary"))
				}
				if tc.want == "" {
					continue
				}
				zr, err := decoders[tc.want](r.Body)
				if err != nil {
					t.Fatal(err)
				}
				decoded, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(decoded, plain.Body.Bytes()) {
					t.Fatalf("%s: the %s body is not the plain one (%v)", p, tc.want, err)
				}
				if tc.want == "br" && r.Body.Len() >= get(h, p, "Accept-Encoding", "gzip").Body.Len() {
					t.Errorf("%s: brotli (%d bytes) not smaller than gzip", p, r.Body.Len())
				}
				etag := r.Header().Get("ETag")
				etags[etag] = true
				if rv := get(h, p, "Accept-Encoding", tc.accept, "If-None-Match", `W/"x", `+etag); rv.Code != http.StatusNotModified {
					t.Errorf("%s: If-None-Match with the %s ETag: %d", p, tc.want, rv.Code)
				}
			}
			if len(etags) != 3 {
				t.Errorf("%s: %d distinct ETags for plain, gzip and brotli", p, len(etags))
			}
		}
	})
}

// Who asks changes nothing in these answers, so one entry serves both; a
// free-text filter is answered but not kept.
func TestVersionCacheSameForAnonymousAndStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		listID := importSeeds(t, models.NewStore(db))[0]
		h, token := staffRouter(t, db)
		for _, p := range []string{"items", "items?version=1", "export?format=csv", "comparison?from=1&to=1&format=html"} {
			p = fmt.Sprintf("/api/v1/lists/%d/%s", listID, p)
			staff := get(h, p, "Authorization", "Bearer "+token)
			anon := get(h, p)
			if staff.Code != 200 || !bytes.Equal(staff.Body.Bytes(), anon.Body.Bytes()) || staff.Header().Get("ETag") != anon.Header().Get("ETag") {
				t.Errorf("%s: staff %d and anonymous %d differ", p, staff.Code, anon.Code)
			}
		}
		q := get(h, fmt.Sprintf("/api/v1/lists/%d/items?q=%s", listID, url.QueryEscape("骗取")))
		if q.Code != 200 || q.Header().Get("ETag") != "" || !bytes.Contains(q.Body.Bytes(), []byte("骗取")) {
			t.Errorf("?q=: %d, ETag %q", q.Code, q.Header().Get("ETag"))
		}
	})
}

// A cache smaller than the answers keeps no more than its budget and still
// answers every request right.
func TestVersionCacheKeepsItsBudget(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		store := models.NewStore(db)
		ids := importSeeds(t, store)
		const budget = 64 << 10
		small := vcache.New(budget)
		tiny, roomy := api.NewRouter(api.Options{Store: store, VersionCache: small}), newRouter(db)
		for round := range 2 {
			for _, id := range ids {
				for _, p := range []string{"items", "items?version=1", "export?format=csv", "export?format=xlsx", "export?format=tsv", "diff?from=1&to=1"} {
					p = fmt.Sprintf("/api/v1/lists/%d/%s", id, p)
					a, b := get(tiny, p), get(roomy, p)
					if a.Code != 200 || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
						t.Fatalf("round %d %s: %d, %d bytes; want %d bytes", round, p, a.Code, a.Body.Len(), b.Body.Len())
					}
					if n := small.Size(); n > budget {
						t.Fatalf("after %s the cache holds %d bytes, over its budget of %d", p, n, budget)
					}
				}
			}
		}
		if small.Size() == 0 {
			t.Error("the small cache kept nothing")
		}
	})
}

// xlsxSubtitle is the second line of an exported workbook, which names the
// agency and the version.
func xlsxSubtitle(t *testing.T, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := f.GetCellValue(f.GetSheetName(0), "A2")
	if err != nil {
		t.Fatal(err)
	}
	return v
}
