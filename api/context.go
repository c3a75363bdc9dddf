package api

import (
	"github.com/gin-gonic/gin"

	"qingdan/models"
)

const userKey = "qingdan.user"

// currentUser is the logged-in user of the request, or nil for an anonymous reader.
func currentUser(c *gin.Context) *models.User {
	if u, ok := c.Get(userKey); ok {
		return u.(*models.User)
	}
	return nil
}
