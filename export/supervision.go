package export

import (
	"fmt"
	"io"
	"strconv"
)

// SupervisionRow is one request of the 督办 list.
type SupervisionRow struct {
	ID       int64
	Title    string
	Agency   string
	List     string
	State    string // its Chinese name
	Step     string
	Started  string
	Due      string
	DaysLeft int
	Overdue  bool
}

// WriteSupervision writes the 督办 list as XLSX, in the order given.
func WriteSupervision(w io.Writer, subtitle string, rows []SupervisionRow) error {
	t := table{
		title:    "修订申请督办清单",
		headers:  []string{"编号", "申请", "部门", "清单", "状态", "环节", "开始日期", "到期日期", "剩余工作日", "是否超期"},
		widths:   []float64{8, 40, 24, 30, 12, 8, 12, 12, 10, 10},
		subtitle: subtitle,
	}
	overdue := 0
	for _, r := range rows {
		flag := ""
		if r.Overdue {
			flag, overdue = "已超期", overdue+1
		}
		t.rows = append(t.rows, row{cells: []string{strconv.FormatInt(r.ID, 10), r.Title, r.Agency, r.List, r.State, r.Step,
			r.Started, r.Due, strconv.Itoa(r.DaysLeft), flag}})
	}
	t.subtitle += fmt.Sprintf("　共 %d 件，其中已超期 %d 件", len(rows), overdue)
	return writeXLSX(w, t)
}
