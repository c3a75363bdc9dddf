package workflow

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"qingdan/basis"
	"qingdan/dbtest"
)

// The findings warmer checks every list once, then only what changed: a list
// that published (its new version), every list after the registry changed;
// a registry change kicks a pass at once, without waiting for the interval.
func TestFindingsWarmer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		warm := func() int {
			t.Helper()
			n, err := f.svc.warmFindingCounts(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := warm(); n != 2 {
			t.Fatalf("first pass checked %d lists, want both", n)
		}
		if n := warm(); n != 0 {
			t.Fatalf("second pass checked %d lists, want none: they are kept", n)
		}
		id := f.draft(t, "hsb-ybj", f.hsb)
		f.addOp(t, "hsb-ybj", id, f.modifyContent(t, "甲处罚", "负责甲（新）"))
		f.approve(t, id)
		f.fire(t, "hsb-gov", id, EventPublish, "")
		if n := warm(); n != 1 {
			t.Fatalf("after a publication the pass checked %d lists, want the one that published", n)
		}

		ctx, cancel := context.WithCancel(f.ctx)
		done := make(chan struct{})
		go func() { f.svc.RunFindingsWarmer(ctx, time.Hour); close(done) }()
		defer func() { cancel(); <-done }()
		rows, err := basis.SeedInstruments() // the fixture starts with an empty registry
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ImportInstruments(f.ctx, f.users["admin"], rows); err != nil {
			t.Fatal(err)
		}
		// The registry changed: the kicked pass counts both lists under it,
		// long before the hour's tick.
		reg, err := f.svc.Registry(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			kept := 0
			for _, l := range []int64{f.hsb, f.yt} {
				v := f.listVersion(t, l)
				if c, ok := f.svc.findingCounts.Peek(versionKey{l, v}); ok && c.reg == reg {
					kept++
				}
			}
			if kept == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after the registry changed, %d of 2 lists counted under it", kept)
			}
		}
	})
}
