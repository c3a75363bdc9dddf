package api

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/models"
	"qingdan/throttle"
)

// spaPolicy is the Content-Security-Policy of every answer: the built web UI
// loads its scripts, styles and fonts from this origin only and runs no
// inline script; Element Plus positions popups with style attributes, hence
// 'unsafe-inline' for styles alone. No page may be framed.
const spaPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// hsts tells browsers to use HTTPS only, once they reached us over it.
const hsts = "max-age=31536000"

// securityHeaders sets the headers every answer carries.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", spaPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure(c) {
		h.Set("Strict-Transport-Security", hsts)
	}
	c.Next()
}

// secure reports whether the client reached us over TLS: directly, or
// through a trusted proxy that says so in X-Forwarded-Proto. The header of
// any other client is ignored, as X-Forwarded-For is.
func (s *Server) secure(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	return strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https") && s.fromTrustedProxy(c.Request)
}

func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range s.trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// parseProxies reads --trusted-proxies (addresses or networks) as gin does.
func parseProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range list {
		if !strings.Contains(p, "/") {
			a, err := netip.ParseAddr(p)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: %w", p, err)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()).String()
		}
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", p, err)
		}
		out = append(out, pre.Masked())
	}
	return out, nil
}

// recovery answers a panic with the JSON error shape and logs it with its
// stack, instead of gin's empty 500. An aborted handler (the client went
// away) is passed on to net/http, which expects that panic.
func recovery(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		slog.ErrorContext(c.Request.Context(), "panic", "method", c.Request.Method, "route", c.FullPath(),
			"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": errorBody{Code: "internal", Message: "服务器内部错误，请稍后重试"}})
	}()
	c.Next()
}

// accessLog writes one line per request: who asked what from where, the
// answer and how long it took.
func accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	user := ""
	if u := currentUser(c); u != nil {
		user = u.Username
	}
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	slog.InfoContext(c.Request.Context(), "http", "method", c.Request.Method, "route", route, "status", c.Writer.Status(),
		"duration_ms", time.Since(start).Milliseconds(), "ip", c.ClientIP(), "user", user)
}

// Costly anonymous reading (diffs, comparison tables, exports, search): each
// client IP gets CostlyBurst at once, then one per CostlyEvery. Logged-in
// users are not limited here: they are known and audited.
const (
	CostlyBurst = 30
	CostlyEvery = 2 * time.Second
)

// limitAnonymous is the middleware any costly public route takes; it answers
// 429 with Retry-After to an anonymous client over its limit.
func (s *Server) limitAnonymous(c *gin.Context) {
	if currentUser(c) == nil {
		if ok, wait := s.costly.Allow(throttle.ClientKey(c.ClientIP())); !ok {
			fail(c, apperr.Slowed(wait, "请求过于频繁"))
			return
		}
	}
	c.Next()
}

// auditRefusals records in the audit log what a logged-in user was refused:
// any 403, and a 404 on a change request (the answer to one they may not
// see). Anonymous refusals are in the access log only, so a flood of them
// costs no audit rows.
func (s *Server) auditRefusals(c *gin.Context) {
	c.Next()
	u, status := currentUser(c), c.Writer.Status()
	if u == nil || !(status == http.StatusForbidden ||
		status == http.StatusNotFound && strings.HasPrefix(c.FullPath(), "/api/v1/change-requests/")) {
		return
	}
	ctx := c.Request.Context()
	err := s.store.Transaction(ctx, func(tx *models.Store) error {
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "access_denied",
			TargetType: "route", TargetID: c.Request.Method + " " + c.FullPath(), RegionCode: u.ScopeRegion(),
			After: map[string]any{"status": status, "path": c.Request.URL.Path, "ip": c.ClientIP()}})
	})
	if err != nil {
		slog.ErrorContext(ctx, "audit refusal", "err", err)
	}
}
