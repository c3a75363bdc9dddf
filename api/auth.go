package api

// Authentication and authorization — how a handler knows who is asking.
//
// s.authenticate runs on every /api/v1 route (see routes.go). It reads the
// session token from "Authorization: Bearer <token>" or, failing that, the
// session cookie, and puts the user — with Agency (and Agency.Region) and
// Region loaded — in the context. Anonymous requests pass through; a token
// that is unknown, expired or revoked answers 401 at once.
//
// In a handler:
//
//	u := currentUser(c) // *models.User, nil when anonymous
//	u.Role              // models.RoleSubmitter, RoleLegalReviewer, RoleApprover, RoleAdmin
//	u.AgencyID          // a submitter's agency (also set for a reviewer/approver of a 司法局/人民政府)
//	u.ScopeRegion()     // the region the user acts in: a submitter's agency's, a reviewer's or approver's own; "" for an admin
//
// In routes.go, guard a route or a group before its handler:
//
//	v1.POST("/change-requests", requireLogin, s.createChangeRequest)            // 401 when anonymous
//	v1.GET("/audit", requireRole(models.RoleAdmin, models.RoleLegalReviewer), s.listAudit) // 401 anonymous, 403 other roles
//
// Role is coarse; whether this user may act on this agency's or region's
// request (own agency, own region, not one's own submission) is the
// handler's or workflow's check, answered with apperr.Forbidden or NotFound.
// Audit a change with models.(*Store).AppendAudit inside its transaction,
// ActorID/Actor from the user and RegionCode = the region it concerns (a
// legal reviewer reads the audit events of their region).
//
// In tests: svc := auth.New(store, auth.Config{Now: clock, HashCost: bcrypt.MinCost});
// svc.SeedDemo(ctx) creates the demo accounts (hsb-ybj, hsb-sfj, hsb-gov,
// yt-…, admin; password auth.DemoPassword) and api.Options{Auth: svc} uses
// that service; then POST /api/v1/auth/login gives a token.
//
// CSRF: the session cookie is HttpOnly and SameSite=Lax, so browsers do not
// send it on cross-site POST/PATCH/DELETE. On top of that, a state-changing
// request authenticated by the cookie (and login/logout) must not come from
// another origin: net/http's CrossOriginProtection judges that from the
// browser's Sec-Fetch-Site or Origin header and refuses with 403. Requests
// with a Bearer token carry no ambient credential and need no such check.

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/auth"
	"qingdan/models"
)

// sessionCookie holds the session token for the web UI.
const sessionCookie = "qingdan_session"

var crossOrigin = http.NewCrossOriginProtection()

// sameOrigin refuses a state-changing browser request from another origin.
func sameOrigin(c *gin.Context) error {
	if err := crossOrigin.Check(c.Request); err != nil {
		return apperr.New(apperr.Forbidden, "拒绝来自其他网站的请求（跨站请求）")
	}
	return nil
}

// requestToken is the session token of the request and whether it came from the cookie.
func requestToken(c *gin.Context) (token string, fromCookie bool) {
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, t, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(t), false
		}
		return "", false
	}
	if ck, err := c.Cookie(sessionCookie); err == nil && ck != "" {
		return ck, true
	}
	return "", false
}

// authenticate sets the request's user from its session token; see the top of this file.
func (s *Server) authenticate(c *gin.Context) {
	token, fromCookie := requestToken(c)
	reading := c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead
	if token == "" {
		if c.GetHeader("Authorization") != "" {
			fail(c, apperr.New(apperr.Unauthorized, "Authorization 头应为 Bearer <令牌>"))
			return
		}
		if reading {
			readReplica(c)
		}
		c.Next()
		return
	}
	if fromCookie {
		if err := sameOrigin(c); err != nil {
			fail(c, err)
			return
		}
	}
	u, wroteLately, err := s.auth.AuthenticateRequest(c.Request.Context(), token, !reading)
	if err != nil {
		if fromCookie && apperr.Is(err, apperr.Unauthorized) {
			s.clearSessionCookie(c) // so the browser's next request is simply anonymous
		}
		fail(c, err)
		return
	}
	if err := requirePasswordChanged(c, u); err != nil {
		fail(c, err)
		return
	}
	c.Set(userKey, u)
	if reading && !wroteLately {
		readReplica(c)
	}
	c.Next()
}

// readReplica lets the request's reads be answered by a read replica
// (DATABASE_READ_URL): a read by someone who wrote nothing lately, who can
// miss nothing of their own in a replica's short delay.
func readReplica(c *gin.Context) {
	c.Request = c.Request.WithContext(models.ReadReplica(c.Request.Context()))
}

// requireLogin answers 401 to an anonymous request.
func requireLogin(c *gin.Context) {
	if currentUser(c) == nil {
		fail(c, apperr.New(apperr.Unauthorized, "请先登录"))
		return
	}
	c.Next()
}

// requireRole answers 401 to an anonymous request and 403 to a user of another role.
func requireRole(roles ...string) gin.HandlerFunc {
	labels := make([]string, len(roles))
	for i, r := range roles {
		labels[i] = models.RoleLabels[r]
	}
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			fail(c, apperr.New(apperr.Unauthorized, "请先登录"))
			return
		}
		for _, r := range roles {
			if u.Role == r {
				c.Next()
				return
			}
		}
		fail(c, apperr.New(apperr.Forbidden, "此操作仅限%s", strings.Join(labels, "、")))
	}
}

type userJSON struct {
	ID          int64       `json:"id"`
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	Role        string      `json:"role" ts:"Role"`
	RoleName    string      `json:"role_name"`
	Agency      *agencyJSON `json:"agency"`
	Region      *regionJSON `json:"region"` // where the user acts: a submitter's agency's region

	MustChangePassword bool `json:"must_change_password"` // a temporary password: only /me and /me/password answer
}

// loginJSON is a new session: its token only for API clients (see login).
type loginJSON struct {
	ExpiresAt          time.Time `json:"expires_at"`
	MustChangePassword bool      `json:"must_change_password"`
	Token              string    `json:"token,omitempty"`
	User               userJSON  `json:"user"`
}

func toUserJSON(u *models.User) userJSON {
	out := userJSON{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, RoleName: models.RoleLabels[u.Role], MustChangePassword: u.MustChangePassword}
	if u.Agency != nil {
		out.Agency = &agencyJSON{ID: u.Agency.ID, Name: u.Agency.Name}
	}
	switch {
	case u.Region != nil:
		out.Region = &regionJSON{Code: u.Region.Code, Name: u.Region.Name}
	case u.Agency != nil:
		out.Region = &regionJSON{Code: u.Agency.Region.Code, Name: u.Agency.Region.Name}
	}
	return out
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) login(c *gin.Context) {
	if err := sameOrigin(c); err != nil {
		fail(c, err)
		return
	}
	var req loginRequest
	if !bindBody(c, &req, `{"username","password"}`) {
		return
	}
	if strings.TrimSpace(req.Username) == "" || req.Password == "" {
		invalid(c, "请填写用户名和密码")
		return
	}
	l, err := s.auth.Login(c.Request.Context(), strings.TrimSpace(req.Username), req.Password, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: l.Token, Path: "/", Expires: l.ExpiresAt, MaxAge: int(auth.SessionTTL.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c),
	})
	body := loginJSON{ExpiresAt: l.ExpiresAt, User: toUserJSON(&l.User), MustChangePassword: l.User.MustChangePassword}
	// A browser keeps the session in the HttpOnly cookie alone, out of reach
	// of scripts; only API clients (no Fetch Metadata, no Origin) get the token.
	if !fromBrowser(c) {
		body.Token = l.Token
	}
	c.JSON(http.StatusOK, body)
}

func (s *Server) logout(c *gin.Context) {
	token, fromCookie := requestToken(c)
	if fromCookie {
		if err := sameOrigin(c); err != nil {
			fail(c, err)
			return
		}
	}
	if token != "" {
		if err := s.auth.Logout(c.Request.Context(), token, c.ClientIP()); err != nil {
			fail(c, err)
			return
		}
	}
	s.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

func (s *Server) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c),
	})
}

// fromBrowser: browsers send Fetch Metadata (Sec-Fetch-Site) or Origin with
// a POST from a page; API clients send neither.
func fromBrowser(c *gin.Context) bool {
	return c.GetHeader("Sec-Fetch-Site") != "" || c.GetHeader("Origin") != ""
}

func (s *Server) me(c *gin.Context) {
	c.JSON(http.StatusOK, toUserJSON(currentUser(c)))
}
