// Package basis reads the legal basis (职权依据 / 实施依据) of a list item:
// cell text with <p> markup holding citations 【level】《title》（edition）articles.
//
// Nothing here renders HTML: markup is only used to find paragraph breaks,
// then dropped.
package basis

import (
	"html"
	"maps"
	"strings"
	"unicode/utf8"

	"qingdan/models"
)

// Tags that end a paragraph. Everything else (<span>, <b>, …) is dropped
// without a break. The Yutian list has an unclosed <ol> before its numbered
// duties, so <ol> must break like <p>.
var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "ol": true, "ul": true, "li": true,
	"table": true, "tr": true, "td": true, "th": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
}

// Paragraphs returns the plain-text paragraphs of a cell: tags stripped,
// entities decoded, blank paragraphs dropped, each trimmed. Plain text
// without markup is one paragraph per line.
func Paragraphs(cell string) []string {
	// Invalid bytes become U+FFFD first, so that cutting the text at a
	// delimiter can never glue stray bytes into a new character.
	if !utf8.ValidString(cell) {
		cell = strings.ToValidUTF8(cell, "\uFFFD")
	}
	var out []string
	var cur strings.Builder
	flush := func() {
		// A line break in the text (typed in a form, not seen in the seeds)
		// also separates paragraphs.
		text := plain(cur.String())
		lines := []string{text}
		if hasLineBreak(text) {
			lines = strings.FieldsFunc(text, isLineBreak)
		}
		for _, line := range lines {
			if p := strings.TrimSpace(line); p != "" {
				out = append(out, p)
			}
		}
		cur.Reset()
	}
	for i := 0; i < len(cell); {
		if name, end, ok := tagAt(cell, i); ok {
			if blockTags[name] {
				flush()
			}
			i = end
			continue
		}
		j := strings.IndexByte(cell[i+1:], '<')
		if j < 0 {
			j = len(cell)
		} else {
			j += i + 1
		}
		cur.WriteString(cell[i:j])
		i = j
	}
	flush()
	return out
}

// Text is the cell as plain text, paragraphs joined by "\n".
func Text(cell string) string { return strings.Join(Paragraphs(cell), "\n") }

// Readable is an item as its reader sees it: the fields that hold paragraphs
// (models.Field.Paragraphs, extra columns included) as Text, the others as
// stored. It is what the API sends and what diffs compare; storage, exports
// and the importer keep the markup.
func Readable(it models.ItemFields) models.ItemFields {
	for _, f := range models.TextFields {
		if f.Paragraphs() {
			*it.Ptr(f) = Text(it.Get(f))
		}
	}
	if it.Extra != nil {
		it.Extra = maps.Clone(it.Extra)
		for h, v := range it.Extra {
			it.Extra[h] = Text(v)
		}
	}
	return it
}

// plain decodes entities and removes any tag the decoding (or a nested
// "<<p>p>") produced, so the result never holds markup.
func plain(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	for {
		t := stripTags(s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if _, end, ok := tagAt(s, i); ok {
			i = end
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// tagAt reports whether s[i:] starts with a tag like <p>, </p>, <ol style="…">
// or <!-- -->, and returns its lower-case name and the index after its '>'.
// A '<' not followed by a letter, '/' or '!' is text (e.g. "5<6").
func tagAt(s string, i int) (name string, end int, ok bool) {
	if i+1 >= len(s) || s[i] != '<' {
		return "", 0, false
	}
	c := s[i+1]
	if !(c == '/' || c == '!' || isASCIILetter(c)) {
		return "", 0, false
	}
	k := strings.IndexAny(s[i+1:], "<>")
	if k < 0 || s[i+1+k] != '>' {
		return "", 0, false
	}
	end = i + 1 + k + 1
	body := strings.TrimPrefix(s[i+1:end-1], "/")
	n := 0
	for n < len(body) && (isASCIILetter(body[n]) || n > 0 && body[n] >= '0' && body[n] <= '9') {
		n++
	}
	return strings.ToLower(body[:n]), end, true
}

func isLineBreak(r rune) bool { return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' }

// hasLineBreak reports whether s holds a rune isLineBreak takes. It is
// strings.ContainsAny(s, "\n\r\u2028\u2029") without that function's
// rune-by-rune loop for sets beyond ASCII, which took a sixth of the CPU
// of reading a county's workbook (BENCHMARKS.md).
func hasLineBreak(s string) bool {
	return strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 ||
		strings.Contains(s, "\u2028") || strings.Contains(s, "\u2029")
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// cellEscaper keeps typed text from being read as markup by Paragraphs.
var cellEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Markup writes text typed with line breaks (or tabs) as the <p> paragraphs
// the lists' cells use, so that it is stored like imported text: a cell stays
// one TSV cell on export, and diffs compare markup with markup. Text on one
// line is returned unchanged.
func Markup(text string) string {
	if strings.IndexByte(text, '\t') < 0 && !hasLineBreak(text) {
		return text
	}
	var b strings.Builder
	for _, line := range strings.FieldsFunc(text, isLineBreak) {
		line = strings.TrimSpace(strings.ReplaceAll(line, "\t", " "))
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("<p>" + cellEscaper.Replace(line) + "</p>")
	}
	return b.String()
}
