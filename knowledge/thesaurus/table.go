package thesaurus

import (
	"strings"
	"unicode/utf8"
)

// Table is an immutable synonym table, safe for concurrent use. The zero
// Table is empty: it knows no word.
type Table struct {
	data string // sorted lines, without leading comments
}

// Synonyms returns the synonyms of word, best first, at most max of them
// (all when max <= 0); nil when the table knows none. Word may be in any
// case and any inflection ("Refused", "firms", "went"): it is lemmatised
// as Lemmas does, and the synonyms of each of its base forms, in the
// parts of speech in which word is a form of it, are merged in the order
// of the base forms (the word itself first when it is one). Synonyms are
// lowercase base forms and never one of word's own base forms.
func (t Table) Synonyms(word string, max int) []string {
	var buf [maxLemmas]lemma
	ls := lemmas(buf[:0], t.data, normalize(word))
	var out []string
	for _, l := range ls {
		for rest := l.synonyms; rest != ""; {
			var it string
			it, rest, _ = strings.Cut(rest, ",")
			w, pos := item(it, l.entry.pos)
			if pos&l.pos == 0 || isLemma(ls, w) || contains(out, w) {
				continue
			}
			if out == nil {
				out = make([]string, 0, capacity(max))
			}
			out = append(out, w)
			if len(out) == max {
				return out
			}
		}
	}
	return out
}

// Lemmas returns the base forms of word known to the table, in any case
// and any inflection: "refused" -> ["refuse"], "went" -> ["go"],
// "glasses" -> ["glasses", "glass"]; nil when the table knows none. The
// word itself comes first when it is a base form, then the forms from
// WordNet's exception lists or, for regular forms, from its detachment
// rules, by part of speech (noun, verb, adjective).
func (t Table) Lemmas(word string) []string {
	var buf [maxLemmas]lemma
	ls := lemmas(buf[:0], t.data, normalize(word))
	if len(ls) == 0 {
		return nil
	}
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.word
	}
	return out
}

// normalize lowercases word, without allocating when it already is.
func normalize(word string) string {
	for i := range len(word) {
		if c := word[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			return strings.ToLower(word)
		}
	}
	return word
}

// isLemma reports whether w is one of the base forms ls.
func isLemma(ls []lemma, w string) bool {
	for _, l := range ls {
		if l.word == w {
			return true
		}
	}
	return false
}

// contains reports whether ws holds w; lists are short.
func contains(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// capacity is the initial capacity of a result of at most max synonyms.
func capacity(max int) int {
	if max > 0 && max < 16 {
		return max
	}
	return 16
}
