package api_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"qingdan/dbtest"
	"qingdan/models"
)

// filledTemplate downloads the template of a region and fills in rows.
func filledTemplate(t *testing.T, e *crEnv, who, region string, agencies, people [][]string) []byte {
	t.Helper()
	r := e.must(t, 200, who, "GET", "/api/v1/onboarding/template?region="+region, nil)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	put := func(sheet string, first int, rows [][]string) {
		for i, row := range rows {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, first+i)
				if err := f.SetCellStr(sheet, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	put("部门", 5, agencies) // rows 2–4 hold the region's 司法局, 人民政府 and 编办
	put("人员", 2, people)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploadOnboarding posts an onboarding workbook as the browser's form does.
func uploadOnboarding(t *testing.T, e *crEnv, who, path string, file []byte) response {
	t.Helper()
	return postFile(t, e.h, path, e.token[who], "onboarding.xlsx", file, nil)
}

type onboardingBody struct {
	OK       bool `json:"ok"`
	Agencies []struct {
		Row   int
		Name  string
		Kind  string
		Error string
	} `json:"agencies"`
	People []struct {
		Row      int
		Username string
		Role     string
		Error    string
	} `json:"people"`
}

// TestBulkOnboarding: a region administrator onboards a county by the
// template: a preview with an error per row, nothing created while any row
// is wrong, then everything in one go with temporary passwords shown once.
func TestBulkOnboarding(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newCREnv(t, db)
		count := func(model any) int64 {
			var n int64
			if err := db.Model(model).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		agenciesBefore, usersBefore := count(&models.Agency{}), count(&models.User{})
		if r := e.as(t, "yt-admin", "GET", "/api/v1/onboarding/template?region=640303", nil); r.Status != 403 {
			t.Fatalf("template of another region: %d", r.Status)
		}
		agencies := [][]string{{"红寺堡区卫生健康局", "业务部门"}, {"红寺堡区教育局", "department"}, {"红寺堡区某办", "委员会"}}
		good := [][]string{
			{"hsb-wjj", "王卫健", "红寺堡区卫生健康局", "填报人员"},
			{"hsb-sfj3", "马审查", "红寺堡区司法局", "合法性审查人员"},
			{"hsb-zf2", "李审定", "红寺堡区人民政府", "审定人员"},
			{"hsb-qy", "区域管理", "", "区域管理员"},
		}
		bad := append(append([][]string{}, good...),
			[]string{"hsb-wjj", "重名", "红寺堡区教育局", "填报人员"},      // duplicate username
			[]string{"hsb-x1", "无部门", "红寺堡区财政局", "填报人员"},      // unknown agency
			[]string{"hsb-x2", "不合适", "红寺堡区卫生健康局", "合法性审查人员"}, // role does not fit
			[]string{"Bad Name", "坏用户名", "红寺堡区卫生健康局", "填报人员"}, // username
			[]string{"hsb-x3", "管理员", "", "系统管理员"},            // no admins by file
			[]string{"hsb-ybj", "已有", "红寺堡区医疗保障局", "填报人员"},    // exists already
		)
		file := filledTemplate(t, e, "hsb-admin", "640303", agencies, bad)
		var preview onboardingBody
		r := uploadOnboarding(t, e, "hsb-admin", "/api/v1/onboarding/preview?region=640303", file)
		r.JSON(t, &preview)
		if r.Status != 200 || preview.OK || len(preview.Agencies) != 6 || len(preview.People) != 10 {
			t.Fatalf("preview: %d %s", r.Status, r.Body)
		}
		// Rows 2–5 are good; the people table starts on row 2.
		wantErrors := map[int]string{6: "已存在", 7: "红寺堡区财政局", 8: "合法性审查人员应属于司法局", 9: "用户名", 10: "系统管理员", 11: "已存在"}
		for _, p := range preview.People {
			if want := wantErrors[p.Row]; (want == "") != (p.Error == "") || !strings.Contains(p.Error, want) {
				t.Errorf("person row %d %s: error %q, want %q", p.Row, p.Username, p.Error, want)
			}
		}
		// The demo already has 红寺堡区司法局 and 人民政府 (rows 2, 3); row 7's kind is unknown.
		for _, a := range preview.Agencies {
			if (a.Row == 2 || a.Row == 3 || a.Row == 7) != (a.Error != "") {
				t.Errorf("agency row %d %s: %q", a.Row, a.Name, a.Error)
			}
		}
		// A commit with a bad row creates nothing.
		r = uploadOnboarding(t, e, "hsb-admin", "/api/v1/onboarding?region=640303", file)
		if r.Status != 400 || !strings.Contains(r.ErrorMessage(t), "未创建任何") {
			t.Fatalf("commit with bad rows: %d %s", r.Status, r.Body)
		}
		if count(&models.Agency{}) != agenciesBefore || count(&models.User{}) != usersBefore {
			t.Fatal("a refused onboarding wrote something")
		}
		// The fixed file: everything at once, passwords shown once.
		file = filledTemplate(t, e, "hsb-admin", "640303", agencies[:2], good)
		// 红寺堡区司法局 and 人民政府 exist already (the demo): their template rows are errors too.
		r = uploadOnboarding(t, e, "hsb-admin", "/api/v1/onboarding/preview?region=640303", file)
		r.JSON(t, &preview)
		if preview.OK || preview.Agencies[0].Error == "" || !strings.Contains(preview.Agencies[0].Error, "已有") {
			t.Fatalf("existing agencies listed again: %s", r.Body)
		}
		f, _ := excelize.OpenReader(bytes.NewReader(file))
		f.RemoveRow("部门", 2)
		f.RemoveRow("部门", 2)
		var buf bytes.Buffer
		f.Write(&buf)
		f.Close()
		r = uploadOnboarding(t, e, "hsb-admin", "/api/v1/onboarding?region=640303", buf.Bytes())
		var done struct {
			AgenciesCreated int `json:"agencies_created"`
			Credentials     []struct {
				Username, Password string
			} `json:"credentials"`
			XLSX string `json:"credentials_xlsx"`
		}
		r.JSON(t, &done)
		if r.Status != 201 || done.AgenciesCreated != 3 || len(done.Credentials) != 4 || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("commit: %d %s", r.Status, r.Body)
		}
		sheet, err := base64.StdEncoding.DecodeString(done.XLSX)
		if err != nil {
			t.Fatal(err)
		}
		xf, err := excelize.OpenReader(bytes.NewReader(sheet))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := xf.GetRows("临时密码")
		if len(rows) != 5 || rows[1][0] != done.Credentials[0].Username || rows[1][4] != done.Credentials[0].Password {
			t.Fatalf("credentials sheet: %v", rows)
		}
		var stored models.User
		if err := db.Where("username = ?", "hsb-wjj").Take(&stored).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stored.PasswordHash, done.Credentials[0].Password) || !stored.MustChangePassword {
			t.Fatal("a temporary password is stored in clear or not temporary")
		}
		for _, c := range done.Credentials {
			r, token := loginWith(t, e.h, c.Username, c.Password)
			if !strings.Contains(string(r.Body), `"must_change_password":true`) {
				t.Fatalf("%s: %s", c.Username, r.Body)
			}
			if r := call(t, e.h, "PUT", "/api/v1/me/password", map[string]string{"old_password": c.Password, "new_password": "Own-" + c.Password}, token); r.Status != 204 {
				t.Fatalf("%s changes the password: %d %s", c.Username, r.Status, r.Body)
			}
		}
		var u struct {
			Role   string
			Agency struct{ Name string }
			Region struct{ Code string }
		}
		_, token := loginWith(t, e.h, "hsb-wjj", "Own-"+done.Credentials[0].Password)
		call(t, e.h, "GET", "/api/v1/me", nil, token).JSON(t, &u)
		if u.Role != "submitter" || u.Agency.Name != "红寺堡区卫生健康局" || u.Region.Code != "640303" {
			t.Fatalf("onboarded submitter: %+v", u)
		}
		for _, bad := range []struct{ path, body string }{
			{"/api/v1/onboarding?region=999999", "x"},
			{"/api/v1/onboarding/preview?region=640303", "not an xlsx"},
		} {
			if r := uploadOnboarding(t, e, "admin", bad.path, []byte(bad.body)); r.Status != 400 && r.Status != 404 {
				t.Errorf("%s: %d %s", bad.path, r.Status, r.Body)
			}
		}
		if r := call(t, e.h, "POST", "/api/v1/onboarding?region=640303", map[string]string{}, e.token["admin"]); r.Status != http.StatusBadRequest {
			t.Errorf("JSON instead of a file: %d", r.Status)
		}
	})
}
