// Package api is the HTTP face of Qingdan: gin handlers, authentication,
// JSON errors. It holds no SQL and no workflow rules.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/auth"
	"qingdan/metrics"
	"qingdan/models"
	"qingdan/notify"
	"qingdan/search"
	"qingdan/throttle"
	"qingdan/vcache"
	"qingdan/workflow"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// Server carries what the handlers need.
type Server struct {
	store          *models.Store
	auth           *auth.Service
	flow           *workflow.Service
	notify         *notify.Service
	ui             fs.FS
	metricsHandler http.Handler   // nil when /metrics is served on its own address
	trusted        []netip.Prefix // the proxies whose X-Forwarded-* headers are believed
	costly         *throttle.Limiter
	versions       *vcache.Cache // published versions' answers as bytes (cache.go)
	searcher       *search.Searcher
}

// Options configure the router.
type Options struct {
	Store *models.Store
	UI    fs.FS         // the built web UI; nil serves none
	Auth  *auth.Service // logins and sessions; nil builds one with the real clock
	// TrustedProxies are the addresses whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; none by default.
	TrustedProxies []string
	// Now is the clock of events and deadlines; nil is the real one (tests set one).
	Now func() time.Time
	// Mail, when set, e-mails notifications to the users who gave an address.
	Mail *notify.MailConfig
	// MetricsElsewhere leaves /metrics off this router: it is served on its
	// own address (MetricsHandler, serve --metrics-addr).
	MetricsElsewhere bool
	// Costly limits anonymous clients on the costly routes; nil means
	// CostlyBurst requests, then one per CostlyEvery, per client IP.
	Costly *throttle.Limiter
	// VersionCache keeps published versions' answers as bytes; nil makes
	// one of DefaultVersionCacheBytes.
	VersionCache *vcache.Cache
	// Flow is the workflow service the routes use, for a caller that keeps
	// its caches warm (serve's findings warmer); nil makes one with Now.
	Flow *workflow.Service
}

// NewRouter builds the HTTP handler with every route.
func NewRouter(o Options) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	flow := o.Flow
	if flow == nil {
		flow = workflow.New(o.Store, workflow.WithClock(o.Now))
	}
	s := &Server{store: o.Store, auth: o.Auth, flow: flow, ui: o.UI, searcher: search.New(o.Store)}
	s.notify = notify.New(o.Store, s.flow, notify.Config{Now: o.Now, Mail: o.Mail})
	s.flow.OnTransition(s.notify.Hook)
	if s.auth == nil {
		s.auth = auth.New(o.Store, auth.Config{})
	}
	if !o.MetricsElsewhere {
		s.metricsHandler = MetricsHandler(o.Store)
	}
	s.costly = o.Costly
	s.versions = o.VersionCache
	if s.versions == nil {
		s.versions = vcache.New(DefaultVersionCacheBytes)
	}
	if s.costly == nil {
		s.costly = throttle.New(CostlyEvery, CostlyBurst, nil)
	}
	r := gin.New()
	// Trust no proxy headers unless configured: otherwise X-Forwarded-For from
	// any client would decide the IP written in the audit log.
	trusted, err := parseProxies(o.TrustedProxies)
	if err == nil {
		err = r.SetTrustedProxies(o.TrustedProxies)
	}
	if err != nil {
		slog.Warn("trusted proxies ignored", "err", err)
		trusted = nil
		_ = r.SetTrustedProxies(nil)
	}
	s.trusted = trusted
	r.Use(accessLog, recovery, s.securityHeaders, observe, limitBody)
	s.routes(r)
	r.NoRoute(s.noRoute)
	return r
}

// MetricsHandler serves the Prometheus metrics of the store's process.
func MetricsHandler(store *models.Store) http.Handler {
	sqlDB, _ := store.DB(context.Background()).DB()
	return metrics.Handler(sqlDB)
}

func limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		limit := int64(MaxBodyBytes)
		switch p := c.Request.URL.Path; {
		case p == uploadPath:
			limit = maxUploadBytes
		case attachmentUpload.MatchString(p):
			limit = maxAttachmentBody
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}

// noRoute answers unknown API paths (and /metrics when it is served on its
// own address) with a JSON 404 and everything else with the single-page app,
// whose router handles the path.
func (s *Server) noRoute(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || p == "/metrics" || s.ui == nil || (c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead) {
		c.JSON(http.StatusNotFound, gin.H{"error": errorBody{Code: "not_found", Message: "没有这个地址：" + p}})
		return
	}
	name := strings.TrimPrefix(p, "/")
	if name != "" {
		if f, err := s.ui.Open(name); err == nil {
			st, _ := f.Stat()
			f.Close()
			if st != nil && !st.IsDir() {
				c.FileFromFS(name, http.FS(s.ui))
				return
			}
		}
	}
	index, err := fs.ReadFile(s.ui, "index.html")
	if err != nil {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(placeholderPage))
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", index)
}

// placeholderPage is served when the binary was built without the web UI.
const placeholderPage = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>清单</title></head>
<body><h1>清单 Qingdan</h1><p>此版本未包含网页界面（请用 <code>make run</code> 构建）。数据接口见 <a href="/api/v1/lists">/api/v1/lists</a>。</p></body></html>`
