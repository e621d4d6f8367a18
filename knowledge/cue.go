package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
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
	kindList // "which countries ...": names, often enumerated
)

// The English forms of each kind of question, at its start; the Chinese
// forms (below) may be anywhere in it. (One expression each with both
// cost a scan of every question by the matcher eight times over.)
var (
	definitionQ = regexp.MustCompile(`(?i)^\s*(who\s+(is|are|was|were)\b|what\s+(is|are|was|were)\b|what's\b|what\s+does\b.*\bmean\b|define\b|meaning\s+of\b|explain\b)`)
	timeQ       = regexp.MustCompile(`(?i)^\s*(when\b|what\s+(time|date|year|day|month)\b|which\s+(year|day|month|date)\b|in\s+what\s+(year|month)\b)`)
	whoIsQ      = regexp.MustCompile(`(?i)^\s*who\s+(is|are|was|were)\b|^[^谁的]+是谁[?？]?\s*$`)
	whoIsRoleQ  = regexp.MustCompile(`(?i)^\s*who\s+(is|are|was|were)\s+(the|a|an)\b`)
	personQ     = regexp.MustCompile(`(?i)^\s*(who|whom|whose)\b`)
	placeQ      = regexp.MustCompile(`(?i)^\s*where\b`)
	listQ       = regexp.MustCompile(`(?i)^\s*which\s+(\pL+\s+){0,2}?\pL+[^s\s]s\b|^\s*what\s+(\pL+\s+){0,2}?(countries|companies|governments|firms|organi[sz]ations|outlets|people|states|nations|groups|leaders|websites|sites|platforms|members|officials|representatives)\b`)
	numberQ     = regexp.MustCompile(`(?i)^\s*how\s+(many|much|long|old|far|often|big|large|small|tall|high|wide)\b`)

	definitionZh = []string{"是什么", "什么意思", "什么是"}
	timeZh       = []string{"什么时候", "何时", "哪一年", "哪年", "几点", "哪一天", "哪天"}
	personZh     = []string{"谁"}
	placeZh      = []string{"哪里", "在哪", "哪儿"}
	listZh       = []string{"哪些"}
	numberZh     = []string{"多少", "几个", "几项", "几位", "几次", "几种", "几条", "几名"}
)

// Each English form starts with one of these words (lower-cased ASCII
// letters, as leadWord reads them): a question that starts with none of
// them is not matched against the form's expression.
var (
	definitionQLeads = []string{"who", "what", "define", "meaning", "explain"}
	timeQLeads       = []string{"when", "what", "which", "in"}
	whoQLeads        = []string{"who"}
	personQLeads     = []string{"who", "whom", "whose"}
	placeQLeads      = []string{"where"}
	numberQLeads     = []string{"how"}
	listQLeads       = []string{"which", "what"}
)

func classify(question string) answerKind {
	lead := leadWord(question)
	is := func(start *regexp.Regexp, leads, zh []string) bool {
		if slices.Contains(leads, lead) && start.MatchString(question) {
			return true
		}
		for _, z := range zh {
			if strings.Contains(question, z) {
				return true
			}
		}
		return false
	}
	switch {
	case is(whoIsRoleQ, whoQLeads, nil):
		return kindPerson // "Who is the author of ...?" wants a name
	case (lead == "who" || strings.Contains(question, "是谁")) && whoIsQ.MatchString(question):
		return kindDefinition // "Who is Lu Wei?" wants a description, not a name
	case is(timeQ, timeQLeads, timeZh):
		return kindTime
	case is(personQ, personQLeads, personZh):
		return kindPerson
	case is(placeQ, placeQLeads, placeZh):
		return kindPlace
	case is(numberQ, numberQLeads, numberZh):
		return kindNumber
	case is(listQ, listQLeads, listZh):
		return kindList
	case is(definitionQ, definitionQLeads, definitionZh):
		return kindDefinition
	}
	return kindOther
}

// leadWord is the run of ASCII letters that starts s after \s*
// ([\t\n\f\r ]), lower-cased ("" when there is none or it is longer
// than any lead). Every English question form starts with one of its leads
// followed by something else than an ASCII letter. (?i) would also match
// a k or s in a lead as U+212A or U+017F, where leadWord stops: only
// "whose" has one, and "who", where it stops, leads the same forms.
func leadWord(s string) string {
	i := 0
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	var buf [8]byte
	n := 0
	for j := i; j < len(s); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		} else if c < 'a' || c > 'z' {
			break
		}
		if n == len(buf) {
			return "" // longer than any lead
		}
		buf[n] = c
		n++
	}
	return string(buf[:n])
}

// sentenceCue is the test excerpts use to prefer a sentence with an
// answer cue for q (nil when q wants no particular kind of answer).
func sentenceCue(q parsedQuestion) func(sentence string, occ []occurrence) bool {
	if q.kind == kindOther {
		return nil
	}
	return func(sentence string, occ []occurrence) bool {
		return hasCue(q.kind, sentence, sentenceSpans(sentence), occ, q.t.CueReach)
	}
}

// hasCue reports whether text has the cue pattern for kind close to an
// occurrence of the question's concepts (occ, sorted by start), in the
// same sentence, at most reach bytes away (Tuning.CueReach: the answer to
// "When was the Bandung Conference?" sits next to the topic, "the Bandung
// Conference in 1955", not anywhere in the passage). For
// definitions the cue must follow the topic ("Internet sovereignty refers
// to ..."). The matched words themselves never count as the cue.
func hasCue(kind answerKind, text string, spans [][2]int, occ []occurrence, reach int) bool {
	var buf []byte
	if kind == kindDefinition {
		for _, o := range occ {
			after := text[o.end:min(len(text), o.end+40)]
			stop := strings.IndexAny(after, ".?!")
			if stop < 0 {
				stop = len(after)
			}
			buf = append(buf[:0], after...)
			if definitionBefore(buf, stop) || appositive(buf) {
				return true
			}
		}
		return false
	}
	cue := cueMatcher(kind)
	if cue == nil {
		return false
	}
	// One match per sentence that has matches: the stretch from cueReach
	// before its first match to cueReach after its last, with the matched
	// words themselves blanked out.
	i := 0
	for _, s := range spans {
		for i < len(occ) && occ[i].start < s[0] {
			i++
		}
		j := i
		for j < len(occ) && occ[j].end <= s[1] {
			j++
		}
		if j == i {
			continue
		}
		lo, hi := max(s[0], occ[i].start-reach), min(s[1], occ[j-1].end+reach)
		for lo > s[0] && !utf8.RuneStart(text[lo]) {
			lo--
		}
		for hi < s[1] && !utf8.RuneStart(text[hi]) {
			hi++
		}
		buf = append(buf[:0], text[lo:hi]...)
		for _, o := range occ[i:j] {
			for k := max(o.start, lo); k < min(o.end, hi); k++ {
				buf[k-lo] = ' '
			}
		}
		if cue(buf) {
			return true
		}
		i = j
	}
	return false
}
