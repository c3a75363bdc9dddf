package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/auth"
	"qingdan/models"
)

// Account management for admins and region administrators (their region
// and the regions under it); the same rules as `qingdan user`.

type adminUserJSON struct {
	userJSON
	Disabled    bool       `json:"disabled"`
	LockedUntil *time.Time `json:"locked_until"` // set while a login backoff lasts
	CreatedAt   time.Time  `json:"created_at"`
}

// adminUsersJSON are the users with their login backoffs (one query for all).
func (s *Server) adminUsersJSON(c *gin.Context, users ...models.User) ([]adminUserJSON, error) {
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.Username
	}
	locked, err := s.auth.LockedUntil(c.Request.Context(), names...)
	if err != nil {
		return nil, err
	}
	out := make([]adminUserJSON, len(users))
	for i := range users {
		out[i] = adminUserJSON{userJSON: toUserJSON(&users[i]), Disabled: users[i].Disabled, CreatedAt: users[i].CreatedAt}
		if until, ok := locked[users[i].Username]; ok {
			out[i].LockedUntil = &until
		}
	}
	return out, nil
}

// sendAdminUser answers with one user.
func (s *Server) sendAdminUser(c *gin.Context, status int, u models.User) {
	out, err := s.adminUsersJSON(c, u)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, out[0])
}

// administeredRegion is the region filter of an administrator's request:
// ?region= for an admin; a region administrator's own region, or a region
// under it.
func (s *Server) administeredRegion(c *gin.Context) (string, error) {
	u, region := currentUser(c), c.Query("region")
	if u.Role != models.RoleRegionAdmin || u.RegionCode == nil {
		return region, nil
	}
	if region == "" {
		return *u.RegionCode, nil
	}
	ok, err := s.store.InRegion(c.Request.Context(), region, *u.RegionCode)
	if err == nil && !ok {
		err = apperr.New(apperr.Forbidden, "区域管理员只能查看本行政区划（%s）及其下级", *u.RegionCode)
	}
	return region, err
}

type userPageJSON struct {
	Users []adminUserJSON `json:"users"`
	Total int64           `json:"total"`
}

func (s *Server) listUsers(c *gin.Context) {
	page, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := models.UserFilter{Role: c.Query("role")}
	if f.Q, err = queryText(c, "q", 50); err != nil {
		fail(c, err)
		return
	}
	if f.Within, err = s.administeredRegion(c); err != nil {
		fail(c, err)
		return
	}
	if f.AgencyID, err = optionalID(c, "agency_id"); err != nil {
		fail(c, err)
		return
	}
	if f.Active, err = optionalBool(c, "active"); err != nil {
		fail(c, err)
		return
	}
	users, total, err := s.store.UsersPage(c.Request.Context(), f, page)
	if err != nil {
		fail(c, err)
		return
	}
	out, err := s.adminUsersJSON(c, users...)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, userPageJSON{Users: out, Total: total})
}

type newUserRequest struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	AgencyID    *int64 `json:"agency_id"`
	RegionCode  string `json:"region_code"`
	Password    string `json:"password"`
}

// createUser: the password an administrator sets is temporary.
func (s *Server) createUser(c *gin.Context) {
	var req newUserRequest
	if !bindBody(c, &req, `{"username","display_name","role","agency_id","region_code","password"}`) {
		return
	}
	u, err := s.auth.AddUser(c.Request.Context(), auth.ActorOf(currentUser(c)), auth.NewUser{
		Username: req.Username, DisplayName: req.DisplayName, Role: req.Role,
		AgencyID: req.AgencyID, RegionCode: req.RegionCode, Password: req.Password, Temporary: true,
	})
	if err != nil {
		fail(c, err)
		return
	}
	s.sendAdminUser(c, http.StatusCreated, u)
}

func (s *Server) updateUser(c *gin.Context) {
	var req struct {
		DisplayName *string `json:"display_name"`
		Role        *string `json:"role"`
		AgencyID    *int64  `json:"agency_id"`
		RegionCode  *string `json:"region_code"`
		Active      *bool   `json:"active"`
	}
	if !bindBody(c, &req, `{"display_name","role","agency_id","region_code","active"}`) {
		return
	}
	u, err := s.auth.UpdateUser(c.Request.Context(), auth.ActorOf(currentUser(c)), c.Param("username"), auth.UserChange{
		DisplayName: req.DisplayName, Role: req.Role, AgencyID: req.AgencyID, RegionCode: req.RegionCode, Active: req.Active,
	})
	if err != nil {
		fail(c, err)
		return
	}
	s.sendAdminUser(c, http.StatusOK, u)
}

// setUserPassword: a reset by an administrator is temporary.
func (s *Server) setUserPassword(c *gin.Context) {
	var req struct {
		Password string `json:"password"`
	}
	if !bindBody(c, &req, `{"password"}`) {
		return
	}
	if err := s.auth.SetPassword(c.Request.Context(), auth.ActorOf(currentUser(c)), c.Param("username"), req.Password, true); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) disableUser(c *gin.Context) {
	if err := s.auth.DisableUser(c.Request.Context(), auth.ActorOf(currentUser(c)), c.Param("username")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) unlockUser(c *gin.Context) {
	if err := s.auth.UnlockUser(c.Request.Context(), auth.ActorOf(currentUser(c)), c.Param("username")); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// changeOwnPassword is PUT /me/password: any user, and the one thing a user
// with a temporary password may do.
func (s *Server) changeOwnPassword(c *gin.Context) {
	var req struct {
		OldPassword string `json:"old_password"`
		NewPassword string `json:"new_password"`
	}
	if !bindBody(c, &req, `{"old_password","new_password"}`) {
		return
	}
	if err := s.auth.ChangeOwnPassword(c.Request.Context(), currentUser(c), req.OldPassword, req.NewPassword); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// temporaryPasswordRoutes are what a user whose password is temporary may call.
var temporaryPasswordRoutes = map[string]bool{"GET /api/v1/me": true, "PUT /api/v1/me/password": true}

// requirePasswordChanged refuses a user with a temporary password everything else.
func requirePasswordChanged(c *gin.Context, u *models.User) error {
	if u.MustChangePassword && !temporaryPasswordRoutes[c.Request.Method+" "+c.FullPath()] {
		return apperr.New(apperr.Forbidden, "您的密码是管理员设置的临时密码，请先修改密码（PUT /api/v1/me/password）").
			WithDetails(map[string]any{"must_change_password": true})
	}
	return nil
}
