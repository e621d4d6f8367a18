package knowledge

import (
	"strconv"
	"strings"
)

// framingWords frame a question rather than name its topic ("What
// happened at ...", "What does ... mean", "the article that ..."). They are
// still searched, but count for little when judging whether a passage
// answers the question. Surface forms, lower case.
var framingWords = map[string]bool{
	"happen": true, "happened": true, "happens": true, "happening": true,
	"mean": true, "means": true, "meaning": true, "meant": true,
	"say": true, "said": true, "says": true, "saying": true,
	"tell": true, "told": true, "describe": true, "described": true,
	"explain": true, "explained": true, "define": true, "defined": true, "definition": true,
	"refer": true, "refers": true, "called": true, "call": true,
	"know": true, "known": true, "think": true, "thought": true,
	"article": true, "articles": true, "piece": true, "text": true, "document": true, "documents": true,
	"exactly": true, "kind": true, "type": true, "thing": true, "things": true,
	"make": true, "made": true, "makes": true, "get": true, "got": true, "give": true, "gave": true,
	"use": true, "used": true, "like": true, "also": true, "one": true, "ones": true,
	"many": true, "much": true, "happen's": true, "mention": true, "mentioned": true,
	"argue": true, "argues": true, "argued": true, "arguing": true, "claim": true, "claims": true, "claimed": true,
	"suggest": true, "suggests": true, "suggested": true, "report": true, "reported": true,
	"can": true, "could": true, "would": true, "should": true, "will": true, "may": true, "might": true, "must": true,
	"hey": true, "hi": true, "hello": true, "bot": true, "govbot": true, "please": true, "pls": true, "plz": true,
	"thanks": true, "thank": true, "deal": true, "wondering": true, "curious": true, "anyone": true, "somebody": true,
	"according": true, "want": true, "wants": true, "wanted": true,
	"talk": true, "talked": true, "discuss": true, "discussed": true, "involve": true, "involved": true,
}

// ordinals pairs ordinal words with their numeric spelling, both ways.
var ordinals = func() map[string]string {
	pairs := [][2]string{
		{"first", "1st"}, {"second", "2nd"}, {"third", "3rd"}, {"fourth", "4th"}, {"fifth", "5th"},
		{"sixth", "6th"}, {"seventh", "7th"}, {"eighth", "8th"}, {"ninth", "9th"}, {"tenth", "10th"},
		{"eleventh", "11th"}, {"twelfth", "12th"}, {"twentieth", "20th"},
	}
	m := make(map[string]string, 2*len(pairs))
	for _, p := range pairs {
		m[p[0]], m[p[1]] = p[1], p[0]
	}
	return m
}()

// cardinals pairs small numbers with their words, both ways.
var cardinals = func() map[string]string {
	words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}
	m := make(map[string]string, 2*len(words))
	for i, w := range words {
		d := strconv.Itoa(i)
		m[w], m[d] = d, w
	}
	return m
}()

// numberWord returns the other spelling of a number or ordinal: "second"
// <-> "2nd", "five" <-> "5".
func numberWord(word string) (string, bool) {
	w := strings.ToLower(word)
	if o, ok := ordinals[w]; ok {
		return o, true
	}
	o, ok := cardinals[w]
	return o, ok
}

// ordinal returns the other spelling of an ordinal ("second" <-> "2nd").
func ordinal(word string) (string, bool) {
	o, ok := ordinals[strings.ToLower(word)]
	return o, ok
}
