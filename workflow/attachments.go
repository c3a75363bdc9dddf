package workflow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"slices"
	"strings"

	"github.com/gabriel-vasile/mimetype"

	"qingdan/apperr"
	"qingdan/models"
)

// Attachments of a change request (批复, 会议纪要, 调整依据, 审查意见书):
// whoever may see the request may list and download them, each download
// audited; whoever works on it in its current step adds them (mayAttach)
// and deletes their own (mayDeleteAttachment). The type is what the bytes
// are, sniffed, never what the name or the client says, and only documents
// and images are taken.

// AttachmentType is a file type an attachment may be.
type AttachmentType struct {
	MIME       string   `json:"mime"`
	Label      string   `json:"label"`
	Extensions []string `json:"extensions"` // the first is added to a name without one
}

// AttachmentTypes are the types taken, as mimetype detects them.
var AttachmentTypes = []AttachmentType{
	{"application/pdf", "PDF", []string{".pdf"}},
	{"application/msword", "Word 文档（.doc）", []string{".doc"}},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档（.docx）", []string{".docx"}},
	{"image/png", "PNG 图片", []string{".png"}},
	{"image/jpeg", "JPEG 图片", []string{".jpg", ".jpeg"}},
	{"image/tiff", "TIFF 图片", []string{".tif", ".tiff"}},
}

// NewAttachment is a file a user uploads.
type NewAttachment struct {
	Name string
	Kind string // "" is 其他
	Data []byte
}

// refusedTypes name, for the refusal, what people most often pick by mistake.
var refusedTypes = map[string]string{
	"text/html": "网页（HTML）", "text/plain": "纯文本", "image/svg+xml": "SVG 矢量图", "application/zip": "ZIP 压缩包",
	"application/x-rar-compressed": "RAR 压缩包", "application/x-7z-compressed": "7z 压缩包",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel 表格", "application/vnd.ms-excel": "Excel 表格",
	"application/vnd.microsoft.portable-executable": "可执行程序", "image/gif": "GIF 图片", "image/webp": "WebP 图片",
	"application/octet-stream": "无法识别的格式",
}

// sniff says which allowed type the bytes are.
func sniff(data []byte) (AttachmentType, error) {
	detected, _, _ := strings.Cut(mimetype.Detect(data).String(), ";")
	for _, t := range AttachmentTypes {
		if t.MIME == detected {
			return t, nil
		}
	}
	labels := make([]string, len(AttachmentTypes))
	for i, t := range AttachmentTypes {
		labels[i] = t.Label
	}
	what, ok := refusedTypes[detected]
	if !ok {
		what = detected
	}
	return AttachmentType{}, fieldError("file", "只能上传 %s；这个文件实际是%s", strings.Join(labels, "、"), what)
}

// attachmentName is the file's own name without any folder the client sent,
// with the type's extension added when it has none; a name whose extension
// says another type than its content is refused, so what users see listed is
// what they get.
func attachmentName(name string, t AttachmentType) (string, error) {
	name = strings.TrimSpace(name[strings.LastIndexAny(name, `/\`)+1:])
	if name == "" {
		return "", fieldError("file", "文件没有名字")
	}
	ext := strings.ToLower(path.Ext(name))
	switch {
	case ext == "" || strings.ContainsRune(ext, ' '):
		name += t.Extensions[0]
	case !slices.Contains(t.Extensions, ext):
		return "", fieldError("file", "文件名的扩展名 %s 与文件内容（%s）不符，请检查是否选错了文件", ext, t.Label)
	}
	if p := models.TextProblem(name, models.MaxAttachmentNameRune); p != "" {
		return "", fieldError("file", "文件名%s", p)
	}
	return name, nil
}

// attachmentKind reads a kind given by its value (basis) or its name (调整依据); none is 其他.
func attachmentKind(k string) (string, error) {
	if k == "" {
		return models.AttachmentOther, nil
	}
	labels := make([]string, len(models.AttachmentKinds))
	for i, v := range models.AttachmentKinds {
		if l := models.AttachmentKindLabels[v]; k == v || k == l {
			return v, nil
		}
		labels[i] = models.AttachmentKindLabels[v]
	}
	return "", fieldError("kind", "附件类别只能是%s", strings.Join(labels, "、"))
}

// readFacts gathers the access facts of a request without locking it.
func (s *Service) readFacts(ctx context.Context, id int64) (facts, error) {
	row, err := s.store.ChangeRequestRow(ctx, id)
	if err != nil {
		return facts{}, err
	}
	events, err := s.store.Events(ctx, id)
	if err != nil {
		return facts{}, err
	}
	return loadFacts(ctx, s.store, row.ChangeRequest, events)
}

// AttachedFile is an attachment as a user sees it: whether they may delete it.
type AttachedFile struct {
	models.AttachmentRow
	MayDelete bool
}

// AttachmentsView is a request's attachments as a user sees them, whether
// they may add one now, and the kind they most likely add.
type AttachmentsView struct {
	Files  []AttachedFile
	MayAdd bool
	Kind   string
}

// Attachments lists a visible request's attachments with what the user may
// do with them.
func (s *Service) Attachments(ctx context.Context, u *models.User, id int64) (AttachmentsView, error) {
	f, err := s.readFacts(ctx, id)
	if err != nil {
		return AttachmentsView{}, err
	}
	if !canSee(u, f) {
		return AttachmentsView{}, notVisible(id)
	}
	rows, err := s.store.AttachmentRows(ctx, id)
	if err != nil {
		return AttachmentsView{}, err
	}
	v := AttachmentsView{Files: make([]AttachedFile, len(rows)), MayAdd: mayAttach(u, f) == nil, Kind: usualKind(u, f)}
	for i, r := range rows {
		v.Files[i] = AttachedFile{AttachmentRow: r, MayDelete: mayDeleteAttachment(u, f, r) == nil}
	}
	return v, nil
}

// usualKind is the material a user usually adds to the request: the
// approver the 批复, reviewers and departments giving their 会签 their
// opinion, its drafters the grounds of the change.
func usualKind(u *models.User, f facts) string {
	switch {
	case u.Role == models.RoleApprover:
		return models.AttachmentApproval
	case isSubmitterOf(u, f.cr.AgencyID):
		return models.AttachmentBasis
	case u.Role == models.RoleAdmin:
		return models.AttachmentOther
	}
	return models.AttachmentOpinion
}

// AttachmentFile is one attachment of a visible request, with its bytes;
// who downloaded which file is audited.
func (s *Service) AttachmentFile(ctx context.Context, u *models.User, id, attachmentID int64) (models.Attachment, error) {
	f, err := s.readFacts(ctx, id)
	if err != nil {
		return models.Attachment{}, err
	}
	if !canSee(u, f) {
		return models.Attachment{}, notVisible(id)
	}
	a, err := s.store.AttachmentFile(ctx, id, attachmentID)
	if err != nil {
		return models.Attachment{}, err
	}
	if err := audit(ctx, s.store, u, id, f.region, "attachment_download", nil, attachmentAudit(a)); err != nil {
		return models.Attachment{}, err
	}
	return a, nil
}

// AddAttachment stores a file on a request the user works on now, audited.
func (s *Service) AddAttachment(ctx context.Context, u *models.User, id int64, in NewAttachment) (AttachedFile, error) {
	kind, err := attachmentKind(in.Kind)
	if err != nil {
		return AttachedFile{}, err
	}
	switch {
	case len(in.Data) == 0:
		return AttachedFile{}, fieldError("file", "文件是空的")
	case len(in.Data) > models.MaxAttachmentBytes:
		return AttachedFile{}, apperr.New(apperr.TooLarge, "附件不能超过 %d MB", models.MaxAttachmentBytes>>20).
			WithDetails(map[string]any{"field": "file"})
	}
	t, err := sniff(in.Data)
	if err != nil {
		return AttachedFile{}, err
	}
	name, err := attachmentName(in.Name, t)
	if err != nil {
		return AttachedFile{}, err
	}
	sum := sha256.Sum256(in.Data)
	a := models.Attachment{ChangeRequestID: id, Name: name, Kind: kind, ContentType: t.MIME, Size: int64(len(in.Data)),
		SHA256: hex.EncodeToString(sum[:]), Data: in.Data, UploadedBy: u.ID, CreatedAt: s.Now()}
	out := AttachedFile{AttachmentRow: models.AttachmentRow{Attachment: a, UploaderName: u.DisplayName, UploaderRole: u.Role,
		UploaderAgencyID: u.AgencyID}}
	out.Data = nil
	err = s.store.Transaction(ctx, func(tx *models.Store) error {
		_, f, err := lockFacts(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayAttach(u, f); err != nil {
			return err
		}
		n, err := tx.CountAttachments(ctx, id)
		if err != nil {
			return err
		}
		if n >= models.MaxAttachments {
			return apperr.New(apperr.Conflict, "一份修订申请最多 %d 个附件，请先删除不需要的附件", models.MaxAttachments)
		}
		if err := tx.CreateAttachment(ctx, &a); err != nil {
			return err
		}
		out.ID = a.ID
		out.MayDelete = mayDeleteAttachment(u, f, out.AttachmentRow) == nil
		return audit(ctx, tx, u, id, f.region, "attachment_add", nil, attachmentAudit(a))
	})
	if err != nil {
		return AttachedFile{}, err
	}
	return out, nil
}

// DeleteAttachment removes a file the user may delete, audited.
func (s *Service) DeleteAttachment(ctx context.Context, u *models.User, id, attachmentID int64) error {
	return s.store.Transaction(ctx, func(tx *models.Store) error {
		_, f, err := lockFacts(ctx, tx, id)
		if err != nil {
			return err
		}
		if !canSee(u, f) {
			return notVisible(id)
		}
		a, err := tx.AttachmentRow(ctx, id, attachmentID)
		if err != nil {
			return err
		}
		if err := mayDeleteAttachment(u, f, a); err != nil {
			return err
		}
		if err := tx.DeleteAttachment(ctx, id, attachmentID); err != nil {
			return err
		}
		return audit(ctx, tx, u, id, f.region, "attachment_delete", attachmentAudit(a.Attachment), nil)
	})
}

// attachmentAudit is what the audit log keeps of a file: enough to know it
// again by its hash, not the bytes.
func attachmentAudit(a models.Attachment) map[string]any {
	return map[string]any{"attachment_id": a.ID, "name": a.Name, "kind": a.Kind, "content_type": a.ContentType, "size": a.Size, "sha256": a.SHA256}
}
