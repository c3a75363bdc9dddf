package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/importer"
	"qingdan/models"
)

// Importing a list in the browser (importer/staged.go): upload → preview →
// corrected mapping → confirm. Who may is importer.MayImport.

// uploadPath takes a list file, the one body larger than MaxBodyBytes.
const (
	uploadPath     = "/api/v1/imports"
	maxUploadBytes = importer.MaxFileBytes + 64<<10 // the file and the form's other fields
)

func (s *Server) createImport(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			fail(c, apperr.New(apperr.TooLarge, "文件超过 %d MB 上限，不像是一份清单", importer.MaxFileBytes>>20))
			return
		}
		fail(c, apperr.New(apperr.Invalid, "请以 multipart/form-data 上传清单文件（字段 file）").WithDetails(map[string]any{"field": "file"}))
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, err)
		return
	}
	defer f.Close()
	data, err := importer.ReadAll(io.Reader(f))
	if err != nil {
		fail(c, err)
		return
	}
	up := importer.Upload{FileName: fh.Filename, Data: data, AgencyName: c.PostForm("agency"),
		RegionCode: c.PostForm("region_code"), Kind: c.PostForm("kind"), Sheet: c.PostForm("sheet")}
	if v := c.PostForm("agency_id"); v != "" {
		if up.AgencyID, err = positiveInt(v, "agency_id"); err != nil {
			fail(c, err)
			return
		}
	}
	p, err := importer.Stage(c.Request.Context(), s.store, currentUser(c), up)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, readablePreview(p))
}

func (s *Server) getImport(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	p, err := importer.GetPreview(c.Request.Context(), s.store, currentUser(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, readablePreview(p))
}

func (s *Server) setImportMapping(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var req struct {
		Columns []importer.ColumnChoice `json:"columns"`
	}
	if !bindBody(c, &req, `{"columns":[{"index","field"}]}`) {
		return
	}
	p, err := importer.Remap(c.Request.Context(), s.store, currentUser(c), id, req.Columns)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, readablePreview(p))
}

// importedJSON is the list an import created: its first version, with so many items.
type importedJSON struct {
	ListID  int64 `json:"list_id"`
	Version int   `json:"version"`
	Items   int   `json:"items"`
}

func (s *Server) confirmImport(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	// The list's publication before Qingdan, if the importer gives it.
	var rec importer.Record
	if c.Request.ContentLength != 0 && !bindBody(c, &rec, `{"publish_date":"YYYY-MM-DD","doc_number":"文号"}`) {
		return
	}
	res, err := importer.Confirm(c.Request.Context(), s.store, currentUser(c), id, rec)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/lists/"+strconv.FormatInt(res.ListID, 10))
	c.JSON(http.StatusCreated, importedJSON{ListID: res.ListID, Version: 1, Items: res.ItemCount})
}

// readablePreview is an import's preview with its items as every answer
// sends items (readable); the staged items keep their markup.
func readablePreview(p *importer.Preview) *importer.Preview {
	out := *p
	out.Items = make([]models.ItemFields, len(p.Items))
	for i, it := range p.Items {
		out.Items[i] = readable(it)
	}
	return &out
}
