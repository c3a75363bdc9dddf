package api_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"qingdan/dbtest"
	"qingdan/models"
)

var updateMeta = flag.Bool("update-meta", false, "rewrite frontend/src/meta.json from GET /api/v1/meta")

// TestMeta: the UI's fields, layouts and labels come from the server. The
// component tests read the same answer from frontend/src/meta.json, which must
// stay what the server serves (go test ./api -run TestMeta -update-meta).
func TestMeta(t *testing.T) {
	res := call(t, newRouter(dbtest.Open(t, "sqlite")), http.MethodGet, "/api/v1/meta", nil, "")
	if res.Status != http.StatusOK {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	var got struct {
		Fields     []models.FieldDef
		Layouts    map[string]*models.Layout
		Operations map[string]string
	}
	res.JSON(t, &got)
	if len(got.Fields) != len(models.TextFields)+1 || got.Fields[1].Label != "基本编码" || !got.Fields[6].Paragraphs {
		t.Errorf("fields: %+v", got.Fields)
	}
	if got.Layouts["duty"].Has(models.FieldCode) || !got.Layouts["power"].Has(models.FieldCategory) {
		t.Errorf("layouts: %+v", got.Layouts)
	}
	if got.Operations["recategorize"] != "改为" {
		t.Errorf("operations: %v", got.Operations)
	}

	golden := filepath.Join(repoRoot(t), "frontend", "src", "meta.json")
	if *updateMeta {
		var v any
		res.JSON(t, &v)
		data, _ := json.MarshalIndent(v, "", "  ")
		if err := os.WriteFile(golden, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var want, served any
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	res.JSON(t, &served)
	if !reflect.DeepEqual(served, want) {
		t.Errorf("%s differs from GET /api/v1/meta: run go test ./api -run TestMeta -update-meta", golden)
	}
}
