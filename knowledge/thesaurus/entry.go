package thesaurus

import "strings"

// Parts of speech as a bit set.
const (
	noun posSet = 1 << iota
	verb
	adjective
	adverb
	anyPOS = noun | verb | adjective | adverb
)

// posSet is a set of parts of speech.
type posSet uint8

// posOf returns the part of speech named by WordNet letter c ('n', 'v',
// 'a', 'r'), 0 for any other byte.
func posOf(c byte) posSet {
	switch c {
	case 'n':
		return noun
	case 'v':
		return verb
	case 'a':
		return adjective
	case 'r':
		return adverb
	}
	return 0
}

// parsePOS returns the set named by letters, and false when letters has
// anything but distinct "nvar" letters or is empty.
func parsePOS(letters string) (posSet, bool) {
	var set posSet
	for i := range len(letters) {
		p := posOf(letters[i])
		if p == 0 || set&p != 0 {
			return 0, false
		}
		set |= p
	}
	return set, set != 0
}

// entry is one line of a table, split into its fields.
type entry struct {
	word     string
	synonyms string // comma-separated, possibly tagged ("deny:v")
	pos      posSet // 0 for an irregular form that is no base form ("-")
	bases    string // comma-separated, possibly tagged; "" unless irregular
}

// splitEntry splits a line (without its newline) into its fields. It
// trusts the line to be well formed (Parse checks).
func splitEntry(line string) entry {
	var e entry
	var rest, pos string
	e.word, rest, _ = strings.Cut(line, "\t")
	e.synonyms, rest, _ = strings.Cut(rest, "\t")
	pos, e.bases, _ = strings.Cut(rest, "\t")
	switch pos {
	case "":
		e.pos = anyPOS
	case "-":
	default:
		e.pos, _ = parsePOS(pos)
	}
	return e
}

// item splits a list item "word[:pos]" into its word and parts of
// speech; an untagged item is one in all of def.
func item(s string, def posSet) (string, posSet) {
	w, tag, ok := strings.Cut(s, ":")
	if !ok {
		return w, def
	}
	p, _ := parsePOS(tag)
	return w, p
}

// find returns the entry for the word stem+ending, by binary search over
// the sorted lines of data, without building the word. It reports false
// when there is none.
func find(data, stem, ending string) (entry, bool) {
	lo, hi := 0, len(data) // lines starting in [lo, hi) remain; lo starts a line
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := lo + strings.LastIndexByte(data[lo:mid], '\n') + 1
		end := strings.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		line := data[start:end]
		key, _, _ := strings.Cut(line, "\t")
		switch c := compareJoined(key, stem, ending); {
		case c == 0:
			return splitEntry(line), true
		case c < 0:
			lo = end + 1
		default:
			hi = start
		}
	}
	return entry{}, false
}

// compareJoined compares key with a+b, as strings.Compare would.
func compareJoined(key, a, b string) int {
	if len(key) < len(a) {
		if c := strings.Compare(key, a[:len(key)]); c != 0 {
			return c
		}
		return -1
	}
	if c := strings.Compare(key[:len(a)], a); c != 0 {
		return c
	}
	return strings.Compare(key[len(a):], b)
}
