package thesaurus

import (
	"strings"

	"github.com/govbot-dev/govbot/knowledge/thesaurus/internal/morph"
)

// maxLemmas bounds the base forms one word can have; WordNet's forms have
// at most five.
const maxLemmas = 8

// lemma is a base form of a looked-up word: its entry and the parts of
// speech in which the word is a form of it.
type lemma struct {
	entry
	pos posSet
}

// lemmas appends to dst the base forms of word (lowercase) known to data,
// the way WordNet's morphy finds them: the word itself when it is a base
// form; then, when its entry lists base forms (an irregular form from
// WordNet's exception lists), those; otherwise the results of the
// detachment rules of each part of speech that name a base form of that
// part of speech ("refused" -> "refuse" as a verb; "news" is no form of
// the adjective "new").
func lemmas(dst []lemma, data, word string) []lemma {
	e, ok := find(data, word, "")
	if ok && e.bases != "" {
		for rest := e.bases; rest != ""; {
			var it string
			it, rest, _ = strings.Cut(rest, ",")
			w, pos := item(it, 0)
			if w == e.word {
				dst = addLemma(dst, e, e.pos)
				continue
			}
			if b, ok := find(data, w, ""); ok {
				if pos == 0 {
					pos = b.pos
				}
				dst = addLemma(dst, b, pos)
			}
		}
		return dst
	}
	if ok && e.pos != 0 {
		dst = addLemma(dst, e, e.pos)
	}
	for _, p := range [...]byte{morph.Noun, morph.Verb, morph.Adjective} {
		bit := posOf(p)
		morph.Detach(p, word, func(stem, ending string) bool {
			if b, ok := find(data, stem, ending); ok && b.pos&bit != 0 {
				dst = addLemma(dst, b, bit)
			}
			return true
		})
	}
	return dst
}

// addLemma adds e, a base form in parts of speech pos, to ls, merging it
// with an earlier finding of the same base form. Past maxLemmas base
// forms, it drops e.
func addLemma(ls []lemma, e entry, pos posSet) []lemma {
	for i := range ls {
		if ls[i].word == e.word {
			ls[i].pos |= pos
			return ls
		}
	}
	if len(ls) == maxLemmas {
		return ls
	}
	return append(ls, lemma{entry: e, pos: pos})
}
