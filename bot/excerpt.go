package bot

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govbot-dev/govbot/knowledge"
)

// markExcerpt renders an excerpt for Discord: cut to max characters at a
// readable boundary, on one line, markdown escaped, with the highlighted
// spans (matched terms) in bold. Spans that are out of range, overlapping
// or not on character boundaries are ignored, never trusted.
func markExcerpt(excerpt string, spans []knowledge.Span, max int) string {
	plain := truncate(excerpt, max)
	kept := len(excerpt)
	if plain != excerpt {
		kept = len(strings.TrimRightFunc(strings.TrimSuffix(plain, ellipsis), unicode.IsSpace))
	}
	var b strings.Builder
	pos := 0
	for _, sp := range cleanSpans(excerpt[:kept], spans) {
		b.WriteString(escapeMarkdown(flatten(excerpt[pos:sp.Start])))
		b.WriteString("**" + escapeMarkdown(flatten(excerpt[sp.Start:sp.End])) + "**")
		pos = sp.End
	}
	b.WriteString(escapeMarkdown(flatten(excerpt[pos:kept])))
	if kept < len(excerpt) {
		b.WriteString(plain[kept:]) // the ellipsis as truncate placed it
	}
	return b.String()
}

// cleanSpans keeps the spans that lie within s on character boundaries,
// sorted, without overlaps, trimmed of white space, merging spans that
// only white space separates ("**cyber sovereignty**").
func cleanSpans(s string, spans []knowledge.Span) []knowledge.Span {
	var out []knowledge.Span
	sorted := append([]knowledge.Span(nil), spans...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	for _, sp := range sorted {
		if sp.Start < 0 || sp.End > len(s) || sp.Start >= sp.End ||
			!utf8.RuneStart(s[sp.Start]) || (sp.End < len(s) && !utf8.RuneStart(s[sp.End])) {
			continue
		}
		for sp.Start < sp.End && s[sp.Start] == ' ' {
			sp.Start++
		}
		for sp.End > sp.Start && s[sp.End-1] == ' ' {
			sp.End--
		}
		if sp.Start >= sp.End || strings.ContainsAny(s[sp.Start:sp.End], "\n\r") {
			continue
		}
		if n := len(out); n > 0 {
			if sp.Start < out[n-1].End {
				continue
			}
			if strings.TrimSpace(s[out[n-1].End:sp.Start]) == "" {
				out[n-1].End = sp.End
				continue
			}
		}
		out = append(out, sp)
	}
	return out
}

// flatten puts text on one line: line breaks and tabs become spaces.
func flatten(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// markSnippet is markExcerpt for a snippet shorter than the excerpt (a
// /search result): instead of always keeping the excerpt's start, which
// can cut away every matched word, it starts at the sentence (or, in a long
// sentence, a few words before the match) that lets the most highlighted
// spans fit, and marks a cut start with an ellipsis.
func markSnippet(excerpt string, spans []knowledge.Span, max int) string {
	if textLen(excerpt) <= max || len(spans) == 0 {
		return markExcerpt(excerpt, spans, max)
	}
	start := snippetStart(excerpt, cleanSpans(excerpt, spans), max-textLen(ellipsis))
	if start == 0 {
		return markExcerpt(excerpt, spans, max)
	}
	var shifted []knowledge.Span
	for _, sp := range spans {
		if sp.Start >= start {
			shifted = append(shifted, knowledge.Span{Start: sp.Start - start, End: sp.End - start})
		}
	}
	return ellipsis + markExcerpt(excerpt[start:], shifted, max-textLen(ellipsis))
}

// snippetLead is how much text (bytes) is kept before a match when the
// snippet has to start inside a sentence.
const snippetLead = 60

// snippetStart picks the byte offset a snippet of budget characters starts
// at: 0, a sentence start, or a word start shortly before a match, the one
// that shows the most spans once cut to budget as truncate cuts (the
// earliest among equals).
func snippetStart(s string, spans []knowledge.Span, budget int) int {
	cands := []int{0}
	for i := 2; i < len(s); i++ {
		if s[i-1] == ' ' && strings.ContainsRune(".!?\"”", rune(s[i-2])) {
			cands = append(cands, i) // after ". "
		}
	}
	for _, sp := range spans {
		at := max(0, sp.Start-snippetLead)
		for at > 0 && at < sp.Start && s[at-1] != ' ' {
			at++ // forward to a word start, never past the match
		}
		if at > 0 && at <= sp.Start && utf8.RuneStart(s[at]) {
			cands = append(cands, at)
		}
	}
	sort.Ints(cands)
	best, bestN := 0, -1
	for _, c := range cands {
		shown := c + len(strings.TrimSuffix(truncate(s[c:], budget), ellipsis))
		n := 0
		for _, sp := range spans {
			if sp.Start >= c && sp.End <= shown {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best
}
