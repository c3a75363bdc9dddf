package api

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/auth"
	"qingdan/models"
	"qingdan/onboarding"
)

// Bulk onboarding of a region's agencies and people from an XLSX template,
// for admins and the region's administrators.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// onboardingRegion is the ?region= of an onboarding request, which the user must administer.
func (s *Server) onboardingRegion(c *gin.Context) (models.Region, error) {
	code := c.Query("region")
	if code == "" {
		return models.Region{}, fieldError("region", "请指定行政区划代码（?region=）")
	}
	region, err := s.store.Region(c.Request.Context(), code)
	if err != nil {
		return region, err
	}
	return region, s.auth.CheckAdministers(c.Request.Context(), auth.ActorOf(currentUser(c)), code)
}

func attachment(c *gin.Context, name string, data []byte) {
	c.Header("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	c.Data(http.StatusOK, xlsxType, data)
}

func (s *Server) onboardingTemplate(c *gin.Context) {
	region, err := s.onboardingRegion(c)
	if err != nil {
		fail(c, err)
		return
	}
	data, err := onboarding.Template(region)
	if err != nil {
		fail(c, err)
		return
	}
	attachment(c, fmt.Sprintf("批量导入模板-%s%s.xlsx", region.Name, region.Code), data)
}

type onboardAgencyJSON struct {
	Row      int    `json:"row"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	KindName string `json:"kind_name"`
	Error    string `json:"error,omitempty"`
}

type onboardPersonJSON struct {
	Row         int    `json:"row"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Agency      string `json:"agency"`
	Role        string `json:"role"`
	RoleName    string `json:"role_name"`
	Error       string `json:"error,omitempty"`
}

// onboardPreviewJSON is every row of the file with its problem; OK when none has one.
type onboardPreviewJSON struct {
	Agencies []onboardAgencyJSON `json:"agencies"`
	People   []onboardPersonJSON `json:"people"`
	OK       bool                `json:"ok"`
}

// onboardedJSON is what was created, with the temporary passwords.
type onboardedJSON struct {
	AgenciesCreated int                      `json:"agencies_created"`
	Credentials     []auth.OnboardCredential `json:"credentials"`
	CredentialsXLSX string                   `json:"credentials_xlsx"` // base64
	CredentialsFile string                   `json:"credentials_file"`
}

// runOnboarding reads the uploaded file and runs it, as a preview or for real.
func (s *Server) runOnboarding(c *gin.Context, commit bool) (models.Region, *onboardPreviewJSON, auth.OnboardResult, error) {
	var res auth.OnboardResult
	region, err := s.onboardingRegion(c)
	if err != nil {
		return region, nil, res, err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return region, nil, res, fieldError("file", "请以 multipart/form-data 上传文件（字段 file）")
	}
	f, err := fh.Open()
	if err != nil {
		return region, nil, res, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	agencies, people, err := onboarding.Parse(f)
	if err != nil {
		return region, nil, res, err
	}
	res, err = s.auth.Onboard(c.Request.Context(), auth.ActorOf(currentUser(c)), region.Code, agencies, people, commit)
	if err != nil {
		return region, nil, res, err
	}
	rowsA := make([]onboardAgencyJSON, len(agencies))
	for i, a := range agencies {
		rowsA[i] = onboardAgencyJSON{Row: a.Row, Name: a.Name, Kind: a.Kind, KindName: models.AgencyKindLabels[a.Kind], Error: res.AgencyErrors[a.Row]}
	}
	rowsP := make([]onboardPersonJSON, len(people))
	for i, p := range people {
		rowsP[i] = onboardPersonJSON{Row: p.Row, Username: p.Username, DisplayName: p.DisplayName, Agency: p.Agency,
			Role: p.Role, RoleName: models.RoleLabels[p.Role], Error: res.PersonErrors[p.Row]}
	}
	return region, &onboardPreviewJSON{Agencies: rowsA, People: rowsP, OK: res.OK()}, res, nil
}

// previewOnboarding shows what the file would create and every row's problem; nothing is written.
func (s *Server) previewOnboarding(c *gin.Context) {
	_, preview, _, err := s.runOnboarding(c, false)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, preview)
}

// commitOnboarding creates everything or, when any row has a problem,
// nothing. The temporary passwords are in the answer only (also as XLSX).
func (s *Server) commitOnboarding(c *gin.Context) {
	region, preview, res, err := s.runOnboarding(c, true)
	if err != nil {
		fail(c, err)
		return
	}
	if !res.OK() {
		fail(c, apperr.New(apperr.Invalid, "有 %d 行有问题，未创建任何部门或人员；请修改文件后重新上传",
			len(res.AgencyErrors)+len(res.PersonErrors)).WithDetails(preview))
		return
	}
	sheet, err := onboarding.Credentials(region, res.Credentials)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, onboardedJSON{
		AgenciesCreated: res.Agencies, Credentials: res.Credentials,
		CredentialsXLSX: base64.StdEncoding.EncodeToString(sheet),
		CredentialsFile: fmt.Sprintf("临时密码-%s%s.xlsx", region.Name, region.Code),
	})
}
