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

// lemmaMemo remembers a lemmatizer's answers while one question's
// candidates are refined: they share most of their words. It is not safe
// for concurrent use.
type lemmaMemo struct {
	lm lemmatizer
	m  map[string][]string
}

// memoLemmas returns lm with a memo (nil when lm is nil).
func memoLemmas(lm lemmatizer) lemmatizer {
	if lm == nil {
		return nil
	}
	return lemmaMemo{lm: lm, m: map[string][]string{}}
}

func (c lemmaMemo) Lemmas(word string) []string {
	if ls, ok := c.m[word]; ok {
		return ls
	}
	ls := c.lm.Lemmas(word)
	c.m[word] = ls
	return ls
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

// name is a multi-word name of a question: its concepts, and its words
// in order, to be found in a passage by in.
type name struct {
	concepts []int
	words    map[string]bool
	parts    []string // the concepts' surfaces, in the name's order
}

// in reports whether text has the name's words in order, separated by
// spaces and punctuation, in any case: what the expression
//
//	(?i)\bW1[\s\p{P}]+W2…\b
//
// matches, with Go's semantics (\b and \s ASCII, letters matched by their
// simple case folding orbit, invalid UTF-8 read as U+FFFD a byte).
func (n name) in(text string) bool {
	for p := 0; p < len(text); {
		if boundary(text, p) && n.from(text, p, 0) {
			return true
		}
		_, w := utf8.DecodeRuneInString(text[p:])
		p += w
	}
	return false
}

// from matches parts[k:] at i: each part after the first preceded by a
// run of [\s\p{P}], the last followed by \b.
func (n name) from(text string, i, k int) bool {
	i, ok := foldedAt(text, i, n.parts[k])
	if !ok {
		return false
	}
	if k == len(n.parts)-1 {
		return boundary(text, i)
	}
	var ends []int // where each separator length ends, shortest first
	for j := i; j < len(text); {
		r, w := utf8.DecodeRuneInString(text[j:])
		if !(r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' || unicode.IsPunct(r)) {
			break
		}
		j += w
		ends = append(ends, j)
	}
	for x := len(ends) - 1; x >= 0; x-- { // greedy, as the expression
		if n.from(text, ends[x], k+1) {
			return true
		}
	}
	return false
}

// foldedAt matches the literal word at i, each rune as itself or one of
// its simple case foldings, and returns where the match ends.
func foldedAt(text string, i int, word string) (int, bool) {
	for _, r0 := range word {
		if i >= len(text) {
			return i, false
		}
		r, w := utf8.DecodeRuneInString(text[i:])
		if r != r0 {
			f := unicode.SimpleFold(r0)
			for f != r0 && f != r {
				f = unicode.SimpleFold(f)
			}
			if f != r {
				return i, false
			}
		}
		i += w
	}
	return i, true
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
		n := name{concepts: idx, words: map[string]bool{}, parts: make([]string, len(idx))}
		valid := true
		for i, ci := range idx {
			n.parts[i] = concepts[ci].surface
			n.words[concepts[ci].surface] = true
			valid = valid && utf8.ValidString(n.parts[i]) // as the expression it replaced compiled
		}
		if !valid {
			continue
		}
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
func refine(q parsedQuestion, lm lemmatizer, text string, spans [][2]int, names []name, r *ranked, maxBM25, maxTerms float64) {
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
		if n.in(text) {
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
	r.sentence, r.sentKeys = sentenceCoverage(q, spans, r)
	score(q, r, maxBM25, maxTerms)
}
