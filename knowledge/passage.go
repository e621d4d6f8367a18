package knowledge

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Passage sizing, in runes. Changing how passages are split changes what is
// indexed: bump mappingVersion (mapping.go) so existing indexes rebuild.
const (
	// shortParagraphRunes: paragraphs shorter than this (headings, bylines,
	// credits) never stand alone; they join the paragraph that follows.
	shortParagraphRunes = 80
	// headingRunes: at the top of a document, before its first passage, a
	// paragraph shorter than this that does not end like a sentence (a
	// headline, "December 22, 2015 | by Jessica Ludwig") is short too.
	// Further down, such lines are more often list items (a list of
	// sources), which stay passages of their own.
	headingRunes = 160
	// listPassageRunes: a run of short lines at least this long (a list of
	// sources, say) becomes a passage of its own.
	listPassageRunes = 300
	// maxPassageRunes: longer paragraphs are split at sentence boundaries.
	maxPassageRunes = 1400
	// targetPassageRunes: the size aimed for when splitting a long paragraph.
	targetPassageRunes = 900
)

// splitPassages splits a document body into passages: paragraph-aware,
// contiguous slices of body with stable ids (docID#1, docID#2, ...) and
// byte offsets. Short lines are folded into the following paragraph (or the
// previous one at the end of a document); very long paragraphs are split
// at sentence boundaries. It returns nil for a body with no text.
func splitPassages(docID, body string) []Passage {
	paras := paragraphSpans(body)
	var spans [][2]int
	pending := -1 // start of short paragraphs waiting for a long one
	pendingRunes := 0
	pendingEnd := 0
	paras = joinIntroductions(body, paras)
	for _, p := range paras {
		n := utf8.RuneCountInString(body[p[0]:p[1]])
		if n < shortParagraphRunes || (len(spans) == 0 && n < headingRunes && !endsLikeSentence(body[p[0]:p[1]])) {
			if pending < 0 {
				pending = p[0]
				pendingRunes = 0
			}
			pendingRunes += n
			pendingEnd = p[1]
			continue
		}
		start := p[0]
		if pending >= 0 {
			if pendingRunes >= listPassageRunes {
				spans = append(spans, [2]int{pending, pendingEnd})
			} else {
				start = pending
			}
			pending = -1
		}
		spans = append(spans, splitLong(body, start, p[1])...)
	}
	if pending >= 0 {
		if pendingRunes < listPassageRunes && len(spans) > 0 {
			spans[len(spans)-1][1] = pendingEnd
		} else {
			spans = append(spans, [2]int{pending, pendingEnd})
		}
	}
	out := make([]Passage, 0, len(spans))
	for i, s := range spans {
		out = append(out, Passage{
			ID:      passageID(docID, i+1),
			DocID:   docID,
			Ordinal: i + 1,
			Start:   s[0],
			End:     s[1],
			Text:    body[s[0]:s[1]],
		})
	}
	return out
}

// endsLikeSentence reports whether text ends with a full stop, question
// or exclamation mark, a colon, or one of those before closing quotes or
// brackets.
func endsLikeSentence(text string) bool {
	text = strings.TrimRight(strings.TrimSpace(text), "\"'”’)]】」』")
	r, _ := utf8.DecodeLastRuneInString(text)
	return strings.ContainsRune(".!?:;…。！？：；", r)
}

func passageID(docID string, ordinal int) string {
	return docID + "#" + strconv.Itoa(ordinal)
}

// paragraphSpans finds paragraphs: blocks separated by blank lines, where a
// block of long lines (one paragraph per line, as in many exported
// articles) is split at every line break, and a block of short lines
// (hard-wrapped text) stays whole.
func paragraphSpans(body string) [][2]int {
	var out [][2]int
	var block [][2]int // non-blank lines of the current block
	flush := func() {
		if len(block) == 0 {
			return
		}
		long := 0
		for _, l := range block {
			if utf8.RuneCountInString(body[l[0]:l[1]]) > 120 {
				long++
			}
		}
		if len(block) > 1 && long == 0 && wrapped(body, block) {
			out = append(out, [2]int{block[0][0], block[len(block)-1][1]})
		} else {
			out = append(out, block...)
		}
		block = block[:0]
	}
	for start := 0; start < len(body); {
		end := strings.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += start
		}
		s, e := trimSpan(body, start, end)
		if s == e {
			flush()
		} else {
			block = append(block, [2]int{s, e})
		}
		start = end + 1
	}
	flush()
	return out
}

// wrapped reports whether a block of short lines reads as one hard-wrapped
// paragraph rather than a list: most lines run on into the next one.
func wrapped(body string, lines [][2]int) bool {
	runOn := 0
	for _, l := range lines[:len(lines)-1] {
		last, _ := utf8.DecodeLastRuneInString(body[l[0]:l[1]])
		if !strings.ContainsRune(".!?:;。”\"", last) {
			runOn++
		}
	}
	return runOn*2 >= len(lines)-1 && utf8.RuneCountInString(body[lines[0][0]:lines[0][1]]) > 40
}

// joinIntroductions merges a paragraph that ends with a colon (it
// introduces a quotation or a list) with the paragraph that follows, so
// the two are cited together, unless that would make a very long passage.
func joinIntroductions(body string, paras [][2]int) [][2]int {
	out := make([][2]int, 0, len(paras))
	for i := 0; i < len(paras); i++ {
		p := paras[i]
		for i+1 < len(paras) && strings.HasSuffix(body[p[0]:p[1]], ":") &&
			utf8.RuneCountInString(body[p[0]:paras[i+1][1]]) <= maxPassageRunes {
			i++
			p[1] = paras[i][1]
		}
		out = append(out, p)
	}
	return out
}

// splitLong cuts [start, end) into pieces of about targetPassageRunes at
// sentence boundaries when it exceeds maxPassageRunes.
func splitLong(body string, start, end int) [][2]int {
	text := body[start:end]
	if utf8.RuneCountInString(text) <= maxPassageRunes {
		return [][2]int{{start, end}}
	}
	var out [][2]int
	cur, curRunes := -1, 0
	for _, s := range sentenceSpans(text) {
		n := utf8.RuneCountInString(text[s[0]:s[1]])
		if cur >= 0 && curRunes+n > targetPassageRunes {
			out = append(out, [2]int{start + cur, start + s[0]})
			cur = -1
		}
		if cur < 0 {
			cur, curRunes = s[0], 0
		}
		curRunes += n
	}
	if cur >= 0 {
		out = append(out, [2]int{start + cur, end})
	}
	for i := range out {
		out[i][0], out[i][1] = trimSpan(body, out[i][0], out[i][1])
	}
	return out
}
