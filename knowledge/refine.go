package knowledge

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Refinement looks at the text of the best candidates, which ranking by
// index locations alone cannot: it re-weighs matches that share a stem but
// not a word, and names that the passage has only in pieces, then re-scores.

// lemmatizer gives a word's base forms (thesaurus.Table does).
type lemmatizer interface {
	Lemmas(word string) []string
}

// sameWord reports whether two surface forms are forms of one word, as far
// as the lemmatizer knows. Words it does not know count as the same.
func sameWord(lm lemmatizer, a, b string) bool {
	a, b = trimPossessive(strings.ToLower(a)), trimPossessive(strings.ToLower(b))
	if a == b || lm == nil {
		return true
	}
	la, lb := lm.Lemmas(a), lm.Lemmas(b)
	if len(la) == 0 || len(lb) == 0 {
		return true
	}
	for _, x := range la {
		for _, y := range lb {
			if x == y {
				return true
			}
		}
	}
	return false
}

func trimPossessive(w string) string {
	for _, s := range []string{"'s", "’s", "s'", "s’"} {
		if strings.HasSuffix(w, s) {
			return strings.TrimSuffix(w, s[1:])
		}
	}
	return w
}

// questionWords are words that start a question and so are capitalised
// without being names.
var questionWords = map[string]bool{
	"what": true, "who": true, "whom": true, "whose": true, "when": true, "where": true, "which": true,
	"why": true, "how": true, "is": true, "are": true, "was": true, "were": true, "did": true, "do": true,
	"does": true, "can": true, "could": true, "should": true, "would": true, "will": true, "has": true,
	"have": true, "had": true, "in": true, "on": true, "at": true, "the": true, "a": true, "an": true,
	"tell": true, "give": true, "list": true, "name": true, "explain": true, "describe": true,
}

var capitalizedRun = regexp.MustCompile(`\p{Lu}[\p{Ll}’'-]+(?:\s+\p{Lu}[\p{Ll}’'-]+)+`)

// name is a multi-word name of a question: its concepts, and a pattern
// for the words in order in a passage.
type name struct {
	concepts []int
	words    map[string]bool
	re       *regexp.Regexp
}

// names finds the multi-word names of a question ("Great Wall", "Lu Wei",
// "European Union"): runs of capitalised words, not counting a capitalised
// question word at the start or acronyms. Names whose words are not all
// concepts are dropped.
func names(t *Tuning, text string, concepts []concept) []name {
	var out []name
	for _, loc := range capitalizedRun.FindAllStringIndex(text, -1) {
		words := strings.Fields(text[loc[0]:loc[1]])
		if loc[0] == 0 || isSentenceStart(text, loc[0]) {
			for len(words) > 0 && questionWords[strings.ToLower(words[0])] {
				words = words[1:]
			}
		}
		if len(words) < 2 || len(words) > t.MaxNameWords {
			continue
		}
		var idx []int
		for _, w := range words {
			ci := conceptOf(concepts, w)
			if ci < 0 || contains1(idx, ci) {
				idx = nil
				break
			}
			idx = append(idx, ci)
		}
		if len(idx) < 2 {
			continue
		}
		n := name{concepts: idx, words: map[string]bool{}}
		parts := make([]string, len(idx))
		for i, ci := range idx {
			parts[i] = regexp.QuoteMeta(concepts[ci].surface)
			n.words[concepts[ci].surface] = true
		}
		re, err := regexp.Compile(`(?i)\b` + strings.Join(parts, `[\s\p{P}]+`) + `\b`)
		if err != nil {
			continue
		}
		n.re = re
		out = append(out, n)
		if len(out) == t.MaxNames {
			break
		}
	}
	return out
}

func isSentenceStart(text string, i int) bool {
	j := strings.LastIndexFunc(text[:i], func(r rune) bool { return !unicode.IsSpace(r) })
	if j < 0 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[j:])
	return strings.ContainsRune(".?!:;\"“", r)
}

func conceptOf(concepts []concept, word string) int {
	w := trimPossessive(strings.ToLower(word))
	for ci, c := range concepts {
		if strings.EqualFold(c.surface, w) {
			return ci
		}
	}
	return -1
}

func contains1(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// inOtherName reports whether the word at text[start:end] is part of a
// name other than the question's: next to a capitalised word that is not
// one of the name's words ("Wall" in "Wall Street Journal" when the
// question asks about the Great Wall). A surname standing alone ("Wang is
// not ...") is not.
func inOtherName(text string, start, end int, nameWords map[string]bool) bool {
	capitalised := func(w string) bool {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r) && !nameWords[trimPossessive(strings.ToLower(strings.Trim(w, "“”\"'’‘()[]")))]
	}
	if before := strings.Fields(text[max(0, start-40):start]); len(before) > 0 && start > 0 && text[start-1] == ' ' {
		w := before[len(before)-1]
		at := strings.LastIndex(text[:start], w)
		if !strings.ContainsAny(w, ".?!,;:”)") && capitalised(w) && !isSentenceStart(text, at) {
			return true
		}
	}
	if end < len(text) && text[end] == ' ' {
		if after := strings.Fields(text[end:min(len(text), end+40)]); len(after) > 0 && capitalised(after[0]) {
			return true
		}
	}
	return false
}

// refine re-weighs a candidate's occurrences with its text and recomputes
// its features and score (maxBM25 and maxTerms as in rank).
func refine(q parsedQuestion, lm lemmatizer, text string, names []name, r *ranked, maxBM25, maxTerms float64) {
	for i := range r.occ {
		o := &r.occ[i]
		c := q.concepts[o.concept]
		if o.weight == weightExact && len(strings.Fields(c.surface)) == 1 && o.end <= len(text) {
			if !sameWord(lm, c.surface, text[o.start:o.end]) {
				o.weight = q.t.WeightOtherWord
			}
		}
	}
	for _, n := range names {
		if n.re.MatchString(text) {
			continue
		}
		for i := range r.occ {
			o := &r.occ[i]
			if contains1(n.concepts, o.concept) && inOtherName(text, o.start, o.end, n.words) {
				o.weight = min(o.weight, q.t.WeightNamePart)
			}
		}
	}
	r.refined = true
	r.sentence, r.sentKeys = sentenceCoverage(q, text, r)
	score(q, r, maxBM25, maxTerms)
}
