package basis

import (
	"fmt"
	"strings"

	"qingdan/models"
)

// Finding kinds of the basis check (依据体检).
const (
	FindingLevelMismatch     = "level_mismatch"
	FindingWrongTitle        = "wrong_title"
	FindingRepealed          = "repealed"
	FindingSuperseded        = "superseded"
	FindingOutdatedEdition   = "outdated_edition"
	FindingAmendingAct       = "amending_act"
	FindingNotInForce        = "not_in_force"
	FindingUnknownInstrument = "unknown_instrument"
	FindingLevelConflict     = "level_conflict"
)

// FindingKinds are every kind, in the order a report lists them, with their labels.
var FindingKinds = []string{FindingRepealed, FindingSuperseded, FindingNotInForce, FindingAmendingAct,
	FindingOutdatedEdition, FindingLevelMismatch, FindingLevelConflict, FindingWrongTitle, FindingUnknownInstrument}

// FindingLabels name the kinds in Chinese.
var FindingLabels = map[string]string{
	FindingLevelMismatch:     "层级不符",
	FindingWrongTitle:        "名称不规范",
	FindingRepealed:          "已废止",
	FindingSuperseded:        "已被替代",
	FindingOutdatedEdition:   "版本过时",
	FindingAmendingAct:       "引用修改决定",
	FindingNotInForce:        "尚未生效",
	FindingUnknownInstrument: "法规库未收录",
	FindingLevelConflict:     "同一法规层级不一",
}

// CitedRef is a citation as written.
type CitedRef struct {
	Level   string `json:"level"`
	Title   string `json:"title"`
	Edition string `json:"edition"`
}

// InstrumentRef names the registry instrument a finding is about.
type InstrumentRef struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	Level  string `json:"level"`
	Status string `json:"status"`
}

// Finding is one problem of one citation (or, for level_conflict, of one
// instrument across a list) that the registry can prove.
type Finding struct {
	ItemID      int64          `json:"item_id,omitempty"`
	ItemName    string         `json:"item_name,omitempty"`
	OperationID int64          `json:"operation_id,omitempty"`
	Field       string         `json:"field"`
	Kind        string         `json:"kind"`
	Citation    CitedRef       `json:"citation"`
	Instrument  *InstrumentRef `json:"instrument"`
	Message     string         `json:"message"`
}

// Cited is one citation to check and where it stands.
type Cited struct {
	Citation    models.Citation
	ItemID      int64
	ItemName    string
	OperationID int64
	Field       string // models.LinkField*
}

// CitationsOf are the citations of an item's basis and responsibility basis.
func CitationsOf(f models.ItemFields, itemID int64) []Cited {
	var out []Cited
	for _, c := range f.Citations {
		out = append(out, Cited{Citation: c, ItemID: itemID, ItemName: f.Name, Field: models.LinkFieldBasis})
	}
	if f.ResponsibilityBasis != "" {
		for _, c := range Parse(f.ResponsibilityBasis) {
			out = append(out, Cited{Citation: c, ItemID: itemID, ItemName: f.Name, Field: models.LinkFieldResponsibilityBasis})
		}
	}
	return out
}

// Check finds what the registry proves wrong in the citations: per citation
// its level, title, status, edition and force on date (YYYY-MM-DD, the day
// the version speaks for; "" skips the in-force date), and across them
// instruments cited under different levels. The same problem of the same
// citation in one place is reported once.
func (r *Registry) Check(cs []Cited, date string) []Finding {
	var out []Finding
	seen := map[string]bool{}
	add := func(f Finding) {
		k := fmt.Sprintf("%d|%d|%s|%s|%s|%s", f.ItemID, f.OperationID, f.Field, f.Kind, NormTitle(f.Citation.Title), f.Citation.Level)
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	var uses []Use
	resolved := map[string]int64{} // TitleKey of a use → instrument, for level conflicts
	for i, c := range cs {
		if strings.TrimSpace(c.Citation.Title) == "" {
			continue // articles continuing the previous citation
		}
		res := r.Resolve(c.Citation)
		for _, f := range r.citationFindings(c.Citation, res, date) {
			f.ItemID, f.ItemName, f.OperationID, f.Field = c.ItemID, c.ItemName, c.OperationID, c.Field
			add(f)
		}
		cit := c.Citation
		if res.Instrument != nil {
			// Group by the instrument, whatever title it was cited by.
			cit.Title = res.Instrument.Title
			resolved[TitleKey(cit.Title)] = res.Instrument.ID
		}
		uses = append(uses, Use{Citation: cit, Where: Where{Seq: i}}) // Seq: the index in cs
	}
	for _, conflict := range LevelConflicts(uses) {
		// Reported at the first use from an operation (the new text under
		// review), else at the first use under a level other than the first seen.
		first := conflict.Uses[0]
		for _, u := range conflict.Uses {
			if CanonicalLevel(u.Citation.Level) != conflict.Levels[0] {
				first = u
				break
			}
		}
		for _, u := range conflict.Uses {
			if cs[u.Where.Seq].OperationID != 0 {
				first = u
				break
			}
		}
		c := cs[first.Where.Seq]
		f := Finding{ItemID: c.ItemID, ItemName: c.ItemName, OperationID: c.OperationID, Field: c.Field, Kind: FindingLevelConflict,
			Citation: CitedRef{Level: c.Citation.Level, Title: c.Citation.Title, Edition: c.Citation.Edition},
			Message:  conflict.Summary()}
		if id, ok := resolved[TitleKey(conflict.Title)]; ok {
			f.Instrument = r.ref(id)
		}
		add(f)
	}
	return out
}

func (r *Registry) ref(id int64) *InstrumentRef {
	in := r.byID[id]
	if in == nil {
		return nil
	}
	return &InstrumentRef{ID: in.ID, Title: in.Title, Level: in.Level, Status: in.Status}
}

// levelFits: the cited level is the instrument's, or a short form covering
// it (法规 for 行政法规 and 地方性法规, 规章 for 部门规章 and 地方政府规章). An
// instrument the registry files under 其他 has no level to hold against a list.
func levelFits(cited, actual string) bool {
	if actual == "其他" {
		return true
	}
	c := strings.Join(strings.Fields(cited), "")
	switch c {
	case "法规":
		return actual == "行政法规" || actual == "地方性法规"
	case "规章":
		return actual == "部门规章" || actual == "地方政府规章"
	}
	return CanonicalLevel(c) == actual
}

// citationFindings are the findings of one citation on its own.
func (r *Registry) citationFindings(c models.Citation, res Resolution, date string) []Finding {
	cited := CitedRef{Level: c.Level, Title: c.Title, Edition: c.Edition}
	if res.Instrument == nil {
		return []Finding{{Kind: FindingUnknownInstrument, Citation: cited,
			Message: fmt.Sprintf("法规库中没有《%s》，无法核对其层级、版本和效力；请核实名称，或由法规库管理人员补录", c.Title)}}
	}
	in := res.Instrument
	ref := r.ref(in.ID)
	var out []Finding
	f := func(kind, format string, args ...any) {
		out = append(out, Finding{Kind: kind, Citation: cited, Instrument: ref, Message: fmt.Sprintf(format, args...)})
	}
	if c.Level != "" && !levelFits(c.Level, in.Level) {
		f(FindingLevelMismatch, "《%s》是%s，被引用为“%s”", in.Title, in.Level, c.Level)
	}
	if res.By != ByTitle {
		how := "别名"
		if res.By == ByDocNumber {
			how = "文号 " + in.DocNumber + " 对应的法规"
		}
		f(FindingWrongTitle, "引用名称《%s》不是正式名称（按%s识别），应为《%s》", c.Title, how, in.Title)
	}
	switch in.Status {
	case models.StatusRepealed:
		f(FindingRepealed, "《%s》已废止", in.Title)
	case models.StatusSuperseded:
		f(FindingSuperseded, "《%s》已被替代，应改为引用%s", in.Title, r.replacement(in))
	case models.StatusAmendingAct:
		f(FindingAmendingAct, "《%s》是修改决定，应引用它所修改的法规本身（修改后的版本）", in.Title)
	case models.StatusDraft:
		f(FindingNotInForce, "《%s》尚是草案，未生效", in.Title)
	}
	if in.Status != models.StatusDraft && date != "" && in.Effective != "" && in.Effective > date {
		f(FindingNotInForce, "《%s》自 %s 起施行，晚于本版本的日期 %s", in.Title, in.Effective, date)
	}
	if res.Edition != nil {
		if cur, ok := r.Current(in.ID); ok && res.Edition.Date < cur.Date {
			f(FindingOutdatedEdition, "引用的是《%s》%s（%s）的文本，现行文本为 %s %s", in.Title, res.Edition.Label(), res.Edition.Date, cur.Date, cur.Kind)
		}
	}
	return out
}

// replacement names the instrument that replaced in.
func (r *Registry) replacement(in *models.Instrument) string {
	if in.ReplacedByID != nil {
		if rep, ok := r.byID[*in.ReplacedByID]; ok {
			return "《" + rep.Title + "》"
		}
	}
	if in.ReplacedBy != "" {
		title, number := SplitTitleNumber(in.ReplacedBy)
		if number != "" {
			return "《" + title + "》（" + number + "）"
		}
		return "《" + title + "》"
	}
	return "替代它的文件"
}

// Summary counts findings by kind.
func Summary(fs []Finding) map[string]int {
	out := map[string]int{}
	for _, f := range fs {
		out[f.Kind]++
	}
	return out
}

// SplitTitleNumber splits "title（文号）", as registry files name a
// replacement, into the title and the number.
func SplitTitleNumber(s string) (title, number string) {
	s = strings.TrimSpace(s)
	for _, open := range []string{"（", "("} {
		if i := strings.LastIndex(s, open); i > 0 {
			inner := strings.TrimRight(s[i+len(open):], "）)")
			if strings.HasSuffix(inner, "号") && (strings.HasSuffix(s, "）") || strings.HasSuffix(s, ")")) {
				return strings.TrimSpace(s[:i]), inner
			}
		}
	}
	return s, ""
}
