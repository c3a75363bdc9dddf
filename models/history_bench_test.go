package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/diff"
	"qingdan/models"
)

// historyPlan is a list with a long history: version 1 and, for every later
// version, the items it modifies.
type historyPlan struct {
	agency string
	items  []models.ItemFields
	edits  [][]int // edits[n] are the indexes of the items version n modifies (n ≥ 2)
}

var planCategories = []string{"行政处罚", "行政强制", "行政给付", "行政检查", "其他类"}

// newHistoryPlan builds items of the seeds' size (a basis of about 1,200
// characters with <p> markup) and picks perVersion distinct items at random
// (fixed seed) for every version after the first.
func newHistoryPlan(agency string, items, versions, perVersion int) historyPlan {
	p := historyPlan{agency: agency, edits: make([][]int, versions+1)}
	paragraph := "<p>第八十七条 社会保险经办机构以及医疗机构、药品经营单位等社会保险服务机构以欺诈、伪造证明材料或者其他手段骗取社会保险基金支出的，由社会保险行政部门责令退回骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款。</p>"
	for i := range items {
		cat := planCategories[i%len(planCategories)]
		p.items = append(p.items, models.ItemFields{
			Seq: i/len(planCategories) + 1, Code: fmt.Sprintf("%02d47%03d000", 2+i%len(planCategories), i),
			Name:       fmt.Sprintf("对定点医药机构第%d类违法使用医疗保障基金行为的处罚", i+1),
			Category:   cat,
			Department: "医疗保障行政部门",
			Basis:      "<p>【法律】《中华人民共和国社会保险法》（2018年修正）</p>" + strings.Repeat(paragraph, 11),
			Citations:  []models.Citation{{Level: "法律", Title: "中华人民共和国社会保险法", Edition: "2018年修正", Articles: "第八十七条"}},
			Level:      "县级",
			Content:    "责令退回，处骗取金额二倍以上五倍以下的罚款；情节严重的，责令暂停相关责任部门六个月以上一年以下涉及医疗保障基金使用的医药服务。",
		})
	}
	r := rand.New(rand.NewPCG(4, 1000))
	for n := 2; n <= versions; n++ {
		p.edits[n] = r.Perm(items)[:perVersion]
	}
	return p
}

// edited is an item as version n leaves it: a few characters of its content
// changed, as a real amendment of a fine's range would.
func edited(f models.ItemFields, n int) models.ItemFields {
	f.Content = fmt.Sprintf("责令退回，处骗取金额%d元以上%d元以下的罚款；情节严重的，责令暂停相关责任部门六个月以上一年以下涉及医疗保障基金使用的医药服务。", n*100, n*500)
	f.Note = fmt.Sprintf("第%d版调整", n)
	return f
}

func planStart() time.Time { return time.Date(2020, 1, 1, 2, 0, 0, 0, time.UTC) }

// buildHistory writes the plan's list with bulk inserts — items, every
// revision with its final validity, every version — rather than publishing
// version after version: a 1,000-version history takes about a second.
func buildHistory(tb testing.TB, s *models.Store, p historyPlan) int64 {
	tb.Helper()
	ctx := context.Background()
	versions := len(p.edits) - 1
	var listID int64
	err := s.Transaction(ctx, func(tx *models.Store) error {
		if err := tx.EnsureRegions(ctx, models.KnownRegions); err != nil {
			return err
		}
		agency, err := tx.EnsureAgency(ctx, "640303", p.agency, models.AgencyDepartment)
		if err != nil {
			return err
		}
		arr := models.NewArrangement(p.items)
		list := models.List{AgencyID: agency.ID, Title: p.agency + "权力清单", Kind: models.KindPower, CurrentVersion: versions,
			CategoryOrder: arr.Categories, SeqScope: arr.SeqScope, CreatedAt: planStart()}
		if err := tx.DB(ctx).Create(&list).Error; err != nil {
			return err
		}
		listID = list.ID
		items := make([]models.Item, len(p.items))
		for i := range items {
			items[i] = models.Item{ListID: list.ID, CreatedAt: planStart()}
		}
		if err := tx.DB(ctx).CreateInBatches(items, 1000).Error; err != nil {
			return err
		}
		revs := make([]models.ItemRevision, 0, len(p.items)*2)
		current := make([]int, len(p.items)) // item index → its revision in revs
		for i, f := range p.items {
			r := models.ItemRevision{ItemID: items[i].ID, ListID: list.ID, ValidFrom: 1, ValidTo: models.OpenEnd,
				Position: (i + 1) * models.PositionStep, Op: models.OpImport}
			r.SetFields(f)
			current[i] = len(revs)
			revs = append(revs, r)
		}
		vs := []models.ListVersion{{ListID: list.ID, Number: 1, PublishedAt: planStart(), ItemCount: len(p.items)}}
		for n := 2; n <= versions; n++ {
			for _, i := range p.edits[n] {
				prev := &revs[current[i]]
				prev.ValidTo = n
				r := models.ItemRevision{ItemID: prev.ItemID, ListID: list.ID, ValidFrom: n, ValidTo: models.OpenEnd,
					Position: prev.Position, Op: models.OpModify}
				r.SetFields(edited(prev.Fields(), n))
				current[i] = len(revs)
				revs = append(revs, r)
			}
			vs = append(vs, models.ListVersion{ListID: list.ID, Number: n, PublishedAt: planStart().Add(time.Duration(n) * time.Hour),
				ItemCount: len(p.items), Modified: len(p.edits[n])})
		}
		if err := tx.DB(ctx).CreateInBatches(revs, 500).Error; err != nil {
			return err
		}
		return tx.DB(ctx).CreateInBatches(vs, 1000).Error
	})
	if err != nil {
		tb.Fatalf("build history: %v", err)
	}
	return listID
}

// The bulk builder must write exactly what publishing version after version
// writes, or the benchmarks measure a history the application never makes.
func TestHistoryFixtureMatchesPublishedVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := models.NewStore(db)
		const versions = 12
		bulk := buildHistory(t, s, newHistoryPlan("红寺堡区医疗保障局", 8, versions, 2))

		p := newHistoryPlan("红寺堡区民政局", 8, versions, 2)
		res, err := s.ImportList(ctx, models.ImportInput{Title: "对照", Kind: models.KindPower, AgencyName: p.agency,
			RegionCode: "640303", SHA256: "x", Items: p.items, At: planStart()})
		if err != nil {
			t.Fatal(err)
		}
		byIndex, _ := s.ItemsAt(ctx, res.ListID, 1, models.ItemFilter{})
		slices.SortFunc(byIndex, func(a, b models.ItemRevision) int { return a.Position - b.Position }) // import order, as the plan counts
		for n := 2; n <= versions; n++ {
			nv := models.NewVersion{ListID: res.ListID, BaseVersion: n - 1, At: planStart().Add(time.Duration(n) * time.Hour)}
			for _, i := range p.edits[n] {
				cur, err := s.CurrentRevision(ctx, byIndex[i].ItemID)
				if err != nil {
					t.Fatal(err)
				}
				f := edited(cur.Fields(), n)
				nv.Changes = append(nv.Changes, models.RevisionChange{ItemID: cur.ItemID, Op: models.OpModify, Fields: &f})
			}
			if err := s.Transaction(ctx, func(tx *models.Store) error { _, err := tx.PublishVersion(ctx, nv); return err }); err != nil {
				t.Fatal(err)
			}
		}

		shape := func(listID int64, n int) string {
			revs, err := s.ItemsAt(ctx, listID, n, models.ItemFilter{})
			if err != nil {
				t.Fatal(err)
			}
			v, err := s.Version(ctx, listID, n)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "items %d modified %d at %s\n", v.ItemCount, v.Modified, v.PublishedAt.UTC())
			for _, r := range revs {
				fmt.Fprintf(&b, "%d %s [%d,%d) %s %s %s\n", r.Position, r.Op, r.ValidFrom, r.ValidTo, r.Name, r.Content, r.Note)
			}
			return b.String()
		}
		changed := 0
		for n := 1; n <= versions; n++ {
			want, got := shape(res.ListID, n), shape(bulk, n)
			if got != want {
				t.Fatalf("version %d of the bulk history differs from the published one:\n got %s\nwant %s", n, got, want)
			}
			if n > 1 && got != shape(bulk, n-1) {
				changed++
			}
		}
		if changed != versions-1 {
			t.Errorf("%d of %d versions differ from the one before", changed, versions-1)
		}
	})
}

// BenchmarkHistory measures, on PostgreSQL, a list of 300 items with 1,000
// published versions of 3 modified items each (see BENCHMARKS.md):
//
//	go test ./models/ -run '^$' -bench BenchmarkHistory -benchtime 200x -count 6
//
// The operations run interleaved, in a rotating order, so a change in the
// machine's load during the run weighs on all of them alike; each is
// reported as its own ns/op, with the ratios the goals are about: v1/current
// within 0.8–1.2, diff/both (the diff of versions 1 and 1,000 against
// reading both) below 1.
func BenchmarkHistory(b *testing.B) {
	ctx := context.Background()
	db := dbtest.Open(b, "postgres")
	s := models.NewStore(db)
	const items, versions = 300, 1000
	start := time.Now()
	listID := buildHistory(b, s, newHistoryPlan("红寺堡区医疗保障局", items, versions, 3))
	if err := db.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	b.Logf("fixture: %d items, %d versions, built in %v", items, versions, time.Since(start).Round(time.Millisecond))
	if testing.Verbose() {
		// The plans of the version reads (the query ItemsAt runs), for BENCHMARKS.md.
		for _, n := range []int{1, versions / 2, versions} {
			var plan []string
			err := db.Raw(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT * FROM item_revisions
WHERE list_id = ? AND valid_from <= ? AND valid_to > ? ORDER BY position, item_id`, listID, n, n).Scan(&plan).Error
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("version %d:\n%s", n, strings.Join(plan, "\n"))
		}
	}

	read := func(n int) func() {
		return func() {
			revs, err := s.ItemsAt(ctx, listID, n, models.ItemFilter{})
			if err != nil || len(revs) != items {
				b.Fatalf("version %d: %d items, %v", n, len(revs), err)
			}
		}
	}
	diffOf := func(from, to int) func() {
		// What GET /lists/:id/diff computes before encoding its answer.
		return func() {
			res, err := diff.Versions(ctx, s, listID, from, to)
			if err != nil || len(res.Changes) == 0 {
				b.Fatalf("diff %d→%d: %d changes, %v", from, to, len(res.Changes), err)
			}
		}
	}
	ops := []struct {
		name string
		run  func()
	}{
		{"current", read(versions)},
		{"v1", read(1)},
		{"v500", read(versions / 2)},
		{"diff-1-1000", diffOf(1, versions)},
		{"diff-999-1000", diffOf(versions-1, versions)},
	}
	spent := make([]time.Duration, len(ops))
	round := 0
	for b.Loop() {
		for k := range ops {
			i := (round + k) % len(ops)
			t := time.Now()
			ops[i].run()
			spent[i] += time.Since(t)
		}
		round++
	}
	per := func(i int) float64 { return float64(spent[i].Nanoseconds()) / float64(b.N) }
	for i, op := range ops {
		b.ReportMetric(per(i), op.name+"-ns/op")
	}
	b.ReportMetric(per(1)/per(0), "v1/current")
	b.ReportMetric(per(2)/per(0), "v500/current")
	b.ReportMetric(per(3)/(per(0)+per(1)), "diff/both")
	b.ReportMetric(0, "ns/op") // the sum of the three says nothing
}
