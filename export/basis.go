package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"qingdan/basis"
	"qingdan/models"
)

// BasisList is one list of a basis-check report with its findings.
type BasisList struct {
	List     models.ListSummary
	Findings []basis.Finding
}

var basisFieldLabels = map[string]string{
	models.LinkFieldBasis:               "职权依据",
	models.LinkFieldResponsibilityBasis: "追责依据",
	models.LinkFieldOperationBasis:      "调整依据",
}

// WriteBasisReport writes a region's basis check (依据体检报告) as XLSX: a
// heading per list with its counts, then one row per finding.
func WriteBasisReport(w io.Writer, region string, lists []BasisList, at time.Time) error {
	t := table{
		title:    "依据体检报告",
		subtitle: fmt.Sprintf("%s　%d 份清单　生成于 %s", region, len(lists), at.In(models.China).Format("2006年1月2日 15:04")),
		headers:  []string{"清单", "事项", "位置", "问题", "所引法规（原文）", "法规库中的法规", "说明"},
		widths:   []float64{22, 24, 10, 14, 36, 30, 50},
	}
	for _, l := range lists {
		counts := basis.Summary(l.Findings)
		var parts []string
		for _, k := range basis.FindingKinds {
			if counts[k] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", basis.FindingLabels[k], counts[k]))
			}
		}
		head := fmt.Sprintf("%s（%s，第 %d 版）：%d 处问题", l.List.Title, l.List.AgencyName, l.List.Version, len(l.Findings))
		if len(parts) > 0 {
			head += "——" + strings.Join(parts, "、")
		}
		t.rows = append(t.rows, row{cells: []string{head}, heading: true})
		for _, f := range l.Findings {
			cited := "【" + f.Citation.Level + "】《" + f.Citation.Title + "》"
			if f.Citation.Edition != "" {
				cited += "（" + f.Citation.Edition + "）"
			}
			inst := ""
			if f.Instrument != nil {
				inst = fmt.Sprintf("《%s》%s，%s", f.Instrument.Title, f.Instrument.Level, f.Instrument.Status)
			}
			t.rows = append(t.rows, row{cells: []string{l.List.Title, f.ItemName, basisFieldLabels[f.Field],
				basis.FindingLabels[f.Kind], cited, inst, f.Message}})
		}
	}
	return writeXLSX(w, t)
}
