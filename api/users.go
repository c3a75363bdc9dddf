package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"qingdan/auth"
)

// Account management for admins; the same rules as `qingdan user`.

func (s *Server) listUsers(c *gin.Context) {
	users, err := s.store.Users(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	type adminUserJSON struct {
		userJSON
		Disabled bool `json:"disabled"`
	}
	out := make([]adminUserJSON, 0, len(users))
	for i := range users {
		out = append(out, adminUserJSON{toUserJSON(&users[i]), users[i].Disabled})
	}
	c.JSON(http.StatusOK, gin.H{"users": out})
}

type newUserRequest struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	AgencyID    *int64 `json:"agency_id"`
	RegionCode  string `json:"region_code"`
	Password    string `json:"password"`
}

func (s *Server) createUser(c *gin.Context) {
	var req newUserRequest
	if !bindBody(c, &req, `{"username","display_name","role","agency_id","region_code","password"}`) {
		return
	}
	u, err := s.auth.AddUser(c.Request.Context(), auth.ActorOf(currentUser(c)), auth.NewUser{
		Username: req.Username, DisplayName: req.DisplayName, Role: req.Role,
		AgencyID: req.AgencyID, RegionCode: req.RegionCode, Password: req.Password,
	})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, toUserJSON(&u))
}

func (s *Server) setUserPassword(c *gin.Context) {
	var req struct {
		Password string `json:"password"`
	}
	if !bindBody(c, &req, `{"password"}`) {
		return
	}
	if err := s.auth.SetPassword(c.Request.Context(), auth.ActorOf(currentUser(c)), c.Param("username"), req.Password); err != nil {
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
