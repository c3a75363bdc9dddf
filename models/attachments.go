package models

import (
	"context"
	"fmt"
	"time"

	"qingdan/apperr"
)

// Limits of a change request's attachments.
const (
	MaxAttachmentBytes    = 20 << 20 // one file
	MaxAttachments        = 20       // files per change request
	MaxAttachmentNameRune = 200      // a file name, in characters
)

// Attachment kinds (材料类别); AttachmentKindLabels names them.
const (
	AttachmentApproval = "approval" // 批复
	AttachmentMinutes  = "minutes"  // 会议纪要
	AttachmentBasis    = "basis"    // 调整依据
	AttachmentOther    = "other"    // 其他
)

// AttachmentKinds in the order a form offers them.
var AttachmentKinds = []string{AttachmentApproval, AttachmentMinutes, AttachmentBasis, AttachmentOther}

// AttachmentKindLabels are the kinds' Chinese names.
var AttachmentKindLabels = map[string]string{
	AttachmentApproval: "批复", AttachmentMinutes: "会议纪要", AttachmentBasis: "调整依据", AttachmentOther: "其他",
}

// Attachment is a file attached to a change request. Data is loaded only
// when the file is downloaded.
type Attachment struct {
	ID              int64 `gorm:"primaryKey"`
	ChangeRequestID int64
	Name            string
	Kind            string
	ContentType     string
	Size            int64
	SHA256          string `gorm:"column:sha256"`
	Data            []byte `json:"-"`
	UploadedBy      int64
	CreatedAt       time.Time
}

// TableName is the table of attachments.
func (Attachment) TableName() string { return "change_request_attachments" }

// AttachmentRow is an attachment without its bytes, with the uploader's name.
type AttachmentRow struct {
	Attachment
	UploaderName string
}

// AttachmentRows lists a request's attachments, oldest first, without their bytes.
func (s *Store) AttachmentRows(ctx context.Context, requestID int64) ([]AttachmentRow, error) {
	var out []AttachmentRow
	err := s.DB(ctx).Table("change_request_attachments a").
		Select("a.id, a.change_request_id, a.name, a.kind, a.content_type, a.size, a.sha256, a.uploaded_by, a.created_at, u.display_name AS uploader_name").
		Joins("JOIN users u ON u.id = a.uploaded_by").
		Where("a.change_request_id = ?", requestID).Order("a.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("attachments of change request %d: %w", requestID, err)
	}
	return out, nil
}

// AttachmentFile returns one attachment of a request with its bytes.
func (s *Store) AttachmentFile(ctx context.Context, requestID, id int64) (Attachment, error) {
	var a Attachment
	err := s.DB(ctx).Where("id = ? AND change_request_id = ?", id, requestID).Take(&a).Error
	if err != nil {
		return a, notFound(err, "修订申请 %d 没有附件 %d", requestID, id)
	}
	return a, nil
}

// CountAttachments is how many files a request carries.
func (s *Store) CountAttachments(ctx context.Context, requestID int64) (int64, error) {
	var n int64
	if err := s.DB(ctx).Model(&Attachment{}).Where("change_request_id = ?", requestID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count attachments of change request %d: %w", requestID, err)
	}
	return n, nil
}

// CreateAttachment stores a file.
func (s *Store) CreateAttachment(ctx context.Context, a *Attachment) error {
	if err := s.DB(ctx).Create(a).Error; err != nil {
		return fmt.Errorf("store attachment of change request %d: %w", a.ChangeRequestID, err)
	}
	return nil
}

// DeleteAttachment removes one attachment of a request and returns what it
// was (without the bytes), for the audit log.
func (s *Store) DeleteAttachment(ctx context.Context, requestID, id int64) (AttachmentRow, error) {
	rows, err := s.AttachmentRows(ctx, requestID)
	if err != nil {
		return AttachmentRow{}, err
	}
	for _, r := range rows {
		if r.ID == id {
			if err := s.DB(ctx).Where("id = ? AND change_request_id = ?", id, requestID).Delete(&Attachment{}).Error; err != nil {
				return r, fmt.Errorf("delete attachment %d: %w", id, err)
			}
			return r, nil
		}
	}
	return AttachmentRow{}, apperr.New(apperr.NotFound, "修订申请 %d 没有附件 %d", requestID, id)
}
