package basis_test

import (
	"testing"

	"qingdan/basis"
	"qingdan/gen"
)

// BenchmarkCheck300 is the computation of the basis check of a generated
// 300-item list (its revisions' citations) against the seed registry; the
// reading of the rows is measured by `go run ./bench basis` (BENCHMARKS.md).
func BenchmarkCheck300(b *testing.B) {
	reg := seedRegistry(b)
	c := gen.Config{Seed: 1, Counties: 1, Departments: 1, MinItems: 300, MaxItems: 300, MeanItems: 300, MinVersions: 1, MaxVersions: 1}.Defaults()
	county := gen.GenerateCounty(c, gen.Regions(c), 0)
	var cs []basis.Cited
	for _, r := range county.Lists[0].Revisions {
		cs = append(cs, basis.CitationsOf(r.Fields(), int64(r.Item))...)
	}
	if len(county.Lists[0].Revisions) != 300 {
		b.Fatalf("%d revisions", len(county.Lists[0].Revisions))
	}
	b.ResetTimer()
	for range b.N {
		reg.Check(cs, "2024-01-01")
	}
}
