package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"qingdan/gen"
	"qingdan/models"
	"qingdan/workflow"
)

// runBasis measures the basis check of a 300-item list and the impact of a
// law change across a generated province, each beside reading the same rows:
//
//   - check: workflow.Service.CheckList on a fresh service (its version cache
//     empty, so the items are read too), against Store.ItemsAt of the same version;
//   - impact: workflow.Service.Impact of an amendment recorded by an
//     administrator (every region) of 《中华人民共和国行政强制法》 and of
//     《中华人民共和国行政处罚法》 — every affected list's count and the first
//     page of lists with their items, what GET /instrument-changes/:id/impact
//     answers — against reading the same rows bare (the per-list counts and the
//     page's revisions by primary key, with pgx), against reading every
//     affected revision by primary key (what the answer carried before it was
//     paged), and with --scan against finding them without the link table (a scan of the
//     current revisions' citations).
//
// The operations run interleaved, round after round, so load lands on all alike.
func runBasis(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("basis", flag.ContinueOnError)
	counties := fs.Int("counties", 100, "counties of the generated province (100: ~400,000 current items)")
	rounds := fs.Int("rounds", 30, "rounds measured")
	keep := fs.Bool("keep", false, "keep the generated data (for EXPLAIN, or a later --reuse)")
	scan := fs.Bool("scan", false, "also find the citing items without the link table (slow: ~20 s a round at province scale)")
	reuse := fs.Bool("reuse", false, "measure the province already in the database (qingdan gen, or a --keep run) instead of generating one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var db *gorm.DB
	var err error
	if *reuse {
		db, err = openGenerated(ctx)
	} else {
		db, err = openEmpty(ctx)
	}
	if err != nil {
		return err
	}
	if !*keep && !*reuse {
		defer truncate(ctx, db)
	}
	pool, err := connectPool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()

	start := time.Now()
	if !*reuse {
		st, err := gen.Write(ctx, db, gen.Config{Seed: 1, Counties: *counties}, nil)
		if err != nil {
			return err
		}
		fmt.Printf("setup: %d lists, %d current items, %d revisions generated in %s\n", st.Lists, st.Live, st.Revisions, time.Since(start).Round(time.Millisecond))
	}
	store := models.NewStore(db)
	flow := workflow.New(store)
	if _, err := flow.SeedRegistry(ctx); err != nil {
		return err
	}
	start = time.Now()
	if err := flow.LinkPending(ctx); err != nil {
		return err
	}
	var links int64
	db.WithContext(ctx).Model(&models.CitationLink{}).Count(&links)
	fmt.Printf("linking: %d citations resolved and stored (new ones in %s)\n", links, time.Since(start).Round(time.Millisecond))
	// Bulk-written tables get their statistics and visibility maps (for
	// index-only scans) as autovacuum would give them.
	if err := db.WithContext(ctx).Exec("VACUUM ANALYZE").Error; err != nil {
		return err
	}

	var listID int64
	err = pool.QueryRow(ctx, `SELECT l.id FROM lists l JOIN list_versions v ON v.list_id = l.id AND v.number = l.current_version
		WHERE v.item_count = 300 AND l.kind = 'power' ORDER BY l.id LIMIT 1`).Scan(&listID)
	if err != nil {
		return fmt.Errorf("a 300-item list: %w", err)
	}
	list, err := store.List(ctx, listID)
	if err != nil {
		return err
	}
	admin := &models.User{Username: "bench-admin", DisplayName: "bench", Role: models.RoleAdmin, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := db.WithContext(ctx).Where("username = ?", admin.Username).FirstOrCreate(admin).Error; err != nil {
		return err
	}
	chk, err := flow.CheckList(ctx, listID, list.CurrentVersion)
	if err != nil {
		return err
	}
	fmt.Printf("list %d: 300 items, %d findings\n", listID, len(chk.Findings))
	type op struct {
		name string
		fn   func() error
		prep func() error // before fn, not timed
	}
	// The check on a service whose registry is loaded (as a running server's
	// is) but whose version cache is empty, so it reads the items too.
	fresh := workflow.New(store)
	ops := []op{
		{"check", func() error { _, err := fresh.CheckList(ctx, listID, list.CurrentVersion); return err }, func() error {
			fresh = workflow.New(store)
			_, err := fresh.Registry(ctx)
			return err
		}},
		{"read-list", func() error {
			_, err := store.ItemsAt(ctx, listID, list.CurrentVersion, models.ItemFilter{})
			return err
		}, nil},
	}
	// Two instruments cited across the province: 行政强制法 by the coercive
	// measures (a few per cent of the items), 行政处罚法 by the penalties (a third).
	for _, title := range []string{"中华人民共和国行政强制法", "中华人民共和国行政处罚法"} {
		in, ok, err := store.InstrumentByTitle(ctx, title)
		if err != nil || !ok {
			return fmt.Errorf("%s not in the registry: %v", title, err)
		}
		ch, err := flow.RecordChange(ctx, admin, in.ID, workflow.ChangeInput{Kind: models.ChangeAmended, Date: "2026-05-01"})
		if err != nil {
			return err
		}
		page := models.Page{Limit: models.DefaultPageLimit}
		imp, err := flow.Impact(ctx, admin, ch.ID, page)
		if err != nil {
			return err
		}
		var pageRevs []int64
		for _, l := range imp.Lists {
			for _, it := range l.Items {
				pageRevs = append(pageRevs, it.Citations[0].RevisionID)
			}
		}
		var allRevs []int64
		rows, err := pool.Query(ctx, `SELECT DISTINCT cl.revision_id FROM citation_links cl JOIN item_revisions r ON r.id = cl.revision_id
			WHERE cl.instrument_id = $1 AND r.valid_to = $2`, in.ID, models.OpenEnd)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			allRevs = append(allRevs, id)
		}
		rows.Close()
		if len(allRevs) != imp.Items {
			return fmt.Errorf("《%s》: the impact counts %d items, the revisions are %d", title, imp.Items, len(allRevs))
		}
		short := title[len("中华人民共和国"):]
		fmt.Printf("impact of 《%s》: %d items of %d lists; the first page: %d lists, %d items\n", title, imp.Items, imp.Total, len(imp.Lists), len(pageRevs))
		readByKey := func(ids []int64) error {
			rows, err := pool.Query(ctx, `SELECT r.id, r.item_id, r.list_id, r.code, r.name, r.position FROM item_revisions r WHERE r.id = ANY($1)`, ids)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n != len(ids) {
				return fmt.Errorf("read %d rows, want %d", n, len(ids))
			}
			return rows.Err()
		}
		ops = append(ops,
			op{"impact " + short, func() error { _, err := flow.Impact(ctx, admin, ch.ID, page); return err }, nil},
			op{"read-page " + short, func() error {
				rows, err := pool.Query(ctx, `SELECT list_id, COUNT(DISTINCT item_id) FROM citation_links
					WHERE instrument_id = $1 AND is_current GROUP BY list_id ORDER BY list_id`, in.ID)
				if err != nil {
					return err
				}
				n := 0
				for rows.Next() {
					n++
				}
				rows.Close()
				if n != imp.Total {
					return fmt.Errorf("counted %d lists, want %d", n, imp.Total)
				}
				return readByKey(pageRevs)
			}, nil},
			op{"read-all " + short, func() error { return readByKey(allRevs) }, nil})
		if *scan {
			ops = append(ops, op{"scan " + short, func() error {
				var n int
				return pool.QueryRow(ctx, `SELECT count(*) FROM item_revisions WHERE valid_to = $1 AND citations LIKE $2`,
					models.OpenEnd, "%"+title+"%").Scan(&n)
			}, nil})
		}
	}
	times := make([][]time.Duration, len(ops))
	for round := range *rounds {
		for k := range ops {
			i := (k + round) % len(ops)
			if ops[i].prep != nil {
				if err := ops[i].prep(); err != nil {
					return fmt.Errorf("%s: %w", ops[i].name, err)
				}
			}
			t := time.Now()
			if err := ops[i].fn(); err != nil {
				return fmt.Errorf("%s: %w", ops[i].name, err)
			}
			times[i] = append(times[i], time.Since(t))
		}
	}
	fmt.Printf("p50 over %d rounds:\n", *rounds)
	for i, op := range ops {
		fmt.Printf("  %-15s %8.2f ms\n", op.name, float64(median(times[i]))/1e6)
	}
	m := func(i int) float64 { return float64(median(times[i])) }
	ratios := fmt.Sprintf("check/read-list %.2f", m(0)/m(1))
	for i, op := range ops {
		if strings.HasPrefix(op.name, "impact ") {
			ratios += fmt.Sprintf("   %s/read-page %.2f, /read-all %.2f", op.name, m(i)/m(i+1), m(i)/m(i+2))
		}
	}
	fmt.Println(ratios)
	return nil
}
