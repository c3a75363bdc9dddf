package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"qingdan/gen"
	"qingdan/models"
)

// runImport compares models.ImportList — what the importer writes for every
// parsed list — with COPY of the same rows (gen.Write: regions, agencies,
// lists, versions, items, revisions). Both start from empty tables, in
// alternating rounds; the median round of each is reported.
func runImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	counties := fs.Int("counties", 2, "counties of 40 lists to import")
	rounds := fs.Int("rounds", 3, "alternating rounds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openEmpty(ctx)
	if err != nil {
		return err
	}
	regions, county := generateCounties(*counties)
	var lists []gen.List
	var items int
	for _, cty := range county {
		lists = append(lists, cty.Lists...)
		for _, l := range cty.Lists {
			items += l.Items
		}
	}
	var product, bare []time.Duration
	for range *rounds {
		if err := truncate(ctx, db); err != nil {
			return err
		}
		store := models.NewStore(db)
		if err := store.EnsureRegions(ctx, regions); err != nil {
			return err
		}
		start := time.Now()
		for _, cty := range county {
			for _, l := range cty.Lists {
				in := models.ImportInput{Title: l.Title, Kind: l.Kind, AgencyName: cty.Agencies[l.Agency].Name,
					RegionCode: cty.Region.Code, SHA256: l.Title, Report: "{}"}
				for _, r := range l.Revisions {
					in.Items = append(in.Items, r.Fields())
				}
				if _, err := store.ImportList(ctx, in); err != nil {
					return err
				}
			}
		}
		product = append(product, time.Since(start))

		if err := truncate(ctx, db); err != nil {
			return err
		}
		start = time.Now()
		if err := copyCounties(ctx, db, regions, county); err != nil {
			return err
		}
		bare = append(bare, time.Since(start))
	}
	p, b := median(product), median(bare)
	fmt.Printf("| import %d lists, %d items (median of %d rounds) | ImportList %s, %.0f items/s | COPY %s, %.0f items/s | %.1f× |\n",
		len(lists), items, *rounds, p.Round(time.Millisecond), float64(items)/p.Seconds(),
		b.Round(time.Millisecond), float64(items)/b.Seconds(), p.Seconds()/b.Seconds())
	return truncate(ctx, db)
}

// generateCounties makes the counties of lists with one version each that
// the import benchmarks write.
func generateCounties(n int) ([]models.Region, []gen.County) {
	c := gen.Config{Seed: 1, Counties: n, MinVersions: 1, MaxVersions: 1}.Defaults()
	regions := gen.Regions(c)
	var county []gen.County
	for i := range c.Counties {
		county = append(county, gen.GenerateCounty(c, regions, i))
	}
	return regions, county
}

// copyCounties stores generated counties with COPY.
func copyCounties(ctx context.Context, db *gorm.DB, regions []models.Region, counties []gen.County) error {
	w, err := models.NewBulkWriter(ctx, db)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Regions(ctx, regions); err != nil {
		return err
	}
	for _, c := range counties {
		if err := w.County(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// openEmpty opens DATABASE_URL, migrated, and refuses a database that holds
// any list: the benchmarks truncate what they write.
func openEmpty(ctx context.Context) (*gorm.DB, error) {
	store, n, err := openPostgres(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, fmt.Errorf("this benchmark empties the database it writes: give it an empty one (it has %d lists)", n)
	}
	return store.DB(ctx), nil
}

// openPostgres opens and migrates the PostgreSQL database of DATABASE_URL
// and counts its lists.
func openPostgres(ctx context.Context) (*models.Store, int64, error) {
	url, err := databaseURL()
	if err != nil {
		return nil, 0, err
	}
	store, err := models.Open(ctx, url)
	if err != nil {
		return nil, 0, err
	}
	if models.IsSQLite(store.DB(ctx)) {
		return nil, 0, fmt.Errorf("the benchmarks compare against PostgreSQL references: use a postgres:// DATABASE_URL")
	}
	if err := store.Migrate(ctx); err != nil {
		return nil, 0, err
	}
	n, err := store.CountLists(ctx)
	if err != nil {
		return nil, 0, err
	}
	return store, int64(n), nil
}

// truncate empties every table the benchmarks write.
func truncate(ctx context.Context, db *gorm.DB) error {
	err := db.WithContext(ctx).Exec(`TRUNCATE regions, agencies, lists, list_versions, items, item_revisions, users, sessions,
		change_requests, change_request_operations, change_request_events, audit_events RESTART IDENTITY CASCADE`).Error
	if err != nil {
		return fmt.Errorf("truncate: %w", err)
	}
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// openGenerated opens the PostgreSQL database of a generated province, brought
// up to the current schema, for benchmarks that only read what it holds.
func openGenerated(ctx context.Context) (*gorm.DB, error) {
	store, n, err := openPostgres(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("the database has no lists: generate a province first (qingdan gen)")
	}
	return store.DB(ctx), nil
}
