package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/models"
)

// status maps domain error codes to HTTP statuses — the only place that does.
var status = map[apperr.Code]int{
	apperr.Invalid:      http.StatusBadRequest,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.TooLarge:     http.StatusRequestEntityTooLarge,
	apperr.TooMany:      http.StatusTooManyRequests,
	apperr.Unavailable:  http.StatusServiceUnavailable,
}

type errorBody struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
	Details any         `json:"details,omitempty"`
}

// fail answers with the error: a domain error with its status and message,
// anything else as a logged 500 that tells the user nothing internal.
func fail(c *gin.Context, err error) {
	if e, ok := apperr.As(err); ok {
		code, known := status[e.Code]
		if !known { // a code added without its status must not go out as 200
			slog.ErrorContext(c.Request.Context(), "domain error without a status", "code", e.Code, "err", err)
			code = http.StatusInternalServerError
		}
		if e.RetryAfter > 0 {
			c.Header("Retry-After", strconv.Itoa(int(e.RetryAfter/time.Second)))
		}
		c.AbortWithStatusJSON(code, gin.H{"error": errorBody{Code: e.Code, Message: e.Message, Details: e.Details}})
		return
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		fail(c, apperr.New(apperr.TooLarge, "请求体过大（上限 %d 字节）", tooLarge.Limit))
		return
	}
	if down := models.Unavailable(err); down != nil { // read-only, full, restarting: 503 that says so
		slog.WarnContext(c.Request.Context(), "database unavailable", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		fail(c, down)
		return
	}
	slog.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
	c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": errorBody{Code: "internal", Message: "服务器内部错误，请稍后重试"}})
}

// invalid answers 400 with the message.
func invalid(c *gin.Context, format string, args ...any) {
	fail(c, apperr.New(apperr.Invalid, format, args...))
}
