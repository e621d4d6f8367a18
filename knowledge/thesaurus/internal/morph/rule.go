// Package morph holds WordNet's morphological detachment rules (the suffix
// rules of WordNet's morphy), shared by the thesaurus package and its
// generator so that both lemmatise alike.
package morph

import "strings"

// Parts of speech, as WordNet's index files name them.
const (
	Noun      = 'n'
	Verb      = 'v'
	Adjective = 'a'
	Adverb    = 'r'
)

// Rules per part of speech, in WordNet's order, as "suffix>ending" pairs
// separated by "|". Adverbs have none.
const (
	nounRules      = "s>|ses>s|xes>x|zes>z|ches>ch|shes>sh|men>man|ies>y"
	verbRules      = "s>|ies>y|es>e|es>|ed>e|ed>|ing>e|ing>"
	adjectiveRules = "er>|est>|er>e|est>e"
)

// Detach calls yield(stem, ending) for each candidate base form
// stem+ending of word under the detachment rules of pos, in WordNet's
// order, until yield returns false. Candidates are not checked against
// any dictionary and may repeat; the caller keeps the ones it knows.
// As in WordNet, nouns ending in "ss" and words of at most two letters
// are not detached, and a rule never leaves an empty stem. Detach does
// not allocate.
func Detach(pos byte, word string, yield func(stem, ending string) bool) {
	var rules string
	switch pos {
	case Noun:
		if strings.HasSuffix(word, "ss") {
			return
		}
		rules = nounRules
	case Verb:
		rules = verbRules
	case Adjective:
		rules = adjectiveRules
	default:
		return
	}
	if len(word) <= 2 {
		return
	}
	for rules != "" {
		var rule string
		rule, rules, _ = strings.Cut(rules, "|")
		suffix, ending, _ := strings.Cut(rule, ">")
		if len(word) <= len(suffix) || !strings.HasSuffix(word, suffix) {
			continue
		}
		if !yield(word[:len(word)-len(suffix)], ending) {
			return
		}
	}
}
