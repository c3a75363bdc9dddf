package api

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
)

// idParam reads a positive integer path parameter.
func idParam(c *gin.Context, name string) (int64, error) {
	return positiveInt(c.Param(name), name)
}

func positiveInt(s, name string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.New(apperr.Invalid, "参数 %s 应为正整数，收到 %q", name, s)
	}
	return n, nil
}

// optionalInt reads an optional positive integer query parameter.
func optionalInt(c *gin.Context, name string) (*int, error) {
	s, ok := c.GetQuery(name)
	if !ok {
		return nil, nil
	}
	n, err := positiveInt(s, name)
	if err != nil {
		return nil, err
	}
	if n > 1<<31-2 {
		return nil, apperr.New(apperr.Invalid, "参数 %s 超出范围：%s", name, s)
	}
	v := int(n)
	return &v, nil
}

// optionalDate reads an optional YYYY-MM-DD query parameter.
func optionalDate(c *gin.Context, name string) (*time.Time, error) {
	s, ok := c.GetQuery(name)
	if !ok {
		return nil, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, apperr.New(apperr.Invalid, "参数 %s 应为日期 YYYY-MM-DD，收到 %q", name, s)
	}
	return &d, nil
}

// optionalID reads an optional positive integer query parameter; 0 when absent.
func optionalID(c *gin.Context, name string) (int64, error) {
	v, ok := c.GetQuery(name)
	if !ok {
		return 0, nil
	}
	return positiveInt(v, name)
}
