package api

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"qingdan/codes"
	"qingdan/diff"
	"qingdan/models"
)

var updateTypes = flag.Bool("update-types", false, "rewrite frontend/src/api/server.ts from the Go types")

// tsTypes are the Go types of answers the UI reads, by the name the UI gives
// them. Structs they hold that are not named here are written inline.
var tsTypes = []struct {
	name string
	v    any
}{
	{"Meta", metaJSON{}},
	{"FieldDef", models.FieldDef{}},
	{"Layout", models.Layout{}},
	{"LayoutColumn", models.Column{}},
	{"CodeRule", codes.Rule{}},
	{"CodeType", codes.Type{}},
	{"Agency", agencyJSON{}},
	{"Region", regionJSON{}},
	{"ListSummary", listJSON{}},
	{"ListDetail", listDetailJSON{}},
	{"Citation", models.Citation{}},
	{"ItemFields", models.ItemFields{}},
	{"Item", itemJSON{}},
	{"Segment", diff.Segment{}},
	{"FieldChange", diff.Field{}},
	{"OperationPreview", previewJSON{}},
	{"OperationMark", operationMarkJSON{}},
	{"Operation", operationJSON{}},
	{"ErrorBody", errorBody{}},
}

// TestTSTypes keeps frontend/src/api/server.ts, the TypeScript shapes of
// those answers, generated from the Go types: a field renamed, added or
// retyped in Go fails here until the file is regenerated
// (go test ./api -run TestTSTypes -update-types), and then fails the UI's
// type check wherever the UI reads it wrongly.
func TestTSTypes(t *testing.T) {
	got := generateTS(t)
	path := filepath.Join("..", "frontend", "src", "api", "server.ts") // go test runs in api/
	if *updateTypes {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("%s is stale: run go test ./api -run TestTSTypes -update-types", path)
	}
}

func generateTS(t *testing.T) string {
	names := map[reflect.Type]string{}
	for _, n := range tsTypes {
		names[reflect.TypeOf(n.v)] = n.name
	}
	g := tsGen{names: names}
	var b strings.Builder
	b.WriteString("// Generated from the Go types of the API answers (api/tstypes_test.go):\n")
	b.WriteString("// do not edit; go test ./api -run TestTSTypes -update-types rewrites it.\n")
	for _, n := range tsTypes {
		typ := reflect.TypeOf(n.v)
		fmt.Fprintf(&b, "\n/** Go: %s.%s */\nexport interface %s %s\n", filepath.Base(typ.PkgPath()), typ.Name(), n.name, g.object(typ, ""))
	}
	if g.err != nil {
		t.Fatal(g.err)
	}
	return b.String()
}

type tsGen struct {
	names map[reflect.Type]string
	err   error
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage{})
)

// ts is the TypeScript type of a Go type as encoding/json writes it. A
// pointer may be null; a slice or map is typed as one, as the handlers send
// [] and {} where the UI reads them (the convention of Go-to-TS generators).
func (g *tsGen) ts(t reflect.Type, indent string) string {
	switch {
	case t == timeType:
		return "string"
	case t == rawType:
		return "unknown"
	}
	if n, ok := g.names[t]; ok {
		return n
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.ts(t.Elem(), indent) + " | null"
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		e := g.ts(t.Elem(), indent)
		if strings.Contains(e, " ") {
			e = "(" + e + ")"
		}
		return e + "[]"
	case reflect.Map:
		return "Record<string, " + g.ts(t.Elem(), indent) + ">"
	case reflect.Interface:
		return "unknown"
	case reflect.Struct:
		return g.object(t, indent)
	}
	if g.err == nil {
		g.err = fmt.Errorf("no TypeScript type for %s", t)
	}
	return "unknown"
}

// object writes a struct's JSON fields, embedded structs flattened as
// encoding/json flattens them; omitempty fields are optional.
func (g *tsGen) object(t reflect.Type, indent string) string {
	var b strings.Builder
	b.WriteString("{\n")
	g.fields(&b, t, indent+"  ")
	b.WriteString(indent + "}")
	return b.String()
}

func (g *tsGen) fields(b *strings.Builder, t reflect.Type, indent string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			g.fields(b, f.Type, indent)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := ""
		if strings.Contains(opts, "omitempty") {
			optional = "?"
		}
		fmt.Fprintf(b, "%s%s%s: %s\n", indent, name, optional, g.ts(f.Type, indent))
	}
}
