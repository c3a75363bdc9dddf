package export

import (
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"qingdan/apperr"
	"qingdan/importer"
	"qingdan/models"
)

// The field limits keep every cell an export writes within what a
// spreadsheet cell holds, so an XLSX never cuts text: the comparison table's
// cell of a whole item is the longest.
func TestFieldLimitsFitASpreadsheetCell(t *testing.T) {
	var item models.ItemFields
	for _, f := range models.TextFields {
		*item.Ptr(f) = strings.Repeat("字", f.MaxRunes())
	}
	for _, kind := range []string{models.KindPower, models.KindDuty} {
		l, _ := importer.LayoutFor(kind)
		if n := utf8.RuneCountInString(describeItem(l, item)); n > models.XLSXCellChars {
			t.Errorf("%s: an item at its limits fills a comparison cell with %d characters, over %d", kind, n, models.XLSXCellChars)
		}
	}
}

// A cell beyond a spreadsheet's limit (data older than the limits) is
// refused with a message, never cut.
func TestXLSXRefusesRatherThanCuts(t *testing.T) {
	long := strings.Repeat("字", models.XLSXCellChars+1)
	err := writeXLSX(io.Discard, table{title: "t", headers: []string{"甲", "乙"}, widths: []float64{10, 10}, rows: []row{{cells: []string{"a", long}}}})
	if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "乙") {
		t.Fatalf("a cell of %d characters: %v", models.XLSXCellChars+1, err)
	}
}
