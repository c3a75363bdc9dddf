// Package notify tells people what waits for them: the in-app message centre
// (new task, returned, rejected, published, 督办, due soon, overdue), e-mail
// when SMTP is configured, and the due-date reminders. Messages of a
// transition are written in the transition's own transaction (a workflow
// hook); reminders and e-mails run from a job queue in the database, so any
// number of instances share the work, a restart loses nothing, and each
// reminder goes out once.
package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"qingdan/apperr"
	"qingdan/models"
	"qingdan/workflow"
)

// Kinds of message.
const (
	KindTask        = "task"
	KindReturned    = "returned"
	KindRejected    = "rejected"
	KindPublished   = "published"
	KindUrge        = "urge"
	KindCountersign = "countersign" // an agency is asked for its 会签
	KindDueSoon     = "due_soon"
	KindOverdue     = "overdue"
)

// KindLabels are the Chinese names of the kinds.
var KindLabels = map[string]string{
	KindTask: "新待办", KindReturned: "退回修改", KindRejected: "不予通过", KindPublished: "已公布",
	KindUrge: "督办", KindDueSoon: "即将到期", KindOverdue: "已超期", KindCountersign: "请会签",
}

// DueSoonDays: a step due within this many working days gets its reminder.
const DueSoonDays = 2

// Config configures the service.
type Config struct {
	Now       func() time.Time // nil: the real clock
	Mail      *MailConfig      // nil: no e-mail
	Instance  string           // names this instance in job leases; "" makes one up
	PublicURL string           // the site's address, for links in e-mails
	Interval  time.Duration    // how often Run looks for work; 0: one minute
}

// Service writes and reads messages and runs the reminders.
type Service struct {
	store    *models.Store
	flow     *workflow.Service
	cfg      Config
	instance string
}

// New returns the service; register s.Hook with the workflow to notify on transitions.
func New(store *models.Store, flow *workflow.Service, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Interval == 0 {
		cfg.Interval = time.Minute
	}
	s := &Service{store: store, flow: flow, cfg: cfg, instance: cfg.Instance}
	if s.instance == "" {
		s.instance = randomToken()
	}
	return s
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Microsecond) }

func randomToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// message is one notification before it is addressed.
type message struct {
	kind, title, body string
	requestID         int64
}

// Hook writes the messages of a transition: a new task for those who must
// act next, the outcome for the agency's submitters, a 督办 for those who
// must act now. The actor is never told of their own act.
func (s *Service) Hook(ctx context.Context, tx *models.Store, t workflow.Transition) error {
	kind, state := "", t.To
	switch {
	case t.Event == workflow.EventUrge:
		kind = KindUrge
	case t.To == models.StateReturned:
		kind = KindReturned
	case t.To == models.StateRejected:
		kind = KindRejected
	case t.To == models.StatePublished:
		kind, state = KindPublished, models.StateDraft // the drafters hear of it
	case t.To == models.StateCountersign && t.From != t.To:
		kind = KindCountersign
	case len(workflow.OwnerRoles(t.To)) > 0 && t.From != t.To:
		kind = KindTask
	default:
		return nil
	}
	agency, err := tx.Agency(ctx, t.Request.AgencyID)
	if err != nil {
		return err
	}
	who := fmt.Sprintf("%s的修订申请“%s”", agency.Name, t.Request.Title)
	m := message{kind: kind, requestID: t.Request.ID, title: KindLabels[kind] + "：" + t.Request.Title}
	switch kind {
	case KindTask:
		m.body = fmt.Sprintf("%s已进入“%s”，请办理。", who, workflow.StateLabel(t.To))
	case KindCountersign:
		m.body = fmt.Sprintf("%s涉及本部门职权，请会签（同意或不同意，并填写意见）。", who)
	case KindReturned, KindRejected:
		m.body = fmt.Sprintf("%s%s。意见：%s", who, map[string]string{KindReturned: "被退回修改", KindRejected: "不予通过"}[kind], t.Comment)
	case KindPublished:
		m.body = fmt.Sprintf("%s已公布", who)
		if t.Request.PublishedVersion != nil {
			m.body += fmt.Sprintf("为第 %d 版", *t.Request.PublishedVersion)
		}
		m.body += "。"
	case KindUrge:
		m.body = fmt.Sprintf("%s督办%s（%s）", t.Actor.DisplayName, who, workflow.StateLabel(t.To))
		if t.Comment != "" {
			m.body += "：" + t.Comment
		} else {
			m.body += "，请尽快办理。"
		}
	}
	users, err := s.owners(ctx, tx, state, t.Region, t.Request)
	if err != nil {
		return err
	}
	return s.send(ctx, tx, m, users, t.Actor.ID)
}

// owners are the active users who act on a request in a state: the
// agency's submitters; in 会签 the submitters of the agencies yet to answer;
// or the region's users of the acting roles.
func (s *Service) owners(ctx context.Context, tx *models.Store, state, region string, cr models.ChangeRequest) ([]models.User, error) {
	var out []models.User
	for _, role := range workflow.OwnerRoles(state) {
		var users []models.User
		var err error
		switch {
		case state == models.StateCountersign:
			cs, err := tx.Countersigns(ctx, cr.ID)
			if err != nil {
				return nil, err
			}
			for _, c := range cs {
				if c.Answer == "" && c.Round == cs[len(cs)-1].Round {
					more, err := tx.ActiveUsers(ctx, models.Recipients{Role: role, AgencyID: c.AgencyID})
					if err != nil {
						return nil, err
					}
					users = append(users, more...)
				}
			}
		case role == models.RoleSubmitter:
			users, err = tx.ActiveUsers(ctx, models.Recipients{Role: role, AgencyID: cr.AgencyID})
		default:
			users, err = tx.ActiveUsers(ctx, models.Recipients{Role: role, RegionCode: region})
		}
		if err != nil {
			return nil, err
		}
		out = append(out, users...)
	}
	return out, nil
}

// send writes the message to each user but the actor, and queues its
// e-mail to those who gave an address when SMTP is configured.
func (s *Service) send(ctx context.Context, tx *models.Store, m message, users []models.User, actor int64) error {
	var ns []models.Notification
	now := s.now()
	for _, u := range users {
		if u.ID == actor {
			continue
		}
		id := m.requestID
		ns = append(ns, models.Notification{UserID: u.ID, Kind: m.kind, ChangeRequestID: &id, Title: m.title, Body: m.body, CreatedAt: now})
	}
	if err := tx.CreateNotifications(ctx, ns); err != nil || s.cfg.Mail == nil || len(ns) == 0 {
		return err
	}
	ids := make([]int64, len(ns))
	for i, n := range ns {
		ids[i] = n.UserID
	}
	emails, err := tx.NotificationEmails(ctx, ids)
	if err != nil {
		return err
	}
	for _, n := range ns {
		if addr, ok := emails[n.UserID]; ok {
			if _, err := tx.EnqueueJob(ctx, models.Job{Kind: jobMail, RunAt: now, CreatedAt: now,
				Payload: fmt.Sprintf(`{"notification_id":%d,"to":%q}`, n.ID, addr)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Page is a page of a user's messages.
type Page struct {
	Notifications []models.Notification
	Total         int64
	Unread        int64
}

// MaxPageSize bounds a page of messages.
const MaxPageSize = 100

// List returns a page of the user's messages, newest first.
func (s *Service) List(ctx context.Context, u *models.User, unreadOnly bool, page, size int) (Page, error) {
	if page < 1 || size < 1 || size > MaxPageSize {
		return Page{}, apperr.New(apperr.Invalid, "page 应为正整数，page_size 应在 1 至 %d 之间", MaxPageSize)
	}
	ns, total, err := s.store.Notifications(ctx, u.ID, unreadOnly, (page-1)*size, size)
	if err != nil {
		return Page{}, err
	}
	unread, err := s.store.UnreadNotifications(ctx, u.ID)
	return Page{Notifications: ns, Total: total, Unread: unread}, err
}

// Unread counts the user's unread messages.
func (s *Service) Unread(ctx context.Context, u *models.User) (int64, error) {
	return s.store.UnreadNotifications(ctx, u.ID)
}

// MarkRead marks one of the user's messages read, or all for id 0.
func (s *Service) MarkRead(ctx context.Context, u *models.User, id int64) error {
	return s.store.MarkNotificationsRead(ctx, u.ID, id, s.now())
}

// Email is the address the user's messages are e-mailed to ("" none).
func (s *Service) Email(ctx context.Context, u *models.User) (string, error) {
	m, err := s.store.NotificationEmails(ctx, []int64{u.ID})
	return m[u.ID], err
}

// SetEmail sets (or with "" clears) where the user's messages are e-mailed.
func (s *Service) SetEmail(ctx context.Context, u *models.User, email string) error {
	email = strings.TrimSpace(email)
	if email != "" {
		a, err := mail.ParseAddress(email)
		if err != nil || a.Address != email || len(email) > 254 {
			return apperr.New(apperr.Invalid, "email：不是有效的电子邮件地址：%q", email).WithDetails(map[string]any{"field": "email"})
		}
	}
	return s.store.Transaction(ctx, func(tx *models.Store) error {
		if err := tx.SaveNotificationSetting(ctx, models.NotificationSetting{UserID: u.ID, Email: email, UpdatedAt: s.now()}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "notification_email",
			TargetType: "user", TargetID: u.Username, RegionCode: u.ScopeRegion(), After: map[string]any{"email": email}})
	})
}

// MailEnabled says whether e-mail is configured.
func (s *Service) MailEnabled() bool { return s.cfg.Mail != nil }
