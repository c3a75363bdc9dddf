package api

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/models"
)

// pageParams reads ?limit= (default 50, at most 500) and ?offset= of a collection.
func pageParams(c *gin.Context) (models.Page, error) {
	p := models.Page{Limit: models.DefaultPageLimit}
	if s, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > models.MaxPageLimit {
			return p, fieldError("limit", "应为 1–%d 的整数，收到 %q", models.MaxPageLimit, s)
		}
		p.Limit = n
	}
	if s, ok := c.GetQuery("offset"); ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return p, fieldError("offset", "应为不小于 0 的整数，收到 %q", s)
		}
		p.Offset = n
	}
	return p, nil
}

// maxQueryRunes bounds the search text of change requests and candidates.
const maxQueryRunes = 200

// queryText reads an optional free-text query parameter, bounded.
func queryText(c *gin.Context, name string, maxRunes int) (string, error) {
	s := c.Query(name)
	if len([]rune(s)) > maxRunes {
		return "", apperr.New(apperr.Invalid, "参数 %s 过长（最多 %d 个字符）", name, maxRunes).WithDetails(map[string]any{"field": name})
	}
	return s, nil
}

// optionalBool reads an optional true/false query parameter.
func optionalBool(c *gin.Context, name string) (*bool, error) {
	v, ok := c.GetQuery(name)
	if !ok {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, fieldError(name, "应为 true 或 false，收到 %q", v)
	}
	return &b, nil
}
