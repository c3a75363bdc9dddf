package gen

import (
	"context"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"gorm.io/gorm"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/codes"
	"qingdan/dbtest"
	"qingdan/models"
)

var small = Config{Seed: 7, Counties: 12, Departments: 5, MinItems: 20, MaxItems: 60, MeanItems: 30, MinVersions: 2, MaxVersions: 8, ChangeRatio: 0.1}.Defaults()

func TestSameSeedSameData(t *testing.T) {
	regions := Regions(small)
	a, b := GenerateCounty(small, regions, 3), GenerateCounty(small, regions, 3)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed generated different counties")
	}
	other := small
	other.Seed++
	if reflect.DeepEqual(a.Lists[1].Revisions, GenerateCounty(other, Regions(other), 3).Lists[1].Revisions) {
		t.Fatal("another seed generated the same list")
	}
	// A smaller province is a prefix of a larger one, so scales compare like for like.
	bigger := small
	bigger.Counties = 30
	if !reflect.DeepEqual(a, GenerateCounty(bigger, Regions(bigger), 3)) {
		t.Fatal("county 3 differs between a 12- and a 30-county province")
	}
}

func TestRegionsAreGBT2260Shaped(t *testing.T) {
	regions := Regions(small)
	byCode := map[string]models.Region{}
	names := map[string]bool{}
	counties := 0
	six := regexp.MustCompile(`^99\d{4}$`)
	for _, r := range regions {
		if !six.MatchString(r.Code) {
			t.Errorf("code %s is not six digits under province 99", r.Code)
		}
		if names[r.Name] {
			t.Errorf("name %s used twice", r.Name)
		}
		names[r.Name] = true
		byCode[r.Code] = r
		switch r.Level {
		case "province":
			if r.Code != "990000" || r.ParentCode != nil {
				t.Errorf("province %+v", r)
			}
		case "prefecture":
			if r.Code[4:] != "00" || *r.ParentCode != "990000" {
				t.Errorf("prefecture %+v", r)
			}
		case "county":
			counties++
			if p, ok := byCode[*r.ParentCode]; !ok || p.Level != "prefecture" || p.Code[:4] != r.Code[:4] || r.Code[4:] == "00" {
				t.Errorf("county %s under %s", r.Code, *r.ParentCode)
			}
		}
	}
	if counties != small.Counties {
		t.Errorf("%d counties, want %d", counties, small.Counties)
	}
}

// TestItemsLookReal checks every item of every version: codes pass the
// product's code rule, the basis text parses back to its citations, names
// are unique within a version and sizes stay in range.
func TestItemsLookReal(t *testing.T) {
	regions := Regions(small)
	for i := range small.Counties {
		county := GenerateCounty(small, regions, i)
		if len(county.Lists) != small.Departments || len(county.Agencies) != small.Departments+2 {
			t.Fatalf("county %d: %d lists, %d agencies", i, len(county.Lists), len(county.Agencies))
		}
		for _, l := range county.Lists {
			layout, _ := models.SeedLayout(l.Kind)
			if l.Versions[0].ItemCount < small.MinItems || l.Versions[0].ItemCount > small.MaxItems {
				t.Errorf("%s: %d items", l.Title, l.Versions[0].ItemCount)
			}
			for _, r := range l.Revisions {
				if l.Kind == models.KindPower && r.Code == "" {
					t.Errorf("%s: %s has no code", l.Title, r.Name)
				}
				if err := codes.Default.Check(r.Code, r.Category); err != nil {
					t.Errorf("%s: %s: %v", l.Title, r.Name, err)
				}
				if got := basis.Parse(r.Basis); !reflect.DeepEqual(got, r.Citations) {
					t.Errorf("%s: basis %q parses to %+v, want %+v", l.Title, r.Basis, got, r.Citations)
				}
				// A 权责清单 has no 行使内容: its items must not carry one.
				if f := layout.Missing(r.Fields()); f != "" {
					t.Errorf("%s (%s): %s %s fills %s, which the list's layout lacks", l.Title, l.Kind, r.Op, r.Name, f)
				}
				if r.PrevCode != "" && r.Op != models.OpRecategorize {
					t.Errorf("%s: prev code on a %s", l.Title, r.Op)
				}
			}
			for _, v := range l.Versions {
				seen := map[string]bool{}
				n := 0
				for _, r := range l.Revisions {
					if r.ValidFrom <= v.Number && v.Number < r.ValidTo {
						n++
						key := r.Name + "|" + r.Subitem
						if seen[key] {
							t.Errorf("%s v%d: %q twice", l.Title, v.Number, key)
						}
						seen[key] = true
					}
				}
				if n != v.ItemCount {
					t.Errorf("%s v%d: %d items in force, version says %d", l.Title, v.Number, n, v.ItemCount)
				}
			}
		}
	}
}

func TestArticleNumbers(t *testing.T) {
	for n, want := range map[int]string{1: "一", 10: "十", 14: "十四", 20: "二十", 87: "八十七", 100: "一百", 104: "一百零四", 110: "一百一十", 199: "一百九十九"} {
		if got := articleNumber(n); got != want {
			t.Errorf("articleNumber(%d) = %s, want %s", n, got, want)
		}
	}
}

// TestWriteKeepsTheStoreInvariants stores a small province and reads it
// back through the store: every version reads its item count, each live item
// has exactly one open revision, revisions of an item never overlap, and the
// product's own publication continues the history.
func TestWriteKeepsTheStoreInvariants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		c := small
		c.Counties = 2
		st, err := Write(ctx, db, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.Counties != 2 || st.Lists != 2*c.Departments || st.Revisions <= st.Items {
			t.Fatalf("stats %+v", st)
		}
		store := models.NewStore(db)
		var lists []models.List
		if err := db.Find(&lists).Error; err != nil || len(lists) != st.Lists {
			t.Fatalf("%d lists, err %v", len(lists), err)
		}
		versions := 0
		for _, l := range lists {
			for n := 1; n <= l.CurrentVersion; n++ {
				v, err := store.Version(ctx, l.ID, n)
				if err != nil {
					t.Fatal(err)
				}
				items, err := store.ItemsAt(ctx, l.ID, n, models.ItemFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if len(items) != v.ItemCount {
					t.Errorf("list %d v%d: read %d items, version says %d", l.ID, n, len(items), v.ItemCount)
				}
				versions++
			}
		}
		if versions != st.Versions {
			t.Errorf("%d versions readable, %d written", versions, st.Versions)
		}
		var bad []struct{ ItemID, N int64 }
		db.Raw(`SELECT item_id, COUNT(*) AS n FROM item_revisions WHERE valid_to = ? GROUP BY item_id HAVING COUNT(*) > 1`, models.OpenEnd).Scan(&bad)
		if len(bad) > 0 {
			t.Errorf("items with several open revisions: %v", bad)
		}
		var overlaps int64
		db.Raw(`SELECT COUNT(*) FROM item_revisions a JOIN item_revisions b ON a.item_id = b.item_id AND a.id < b.id
			AND a.valid_from < b.valid_to AND b.valid_from < a.valid_to`).Scan(&overlaps)
		if overlaps > 0 {
			t.Errorf("%d overlapping revision pairs", overlaps)
		}
		var live int64
		db.Raw(`SELECT COUNT(*) FROM item_revisions WHERE valid_to = ?`, models.OpenEnd).Scan(&live)
		if int(live) != st.Live {
			t.Errorf("%d open revisions, %d live items", live, st.Live)
		}

		// The product publishes on top of generated history: ids and positions fit.
		l := lists[0]
		cur, err := store.ItemsAt(ctx, l.ID, l.CurrentVersion, models.ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		f := cur[0].Fields()
		f.Content += "（再次调整）"
		added := f
		added.Name, added.Code = "新增的测试事项", ""
		err = store.Transaction(ctx, func(tx *models.Store) error {
			_, err := tx.PublishVersion(ctx, models.NewVersion{ListID: l.ID, BaseVersion: l.CurrentVersion, Changes: []models.RevisionChange{
				{ItemID: cur[0].ItemID, Op: models.OpModify, Fields: &f},
				{Op: models.OpAdd, Fields: &added},
			}})
			return err
		})
		if err != nil {
			t.Fatalf("publish on generated list: %v", err)
		}
		after, err := store.ItemsAt(ctx, l.ID, l.CurrentVersion+1, models.ItemFilter{})
		last := slices.IndexFunc(after, func(r models.ItemRevision) bool { return r.Category != added.Category }) - 1 // the end of its category
		if last < 0 {
			last = len(after) - 1
		}
		if err != nil || len(after) != len(cur)+1 || after[last].Name != "新增的测试事项" {
			t.Fatalf("after publication: %d items (want %d), err %v", len(after), len(cur)+1, err)
		}

		// The same province again is refused with a message, not a key violation.
		if _, err := Write(ctx, db, c, nil); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second write: %v, want a conflict", err)
		}
	})
}
