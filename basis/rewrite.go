package basis

import (
	"strconv"
	"strings"
	"time"
)

// Rewrite is how a law change rewrites the citations of one instrument.
type Rewrite struct {
	Matches  func(title string) bool // whether a 《title》 names the changed instrument
	NewTitle string                  // "" keeps the title as written
	// EditionDate and EditionKind write the new edition: 2026年修正 (or
	// 2026年5月1日修正 where the old edition gave month and day). An empty
	// EditionDate drops the old edition.
	EditionDate string
	EditionKind string
}

// Apply rewrites every 《title》 of the instrument in a basis and the edition
// in brackets right after it; the articles stay as they are. The result is
// plain text, one paragraph a line. changed is false when nothing matched.
func (rw Rewrite) Apply(raw string) (out string, changed bool) {
	lines := Paragraphs(raw)
	for i, line := range lines {
		lines[i], changed = rw.line(line, changed)
	}
	return strings.Join(lines, "\n"), changed
}

func (rw Rewrite) line(line string, changed bool) (string, bool) {
	var b strings.Builder
	for {
		i := strings.Index(line, "《")
		if i < 0 {
			b.WriteString(line)
			return b.String(), changed
		}
		inner, after, ok := balanced(line[i:], "《", "》")
		if !ok || !rw.Matches(inner) {
			b.WriteString(line[:i+len("《")])
			line = line[i+len("《"):]
			continue
		}
		changed = true
		title := inner
		if rw.NewTitle != "" {
			title = rw.NewTitle
		}
		b.WriteString(line[:i] + "《" + title + "》")
		old, rest, hasEdition := edition(after)
		if !hasEdition {
			rest = after
		}
		if ed := rw.Label(old); ed != "" {
			b.WriteString("（" + ed + "）")
		}
		line = rest
	}
}

// Label is the new edition, in the form of the old one ("" for a year only).
func (rw Rewrite) Label(old string) string {
	d, err := time.Parse(time.DateOnly, rw.EditionDate)
	if err != nil {
		return ""
	}
	if ce, ok := ParseEdition(old); ok && ce.Month > 0 {
		return strconv.Itoa(d.Year()) + "年" + strconv.Itoa(int(d.Month())) + "月" + strconv.Itoa(d.Day()) + "日" + rw.EditionKind
	}
	return strconv.Itoa(d.Year()) + "年" + rw.EditionKind
}
