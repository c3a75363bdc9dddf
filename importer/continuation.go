package importer

import (
	"strings"
	"unicode/utf8"

	"qingdan/basis"
)

// sentenceEnd are the characters a paragraph ends with when a page break
// fell between paragraphs rather than inside a sentence.
const sentenceEnd = "。；;！!？?：:）)》」』”"

// joinContinuation appends a continuation fragment to a cell, keeping the
// cell's markup well formed and the text readable:
//   - a fragment that starts with its own <p> is new paragraphs: appended
//     after a space, as the file separates paragraphs;
//   - bare text after a closing </p> whose text stops mid-sentence (Hongsibu
//     "…医疗保障经办机构" + "解除服务协议…", "…价格秩" + "序。") goes inside
//     that last paragraph, so the word or sentence is whole again;
//   - bare text after a paragraph that ended a sentence ("…询问；" +
//     "(三)要求…") is appended after a space and reads as its own paragraph;
//   - plain cells (a name) are concatenated: Chinese needs no space.
//
// The fragment itself is never altered.
func joinContinuation(prev, frag string) (string, joinHow) {
	switch {
	case prev == "":
		return frag, joinPlain
	case strings.HasPrefix(frag, "<"):
		return prev + " " + frag, joinParagraphs
	case strings.HasSuffix(prev, "</p>"):
		body := strings.TrimSuffix(prev, "</p>")
		if midSentence(body) {
			return body + frag + "</p>", joinInline
		}
		return prev + " " + frag, joinParagraphs
	}
	return prev + frag, joinPlain
}

type joinHow int

const (
	joinPlain      joinHow = iota // concatenated
	joinInline                    // into the last paragraph, mid-sentence
	joinParagraphs                // as new paragraph(s)
)

func midSentence(cellBody string) bool {
	ps := basis.Paragraphs(cellBody)
	if len(ps) == 0 {
		return false
	}
	last := ps[len(ps)-1]
	r, _ := utf8.DecodeLastRuneInString(last)
	return !strings.ContainsRune(sentenceEnd, r)
}

// clipEnd and clipStart shorten cell text for a message: its last or first
// n runes as plain text, with an ellipsis.
func clipEnd(s string, n int) string {
	r := []rune(oneLine(s))
	if len(r) <= n {
		return string(r)
	}
	return "…" + string(r[len(r)-n:])
}

func clipStart(s string, n int) string {
	r := []rune(oneLine(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

func oneLine(s string) string { return strings.Join(basis.Paragraphs(s), " ") }
