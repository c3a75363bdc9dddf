package basis_test

import (
	"fmt"
	"os"
	"testing"

	"qingdan/basis"
	"qingdan/importer"
	"qingdan/models"
)

func TestDumpSeeds(t *testing.T) {
	rows, err := basis.SeedInstruments()
	if err != nil {
		t.Fatal(err)
	}
	var ins []models.Instrument
	for i, r := range rows {
		r.Instrument.ID = int64(i + 1)
		ins = append(ins, r.Instrument)
	}
	reg := basis.NewRegistry(ins)
	for _, name := range []string{"hongsibu-medical-security-power-list.txt", "yutian-medical-security-duty-list.txt"} {
		f, _ := os.Open("../seeds/" + name)
		p, err := importer.Parse(f, importer.Options{})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var cs []basis.Cited
		seen := map[string]bool{}
		for i, it := range p.Items {
			for _, c := range basis.CitationsOf(it, int64(i+1)) {
				cs = append(cs, c)
				res := reg.Resolve(c.Citation)
				k := c.Citation.Level + c.Citation.Title + "|" + c.Citation.Edition
				if seen[k] {
					continue
				}
				seen[k] = true
				id, ed := "-", ""
				if res.Instrument != nil {
					id = fmt.Sprint(res.Instrument.ID, res.By)
				}
				if res.Edition != nil {
					ed = res.Edition.Date
				}
				fmt.Printf("%s\t【%s】《%s》(%s)\t%s %s\n", name[:3], c.Citation.Level, c.Citation.Title, c.Citation.Edition, id, ed)
			}
		}
		for _, f := range reg.Check(cs, "2024-01-01") {
			fmt.Println("  ", f.Kind, f.ItemID, f.Field, f.Message)
		}
	}
}
