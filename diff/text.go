// Package diff compares item states: a character-level text diff fit for
// redline display of Chinese text, a field-by-field comparison of two states
// of an item, and the changes between two versions of a list.
package diff

import (
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op says what a segment of a text diff does.
type Op string

const (
	Equal  Op = "equal"
	Insert Op = "insert"
	Delete Op = "delete"
)

// Segment is a run of characters kept, inserted or deleted.
type Segment struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// dmp is safe to share: it holds only settings. The timeout bounds the
// bisection on long, very different texts; the result is then coarser but
// still reassembles both texts exactly.
var dmp = func() *diffmatchpatch.DiffMatchPatch {
	d := diffmatchpatch.New()
	d.DiffTimeout = 200 * time.Millisecond
	return d
}()

// Text diffs before and after character by character (runes, not lines:
// Chinese has no spaces to split words on) and cleans the result up so a
// reader sees whole changed phrases rather than scattered single characters.
// Joining the equal and delete segments gives before; equal and insert, after.
func Text(before, after string) []Segment {
	switch {
	case before == after && before == "":
		return []Segment{}
	case before == after:
		return []Segment{{Op: Equal, Text: before}}
	case before == "":
		return []Segment{{Op: Insert, Text: after}}
	case after == "":
		return []Segment{{Op: Delete, Text: before}}
	}
	// The library trims the common ends itself, but only after turning both
	// texts into runes; trimming them here first makes a small edit of a long
	// text cost what the edit costs. The ends go back in before the cleanup,
	// which needs them to align edits with phrase boundaries.
	p := commonPrefix(before, after)
	s := commonSuffix(before[p:], after[p:])
	diffs := dmp.DiffMain(before[p:len(before)-s], after[p:len(after)-s], false)
	if p > 0 {
		diffs = append([]diffmatchpatch.Diff{{Type: diffmatchpatch.DiffEqual, Text: before[:p]}}, diffs...)
	}
	if s > 0 {
		diffs = append(diffs, diffmatchpatch.Diff{Type: diffmatchpatch.DiffEqual, Text: before[len(before)-s:]})
	}
	diffs = dmp.DiffCleanupSemantic(diffs)
	out := make([]Segment, 0, len(diffs))
	for _, d := range diffs {
		if d.Text == "" {
			continue
		}
		out = append(out, Segment{Op: ops[d.Type], Text: d.Text})
	}
	return out
}

var ops = map[diffmatchpatch.Operation]Op{
	diffmatchpatch.DiffEqual:  Equal,
	diffmatchpatch.DiffInsert: Insert,
	diffmatchpatch.DiffDelete: Delete,
}

// commonPrefix is the length in bytes of the longest common prefix of a and
// b made of whole characters: the equal bytes, backed up to where a
// character begins in both.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && (n < len(a) && !utf8.RuneStart(a[n]) || n < len(b) && !utf8.RuneStart(b[n])) {
		n--
	}
	return n
}

// commonSuffix is the length in bytes of the longest common suffix of a and
// b made of whole characters.
func commonSuffix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	for n > 0 && (!utf8.RuneStart(a[len(a)-n]) || !utf8.RuneStart(b[len(b)-n])) {
		n--
	}
	return n
}

// Before and After reassemble the two texts a diff was made of.
func Before(segs []Segment) string { return join(segs, Delete) }
func After(segs []Segment) string  { return join(segs, Insert) }

func join(segs []Segment, side Op) string {
	n := 0
	for _, s := range segs {
		n += len(s.Text)
	}
	b := make([]byte, 0, n)
	for _, s := range segs {
		if s.Op == Equal || s.Op == side {
			b = append(b, s.Text...)
		}
	}
	return string(b)
}

// invert turns a diff of a→b into the diff of b→a.
func invert(segs []Segment) []Segment {
	out := make([]Segment, len(segs))
	for i, s := range segs {
		switch s.Op {
		case Insert:
			s.Op = Delete
		case Delete:
			s.Op = Insert
		}
		out[i] = s
	}
	return out
}
