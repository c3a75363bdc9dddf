package notify

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// MailConfig is the SMTP server notifications are e-mailed through.
type MailConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string // "starttls" (default), "tls" (implicit, port 465) or "none"
}

// MailFromEnv reads QINGDAN_SMTP_ADDR (host:port), QINGDAN_SMTP_FROM,
// QINGDAN_SMTP_USERNAME, QINGDAN_SMTP_PASSWORD and QINGDAN_SMTP_TLS; nil
// when QINGDAN_SMTP_ADDR is unset (no e-mail).
func MailFromEnv() (*MailConfig, error) {
	addr := os.Getenv("QINGDAN_SMTP_ADDR")
	if addr == "" {
		return nil, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("QINGDAN_SMTP_ADDR 应为 主机:端口：%w", err)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return nil, fmt.Errorf("QINGDAN_SMTP_ADDR 的端口无效：%q", port)
	}
	c := &MailConfig{Host: host, Port: p, From: os.Getenv("QINGDAN_SMTP_FROM"), Username: os.Getenv("QINGDAN_SMTP_USERNAME"),
		Password: os.Getenv("QINGDAN_SMTP_PASSWORD"), TLS: os.Getenv("QINGDAN_SMTP_TLS")}
	if c.From == "" {
		return nil, fmt.Errorf("配置了 QINGDAN_SMTP_ADDR 时须同时配置发件地址 QINGDAN_SMTP_FROM")
	}
	switch c.TLS {
	case "", "starttls", "tls", "none":
	default:
		return nil, fmt.Errorf("QINGDAN_SMTP_TLS 应为 starttls、tls 或 none，收到 %q", c.TLS)
	}
	return c, nil
}

// mail sends one notification to one address.
func (s *Service) mail(ctx context.Context, notificationID int64, to string) error {
	mc := s.cfg.Mail
	if mc == nil {
		return nil // configured off since it was queued
	}
	n, err := s.store.Notification(ctx, notificationID)
	if err != nil {
		return err
	}
	body := n.Body
	if n.ChangeRequestID != nil && s.cfg.PublicURL != "" {
		body += fmt.Sprintf("\n\n%s/requests/%d", strings.TrimRight(s.cfg.PublicURL, "/"), *n.ChangeRequestID)
	}
	body += "\n\n（清单系统自动发送，请勿回复。）"
	m := gomail.NewMsg()
	if err := m.From(mc.From); err != nil {
		return fmt.Errorf("mail from %q: %w", mc.From, err)
	}
	if err := m.To(to); err != nil {
		return fmt.Errorf("mail to %q: %w", to, err)
	}
	m.Subject("【清单】" + n.Title)
	m.SetBodyString(gomail.TypeTextPlain, body)
	opts := []gomail.Option{gomail.WithPort(mc.Port), gomail.WithTimeout(30 * time.Second)}
	switch mc.TLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if mc.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(mc.Username), gomail.WithPassword(mc.Password))
	}
	c, err := gomail.NewClient(mc.Host, opts...)
	if err != nil {
		return fmt.Errorf("mail client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("send mail of notification %d: %w", notificationID, err)
	}
	return nil
}
