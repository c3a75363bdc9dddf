package basis

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"qingdan/models"
)

// maxLevelRunes bounds what may stand between 【 and 】 for it to count as a
// level; a longer bracket is ordinary text, not the start of a citation.
const maxLevelRunes = 20

// Parse splits a legal basis into citations. Each citation runs from its
// 【level】 to the next one; articles keep paragraph breaks as "\n".
//
// Parse never drops text: text before the first 【…】 becomes a citation
// without level; a citation without 《》 (seen: "【行政法规】 社会救助暂行办法
// (2019 修订)") gets its title from the head of its first line when that looks
// like a title, and otherwise keeps everything as articles.
func Parse(raw string) []models.Citation {
	text := Text(raw)
	starts := citationStarts(text)
	var out []models.Citation
	if len(starts) == 0 || starts[0] > 0 {
		end := len(text)
		if len(starts) > 0 {
			end = starts[0]
		}
		if pre := strings.TrimSpace(text[:end]); pre != "" {
			out = appendNonEmpty(out, parseBody(models.Citation{}, pre, false))
		}
	}
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		seg := text[s:end]
		close := strings.Index(seg, "】")
		c := models.Citation{Level: strings.TrimSpace(seg[len("【"):close])}
		out = appendNonEmpty(out, parseBody(c, seg[close+len("】"):], true))
	}
	return out
}

// appendNonEmpty drops a citation that was nothing but delimiters ("《", "【】").
func appendNonEmpty(cs []models.Citation, c models.Citation) []models.Citation {
	if c == (models.Citation{}) {
		return cs
	}
	return append(cs, c)
}

// citationStarts returns the byte offsets of every 【 that opens a level:
// closed by 】 on the same line, within maxLevelRunes, with no 【 between.
func citationStarts(text string) []int {
	var starts []int
	for off := 0; ; {
		i := strings.Index(text[off:], "【")
		if i < 0 {
			return starts
		}
		i += off
		rest := text[i+len("【"):]
		j := strings.IndexAny(rest, "】【\n")
		if j >= 0 && strings.HasPrefix(rest[j:], "】") && utf8.RuneCountInString(rest[:j]) <= maxLevelRunes {
			starts = append(starts, i)
		}
		off = i + len("【")
	}
}

// parseBody fills title, edition and articles from what follows a level.
// guessTitle allows taking an unmarked title (no 《》) from the first line.
func parseBody(c models.Citation, body string, guessTitle bool) models.Citation {
	rest := strings.TrimLeftFunc(body, unicode.IsSpace)
	switch {
	case strings.HasPrefix(rest, "《"):
		line, tail, _ := strings.Cut(rest, "\n")
		inner, after, ok := balanced(line, "《", "》")
		if !ok { // unclosed 《: the rest of the line is the title
			c.Title = strings.TrimSpace(line[len("《"):])
			c.Articles = strings.TrimSpace(tail)
			return c
		}
		c.Title = strings.TrimSpace(inner)
		// What follows 》, with the lines below it: a part of the text, not
		// a copy (the articles of a county's list are tens of MB).
		rest = rest[len(line)-len(after):]
	case guessTitle:
		line, _, _ := strings.Cut(rest, "\n")
		head := line
		if k := strings.IndexAny(line, "（("); k >= 0 {
			head = line[:k]
		}
		if looksLikeTitle(head) {
			c.Title = strings.TrimSpace(head)
			rest = rest[len(head):]
		}
	}
	if c.Title != "" {
		if ed, after, ok := edition(rest); ok {
			c.Edition = ed
			rest = after
		}
	}
	rest = strings.TrimSpace(rest)
	// Yutian closes some heads with a stray full stop: "（…172号）。"
	rest = strings.TrimSpace(strings.TrimPrefix(rest, "。"))
	c.Articles = rest
	return c
}

// edition reads a parenthesised edition right after a title, on the same
// line, full- or half-width (the seeds mix them), possibly nested.
func edition(s string) (ed, after string, ok bool) {
	t := strings.TrimLeft(s, " \t\u3000")
	line, _, _ := strings.Cut(t, "\n")
	r, size := utf8.DecodeRuneInString(line)
	if r != '（' && r != '(' {
		return "", s, false
	}
	depth := 0
	for i, r := range line {
		switch r {
		case '（', '(':
			depth++
		case '）', ')':
			depth--
			if depth == 0 {
				return strings.TrimSpace(line[size:i]), t[i+utf8.RuneLen(r):], true
			}
		}
	}
	return "", s, false
}

// balanced reads s, which starts with open, up to the matching close,
// counting nested opens.
func balanced(s, open, close string) (inner, after string, ok bool) {
	depth := 0
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], open):
			depth++
			i += len(open)
		case strings.HasPrefix(s[i:], close):
			depth--
			if depth == 0 {
				return s[len(open):i], s[i+len(close):], true
			}
			i += len(close)
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	}
	return "", s, false
}

// looksLikeTitle: a short run of text without sentence punctuation that does
// not start like an article (第…条).
func looksLikeTitle(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > 50 || strings.HasPrefix(s, "第") {
		return false
	}
	return !strings.ContainsAny(s, "，。；：,;:、")
}
