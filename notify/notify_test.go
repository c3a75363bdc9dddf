package notify_test

import (
	"bufio"
	"context"
	"io"
	"mime"
	"net"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"qingdan/auth"
	"qingdan/dbtest"
	"qingdan/importer"
	"qingdan/models"
	"qingdan/notify"
	"qingdan/testkit"
	"qingdan/workflow"
)

// smtpSink is a tiny SMTP server on 127.0.0.1 that keeps what it receives.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []*mail.Message
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 sink ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			say("250-sink")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "DATA"):
			say("354 go ahead")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			if m, err := mail.ReadMessage(strings.NewReader(data.String())); err == nil {
				s.mu.Lock()
				s.msgs = append(s.msgs, m)
				s.mu.Unlock()
			}
			say("250 queued")
		case strings.HasPrefix(cmd, "QUIT"):
			say("221 bye")
			return
		default: // HELO, MAIL, RCPT, RSET, NOOP
			say("250 ok")
		}
	}
}

// subjects are the decoded subjects received for an address.
func (s *smtpSink) subjects(to string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	dec := new(mime.WordDecoder)
	for _, m := range s.msgs {
		if strings.Contains(m.Header.Get("To"), to) {
			subj, _ := dec.DecodeHeader(m.Header.Get("Subject"))
			out = append(out, subj)
		}
	}
	return out
}

func (s *smtpSink) config() *notify.MailConfig {
	addr := s.ln.Addr().(*net.TCPAddr)
	return &notify.MailConfig{Host: "127.0.0.1", Port: addr.Port, From: "qingdan@example.org", TLS: "none"}
}

func user(t *testing.T, store *models.Store, name string) *models.User {
	t.Helper()
	u, err := store.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return &u
}

// setup is a database with the Hongsibu seed list and the demo accounts.
func setup(t *testing.T, db *gorm.DB) (*models.Store, int64) {
	t.Helper()
	ctx := context.Background()
	store := models.NewStore(db)
	if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../seeds/hongsibu-medical-security-power-list.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, res, err := importer.Import(ctx, store, f, importer.Options{At: testkit.Imported}, "")
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.New(store, auth.Config{HashCost: bcrypt.MinCost}).SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	return store, res.ListID
}

// submit drafts a request with one operation and submits it.
func submit(t *testing.T, flow *workflow.Service, by *models.User, listID int64) {
	t.Helper()
	ctx := context.Background()
	cr, err := flow.Create(ctx, by, workflow.NewRequest{ListID: listID, Title: "调整行政检查事项", Reason: "条例修订"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := flow.AddOperation(ctx, by, cr.ID, workflow.OperationInput{Op: models.OpAdd, Reason: "依据条例", Basis: "《医疗保障基金使用监督管理条例》第四十一条",
		Item: []byte(`{"name":"新增检查","category":"行政检查","content":"检查","basis":"【法律】《中华人民共和国社会保险法》第八十七条"}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := flow.Fire(ctx, by, cr.ID, workflow.EventSubmit, ""); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *gorm.DB, userID int64, kind string) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.Notification{}).Where("user_id = ? AND kind = ?", userID, kind).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Two instances on one database work the queue at the same moments: each
// due-date reminder reaches each reviewer once, in the message centre and
// by e-mail, and a later scan sends it no more.
func TestRemindersGoOutOnceAcrossInstances(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		store, listID := setup(t, db)
		clock := testkit.NewClock(time.Date(2026, 9, 24, 2, 0, 0, 0, time.UTC)) // Thursday 10:00 in Beijing
		sink := newSMTPSink(t)
		cfg := notify.Config{Now: clock.Now, Mail: sink.config(), Interval: time.Minute}
		flow := workflow.New(store, workflow.WithClock(clock.Now))
		cfg.Instance = "a"
		one := notify.New(store, flow, cfg)
		cfg.Instance = "b"
		two := notify.New(store, workflow.New(store, workflow.WithClock(clock.Now)), cfg)
		flow.OnTransition(one.Hook)

		ybj, sfj := user(t, store, "hsb-ybj"), user(t, store, "hsb-sfj")
		if err := one.SetEmail(ctx, sfj, "sfj@example.org"); err != nil {
			t.Fatal(err)
		}
		submit(t, flow, ybj, listID)
		tickBoth := func() {
			var wg sync.WaitGroup
			for _, s := range []*notify.Service{one, two} {
				wg.Go(func() {
					if err := s.Tick(ctx); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
		}
		// Submitted on 9-24: the review is due 10-22. Nothing to remind yet;
		// the new task's e-mail goes out.
		tickBoth()
		if got := sink.subjects("sfj@example.org"); len(got) != 1 || !strings.Contains(got[0], "新待办") {
			t.Fatalf("mails after submission: %q", got)
		}
		// Tuesday 10-20: two working days left. Each tick is a new period.
		clock.Advance(26 * 24 * time.Hour)
		for range 3 {
			tickBoth()
			clock.Advance(10 * time.Minute)
		}
		if n := count(t, db, sfj.ID, notify.KindDueSoon); n != 1 {
			t.Fatalf("%d due-soon reminders, want 1", n)
		}
		if n := count(t, db, ybj.ID, notify.KindDueSoon); n != 0 {
			t.Fatalf("the submitter got the reviewers' reminder")
		}
		// Friday 10-23: overdue, reminded once more, and that once.
		clock.Advance(72 * time.Hour)
		tickBoth()
		clock.Advance(time.Hour)
		tickBoth()
		if n := count(t, db, sfj.ID, notify.KindOverdue); n != 1 {
			t.Fatalf("%d overdue reminders, want 1", n)
		}
		got := sink.subjects("sfj@example.org")
		if len(got) != 3 || !strings.Contains(got[1], "即将到期") || !strings.Contains(got[2], "已超期") {
			t.Fatalf("mails: %q", got)
		}
		// A week on, the finished jobs are purged; nothing is sent again.
		clock.Advance(8 * 24 * time.Hour)
		tickBoth()
		var jobs int64
		if err := db.Model(&models.Job{}).Where("done_at IS NOT NULL").Count(&jobs).Error; err != nil {
			t.Fatal(err)
		}
		if jobs != 1 || len(sink.subjects("sfj@example.org")) != 3 {
			t.Errorf("%d finished jobs kept (want this tick's scan only), %d mails", jobs, len(sink.subjects("sfj@example.org")))
		}
	})
}

// A mail server that does not answer loses nothing: the message is in the
// centre at once, and its e-mail stays queued with the error, due again later.
func TestUnsentMailIsRetried(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		store, listID := setup(t, db)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close() // nothing listens there now
		clock := testkit.NewClock(time.Date(2026, 9, 24, 2, 0, 0, 0, time.UTC))
		flow := workflow.New(store, workflow.WithClock(clock.Now))
		s := notify.New(store, flow, notify.Config{Now: clock.Now,
			Mail: &notify.MailConfig{Host: "127.0.0.1", Port: port, From: "qingdan@example.org", TLS: "none"}})
		flow.OnTransition(s.Hook)
		sfj := user(t, store, "hsb-sfj")
		if err := s.SetEmail(ctx, sfj, "sfj@example.org"); err != nil {
			t.Fatal(err)
		}
		submit(t, flow, user(t, store, "hsb-ybj"), listID)
		if err := s.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, sfj.ID, notify.KindTask); n != 1 {
			t.Fatalf("%d task messages", n)
		}
		var j models.Job
		if err := db.Where("kind = ?", "mail").Take(&j).Error; err != nil {
			t.Fatal(err)
		}
		if j.DoneAt != nil || j.LastError == "" || j.Attempts != 1 || !j.RunAt.After(clock.Now()) {
			t.Fatalf("failed mail job %+v", j)
		}
	})
}
