package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"gorm.io/gorm"

	"qingdan/api"
	"qingdan/importer"
	"qingdan/models"
	"qingdan/testkit"
)

// Shared helpers of the api tests: a router on a test database, the seeds
// imported, and a JSON request helper.

// repoRoot finds the module root, where seeds/ lives.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// seedFiles are the two real lists.
var seedFiles = []string{"hongsibu-medical-security-power-list.txt", "yutian-medical-security-duty-list.txt"}

// importSeeds imports both real lists and returns their list ids, Hongsibu first.
func importSeeds(t testing.TB, store *models.Store) []int64 {
	t.Helper()
	ctx := context.Background()
	if err := store.EnsureRegions(ctx, models.KnownRegions); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, name := range seedFiles {
		f, err := os.Open(filepath.Join(repoRoot(t), "seeds", name))
		if err != nil {
			t.Fatal(err)
		}
		_, res, err := importer.Import(ctx, store, f, importer.Options{At: testkit.Imported}, "")
		f.Close()
		if err != nil {
			t.Fatalf("import %s: %v", name, err)
		}
		ids = append(ids, res.ListID)
	}
	return ids
}

// newRouter builds the full router on db.
func newRouter(db *gorm.DB) http.Handler {
	return api.NewRouter(api.Options{Store: models.NewStore(db)})
}

// response is a recorded answer with its JSON body decoded.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on bad JSON.
func (r response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrorMessage is the message of a {"error":{…}} body.
func (r response) ErrorMessage(t testing.TB) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	r.JSON(t, &e)
	return e.Error.Message
}

// call sends a request through the router; body is marshalled as JSON unless
// it is already a string or nil. token, when set, is sent as a Bearer token.
func call(t testing.TB, h http.Handler, method, path string, body any, token string) response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// postFile posts a form with a file (none when data is nil) as a browser does.
func postFile(t testing.TB, h http.Handler, path, token, fileName string, data []byte, fields map[string]string) response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if data != nil {
		fw, err := w.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}
