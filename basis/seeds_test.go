package basis_test

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"qingdan/basis"
	"qingdan/importer"
	"qingdan/models"
)

func seedRegistry(t testing.TB) *basis.Registry {
	t.Helper()
	rows, err := basis.SeedInstruments()
	if err != nil {
		t.Fatal(err)
	}
	var ins []models.Instrument
	for i, r := range rows {
		r.Instrument.ID = int64(i + 1)
		ins = append(ins, r.Instrument)
	}
	return basis.NewRegistry(ins)
}

func seedCitations(t *testing.T, name string) []basis.Cited {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "seeds", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := importer.Parse(f, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var cs []basis.Cited
	for i, it := range p.Items {
		cs = append(cs, basis.CitationsOf(it, int64(i+1))...)
	}
	return cs
}

// TestSeedResolution resolves every citation of both seed lists against the
// registry file: how many resolve, and which do not (none, today — a title
// the registry lacks would be listed here, never guessed).
func TestSeedResolution(t *testing.T) {
	reg := seedRegistry(t)
	for _, tc := range []struct {
		file                 string
		resolved, noTitle    int
		byAlias, byDocNumber int
		unresolved           []string
	}{
		{"hongsibu-medical-security-power-list.txt", 49, 0, 0, 0, nil},
		{"yutian-medical-security-duty-list.txt", 89, 0, 1, 0, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var resolved, noTitle, byAlias, byDoc int
			var unresolved []string
			for _, c := range seedCitations(t, tc.file) {
				if c.Citation.Title == "" {
					noTitle++
					continue
				}
				res := reg.Resolve(c.Citation)
				switch {
				case res.Instrument == nil:
					unresolved = append(unresolved, "【"+c.Citation.Level+"】《"+c.Citation.Title+"》")
				default:
					resolved++
					byAlias += map[bool]int{true: 1}[res.By == basis.ByAlias]
					byDoc += map[bool]int{true: 1}[res.By == basis.ByDocNumber]
				}
			}
			sort.Strings(unresolved)
			if resolved != tc.resolved || noTitle != tc.noTitle || byAlias != tc.byAlias || byDoc != tc.byDocNumber ||
				!reflect.DeepEqual(unresolved, tc.unresolved) {
				t.Errorf("resolved %d (alias %d, number %d), without title %d, unresolved %q; want %d (%d, %d), %d, %q",
					resolved, byAlias, byDoc, noTitle, unresolved, tc.resolved, tc.byAlias, tc.byDocNumber, tc.noTitle, tc.unresolved)
			}
		})
	}
}

// TestSeedFindings is the basis check of each seed list: every problem the
// registry proves, by kind.
func TestSeedFindings(t *testing.T) {
	reg := seedRegistry(t)
	for _, tc := range []struct {
		file string
		want map[string]int
	}{
		{"hongsibu-medical-security-power-list.txt", map[string]int{
			basis.FindingOutdatedEdition: 2, basis.FindingLevelMismatch: 3, basis.FindingLevelConflict: 1}},
		{"yutian-medical-security-duty-list.txt", map[string]int{
			basis.FindingWrongTitle: 1, basis.FindingLevelMismatch: 4, basis.FindingSuperseded: 3, basis.FindingAmendingAct: 2}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			fs := reg.Check(seedCitations(t, tc.file), "2024-01-01")
			if got := basis.Summary(fs); !reflect.DeepEqual(got, tc.want) {
				for _, f := range fs {
					t.Logf("%s item %d %s: %s", f.Kind, f.ItemID, f.Field, f.Message)
				}
				t.Errorf("summary = %v, want %v", got, tc.want)
			}
		})
	}
}
