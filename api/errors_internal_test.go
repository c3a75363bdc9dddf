package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
)

// Every domain error code has an error status, and one without answers 500.
func TestEveryErrorCodeHasAnErrorStatus(t *testing.T) {
	codes := append(append([]apperr.Code{}, apperr.Codes...), "made_up")
	for _, code := range codes {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		c.Request = httptest.NewRequest("GET", "/", nil)
		fail(c, apperr.New(code, "x"))
		want, known := status[code]
		if code != "made_up" && !known {
			t.Errorf("code %s has no status", code)
		}
		if !known {
			want = http.StatusInternalServerError
		}
		if rec.Code < 400 || rec.Code != want {
			t.Errorf("code %s answers %d", code, rec.Code)
		}
	}
	if len(status) != len(apperr.Codes) {
		t.Errorf("the status map has %d codes, apperr declares %d", len(status), len(apperr.Codes))
	}
}
