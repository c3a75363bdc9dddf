package export_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qingdan/basis"
	"qingdan/export"
	"qingdan/importer"
	"qingdan/models"
	"qingdan/testkit"
)

// TestRoundTripEveryLayout: a list imported from a file in any layout
// exports, in every format, to a file that imports back to the same items —
// with its own columns, extra columns included.
func TestRoundTripEveryLayout(t *testing.T) {
	cases := slices.Clone(testkit.LayoutCases)
	exact := map[string][]models.ItemFields{} // a seed's items as read, for TSV, which keeps markup as it is
	for _, name := range []string{"hongsibu-medical-security-power-list.txt", "yutian-medical-security-duty-list.txt"} {
		data, err := os.ReadFile(filepath.Join("..", "seeds", name))
		if err != nil {
			t.Fatal(err)
		}
		p, err := importer.Read(name, data, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.Items {
			p.Items[i].Citations = nil // CheckItems compares fields, not the citations parsed from them
		}
		exact[name] = slices.Clone(p.Items)
		for i := range p.Items {
			// A seed cell mixing <p> paragraphs with bare text comes back
			// with every paragraph marked: the same text, regular markup.
			for _, f := range models.TextFields {
				if v := p.Items[i].Get(f); f.Paragraphs() && strings.Contains(v, "<p") {
					*p.Items[i].Ptr(f) = basis.Markup(basis.Text(v))
				}
			}
		}
		cases = append(cases, testkit.LayoutCase{Name: name, File: name, Data: func() []byte { return data }, Items: p.Items})
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			p, err := importer.Read(tc.File, tc.Data(), importer.Options{Agency: tc.AgencyOption})
			if err != nil {
				t.Fatal(err)
			}
			v := export.Version{ListID: 1, Title: p.Title, Kind: p.Kind, Agency: p.Agency, Number: 1,
				PublishedAt: time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), Layout: p.Layout, Items: p.Items}
			for _, f := range export.VersionFormats {
				var buf bytes.Buffer
				if err := export.Write(&buf, f, v); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				back, err := importer.Read("清单."+string(f), buf.Bytes(), importer.Options{Agency: tc.AgencyOption})
				if err != nil {
					t.Fatalf("%s does not read back: %v", f, err)
				}
				want := tc.Items
				if f == export.TSV && exact[tc.Name] != nil {
					want = exact[tc.Name]
				}
				testkit.CheckItems(t, back.Items, want)
				if back.Title != p.Title || back.Agency != p.Agency || back.Kind != p.Kind {
					t.Errorf("%s: title %q agency %q kind %q", f, back.Title, back.Agency, back.Kind)
				}
				// A flat CSV carries the category as a column; the others keep the layout as it was.
				if f != export.CSV || !p.Layout.CategoryHeadings {
					if !slices.Equal(back.Layout.Columns, p.Layout.Columns) {
						t.Errorf("%s: columns\n got %v\nwant %v", f, back.Layout.Columns, p.Layout.Columns)
					}
				}
			}
		})
	}
}

// The layout a list keeps is what its export writes: extra columns under
// their headers, no column the list never had.
func TestExportWritesTheListsLayout(t *testing.T) {
	l := &models.Layout{Kind: "power", Columns: testkit.Cols("序号:seq", "事项名称:name", "权力类型:category", "承接单位:")}
	v := export.Version{Title: "某局权力清单", Kind: "power", Agency: "某局", Number: 1, Layout: l, Record: models.ListVersion{PublishDate: "2026-01-02"}, Items: []models.ItemFields{
		{Seq: 1, Name: "甲", Category: "行政处罚", Code: "", Extra: map[string]string{"承接单位": "各乡镇"}}}}
	var buf bytes.Buffer
	if err := export.Write(&buf, export.CSV, v); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "\uFEFF某局权力清单,,,\r\n某局　第 1 版　公布于 2026年1月2日,,,\r\n序号,事项名称,权力类型,承接单位\r\n1,甲,行政处罚,各乡镇\r\n"; got != want {
		t.Errorf("csv\n got %q\nwant %q", got, want)
	}
}
