package importer

import (
	"errors"
	"testing"

	"qingdan/testkit"
)

// The readers of workbooks, Word documents and CSV text never panic on any
// input: they read a list whose items are consistent, or refuse with a
// *ParseError. The corpus is the test tables (and their truncations).
func fuzzRead(f *testing.F, name, format string, extra ...[]byte) {
	for _, tc := range testkit.LayoutCases {
		if tc.Format == format {
			data := tc.Data()
			f.Add(data)
			f.Add(data[:len(data)*2/3])
		}
	}
	for _, b := range extra {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read(name, data, Options{Agency: "某局"})
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("not a *ParseError: %v", err)
			}
			return
		}
		if len(p.Items) == 0 || len(p.Lines) != len(p.Items) || p.Report.Total() != len(p.Items) || p.Layout == nil {
			t.Fatalf("inconsistent result: %d items, %d lines, total %d", len(p.Items), len(p.Lines), p.Report.Total())
		}
		for _, it := range p.Items {
			if it.Name == "" || it.Category == "" {
				t.Fatalf("an item without name or category: %+v", it)
			}
		}
	})
}

func FuzzReadXLSX(f *testing.F) { fuzzRead(f, "清单.xlsx", FormatXLSX) }

func FuzzReadDOCX(f *testing.F) { fuzzRead(f, "清单.docx", FormatDOCX) }

func FuzzReadCSV(f *testing.F) {
	fuzzRead(f, "清单.csv", FormatCSV,
		[]byte("某局权力清单\n序号,事项名称,权力类型,设定依据\n1,甲,行政处罚,\"【法律】《某法》\n第一条\"\n2,乙,行政检查,/\n"),
		[]byte("\uFEFF序号,事项名称[主项],子项\n一、行政许可\n1,甲,无\n1-1,乙,丙\n"))
}
