package api

import (
	"strconv"
	"time"
	"unicode/utf8"

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

// Paging of a long listing: ?limit= (default and maximum below) and ?offset=.
const (
	defaultPageLimit = 50
	maxPageLimit     = 500
)

func pageParams(c *gin.Context) (limit, offset int, err error) {
	limit = defaultPageLimit
	if v, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageLimit {
			return 0, 0, apperr.New(apperr.Invalid, "参数 limit 应为 1 到 %d 之间的整数，收到 %q", maxPageLimit, v).
				WithDetails(map[string]any{"field": "limit"})
		}
		limit = n
	}
	if v, ok := c.GetQuery("offset"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, 0, apperr.New(apperr.Invalid, "参数 offset 应为不小于 0 的整数，收到 %q", v).
				WithDetails(map[string]any{"field": "offset"})
		}
		offset = n
	}
	return limit, offset, nil
}

// maxQueryRunes bounds a search text.
const maxQueryRunes = 200

func checkQuery(q string) error {
	if utf8.RuneCountInString(q) > maxQueryRunes {
		return apperr.New(apperr.Invalid, "参数 q 不能超过 %d 字", maxQueryRunes).WithDetails(map[string]any{"field": "q"})
	}
	return nil
}
