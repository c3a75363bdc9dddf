package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/models"
	"qingdan/workflow"
)

// Attachments of change requests (workflow/attachments.go has the rules).
// Anonymous readers never see them: change requests, published or not, are
// read by logged-in users only, and a 批复 or 会议纪要 may hold more than
// what publication makes public.

// attachmentUpload is the one path besides uploadPath whose body may be larger
// than MaxBodyBytes: the file and the form's kind.
var attachmentUpload = regexp.MustCompile(`^/api/v1/change-requests/[0-9]+/attachments$`)

const maxAttachmentBody = models.MaxAttachmentBytes + 64<<10

type attachmentJSON struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	KindName    string    `json:"kind_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  int64     `json:"uploaded_by"`
	Uploader    string    `json:"uploader"`
	CreatedAt   time.Time `json:"created_at"`
	URL         string    `json:"url"`        // the download
	MayDelete   bool      `json:"may_delete"` // this user may delete it now (workflow's rule)
}

func toAttachmentJSON(a workflow.AttachedFile) attachmentJSON {
	return attachmentJSON{ID: a.ID, Name: a.Name, Kind: a.Kind, KindName: models.AttachmentKindLabels[a.Kind],
		ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, UploadedBy: a.UploadedBy, Uploader: a.UploaderName,
		CreatedAt: a.CreatedAt, URL: fmt.Sprintf("/api/v1/change-requests/%d/attachments/%d", a.ChangeRequestID, a.ID),
		MayDelete: a.MayDelete}
}

// attachmentKindJSON is a kind a form offers.
type attachmentKindJSON struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

func (s *Server) listAttachments(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	v, err := s.flow.Attachments(c.Request.Context(), currentUser(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]attachmentJSON, 0, len(v.Files))
	for _, f := range v.Files {
		out = append(out, toAttachmentJSON(f))
	}
	kinds := make([]attachmentKindJSON, 0, len(models.AttachmentKinds))
	for _, k := range models.AttachmentKinds {
		kinds = append(kinds, attachmentKindJSON{k, models.AttachmentKindLabels[k]})
	}
	// What the form needs to offer the right thing: whether this user may
	// add now (and which kind first), the limits and the types taken.
	c.JSON(http.StatusOK, attachmentsPageJSON{Attachments: out, MayAdd: v.MayAdd, Kind: v.Kind, Kinds: kinds, Types: workflow.AttachmentTypes,
		MaxBytes: models.MaxAttachmentBytes, MaxCount: models.MaxAttachments})
}

type attachmentsPageJSON struct {
	Attachments []attachmentJSON          `json:"attachments"`
	MayAdd      bool                      `json:"may_add"` // this user may add files now
	Kind        string                    `json:"kind"`    // the kind this user usually adds
	Kinds       []attachmentKindJSON      `json:"kinds"`
	Types       []workflow.AttachmentType `json:"types"`
	MaxBytes    int64                     `json:"max_bytes"`
	MaxCount    int                       `json:"max_count"`
}

func (s *Server) addAttachment(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	fh, err := c.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			fail(c, apperr.New(apperr.TooLarge, "附件不能超过 %d MB", models.MaxAttachmentBytes>>20).WithDetails(map[string]any{"field": "file"}))
			return
		}
		fail(c, fieldError("file", "请以 multipart/form-data 上传附件（字段 file）"))
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, fmt.Errorf("open upload: %w", err))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, models.MaxAttachmentBytes+1))
	if err != nil {
		fail(c, fmt.Errorf("read upload: %w", err))
		return
	}
	a, err := s.flow.AddAttachment(c.Request.Context(), currentUser(c), id,
		workflow.NewAttachment{Name: fh.Filename, Kind: c.PostForm("kind"), Data: data})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toAttachmentJSON(a))
}

// downloadAttachment sends the file as a download, never shown inline: with
// the type sniffed at upload, nosniff, and a policy that runs nothing should
// a browser open it anyway.
func (s *Server) downloadAttachment(c *gin.Context) {
	id, aid, ok := attachmentParams(c)
	if !ok {
		return
	}
	a, err := s.flow.AttachmentFile(c.Request.Context(), currentUser(c), id, aid)
	if err != nil {
		fail(c, err)
		return
	}
	ascii := fmt.Sprintf("attachment-%d%s", a.ID, path.Ext(a.Name))
	h := c.Writer.Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, rfc5987(a.Name)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+a.SHA256+`"`)
	c.Data(http.StatusOK, a.ContentType, a.Data)
}

func (s *Server) deleteAttachment(c *gin.Context) {
	id, aid, ok := attachmentParams(c)
	if !ok {
		return
	}
	if err := s.flow.DeleteAttachment(c.Request.Context(), currentUser(c), id, aid); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// attachmentParams reads the request and attachment ids of the path,
// answering the error itself when one is not a number.
func attachmentParams(c *gin.Context) (id, aid int64, ok bool) {
	id, err := idParam(c, "id")
	if err == nil {
		aid, err = idParam(c, "aid")
	}
	if err != nil {
		fail(c, err)
		return 0, 0, false
	}
	return id, aid, true
}
