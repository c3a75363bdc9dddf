package api

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"qingdan/auth"
	"qingdan/basis"
	"qingdan/codes"
	"qingdan/diff"
	"qingdan/importer"
	"qingdan/models"
	"qingdan/search"
	"qingdan/stats"
	"qingdan/workflow"
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
	{"ListPage", listPageJSON{}},
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
	{"Login", loginJSON{}},
	{"Person", personJSON{}},
	{"ListRef", listRefJSON{}},
	{"Clock", clockJSON{}},
	{"ChangeRequest", changeRequestJSON{}},
	{"ChangeRequestPage", changeRequestPageJSON{}},
	{"Publishable", publishableJSON{}},
	{"Supervision", supervisionJSON{}},
	{"ChangeRequestCounts", requestCountsJSON{}},
	{"RequestEvent", eventJSON{}},
	{"ItemRef", workflow.ItemRef{}},
	{"Limits", workflow.Limits{}},
	{"RegionLimits", regionLimitsJSON{}},
	{"ProcessSetting", workflow.Process{}},
	{"RegionProcess", processJSON{}},
	{"Countersign", countersignJSON{}},
	{"MissingMaterial", workflow.Problem{}},
	{"SinceReturn", sinceReturnJSON{}},
	{"DeletedOperation", deletedOperationJSON{}},
	{"Trigger", models.Trigger{}},
	{"FindingKind", findingKindJSON{}},
	{"InstrumentRef", basis.InstrumentRef{}},
	{"CitedRef", basis.CitedRef{}},
	{"Finding", basis.Finding{}},
	{"BasisCheck", basisCheckJSON{}},
	{"BasisReportList", basisReportListJSON{}},
	{"BasisReport", basisReportJSON{}},
	{"ChangeRequestDetail", changeRequestDetailJSON{}},
	{"Candidate", candidateJSON{}},
	{"Candidates", candidatesJSON{}},
	{"ItemsPage", itemsPageJSON{}},
	{"ChangeRequestRef", versionCRJSON{}},
	{"VersionCounts", countsJSON{}},
	{"Version", versionJSON{}},
	{"BatchPublished", batchPublishedJSON{}},
	{"Versions", versionsJSON{}},
	{"Change", changeJSON{}},
	{"Diff", diffJSON{}},
	{"HistoryChangeRequest", historyCRJSON{}},
	{"Actor", actorJSON{}},
	{"Opinion", opinionJSON{}},
	{"HistoryPerson", personActsJSON{}},
	{"Lineage", lineageJSON{}},
	{"HistoryEntry", historyEntryJSON{}},
	{"ItemHistory", itemHistoryJSON{}},
	{"User", userJSON{}},
	{"AdminUser", adminUserJSON{}},
	{"UserPage", userPageJSON{}},
	{"AgencyRow", agencyRowJSON{}},
	{"AgencyPage", agencyPageJSON{}},
	{"OnboardAgency", onboardAgencyJSON{}},
	{"OnboardPerson", onboardPersonJSON{}},
	{"OnboardPreview", onboardPreviewJSON{}},
	{"OnboardCredential", auth.OnboardCredential{}},
	{"Onboarded", onboardedJSON{}},
	{"RegionRow", regionRowJSON{}},
	{"RegionPage", regionPageJSON{}},
	{"RegionWithParents", regionWithParentsJSON{}},
	{"Notification", notificationJSON{}},
	{"NotificationPage", notificationPageJSON{}},
	{"UnreadCount", unreadJSON{}},
	{"NotificationSettings", notificationSettingsJSON{}},
	{"CalendarDay", calendarDayJSON{}},
	{"Workday", workdayJSON{}},
	{"CalendarDays", calendarDaysJSON{}},
	{"InstrumentEdition", basis.Edition{}},
	{"Instrument", instrumentJSON{}},
	{"InstrumentPage", instrumentPageJSON{}},
	{"InstrumentChange", changeJSONOut{}},
	{"InstrumentDetail", instrumentDetailJSON{}},
	{"InstrumentSaved", instrumentSavedJSON{}},
	{"InstrumentImport", workflow.ImportResult{}},
	{"Draft", draftJSON{}},
	{"Drafts", draftsJSON{}},
	{"ChangeView", changeViewJSON{}},
	{"ImpactCitation", impactCitationJSON{}},
	{"ImpactItem", impactItemJSON{}},
	{"ImpactList", impactListJSON{}},
	{"Impact", impactJSON{}},
	{"SourceColumn", importer.SourceColumn{}},
	{"ImportAnomaly", importer.Anomaly{}},
	{"ImportPreview", importer.Preview{}},
	{"Imported", importedJSON{}},
	{"Attachment", attachmentJSON{}},
	{"AttachmentKind", attachmentKindJSON{}},
	{"AttachmentsPage", attachmentsPageJSON{}},
	{"CalendarYear", calendarYearJSON{}},
	{"SearchSegment", search.Segment{}},
	{"SearchFieldMatch", search.FieldMatch{}},
	{"SearchItem", search.Item{}},
	{"SearchGroup", search.Group{}},
	{"FacetCount", search.Count{}},
	{"SearchResult", search.Result{}},
	{"StatsTable", stats.Table{}},
	{"StatsRegion", models.Region{}},
	{"StatsAnswer", stats.Answer{}},
}

// tsUnions are the string values a field may take, from the Go constants
// (label tables are keyed by them); a Go field tagged ts:"Name" is typed
// with the union, and the UI may index labels by it.
var tsUnions = []tsUnion{
	{"State", "workflow.States", workflow.States},
	{"OpType", "models.Ops", models.Ops},
	{"ListKind", "models.KindLabels", slices.Sorted(maps.Keys(models.KindLabels))},
	{"Role", "models.RoleLabels", slices.Sorted(maps.Keys(models.RoleLabels))},
	{"AgencyKind", "models.AgencyKindLabels", slices.Sorted(maps.Keys(models.AgencyKindLabels))},
	{"ChangeKind", "models.ItemChangeLabels", slices.Sorted(maps.Keys(models.ItemChangeLabels))},
	{"Review", "workflow reviews", slices.Sorted(maps.Keys(workflow.Labels()["reviews"]))},
	{"Track", "workflow tracks", slices.Sorted(maps.Keys(workflow.Labels()["tracks"]))},
	{"Mark", "workflow marks", slices.Sorted(maps.Keys(workflow.Labels()["marks"]))},
	{"MaterialField", "workflow materials", materialFields()},
	{"RegionLevel", "models.RegionLevels", slices.Sorted(maps.Keys(models.RegionLevels))},
	{"ChartKind", "stats.ChartKinds", stats.ChartKinds},
	{"CalendarDayKind", "calendarKindNames", slices.Sorted(maps.Keys(calendarKindNames))},
}

type tsUnion struct {
	name   string
	from   string // the Go that defines the values
	values []string
}

func materialFields() []string {
	seen := map[string]bool{}
	for _, t := range workflow.OpTypes() {
		for _, m := range t.Materials {
			seen[m.Field] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
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
	for _, u := range tsUnions {
		quoted := make([]string, len(u.values))
		for i, v := range u.values {
			quoted[i] = "'" + v + "'"
		}
		fmt.Fprintf(&b, "\n/** Go: %s */\nexport const %s = [%s] as const\nexport type %s = (typeof %s)[number]\n",
			u.from, u.name, strings.Join(quoted, ", "), u.name, u.name)
	}
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
	g.fail(fmt.Errorf("no TypeScript type for %s", t))
	return "unknown"
}

// union types a string field tagged ts:"Name" (or the strings of a slice,
// pointer or map key) with the union Name.
func (g *tsGen) union(t reflect.Type, name string) string {
	if !slices.ContainsFunc(tsUnions, func(u tsUnion) bool { return u.name == name }) {
		g.fail(fmt.Errorf("ts tag names %s, which is no union", name))
	}
	switch t.Kind() {
	case reflect.String:
		return name
	case reflect.Pointer:
		return g.union(t.Elem(), name) + " | null"
	case reflect.Slice:
		return name + "[]"
	case reflect.Map:
		return "Partial<Record<" + name + ", " + g.ts(t.Elem(), "") + ">>"
	}
	g.fail(fmt.Errorf("ts tag %s on %s", name, t))
	return "unknown"
}

func (g *tsGen) fail(err error) {
	if g.err == nil {
		g.err = err
	}
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
		typ := g.ts(f.Type, indent)
		if union := f.Tag.Get("ts"); union != "" {
			typ = g.union(f.Type, union)
		}
		fmt.Fprintf(b, "%s%s%s: %s\n", indent, name, optional, typ)
	}
}
