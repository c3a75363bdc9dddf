package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

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
	AttachmentOpinion  = "opinion"  // 审查意见书 (a reviewer's, or a 会签 department's)
	AttachmentOther    = "other"    // 其他
)

// AttachmentKinds in the order a form offers them.
var AttachmentKinds = []string{AttachmentApproval, AttachmentMinutes, AttachmentBasis, AttachmentOpinion, AttachmentOther}

// AttachmentKindLabels are the kinds' Chinese names.
var AttachmentKindLabels = map[string]string{
	AttachmentApproval: "批复", AttachmentMinutes: "会议纪要", AttachmentBasis: "调整依据", AttachmentOpinion: "审查意见书",
	AttachmentOther: "其他",
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

// AttachmentRow is an attachment without its bytes, with its uploader's
// name, role and agency (who may delete it depends on whose it is).
type AttachmentRow struct {
	Attachment
	UploaderName     string
	UploaderRole     string
	UploaderAgencyID *int64
}

// attachmentRows selects attachments without their bytes.
func (s *Store) attachmentRows(ctx context.Context) *gorm.DB {
	return s.DB(ctx).Table("change_request_attachments a").
		Select("a.id, a.change_request_id, a.name, a.kind, a.content_type, a.size, a.sha256, a.uploaded_by, a.created_at, " +
			"u.display_name AS uploader_name, u.role AS uploader_role, u.agency_id AS uploader_agency_id").
		Joins("JOIN users u ON u.id = a.uploaded_by")
}

// AttachmentRows lists a request's attachments, oldest first, without their bytes.
func (s *Store) AttachmentRows(ctx context.Context, requestID int64) ([]AttachmentRow, error) {
	var out []AttachmentRow
	err := s.attachmentRows(ctx).Where("a.change_request_id = ?", requestID).Order("a.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("attachments of change request %d: %w", requestID, err)
	}
	return out, nil
}

// AttachmentRow is one attachment of a request, without its bytes.
func (s *Store) AttachmentRow(ctx context.Context, requestID, id int64) (AttachmentRow, error) {
	var out []AttachmentRow
	err := s.attachmentRows(ctx).Where("a.id = ? AND a.change_request_id = ?", id, requestID).Scan(&out).Error
	if err != nil {
		return AttachmentRow{}, fmt.Errorf("attachment %d of change request %d: %w", id, requestID, err)
	}
	if len(out) == 0 {
		return AttachmentRow{}, apperr.New(apperr.NotFound, "修订申请 %d 没有附件 %d", requestID, id)
	}
	return out[0], nil
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

// DeleteAttachment removes one attachment of a request.
func (s *Store) DeleteAttachment(ctx context.Context, requestID, id int64) error {
	res := s.DB(ctx).Where("id = ? AND change_request_id = ?", id, requestID).Delete(&Attachment{})
	if res.Error != nil {
		return fmt.Errorf("delete attachment %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return apperr.New(apperr.NotFound, "修订申请 %d 没有附件 %d", requestID, id)
	}
	return nil
}
