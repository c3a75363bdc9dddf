package basis

import (
	"fmt"
	"strings"
	"unicode"

	"qingdan/models"
)

// Levels are the canonical levels (效力层级) of legal instruments, highest first.
var Levels = []string{"法律", "行政法规", "地方性法规", "部门规章", "地方政府规章", "规范性文件"}

// levelAliases are the short forms the seeds use. 法规 and 规章 are ambiguous in
// general (地方性法规, 地方政府规章), but both seed lists use them for State
// Council regulations and ministry rules, and the brief fixes that reading.
var levelAliases = map[string]string{"法规": "行政法规", "规章": "部门规章"}

// CanonicalLevel maps a level as written to its canonical form. Whitespace is
// ignored; an unknown level comes back as written (without whitespace) so that
// it still shows up, and conflicts, under its own name.
func CanonicalLevel(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if c, ok := levelAliases[s]; ok {
		return c
	}
	return s
}

// TitleKey is how LevelConflicts decides that two titles name the same
// instrument: whitespace removed and half-width parentheses made full-width.
// A leading 中华人民共和国 is NOT ignored: it would merge titles safely for
// national laws, but a wrong merge is a false legal finding, so titles must
// match exactly otherwise.
func TitleKey(title string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r == '(':
			return '（'
		case r == ')':
			return '）'
		}
		return r
	}, title)
}

// Where says where a citation was found. Callers fill what they know: the
// importer gives line, category, seq, item and field; a change-request
// validator can put its own identifier in Ref.
type Where struct {
	Line     int    `json:"line,omitempty"`
	Category string `json:"category,omitempty"`
	Seq      int    `json:"seq,omitempty"`
	Item     string `json:"item,omitempty"`
	Field    string `json:"field,omitempty"` // e.g. "basis", "responsibility_basis"
	Ref      string `json:"ref,omitempty"`
}

// Use is one citation at one place.
type Use struct {
	Citation models.Citation `json:"citation"`
	Where    Where           `json:"where"`
}

// Uses tags every citation of one basis with the same place.
func Uses(cs []models.Citation, w Where) []Use {
	out := make([]Use, len(cs))
	for i, c := range cs {
		out[i] = Use{Citation: c, Where: w}
	}
	return out
}

// Conflict is one instrument cited under more than one canonical level.
type Conflict struct {
	Title  string   `json:"title"`  // as first written
	Levels []string `json:"levels"` // canonical levels, in the order first seen
	Uses   []Use    `json:"uses"`   // every use of the title, in input order
}

// LevelConflicts finds instruments (same TitleKey) cited under different
// canonical levels, in the order their titles first appear. Citations without
// title or level cannot conflict and are ignored.
func LevelConflicts(uses []Use) []Conflict {
	byKey := map[string]*Conflict{}
	var order []string
	for _, u := range uses {
		if strings.TrimSpace(u.Citation.Title) == "" || strings.TrimSpace(u.Citation.Level) == "" {
			continue
		}
		k := TitleKey(u.Citation.Title)
		c := byKey[k]
		if c == nil {
			c = &Conflict{Title: strings.TrimSpace(u.Citation.Title)}
			byKey[k] = c
			order = append(order, k)
		}
		c.Uses = append(c.Uses, u)
		if lv := CanonicalLevel(u.Citation.Level); !contains(c.Levels, lv) {
			c.Levels = append(c.Levels, lv)
		}
	}
	var out []Conflict
	for _, k := range order {
		if c := byKey[k]; len(c.Levels) > 1 {
			out = append(out, *c)
		}
	}
	return out
}

// Summary says in one line which levels the instrument was cited under, how
// often, and under which spellings, e.g.
// 《社会保险费征缴暂行条例》被引用为不同层级：行政法规（2处）、部门规章（1处，写作“规章”）
func (c Conflict) Summary() string {
	parts := make([]string, 0, len(c.Levels))
	for _, lv := range c.Levels {
		n := 0
		var spellings []string
		for _, u := range c.Uses {
			if CanonicalLevel(u.Citation.Level) != lv {
				continue
			}
			n++
			if s := strings.TrimSpace(u.Citation.Level); s != lv && !contains(spellings, s) {
				spellings = append(spellings, s)
			}
		}
		p := fmt.Sprintf("%s（%d处", lv, n)
		if len(spellings) > 0 {
			p += "，写作“" + strings.Join(spellings, "”“") + "”"
		}
		parts = append(parts, p+"）")
	}
	return "《" + c.Title + "》被引用为不同层级：" + strings.Join(parts, "、")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
