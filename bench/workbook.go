package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/xuri/excelize/v2"

	"qingdan/basis"
	"qingdan/gen"
	"qingdan/importer"
	"qingdan/models"
)

// runWorkbook measures reading and importing a county-sized workbook — the
// items of generated departments' lists on one sheet per 权力类型, a title
// merged across, 实施部门 merged down over each department's rows — beside
// COPY of the same items (gen.Write of the lists they came from), and the
// peak memory of the reading and importing.
func runWorkbook(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("workbook", flag.ContinueOnError)
	counties := fs.Int("counties", 3, "counties whose lists fill the workbook (about 4,300 items each)")
	rounds := fs.Int("rounds", 3, "alternating rounds")
	readOnly := fs.Bool("read-only", false, "only read the workbook (no database)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	regions, county := generateCounties(*counties)
	data, items, sheets, err := buildWorkbook(county)
	if err != nil {
		return err
	}
	agency := county[0].Region.Name + "人民政府"
	regionCode := county[0].Region.Code
	// The peaks below are the product's: the generated counties (some
	// hundred MB) are dropped before it runs, and made again for each COPY.
	county = nil
	freeMemory()

	resetPeak()
	cpu0 := cpuTime()
	start := time.Now()
	p, err := importer.Read("county.xlsx", data, importer.Options{Agency: agency, Kind: models.KindPower})
	if err != nil {
		return err
	}
	read, readCPU := time.Since(start), cpuTime()-cpu0
	readPeak := peakRSS()
	if len(p.Items) != items {
		return fmt.Errorf("read %d items, the workbook has %d", len(p.Items), items)
	}
	p = nil
	if *readOnly {
		fmt.Printf("workbook of %d items on %d sheets (%d KB): read %s (CPU %s), %.0f items/s, peak RSS %d MB\n",
			items, sheets, len(data)>>10, read.Round(time.Millisecond), readCPU.Round(time.Millisecond), float64(items)/read.Seconds(), readPeak>>20)
		return nil
	}
	db, err := openEmpty(ctx)
	if err != nil {
		return err
	}
	var product, productCPU, bare []time.Duration
	var importPeak int64
	for range *rounds {
		if err := truncate(ctx, db); err != nil {
			return err
		}
		store := models.NewStore(db)
		if err := store.EnsureRegions(ctx, regions); err != nil {
			return err
		}
		freeMemory()
		resetPeak()
		cpu0 := cpuTime()
		start := time.Now()
		if _, _, err := importer.ImportFile(ctx, store, "county.xlsx", data, importer.Options{Agency: agency, Kind: models.KindPower}, regionCode); err != nil {
			return err
		}
		product = append(product, time.Since(start))
		productCPU = append(productCPU, cpuTime()-cpu0)
		importPeak = max(importPeak, peakRSS())

		if err := truncate(ctx, db); err != nil {
			return err
		}
		_, county := generateCounties(*counties)
		start = time.Now()
		if err := copyCounties(ctx, db, regions, county); err != nil {
			return err
		}
		bare = append(bare, time.Since(start))
	}
	pm, bm := median(product), median(bare)
	fmt.Printf("| workbook of %d items on %d sheets (%d KB), median of %d rounds | read %s (CPU %s), %.0f items/s, peak RSS %d MB; read and import %s (CPU %s in this process), %.0f items/s, peak RSS %d MB | COPY %s, %.0f items/s | %.0f %% |\n",
		items, sheets, len(data)>>10, *rounds, read.Round(time.Millisecond), readCPU.Round(time.Millisecond), float64(items)/read.Seconds(), readPeak>>20,
		pm.Round(time.Millisecond), median(productCPU).Round(time.Millisecond), float64(items)/pm.Seconds(), importPeak>>20,
		bm.Round(time.Millisecond), float64(items)/bm.Seconds(), 100*bm.Seconds()/pm.Seconds())
	fmt.Printf("rounds (import / COPY): %s\n", roundPairs(product, bare))
	return truncate(ctx, db)
}

// roundPairs writes each round's two times, so the spread a loaded machine
// gives is seen beside the medians.
func roundPairs(product, bare []time.Duration) string {
	var parts []string
	for i := range product {
		parts = append(parts, fmt.Sprintf("%s / %s", product[i].Round(10*time.Millisecond), bare[i].Round(10*time.Millisecond)))
	}
	return strings.Join(parts, ", ")
}

// freeMemory collects garbage and gives the freed memory back to the
// system, so that the resident size measured next starts from what is live.
func freeMemory() {
	runtime.GC()
	debug.FreeOSMemory()
}

// buildWorkbook lays the counties' items out as a department's office would:
// one sheet per 权力类型, each with a title, a header and the items, the
// department merged down over its rows.
func buildWorkbook(counties []gen.County) ([]byte, int, int, error) {
	type row struct {
		dept string
		it   models.ItemFields
	}
	byCat := map[string][]row{}
	var cats []string
	n := 0
	for _, cty := range counties {
		for _, l := range cty.Lists {
			for _, r := range l.Revisions {
				it := r.Fields()
				if _, ok := byCat[it.Category]; !ok {
					cats = append(cats, it.Category)
				}
				byCat[it.Category] = append(byCat[it.Category], row{cty.Agencies[l.Agency].Name, it})
				n++
			}
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	header := []any{"序号", "事项名称", "子项名称", "基本编码", "实施部门", "设定依据", "行使层级", "备注"}
	for i, cat := range cats {
		name := cat
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, 0, 0, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, 0, 0, err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return nil, 0, 0, err
		}
		if err := sw.SetRow("A1", []any{"全县" + cat + "事项清单"}); err != nil {
			return nil, 0, 0, err
		}
		if err := sw.MergeCell("A1", "H1"); err != nil {
			return nil, 0, 0, err
		}
		if err := sw.SetRow("A2", header); err != nil {
			return nil, 0, 0, err
		}
		rows := byCat[cat]
		first := 0
		for k, r := range rows {
			dept := r.dept
			if k > first {
				dept = "" // merged down from the department's first row
			}
			cells := []any{strconv.Itoa(k + 1), r.it.Name, r.it.Subitem, r.it.Code, dept, basis.Text(r.it.Basis), r.it.Level, ""}
			if err := sw.SetRow("A"+strconv.Itoa(k+3), cells); err != nil {
				return nil, 0, 0, err
			}
			if k+1 == len(rows) || rows[k+1].dept != r.dept {
				if k > first {
					if err := sw.MergeCell("E"+strconv.Itoa(first+3), "E"+strconv.Itoa(k+3)); err != nil {
						return nil, 0, 0, err
					}
				}
				first = k + 1
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, 0, 0, err
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, 0, 0, err
	}
	return buf.Bytes(), n, len(cats), nil
}

// resetPeak clears the process's peak resident size (Linux), so that
// peakRSS measures what follows.
func resetPeak() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS is the process's peak resident size since resetPeak, in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime is the CPU time the process has used: on a loaded machine the
// wall time of a CPU-bound step says more about the other work than about it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
