package export

import (
	"strings"
	"testing"
	"unicode/utf8"

	"qingdan/importer"
	"qingdan/models"
)

// The field limits keep every cell an export writes within what a
// spreadsheet cell holds, so an XLSX never cuts text: the comparison table's
// cell of a whole item is the longest.
func TestFieldLimitsFitASpreadsheetCell(t *testing.T) {
	var item models.ItemFields
	for _, f := range models.TextFields {
		*item.Ptr(f) = strings.Repeat("字", models.FieldMaxRunes[f])
	}
	for _, kind := range []string{models.KindPower, models.KindDuty} {
		l, _ := importer.LayoutFor(kind)
		if n := utf8.RuneCountInString(describeItem(l, item)); n > models.XLSXCellChars {
			t.Errorf("%s: an item at its limits fills a comparison cell with %d characters, over %d", kind, n, models.XLSXCellChars)
		}
	}
}
