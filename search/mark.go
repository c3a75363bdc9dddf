package search

import (
	"strings"

	"qingdan/basis"
)

// Mark splits text into segments, marking every occurrence of q (exactly,
// as the search matches); nil when q does not occur.
func Mark(text, q string) []Segment {
	if q == "" || !strings.Contains(text, q) {
		return nil
	}
	var out []Segment
	for {
		i := strings.Index(text, q)
		if i < 0 {
			break
		}
		if i > 0 {
			out = append(out, Segment{Text: text[:i]})
		}
		out = append(out, Segment{Text: q, Hit: true})
		text = text[i+len(q):]
	}
	if text != "" {
		out = append(out, Segment{Text: text})
	}
	return out
}

// Excerpts of long fields: this many characters before the first match and
// after it.
const (
	excerptBefore = 30
	excerptAfter  = 90
)

// Excerpt keeps the text from before characters ahead of the first match to
// after characters from its start (never cutting a match), with … where text
// was left out.
func Excerpt(segs []Segment, before, after int) []Segment {
	first := -1
	for i, s := range segs {
		if s.Hit {
			first = i
			break
		}
	}
	if first < 0 {
		return segs
	}
	var out []Segment
	if first > 0 {
		lead := []rune(segs[first-1].Text)
		if len(lead) > before {
			out = append(out, Segment{Text: "…" + string(lead[len(lead)-before:])})
		} else {
			out = append(out, segs[:first]...)
		}
	}
	budget := after
	for i, s := range segs[first:] {
		r := []rune(s.Text)
		if i > 0 && !s.Hit && len(r) > budget {
			out = append(out, Segment{Text: string(r[:budget]) + "…"})
			break
		}
		out = append(out, s)
		budget -= len(r)
		if budget <= 0 && first+i+1 < len(segs) {
			out = append(out, Segment{Text: "…"})
			break
		}
	}
	return out
}

// PlainText is a stored cell as an excerpt shows it: its text as the reader
// sees it (basis.Text), paragraphs and runs of spaces as one space.
func PlainText(s string) string {
	return strings.Join(strings.Fields(basis.Text(s)), " ")
}
