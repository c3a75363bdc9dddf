// Package onboarding reads and writes the XLSX files of bulk onboarding: the
// template an administrator fills in with a region's departments and
// people, the filled-in file, and the sheet of temporary passwords. The
// rules of what may be created are auth's (auth.Service.Onboard).
package onboarding

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"qingdan/apperr"
	"qingdan/auth"
	"qingdan/models"
)

// Sheet names and their header rows.
const (
	AgencySheet = "部门"
	PersonSheet = "人员"
	helpSheet   = "说明"
)

var (
	agencyHeaders = []string{"名称", "类型"}
	personHeaders = []string{"用户名", "姓名", "部门", "角色"}
	// The kinds and roles a file may name, by their Chinese names.
	kindNames = []string{"业务部门", "司法局", "人民政府", "机构编制部门"}
	roleNames = []string{"填报人员", "合法性审查人员", "审定人员", "区域管理员"}
)

// MaxRows bounds each sheet of an uploaded file.
const MaxRows = 1000

// Template is the XLSX to fill in for a region: its 司法局, 人民政府 and 编办
// already listed, the kinds and roles offered as drop-down lists.
func Template(region models.Region) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", AgencySheet); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(PersonSheet); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(helpSheet); err != nil {
		return nil, err
	}
	agencies := [][]string{
		{region.Name + "司法局", "司法局"},
		{region.Name + "人民政府", "人民政府"},
		{region.Name + "委编办", "机构编制部门"},
	}
	if err := writeTable(f, AgencySheet, agencyHeaders, agencies, []float64{36, 16}); err != nil {
		return nil, err
	}
	if err := writeTable(f, PersonSheet, personHeaders, nil, []float64{18, 14, 36, 18}); err != nil {
		return nil, err
	}
	for _, v := range []struct {
		sheet, cells string
		options      []string
	}{{AgencySheet, "B2:B1001", kindNames}, {PersonSheet, "D2:D1001", roleNames}} {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = v.cells
		if err := dv.SetDropList(v.options); err != nil {
			return nil, err
		}
		if err := f.AddDataValidation(v.sheet, dv); err != nil {
			return nil, err
		}
	}
	help := [][]string{
		{fmt.Sprintf("%s（%s）批量导入模板", region.Name, region.Code)},
		{"“部门”表：每行一个部门。名称在本行政区划内唯一；类型为 业务部门、司法局、人民政府 或 机构编制部门。已有的部门不必再列。"},
		{"“人员”表：每行一个人。用户名只能用小写字母、数字和 . _ -（2–32 位）；部门写“部门”表中或系统中已有的部门全称；角色为 填报人员（业务部门）、合法性审查人员（司法局）、审定人员（人民政府）或 区域管理员（部门留空）。"},
		{"上传后先预览，每行的问题会标出；确认后全部创建，或者（有任何一行有问题时）全部不创建。"},
		{"每个人获得一个临时密码，只显示一次，可下载为 XLSX；首次登录后必须修改。"},
	}
	for i, line := range help {
		if err := f.SetCellStr(helpSheet, fmt.Sprintf("A%d", i+1), line[0]); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(helpSheet, "A", "A", 120); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("onboarding template: %w", err)
	}
	return buf.Bytes(), nil
}

// writeTable writes a bold header row, rows below it and column widths.
func writeTable(f *excelize.File, sheet string, headers []string, rows [][]string, widths []float64) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF7"}}})
	if err != nil {
		return err
	}
	for r, cells := range append([][]string{headers}, rows...) {
		for c, text := range cells {
			name, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellStr(sheet, name, text); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(headers), 1)
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// Parse reads a filled-in template: the agency and person rows with their
// sheet row numbers; kinds and roles are taken by their Chinese names or codes.
// A row's unknown kind or role is left for the rules to refuse, naming it.
func Parse(r io.Reader) ([]auth.OnboardAgency, []auth.OnboardPerson, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, nil, apperr.New(apperr.Invalid, "无法读取文件：请上传由模板填写的 XLSX 文件")
	}
	defer f.Close()
	agencyRows, err := readSheet(f, AgencySheet, agencyHeaders)
	if err != nil {
		return nil, nil, err
	}
	personRows, err := readSheet(f, PersonSheet, personHeaders)
	if err != nil {
		return nil, nil, err
	}
	kinds, roles := invert(models.AgencyKindLabels), invert(models.RoleLabels)
	var agencies []auth.OnboardAgency
	for _, row := range agencyRows {
		agencies = append(agencies, auth.OnboardAgency{Row: row.n, Name: row.cells[0], Kind: lookup(kinds, row.cells[1])})
	}
	var people []auth.OnboardPerson
	for _, row := range personRows {
		people = append(people, auth.OnboardPerson{Row: row.n, Username: row.cells[0], DisplayName: row.cells[1],
			Agency: row.cells[2], Role: lookup(roles, row.cells[3])})
	}
	if len(agencies) == 0 && len(people) == 0 {
		return nil, nil, apperr.New(apperr.Invalid, "文件中没有要导入的部门或人员")
	}
	return agencies, people, nil
}

type sheetRow struct {
	n     int // the row number in the sheet
	cells []string
}

// readSheet reads the non-empty rows under the header, trimmed, as many cells as headers.
func readSheet(f *excelize.File, sheet string, headers []string) ([]sheetRow, error) {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "文件缺少“%s”工作表：请使用下载的模板", sheet)
	}
	if len(rows) == 0 || !sameHeaders(rows[0], headers) {
		return nil, apperr.New(apperr.Invalid, "“%s”表的第 1 行应为：%s", sheet, strings.Join(headers, "、"))
	}
	var out []sheetRow
	for i, row := range rows[1:] {
		cells := make([]string, len(headers))
		empty := true
		for c := range cells {
			if c < len(row) {
				cells[c] = strings.TrimSpace(row[c])
			}
			empty = empty && cells[c] == ""
		}
		if empty {
			continue
		}
		if len(out) == MaxRows {
			return nil, apperr.New(apperr.Invalid, "“%s”表超过 %d 行，请分批导入", sheet, MaxRows)
		}
		out = append(out, sheetRow{n: i + 2, cells: cells})
	}
	return out, nil
}

func sameHeaders(row, headers []string) bool {
	for i, h := range headers {
		if i >= len(row) || strings.TrimSpace(row[i]) != h {
			return false
		}
	}
	return true
}

func invert(labels map[string]string) map[string]string {
	out := make(map[string]string, 2*len(labels))
	for code, label := range labels {
		out[label], out[code] = code, code
	}
	return out
}

// lookup is the code of a Chinese name or code; an unknown value stays as
// written so the error names it.
func lookup(codes map[string]string, v string) string {
	if code, ok := codes[v]; ok {
		return code
	}
	return v
}

// Credentials is the XLSX of the temporary passwords, given once.
func Credentials(region models.Region, creds []auth.OnboardCredential) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "临时密码"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	rows := make([][]string, len(creds))
	for i, c := range creds {
		rows[i] = []string{c.Username, c.DisplayName, c.Agency, c.RoleName, c.Password}
	}
	if err := writeTable(f, sheet, []string{"用户名", "姓名", "部门", "角色", "临时密码（首次登录后须修改）"}, rows, []float64{18, 14, 36, 18, 30}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("credentials of %s: %w", region.Code, err)
	}
	return buf.Bytes(), nil
}
