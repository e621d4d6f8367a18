package knowledge

import (
	"regexp"
	"strings"
)

// Answer cues: what kind of answer a question wants, and the patterns of
// a sentence that gives that kind of answer near the question's topic.
// They re-order passages that answer about equally well; they never make
// a passage answer.

type answerKind int

const (
	kindOther answerKind = iota
	kindDefinition
	kindTime
	kindPerson
	kindPlace
	kindNumber
)

var (
	definitionQ = regexp.MustCompile(`(?i)^\s*(what\s+(is|are|was|were)\b|what's\b|what\s+does\b.*\bmean\b|define\b|meaning\s+of\b|explain\b)|是什么|什么意思|什么是`)
	timeQ       = regexp.MustCompile(`(?i)^\s*(when\b|what\s+(time|date|year|day|month)\b|which\s+(year|day|month|date)\b)`)
	personQ     = regexp.MustCompile(`(?i)^\s*(who|whom|whose)\b|谁`)
	placeQ      = regexp.MustCompile(`(?i)^\s*where\b|哪里`)
	numberQ     = regexp.MustCompile(`(?i)^\s*how\s+(many|much|long|old|far|often)\b|多少`)

	definitionCue = regexp.MustCompile(`(?i)\b(refers?\s+to|is\s+(a|an|the)\b|are\s+(a|an|the)\b|means\b|stands\s+for|is\s+code\s+for|is\s+defined|i\.e\.|known\s+as|the\s+idea\s+that|the\s+notion|the\s+concept\s+of|is\s+to\b|core\s+idea|in\s+short|in\s+contrast)`)
	timeCue       = regexp.MustCompile(`(?i)\b(1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{1,2}\s*[ap]\.?m\.?|yesterday|last\s+(week|year|month)|this\s+(week|year|month)|ago)\b`)
	personCue     = regexp.MustCompile(`\b(?:[A-Z][a-z]+\s+){1,2}[A-Z][a-z]+\b|(?i:\bby\s+[A-Z])|[\p{Han}]{2,4}（|\((?:[\p{Han}]{2,4})\)`)
	placeCue      = regexp.MustCompile(`(?i)\b(in|at|outside\s+of|near|province|city|town|capital|headquarters)\b\s*\[?[A-Z]?`)
	numberCue     = regexp.MustCompile(`(?i)\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|million|billion|dozen|several|few)\b`)
)

// cueBonus is added to a passage's score when its text has an answer cue
// of the wanted kind in a sentence that mentions the question's topic.
const cueBonus = 0.08

func classify(question string) answerKind {
	switch {
	case timeQ.MatchString(question):
		return kindTime
	case personQ.MatchString(question):
		return kindPerson
	case placeQ.MatchString(question):
		return kindPlace
	case numberQ.MatchString(question):
		return kindNumber
	case definitionQ.MatchString(question):
		return kindDefinition
	}
	return kindOther
}

// hasCue reports whether a sentence of text that holds an occurrence of a
// concept also has the cue pattern for kind. For definitions the cue must
// follow the topic closely ("Internet sovereignty refers to ...").
func hasCue(kind answerKind, text string, occ []occurrence) bool {
	var cue *regexp.Regexp
	switch kind {
	case kindDefinition:
		for _, o := range occ {
			after := text[o.end:min(len(text), o.end+40)]
			if loc := definitionCue.FindStringIndex(after); loc != nil && !strings.ContainsAny(after[:loc[0]], ".?!") {
				return true
			}
		}
		return false
	case kindTime:
		cue = timeCue
	case kindPerson:
		cue = personCue
	case kindPlace:
		cue = placeCue
	case kindNumber:
		cue = numberCue
	default:
		return false
	}
	for _, s := range sentenceSpans(text) {
		for _, o := range occ {
			if o.start >= s[0] && o.end <= s[1] {
				// Look outside the matched words themselves.
				sent := text[s[0]:o.start] + " " + text[o.end:s[1]]
				if cue.MatchString(sent) {
					return true
				}
				break
			}
		}
	}
	return false
}
