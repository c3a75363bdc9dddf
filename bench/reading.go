package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"qingdan/api"
	"qingdan/models"
	"qingdan/search"
	"qingdan/stats"
)

// searchQueries are what people type: names of powers and of what they act
// on, law titles, code fragments, and one or two characters; some narrowed
// to a prefecture or a category. Every word occurs in the generated province.
var searchQueries = [][]string{
	{"q", "骗取医疗保障基金"}, {"q", "医疗保障基金"}, {"q", "定点医药机构"}, {"q", "危险化学品"},
	{"q", "食品生产经营者"}, {"q", "旅行社"}, {"q", "排污许可"}, {"q", "中华人民共和国安全生产法"},
	{"q", "0247"}, {"q", "许可"}, {"q", "处罚"}, {"q", "行政"}, {"q", "罚款"}, {"q", "罚"}, {"q", "税"},
	{"q", "处罚", "category", "行政处罚"}, {"q", "行政检查", "region", "990100"},
	{"q", "医疗保障", "region", "990102"}, {"q", "旅行社", "category", "行政许可", "region", "990100"},
}

// runReading measures 全域检索 and 统计分析 on a generated province through
// the product's router in process (no network): every answer as a browser
// gets it, JSON encoded. Beside each search, the store's index query alone
// (models.Store.SearchCounts: the matches counted per list and category,
// everywhere) is the bare reference: what the database costs before facets,
// the page's items, marking and encoding. The router's searcher keeps each
// query's counts per list version (search/counts.go), so after the first
// round a search pays for what changed since; the "cold" probes run the
// commonest words on a fresh searcher each time: what the first search of a
// word costs, or one after most lists published.
func runReading(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("reading", flag.ContinueOnError)
	rounds := fs.Int("rounds", 20, "runs of each request (interleaved)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := models.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	h := api.NewRouter(api.Options{Store: store})

	type probe struct {
		name string
		run  func() (int, error) // returns the size of the answer
	}
	get := func(path string) func() (int, error) {
		return func() (int, error) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))
			if rec.Code != http.StatusOK {
				return 0, fmt.Errorf("GET %s: %d %s", path, rec.Code, rec.Body.String())
			}
			return rec.Body.Len(), nil
		}
	}
	var probes []probe
	for _, q := range searchQueries {
		v := url.Values{}
		for i := 0; i < len(q); i += 2 {
			v.Set(q[i], q[i+1])
		}
		path := "/api/v1/search?" + v.Encode()
		probes = append(probes, probe{"search " + strings.Join(q[1:], " "), get(path)})
		probes = append(probes, probe{"  bare: count of " + q[1] + " everywhere", func() (int, error) {
			counts, err := store.SearchCounts(ctx, v.Get("q"), nil, 0)
			return len(counts), err
		}})
	}
	for _, q := range []string{"许可", "处罚", "行政"} {
		probes = append(probes, probe{"search " + q + " (cold: a fresh searcher)", func() (int, error) {
			res, err := search.New(store).Run(ctx, search.Query{Q: q})
			if err != nil {
				return 0, err
			}
			b, err := json.Marshal(res)
			return len(b), err
		}})
	}
	province, prefecture, county := "990000", "990100", "990102"
	for _, r := range []string{prefecture, county} {
		// Each list's findings are kept per version once checked (round 0).
		probes = append(probes, probe{"stats/findings " + r, get("/api/v1/stats/findings?region=" + r)})
	}
	for _, r := range []string{"", province, prefecture, county} {
		probes = append(probes,
			probe{"stats/items " + r, get("/api/v1/stats/items?region=" + r)},
			probe{"stats/changes " + r, get("/api/v1/stats/changes?region=" + r)},
			probe{"stats/requests " + r, func() (int, error) { // as an administrator, without a login
				a, err := stats.Requests(ctx, store, &models.User{Role: models.RoleAdmin}, r)
				if err != nil {
					return 0, err
				}
				b, err := json.Marshal(a)
				return len(b), err
			}})
	}

	times := make([][]time.Duration, len(probes))
	sizes := make([]int, len(probes))
	for round := range *rounds + 1 { // round 0 warms the caches and is not counted
		for k := range probes {
			i := (k + round) % len(probes) // rotate, so load lands on every probe alike
			start := time.Now()
			n, err := probes[i].run()
			if err != nil {
				return err
			}
			if round > 0 {
				times[i] = append(times[i], time.Since(start))
			}
			sizes[i] = n
		}
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "request\tp50 ms\tp95 ms\tmax ms\tanswer\t")
	for i, p := range probes {
		t := times[i]
		slices.Sort(t)
		fmt.Fprintf(w, "%s\t%.1f\t%.1f\t%.1f\t%d\t\n", p.name, ms(t[len(t)/2]), ms(t[(len(t)*95+99)/100-1]), ms(t[len(t)-1]), sizes[i])
	}
	return w.Flush()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
