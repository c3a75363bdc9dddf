package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"qingdan/calendar"
	"qingdan/models"
	"qingdan/workflow"
)

// Job kinds.
const (
	jobReminders = "reminders" // one scan of the clocks per period
	jobMail      = "mail"      // one e-mail of a notification
)

// lease is how long a claimed job is an instance's: if the instance dies,
// another takes the job after it.
const lease = 10 * time.Minute

// Run works the queue every interval until ctx ends.
func (s *Service) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Interval)
	defer t.Stop()
	for {
		if err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			slog.Error("notification jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick queues this period's reminder scan (once across all instances: the
// period is its unique key) and works the due jobs.
func (s *Service) Tick(ctx context.Context) error {
	now := s.now()
	key := jobReminders + "@" + now.Truncate(s.cfg.Interval).Format(time.RFC3339)
	if _, err := s.store.EnqueueJob(ctx, models.Job{Kind: jobReminders, UniqueKey: &key, RunAt: now, CreatedAt: now, MaxAttempts: 1}); err != nil {
		return err
	}
	for range 200 { // a bound, so one tick cannot run forever
		if ctx.Err() != nil {
			return nil
		}
		now := s.now()
		j, err := s.store.ClaimJob(ctx, s.instance+"/"+randomToken(), now, lease)
		if err != nil || j == nil {
			return err
		}
		failure := s.work(ctx, j)
		retry := now.Add(time.Duration(j.Attempts*j.Attempts) * time.Minute)
		if failure != nil {
			slog.Warn("job failed", "kind", j.Kind, "id", j.ID, "attempt", j.Attempts, "err", failure)
		}
		if err := s.store.FinishJob(ctx, j, s.now(), failure, retry); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) work(ctx context.Context, j *models.Job) error {
	switch j.Kind {
	case jobReminders:
		// The scan also keeps the queue short: a week of finished jobs is history enough.
		if err := s.store.PurgeJobs(ctx, s.now().Add(-7*24*time.Hour)); err != nil {
			return err
		}
		return s.remind(ctx)
	case jobMail:
		var p struct {
			NotificationID int64  `json:"notification_id"`
			To             string `json:"to"`
		}
		if err := json.Unmarshal([]byte(j.Payload), &p); err != nil {
			return fmt.Errorf("mail job %d: %w", j.ID, err)
		}
		return s.mail(ctx, p.NotificationID, p.To)
	}
	return fmt.Errorf("unknown job kind %q", j.Kind)
}

// remind sends the due-soon and overdue reminders of every open request's
// step. Each is recorded under a unique (request, step entry, kind) key in
// the transaction that writes its messages, so it goes out once however many
// instances scan, and a scan cut short is simply done again.
func (s *Service) remind(ctx context.Context) error {
	rows, _, err := s.store.ChangeRequests(ctx, models.ChangeRequestFilter{States: workflow.ClockedStates()})
	if err != nil {
		return err
	}
	clocks, err := s.flow.Clocks(ctx, rows)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range rows {
		c := clocks[r.ID]
		if c == nil || c.DaysLeft == nil || *c.DaysLeft > DueSoonDays {
			continue
		}
		kind := KindDueSoon
		m := message{requestID: r.ID}
		step := workflow.StepLabel(c.Step)
		if c.Overdue {
			kind = KindOverdue
			m.body = fmt.Sprintf("%s的修订申请“%s”%s时限为 %s，已超期 %d 个工作日。", r.AgencyName, r.Title, step, calendar.Format(*c.Due), -*c.DaysLeft)
		} else {
			m.body = fmt.Sprintf("%s的修订申请“%s”%s时限为 %s，还剩 %d 个工作日。", r.AgencyName, r.Title, step, calendar.Format(*c.Due), *c.DaysLeft)
		}
		m.kind, m.title = kind, KindLabels[kind]+"："+r.Title
		err := s.store.Transaction(ctx, func(tx *models.Store) error {
			first, err := tx.ClaimReminder(ctx, models.Reminder{ChangeRequestID: r.ID, StepKey: c.Key(), Kind: kind, CreatedAt: s.now()})
			if err != nil || !first {
				return err
			}
			users, err := s.owners(ctx, tx, r.State, r.RegionCode, r.ChangeRequest)
			if err != nil {
				return err
			}
			return s.send(ctx, tx, m, users, 0)
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("reminder %s of change request %d: %w", kind, r.ID, err))
		}
	}
	return errors.Join(errs...)
}
