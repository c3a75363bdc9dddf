package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBuildKeepsOnlyAdministrativeDivisions: placeholder prefectures,
// development zones and the repetition of a prefecture without counties are
// dropped; counties of a placeholder hang under the province.
func TestBuildKeepsOnlyAdministrativeDivisions(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"provinces.csv": "code,name\n11,\"北京市\"\n44,\"广东省\"\n42,\"湖北省\"\n",
		"cities.csv":    "code,name,provinceCode\n1101,\"市辖区\",11\n4401,\"广州市\",44\n4419,\"东莞市\",44\n4290,\"省直辖县级行政区划\",42\n",
		"areas.csv": "code,name,cityCode,provinceCode\n110101,\"东城区\",1101,11\n440115,\"南沙区\",4401,44\n" +
			"440171,\"广州开发区\",4401,44\n441900,\"东莞市\",4419,44\n429004,\"仙桃市\",4290,42\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := build(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{"110000", "北京市", "", "province"},
		{"110101", "东城区", "110000", "county"},
		{"420000", "湖北省", "", "province"},
		{"429004", "仙桃市", "420000", "county"},
		{"440000", "广东省", "", "province"},
		{"440100", "广州市", "440000", "prefecture"},
		{"440115", "南沙区", "440100", "county"},
		{"441900", "东莞市", "440000", "prefecture"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows: %v", rows)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Errorf("row %d: %v, want %v", i, rows[i], want[i])
		}
	}
	if _, err := build(t.TempDir()); err == nil {
		t.Fatal("a folder without the CSV files must fail")
	}
}
