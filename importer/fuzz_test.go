package importer

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"qingdan/basis"
	"qingdan/models"
)

// FuzzParse: no input panics; a failure is a *ParseError naming a line of
// the input; a success is consistent, and when WriteTSV accepts its items,
// reading them back gives the same items.
//
// The seeds are 60–80 KB, and the fuzzer minimises every new input for up to
// a minute by default, which stalls it on inputs that large: run it with
// -fuzzminimizetime=10x, e.g.
//
//	go test -run=^$ -fuzz=FuzzParse -fuzztime=60s -fuzzminimizetime=10x ./importer/
func FuzzParse(f *testing.F) {
	for _, path := range []string{hongsibuFile, yutianFile} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		for _, frac := range []int{2, 3, 5, 7, 11} { // truncations, some inside a rune
			f.Add(b[:len(b)*(frac-1)/frac])
		}
	}
	// Small excerpts keep the quirks but let the fuzzer work fast: Hongsibu's
	// title and lines 44–60 (shifted rows, the split name, an 8-cell
	// continuation), Yutian's title and its first five items.
	h := strings.Split(readSeed(f, hongsibuFile), "\n")
	f.Add([]byte(strings.Join(append(h[:3:3], h[43:60]...), "\n")))
	y := strings.Split(readSeed(f, yutianFile), "\n")
	f.Add([]byte(strings.Join(y[:19], "\n")))
	f.Add([]byte(file("某局权力清单", "一、行政处罚", powerHeader, prow("1", "甲", "0247001000", "<p>【法律】《某法》（修正）</p>", ""),
		row("", "续", "", "", "", "<p>第一条</p>", "", "", ""), row("2", "乙", "0247002000", "局", "依据", "县级", "内容", ""))))
	f.Add([]byte(file("某局权责清单", dutyHeader+"\t", drow("1", "甲", "行政检查", "职责", "责任"))))

	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(bytes.NewReader(data), Options{})
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("not a *ParseError: %v", err)
			}
			if pe.Line < 1 || pe.Line > bytes.Count(data, []byte("\n"))+1 {
				t.Fatalf("error line %d outside the input: %v", pe.Line, err)
			}
			return
		}
		if len(p.Items) == 0 || len(p.Lines) != len(p.Items) || p.Report.Total() != len(p.Items) || p.Agency == "" {
			t.Fatalf("inconsistent result: %d items, %d lines, total %d, agency %q", len(p.Items), len(p.Lines), p.Report.Total(), p.Agency)
		}
		for _, it := range p.Items {
			if it.Seq < 1 {
				t.Fatalf("seq %d", it.Seq)
			}
		}
		var b strings.Builder
		if WriteTSV(&b, p.Title, p.Layout, p.Items) != nil {
			return
		}
		q, err := Parse(strings.NewReader(b.String()), Options{})
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, b.String())
		}
		if !reflect.DeepEqual(q.Items, p.Items) {
			t.Fatalf("round trip changed the items\nfirst %+v\nthen  %+v", p.Items, q.Items)
		}
	})
}

// FuzzWriteTSV: WriteTSV either refuses an item or writes a file that reads
// back to exactly that item.
func FuzzWriteTSV(f *testing.F) {
	f.Add(1, "对骗取医疗救助资金的处罚", "", "0208064000", "行政处罚", "医疗保障行政部门", "<p>【行政法规】《条例》（2021年）</p> <p>第二条</p>", "县级", "内容", "职责", "增加")
	f.Add(3, "甲", "0647001000", "", "其他类", "局", "依据", "负责", "", "负责", "")
	f.Fuzz(func(t *testing.T, seq int, name, subitem, code, category, dept, basisText, level, content, duty, note string) {
		power := models.ItemFields{Seq: seq, Name: name, Subitem: subitem, Code: code, Category: category,
			Department: dept, Basis: basisText, Level: level, Content: content, Note: note}
		dutyItem := models.ItemFields{Seq: seq, Name: name, Subitem: subitem, Category: category,
			Department: dept, Basis: basisText, Level: level, Duty: duty, Responsibility: content, Note: note}
		for _, tc := range []struct {
			kind string
			it   models.ItemFields
		}{{"power", power}, {"duty", dutyItem}} {
			var b strings.Builder
			if WriteTSV(&b, "某局清单", seedLayout(tc.kind), []models.ItemFields{tc.it}) != nil {
				continue
			}
			p, err := Parse(strings.NewReader(b.String()), Options{Agency: "某局"})
			if err != nil {
				t.Fatalf("%s: written file does not parse: %v\n%q", tc.kind, err, b.String())
			}
			want := tc.it
			want.Citations = basis.Parse(want.Basis)
			if len(p.Items) != 1 || !reflect.DeepEqual(p.Items[0], want) {
				t.Fatalf("%s: round trip\n got %+v\nwant %+v", tc.kind, p.Items, want)
			}
		}
	})
}
