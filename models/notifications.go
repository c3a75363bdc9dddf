package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"qingdan/apperr"
)

// Notification is one message of a user's message centre.
type Notification struct {
	ID              int64 `gorm:"primaryKey"`
	UserID          int64
	Kind            string
	ChangeRequestID *int64
	Title           string
	Body            string
	CreatedAt       time.Time
	ReadAt          *time.Time
}

// CreateNotifications stores messages (inside the transaction that causes them).
func (s *Store) CreateNotifications(ctx context.Context, ns []Notification) error {
	if len(ns) == 0 {
		return nil
	}
	if err := s.DB(ctx).Create(&ns).Error; err != nil {
		return fmt.Errorf("create notifications: %w", err)
	}
	return nil
}

// Notifications returns a page of a user's messages, newest first, and how
// many there are.
func (s *Store) Notifications(ctx context.Context, userID int64, unreadOnly bool, offset, limit int) ([]Notification, int64, error) {
	q := s.DB(ctx).Model(&Notification{}).Where("user_id = ?", userID)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count notifications: %w", err)
	}
	var out []Notification
	if err := q.Order("id DESC").Offset(offset).Limit(limit).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("notifications: %w", err)
	}
	return out, total, nil
}

// UnreadNotifications counts a user's unread messages.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	if err := s.DB(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// MarkNotificationsRead marks one of the user's messages read, or all of them for id 0.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID, id int64, at time.Time) error {
	q := s.DB(ctx).Model(&Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if id != 0 {
		var n int64
		if err := s.DB(ctx).Model(&Notification{}).Where("id = ? AND user_id = ?", id, userID).Count(&n).Error; err != nil {
			return fmt.Errorf("notification %d: %w", id, err)
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "消息 %d 不存在", id)
		}
		q = q.Where("id = ?", id)
	}
	if err := q.Update("read_at", at).Error; err != nil {
		return fmt.Errorf("mark notifications read: %w", err)
	}
	return nil
}

// NotificationSetting is where a user's messages are also e-mailed.
type NotificationSetting struct {
	UserID    int64 `gorm:"primaryKey"`
	Email     string
	UpdatedAt time.Time
}

// NotificationEmails returns the e-mail addresses the users gave, by user.
func (s *Store) NotificationEmails(ctx context.Context, userIDs []int64) (map[int64]string, error) {
	var rows []NotificationSetting
	if err := s.DB(ctx).Where("user_id IN ? AND email <> ''", userIDs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("notification e-mails: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.Email
	}
	return out, nil
}

// SaveNotificationSetting writes a user's setting.
func (s *Store) SaveNotificationSetting(ctx context.Context, ns NotificationSetting) error {
	err := s.DB(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"email", "updated_at"})}).Create(&ns).Error
	if err != nil {
		return fmt.Errorf("save notification setting: %w", err)
	}
	return nil
}

// Reminder records a due-date reminder sent for a step of a request.
type Reminder struct {
	ID              int64 `gorm:"primaryKey"`
	ChangeRequestID int64
	StepKey         string
	Kind            string
	CreatedAt       time.Time
}

// ClaimReminder records the reminder unless it was sent before; only the
// caller that gets true sends it.
func (s *Store) ClaimReminder(ctx context.Context, r Reminder) (bool, error) {
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
	if res.Error != nil {
		return false, fmt.Errorf("record reminder %s of change request %d: %w", r.Kind, r.ChangeRequestID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Job is a unit of background work in the database's queue.
type Job struct {
	ID          int64 `gorm:"primaryKey"`
	Kind        string
	UniqueKey   *string
	Payload     string
	RunAt       time.Time
	Attempts    int
	MaxAttempts int
	LockedBy    string
	LockedUntil *time.Time
	DoneAt      *time.Time
	LastError   string
	CreatedAt   time.Time
}

// EnqueueJob adds a job; one with the unique key of an existing job is
// dropped (false).
func (s *Store) EnqueueJob(ctx context.Context, j Job) (bool, error) {
	if j.MaxAttempts == 0 {
		j.MaxAttempts = 5
	}
	if j.Payload == "" {
		j.Payload = "{}"
	}
	res := s.DB(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&j)
	if res.Error != nil {
		return false, fmt.Errorf("enqueue %s job: %w", j.Kind, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ClaimJob leases the next due job to the claimer (a token unique to this
// attempt) until now+lease and returns it, or nil when none is due. A job
// whose lease ran out (its instance died) is due again.
func (s *Store) ClaimJob(ctx context.Context, token string, now time.Time, lease time.Duration) (*Job, error) {
	// The outer conditions repeat the inner ones: of two instances that pick
	// the same row, the second finds it leased once the first commits.
	res := s.DB(ctx).Exec(`UPDATE jobs SET locked_by = ?, locked_until = ?, attempts = attempts + 1
		WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= ? AND attempts < max_attempts
			AND (locked_until IS NULL OR locked_until < ?) ORDER BY run_at, id LIMIT 1)
		AND done_at IS NULL AND (locked_until IS NULL OR locked_until < ?)`,
		token, now.Add(lease), now, now, now)
	if res.Error != nil {
		return nil, fmt.Errorf("claim job: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, nil
	}
	var j Job
	if err := s.DB(ctx).Where("locked_by = ? AND done_at IS NULL", token).Take(&j).Error; err != nil {
		return nil, fmt.Errorf("claimed job: %w", err)
	}
	return &j, nil
}

// FinishJob marks a claimed job done, or, with an error, due again at retry.
func (s *Store) FinishJob(ctx context.Context, j *Job, now time.Time, failure error, retry time.Time) error {
	updates := map[string]any{"locked_until": nil, "done_at": now}
	if failure != nil {
		updates = map[string]any{"locked_until": nil, "run_at": retry, "last_error": failure.Error()}
	}
	if err := s.DB(ctx).Model(&Job{}).Where("id = ? AND locked_by = ?", j.ID, j.LockedBy).Updates(updates).Error; err != nil {
		return fmt.Errorf("finish job %d: %w", j.ID, err)
	}
	return nil
}

// Notification returns one message.
func (s *Store) Notification(ctx context.Context, id int64) (Notification, error) {
	var n Notification
	if err := s.DB(ctx).Where("id = ?", id).Take(&n).Error; err != nil {
		return n, notFound(err, "消息 %d 不存在", id)
	}
	return n, nil
}

// PurgeJobs deletes the jobs done before a time (the queue keeps a short history).
func (s *Store) PurgeJobs(ctx context.Context, before time.Time) error {
	if err := s.DB(ctx).Where("done_at IS NOT NULL AND done_at < ?", before).Delete(&Job{}).Error; err != nil {
		return fmt.Errorf("purge jobs: %w", err)
	}
	return nil
}
